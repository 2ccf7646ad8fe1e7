"""How many kiosk pickups are in flight in this app, so background work can step aside.

The live console feed (edge/web/console/routes_feed.py) waits for a moment with no pickup in flight before
it builds its snapshot: a build that starts while a pickup waits for its commit competes with it for the
GIL when the commit returns (issue 18: staff browsers must cost the kiosk nothing measurable)."""

from __future__ import annotations

import asyncio
import time
from typing import Any


class InFlight:
    def __init__(self) -> None:
        self.n = 0
        #: pickups started since the app began (the console feed coalesces more while the kiosks are busy)
        self.started = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def enter(self) -> None:
        self.n += 1
        self.started += 1
        self._idle.clear()

    def leave(self) -> None:
        self.n = max(0, self.n - 1)
        if self.n == 0:
            self._idle.set()

    async def quiet(self, *, gap_s: float = 0.002, limit_s: float = 0.25) -> bool:
        """Wait until no pickup has been in flight for gap_s, at most limit_s. True if it was quiet."""
        end = time.monotonic() + limit_s
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return False
            if self.n:
                try:
                    await asyncio.wait_for(self._idle.wait(), left)
                except TimeoutError:
                    return False
            await asyncio.sleep(gap_s)
            if not self.n:
                return True


def of(state: Any) -> InFlight:
    """The app's counter (``app.state.kiosk_inflight``), made on first use."""
    cur = getattr(state, "kiosk_inflight", None)
    if cur is None:
        cur = state.kiosk_inflight = InFlight()
    return cur
