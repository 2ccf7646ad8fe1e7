"""`gsm-modem`: SMS through a GSM/4G modem on a serial port (AT commands; no internet needed).

The serial I/O is drivers/modem.py; this adapts it to a channel: the resident's phone from the directory,
the site's country code for numbers stored without one, modem errors as channel errors.
"""

from __future__ import annotations

import asyncio

from drivers.modem import GsmModem as ModemDriver
from drivers.modem import ModemError
from drivers.protocols.sms import international
from edge.notify.channels.base import (
    BaseChannel,
    ChannelError,
    NotForThisChannel,
    Outgoing,
    need_phone,
    read_secret,
)
from edge.notify.config import GsmModemChannel


class GsmModem(BaseChannel):
    kind = "gsm-modem"

    def __init__(self, cfg: GsmModemChannel) -> None:
        super().__init__(cfg.name, cfg.kinds)
        self.cfg = cfg
        pin = read_secret(cfg.pin_file, "gsm-modem pin_file") if cfg.pin_file else ""
        self.modem = ModemDriver(cfg.port, cfg.baud, pin=pin, command_timeout=min(cfg.timeout_s, 5.0),
                                 send_timeout=max(cfg.timeout_s, 5.0))

    async def start(self) -> None:
        await asyncio.to_thread(self.modem.start)

    async def stop(self) -> None:
        await asyncio.to_thread(self.modem.stop)

    async def send(self, msg: Outgoing) -> str:
        number = international(need_phone(msg), self.cfg.country_code or "86")  # NotifyComponent sets the site's
        try:
            refs = await self.modem.send(number, msg.text_with_link())
        except ModemError as exc:
            if exc.permanent:
                raise NotForThisChannel(f"modem refused the number: {exc}") from None
            raise ChannelError(f"modem: {exc}") from None
        return "network refs " + ",".join(str(r) for r in refs)
