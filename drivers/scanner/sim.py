"""Simulated scanner: the simulator API (`POST /api/v1/sim/scan`) injects a line as if it was scanned."""

from __future__ import annotations

import asyncio

from drivers.scanner.base import MAX_SCAN_LENGTH, ScanListener, Scanner, clean_scan


class SimScanner(Scanner):
    def __init__(self, *, prefix: str = "", suffix: str = "", max_length: int = MAX_SCAN_LENGTH) -> None:
        self.prefix = prefix
        self.suffix = suffix
        self.max_length = max_length
        self._on_scan: ScanListener | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self, on_scan: ScanListener) -> None:
        self._on_scan = on_scan
        self._loop = asyncio.get_running_loop()

    async def stop(self) -> None:
        self._on_scan = None

    def inject(self, text: str | bytes) -> str:
        """Clean `text` like a real scan and deliver it; returns the code. Raises ScanRejected.

        Callable from the loop (delivered at once) or from another thread (handed to the loop).
        """
        code = clean_scan(text, prefix=self.prefix, suffix=self.suffix, max_length=self.max_length)
        cb, loop = self._on_scan, self._loop
        if cb is None or loop is None:
            return code
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            cb(code)
        elif not loop.is_closed():
            loop.call_soon_threadsafe(cb, code)
        return code
