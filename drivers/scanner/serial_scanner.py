"""Serial barcode scanner (USB-CDC or RS232): one code per line, ended by CR, LF or CRLF.

Input is untrusted: each line goes through :func:`drivers.scanner.base.clean_scan` (prefix/suffix
removed, control bytes stripped, length bounded, non-printable refused). A line that never ends is cut
off at a bound and thrown away up to the next line end. Reading runs on its own thread; good scans are
handed to the event loop with ``call_soon_threadsafe``. An unplugged scanner is reopened every
`reconnect_s`, logging once per state change.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import serial

from drivers.scanner.base import MAX_SCAN_LENGTH, ScanListener, Scanner, ScanRejected, clean_scan

log = logging.getLogger(__name__)

LINE_ENDS = b"\r\n"


#: a scanner sends a whole code in one burst (30 characters at 9600 baud take 31 ms); bytes with no line
#: end followed by this much quiet are half a code (a misread, a cable pulled mid-code) and are dropped,
#: never glued onto the next code
PARTIAL_TIMEOUT_S = 0.5


class LineSplitter:
    """Bytes in, complete lines out (pure; used by the scanner thread and tests; time is passed in)."""

    def __init__(self, max_line: int, *, partial_timeout_s: float = PARTIAL_TIMEOUT_S) -> None:
        self.max_line = max_line
        self.partial_timeout_s = partial_timeout_s
        self._buf = bytearray()
        self._overflow = False
        self._last_byte_at = 0.0
        self.overflows = 0

    def feed(self, data: bytes, now: float = 0.0) -> list[bytes]:
        lines: list[bytes] = []
        if data:
            self._last_byte_at = now
        for b in data:
            if b in LINE_ENDS:
                if self._overflow:
                    self._overflow = False
                elif self._buf:
                    lines.append(bytes(self._buf))
                self._buf.clear()
                continue
            if self._overflow:
                continue
            self._buf.append(b)
            if len(self._buf) > self.max_line:
                self._buf.clear()
                self._overflow = True
                self.overflows += 1
        return lines

    def expire(self, now: float) -> bytes | None:
        """The half line dropped because nothing came for `partial_timeout_s`, or None."""
        if (self._buf or self._overflow) and now - self._last_byte_at >= self.partial_timeout_s:
            return self.reset()
        return None

    def reset(self) -> bytes | None:
        """Drop what is buffered (the port closed); returns the half line, if there was one."""
        half = bytes(self._buf) if self._buf else None
        self._buf.clear()
        self._overflow = False
        return half


class SerialScanner(Scanner):
    def __init__(self, port: str, baud: int = 9600, *, prefix: str = "", suffix: str = "",
                 max_length: int = MAX_SCAN_LENGTH,
                 reconnect_s: float = 1.0, opener: Callable[..., Any] | None = None,
                 partial_timeout_s: float = PARTIAL_TIMEOUT_S,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.port = port
        self.baud = baud
        self.prefix = prefix
        self.suffix = suffix
        self.max_length = max_length
        self.reconnect_s = reconnect_s
        self._opener = opener or serial.serial_for_url
        self._splitter = LineSplitter(max_length + len(prefix) + len(suffix) + 16,
                                      partial_timeout_s=partial_timeout_s)
        self._monotonic = monotonic
        self._thread: threading.Thread | None = None
        self._running = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._on_scan: ScanListener | None = None
        self.online = False
        self.rejected = 0

    async def start(self, on_scan: ScanListener) -> None:
        self._loop = asyncio.get_running_loop()
        self._on_scan = on_scan
        self._running = True
        self._thread = threading.Thread(target=self._worker, name=f"scanner {self.port}", daemon=True)
        self._thread.start()

    async def stop(self) -> None:
        self._running = False
        thread, self._thread = self._thread, None
        if thread is not None:
            await asyncio.to_thread(thread.join, 2.0)

    # --- thread -------------------------------------------------------------------------------
    def _set_online(self, online: bool, detail: str = "") -> None:
        if online != self.online:
            if online:
                log.info("scanner %s: open", self.port)
            else:
                log.warning("scanner %s: offline (%s)", self.port, detail)
        self.online = online

    def _worker(self) -> None:
        ser: Any = None
        while self._running:
            if ser is None:
                try:
                    ser = self._opener(self.port, baudrate=self.baud, timeout=0.1)
                except (serial.SerialException, OSError, ValueError) as exc:
                    self._set_online(False, str(exc))
                    time.sleep(self.reconnect_s)
                    continue
                self._set_online(True)
            try:
                data = ser.read(max(1, ser.in_waiting))
            except (serial.SerialException, OSError) as exc:
                self._set_online(False, str(exc))
                try:
                    ser.close()
                except Exception:  # a dead port may fail to close in any way
                    pass
                ser = None
                self._drop_half(self._splitter.reset())
                continue
            if data:
                for line in self._splitter.feed(data, self._monotonic()):
                    self._line(line)
            else:
                self._drop_half(self._splitter.expire(self._monotonic()))
        if ser is not None:
            ser.close()

    def _drop_half(self, half: bytes | None) -> None:
        if half is not None:
            self.rejected += 1
            log.warning("scanner %s: %d bytes without a line end dropped (half a code?)", self.port, len(half))

    def _line(self, raw: bytes) -> None:
        try:
            code = clean_scan(raw, prefix=self.prefix, suffix=self.suffix, max_length=self.max_length)
        except ScanRejected as exc:
            self.rejected += 1
            log.warning("scanner %s: line of %d bytes refused: %s", self.port, len(raw), exc)
            return
        loop, cb = self._loop, self._on_scan
        if loop is not None and cb is not None and not loop.is_closed():
            loop.call_soon_threadsafe(cb, code)
