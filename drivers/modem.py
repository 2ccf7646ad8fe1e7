"""A GSM/4G modem on a serial port, sending SMS with AT commands (text mode). Pure encoding lives in
drivers/protocols/sms.py; this is the I/O: one bus thread (drivers/bus.py: FIFO, reconnect forever), the
modem set up again after every reconnect (echo off, text mode, SIM PIN), one message at a time.

A send is never retried inside the driver (a repeat would be a second SMS); the caller's queue retries.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from drivers.bus import Bus, Link, ReplyTimeout
from drivers.locks.base import LockBankError
from drivers.protocols import sms

log = logging.getLogger(__name__)


class ModemError(Exception):
    """The modem could not send: offline, silent, or an error answer. `permanent`: retrying will not help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class GsmModem:
    def __init__(self, url: str, baud: int = 115200, *, pin: str = "", command_timeout: float = 5.0,
                 send_timeout: float = 60.0, opener: Any = None) -> None:
        self.url = url
        self.pin = pin
        self.command_timeout = command_timeout
        self.send_timeout = send_timeout
        self.bus = Bus(url, baud, reply_timeout=command_timeout, reconnect_s=0.5, gap_s=0.01, opener=opener)
        self._ready_link: Link | None = None
        self._ref = 0
        self._lock = threading.Lock()

    def start(self) -> None:
        self.bus.start()

    def stop(self) -> None:
        self.bus.stop()

    @property
    def online(self) -> bool:
        return self.bus.online

    # --- jobs (run on the bus thread) -----------------------------------------------------------
    def _at(self, link: Link, command: str, timeout: float | None = None) -> list[str]:
        answer = link.transact(sms.cmd(command), sms.extract_final, timeout or self.command_timeout)
        return sms.check(answer)

    def _setup(self, link: Link) -> None:
        """After (re)connecting: the modem may have restarted, so set everything again."""
        if self._ready_link is link:
            return
        self._at(link, "AT")
        self._at(link, "ATE0")
        try:
            self._at(link, "AT+CMEE=1")
        except sms.AtError:
            pass  # optional: numeric error codes
        state = " ".join(self._at(link, "AT+CPIN?"))
        if "SIM PIN" in state:
            if not self.pin:
                raise ModemError("the SIM asks for a PIN and no pin_file is configured", permanent=True)
            self._at(link, f'AT+CPIN="{self.pin}"')
        elif "READY" not in state:
            raise ModemError(f"SIM not ready: {state or 'no answer'}")
        self._at(link, "AT+CMGF=1")
        self._ready_link = link
        log.info("modem %s ready (text mode)", self.url)

    def _send_job(self, number: str, text: str, ref: int) -> Callable[[Link], list[int] | ModemError]:
        def job(link: Link) -> list[int] | ModemError:
            prompt_open = False
            try:
                self._setup(link)
                refs = []
                for part in sms.split(text, ref):
                    self._at(link, f'AT+CSCS="{part.charset}"')
                    self._at(link, f"AT+CSMP={part.first_octet},{sms.VP_4_DAYS},0,{part.dcs}")
                    da = sms.number_for(part.charset, number)
                    prompt = link.transact(sms.cmd(f'AT+CMGS="{da}"'), sms.extract_prompt_or_final,
                                           self.command_timeout)
                    if not sms.PROMPT.search(prompt):
                        sms.check(prompt)  # raises the error the modem gave instead of a prompt
                        return ModemError("no > prompt after AT+CMGS")
                    payload = part.payload.encode("ascii")
                    prompt_open = True
                    answer = link.transact(payload + sms.CTRL_Z, sms.extract_final, self.send_timeout)
                    prompt_open = False
                    lines = sms.check(answer)
                    mr = next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("+CMGS")), "")
                    refs.append(int(mr) if mr.isdigit() else -1)
                return refs
            except sms.AtError as exc:
                return ModemError(exc.explain(), permanent=exc.permanent)
            except ModemError as exc:
                return exc
            except ReplyTimeout:
                self._ready_link = None  # silent: set it up again next time
                if prompt_open:
                    link.serial.write(sms.ESC)  # close a half-open > prompt so the next command is read
                raise

        return job

    async def send(self, number: str, text: str) -> list[int]:
        """Send one SMS (as many parts as it needs); returns the message references the network gave."""
        with self._lock:
            self._ref = (self._ref + 1) % 256
            ref = self._ref
        try:
            out: list[int] | ModemError = await self.bus.run(self._send_job(number, text, ref), board="modem",
                                                              retries=0)
        except LockBankError as exc:
            raise ModemError(str(exc)) from None
        if isinstance(out, ModemError):
            raise out
        return out
