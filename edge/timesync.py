"""Is the wall clock right? A Raspberry Pi has no real-time clock: after a power cut it boots with the
time it last saved (fake-hwclock) or 1970 until NTP answers.

`is_synchronised()` asks, in order: the kernel (adjtimex, STA_UNSYNC / TIME_ERROR, as timedated
does), systemd-timesyncd's flag file, then `timedatectl`. Inside the hardened service adjtimex is
filtered (ProtectClock), so the file and timedatectl answer there. `None` means nobody could tell.

`TimeSyncWatcher` keeps ``clock.synchronised`` current (SystemClock has that attribute); services
call `require_synchronised(clock)` before anything whose meaning depends on the date (storage
deadlines, signed commands with an expiry).
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import logging
import os
import shutil
import subprocess
from collections.abc import Awaitable, Callable
from typing import Any

from edge.clock import Clock
from edge.errors import DomainError

log = logging.getLogger(__name__)

TIMESYNCD_FLAG = "/run/systemd/timesync/synchronized"
STA_UNSYNC = 0x0040
TIME_ERROR = 5
#: kernel's "maximum error" beyond which timedated also calls the clock unsynchronised (16 s)
MAX_ERROR_US = 16_000_000


class _Timex(ctypes.Structure):
    # the leading fields of struct timex (same on 32- and 64-bit glibc); the rest is padding
    _fields_ = [
        ("modes", ctypes.c_uint),
        ("offset", ctypes.c_long),
        ("freq", ctypes.c_long),
        ("maxerror", ctypes.c_long),
        ("esterror", ctypes.c_long),
        ("status", ctypes.c_int),
        ("_rest", ctypes.c_byte * 256),
    ]


def kernel_synchronised() -> bool | None:
    """adjtimex(2) read-only query; None when the call is unavailable or filtered."""
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        tx = _Timex()
        state = libc.adjtimex(ctypes.byref(tx))
    except (OSError, AttributeError):
        return None
    if state < 0:
        log.debug("adjtimex unavailable: errno %s", ctypes.get_errno())
        return None
    return not (state == TIME_ERROR or tx.status & STA_UNSYNC or tx.maxerror >= MAX_ERROR_US)


def timesyncd_synchronised(flag: str = TIMESYNCD_FLAG) -> bool | None:
    """True if systemd-timesyncd has marked the clock synchronised since boot; None if unknown."""
    if os.path.exists(flag):
        return True
    if os.path.isdir(os.path.dirname(flag)):
        return False
    return None


def timedatectl_synchronised(timeout: float = 5.0) -> bool | None:
    exe = shutil.which("timedatectl")
    if exe is None:
        return None
    try:
        out = subprocess.run(
            [exe, "show", "-p", "NTPSynchronized", "--value"],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    value = out.stdout.strip()
    if out.returncode != 0 or value not in ("yes", "no"):
        return None
    return value == "yes"


def is_synchronised(
    probes: tuple[Callable[[], bool | None], ...] = (kernel_synchronised, timesyncd_synchronised, timedatectl_synchronised),
) -> bool | None:
    """First definite answer from the probes, else None."""
    for probe in probes:
        try:
            answer = probe()
        except Exception:  # a probe must never take the daemon down
            log.debug("time-sync probe %s failed", getattr(probe, "__name__", probe), exc_info=True)
            continue
        if answer is not None:
            return answer
    return None


def require_synchronised(clock: Clock, what: str = "this") -> None:
    """Refuse a time-sensitive action while the clock may be wrong."""
    if not clock.synchronised:
        raise DomainError(
            "clock_unsynchronised",
            f"the clock is not synchronised yet, so {what} cannot be done safely; try again shortly",
            status=503,
        )


class TimeSyncWatcher:
    """Polls `check` (in a thread) and keeps ``clock.synchronised`` current.

    Unknown (None) counts as synchronised, with one warning: a development machine without systemd
    must not refuse everything. Polls every `interval` s until synchronised, then every `steady` s
    (sync can be lost after days without network). `on_change(bool)` runs on the loop at each change.
    """

    name = "timesync"

    def __init__(
        self,
        clock: Clock,
        check: Callable[[], bool | None] = is_synchronised,
        *,
        interval: float = 5.0,
        steady: float = 300.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        on_change: Callable[[bool], None] | None = None,
    ) -> None:
        self.clock = clock
        self.check = check
        self.interval = interval
        self.steady = steady
        self.sleep = sleep
        self.on_change = on_change
        self._task: asyncio.Task[None] | None = None
        self._warned_unknown = False

    async def poll_once(self) -> bool:
        answer = await asyncio.to_thread(self.check)
        if answer is None:
            if not self._warned_unknown:
                log.warning("cannot tell whether the clock is synchronised; assuming it is")
                self._warned_unknown = True
            answer = True
        previous = self.clock.synchronised
        if answer != previous:
            self.clock.synchronised = answer
            if answer:
                log.info("clock synchronised")
            else:
                log.warning("clock NOT synchronised: time-sensitive actions are refused until it is")
            if self.on_change is not None:
                try:
                    self.on_change(answer)
                except Exception:
                    log.exception("time-sync change hook failed")
        return answer

    async def run(self, first_wait: float = 0.0) -> None:
        if first_wait > 0:
            await self.sleep(first_wait)
        while True:
            try:
                ok = await self.poll_once()
            except Exception:
                log.exception("time-sync check failed")
                ok = False
            await self.sleep(self.steady if ok else self.interval)

    async def start(self) -> None:
        if self._task is None:
            ok = await self.poll_once()  # know the answer before anything else starts
            wait = self.steady if ok else self.interval
            self._task = asyncio.create_task(self.run(wait), name="lockerd-timesync")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    def status(self) -> dict[str, Any]:
        return {"synchronised": self.clock.synchronised}
