"""Notice when the process itself stood still (SIGSTOP, swap, a slow SD card, a long GC pause).

A timer that fires late cannot tell "the door did not open in 3 s" from "we were frozen for 5 s".
`LoopWatch` ticks on the event loop and records every gap between ticks that is much longer than
the tick (a *stall*). Door confirmations and pickup requests ask it whether a stall overlapped the
interval they care about, and re-check the hardware instead of trusting the timer.

All times are ``time.monotonic()`` seconds (CLOCK_MONOTONIC keeps counting across SIGSTOP).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable

from edge.aio import cancel_and_wait

log = logging.getLogger(__name__)


class LoopWatch:
    def __init__(self, *, tick_s: float = 0.1, stall_s: float = 1.0, keep: int = 32,
                 now: Callable[[], float] = time.monotonic) -> None:
        self.tick_s = tick_s
        self.stall_s = stall_s
        self._now = now
        #: (start, end) of recent stalls, oldest first
        self.stalls: deque[tuple[float, float]] = deque(maxlen=keep)
        self.max_lag_s = 0.0
        self._task: asyncio.Task[None] | None = None
        self._last = now()
        #: called on the loop with (start, end) right after a stall is seen
        self.listeners: list[Callable[[float, float], None]] = []
        #: started with ``starting``: a stall that began before `ready()` (the daemon's own start-up work on the loop)
        #: is recorded the same, but logged as start-up time, not as a warning on every boot (review of 2026-12-08)
        self._starting = False
        self._ready_at: float | None = None

    def start(self, *, starting: bool = False) -> None:
        if self._task is None:
            self._starting, self._ready_at = starting, None
            self._last = self._now()
            self._task = asyncio.create_task(self._run(), name="loop-watch")

    def ready(self) -> None:
        """The daemon is ready: a stall that begins from now on is a warning."""
        self._ready_at = self._now()

    async def stop(self) -> None:
        task, self._task = self._task, None
        await cancel_and_wait([task])

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.tick_s)
            self.observe()

    def observe(self) -> float:
        """Record the gap since the last observation; returns the lag beyond one tick."""
        now = self._now()
        lag = now - self._last - self.tick_s
        self._last = now
        if lag > self.max_lag_s:
            self.max_lag_s = lag
        if lag >= self.stall_s:
            start = now - lag
            self.stalls.append((start, now))
            if self._starting and (self._ready_at is None or start < self._ready_at):
                log.info("start-up held the event loop for %.1f s; door timers will re-check", lag)
            else:
                log.warning("the process stood still for %.1f s (event loop stalled); door timers will re-check", lag)
            for cb in list(self.listeners):
                try:
                    cb(start, now)
                except Exception:
                    log.exception("stall listener failed")
        return lag

    def stalled_since(self, since: float) -> bool:
        """True if a stall ended after `since`, or one is happening now (this tick is overdue)."""
        if self._now() - self._last - self.tick_s >= self.stall_s:
            self.observe()
        return any(end > since for _, end in self.stalls)

    def recent_stall(self, *, within_s: float, min_len_s: float) -> tuple[float, float] | None:
        """A stall at least `min_len_s` long that ended less than `within_s` ago (or is ending now)."""
        if self._now() - self._last - self.tick_s >= self.stall_s:
            self.observe()
        now = self._now()
        for start, end in reversed(self.stalls):
            if end - start >= min_len_s and now - end <= within_s:
                return start, end
        return None

    def last_stall(self) -> tuple[float, float] | None:
        return self.stalls[-1] if self.stalls else None
