"""Injected clocks. Every rule, timestamp and timer in lockerd reads time from a Clock.

Store UTC everywhere; convert to the site's zone only for display and calendar maths.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol


class Clock(Protocol):
    #: False while the NTP check says the wall clock may be wrong (time-sensitive actions are refused)
    synchronised: bool

    def now(self) -> datetime:
        """Current time, timezone-aware UTC."""
        ...

    def monotonic(self) -> float:
        """Seconds on a monotonic scale that follows this clock (for timeouts)."""
        ...

    def sleep(self, seconds: float) -> Coroutine[Any, Any, None]:
        """Sleep `seconds` of this clock's time, counted from the call (not from the first await)."""
        ...


class SystemClock:
    """Wall clock. `synchronised` is set by the NTP check (a Pi has no RTC)."""

    def __init__(self) -> None:
        self.synchronised = True

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class SimClock:
    """A clock that runs with real time but can be moved forward by the simulator and tests.

    `now()` = real elapsed time since creation + `start` + all advances. `sleep()` wakes early when the
    clock is advanced past its deadline, so timers (left-open alarms, rules ticks) follow the jumps.
    Thread-safe: driver threads may read it.
    """

    def __init__(self, start: datetime | None = None, *, frozen: bool = False) -> None:
        self._lock = threading.Lock()
        self._base = start or datetime.now(UTC)
        if self._base.tzinfo is None:
            raise ValueError("SimClock start must be timezone-aware")
        self._real0 = time.monotonic()
        self._offset = 0.0
        self._frozen = frozen
        self._waiters: set[asyncio.Event] = set()
        self.synchronised = True

    def _elapsed(self) -> float:
        real = 0.0 if self._frozen else time.monotonic() - self._real0
        return real + self._offset

    def now(self) -> datetime:
        with self._lock:
            return self._base + timedelta(seconds=self._elapsed())

    def monotonic(self) -> float:
        with self._lock:
            return self._elapsed()

    def advance(self, seconds: float) -> datetime:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += seconds
            waiters = list(self._waiters)
        for ev in waiters:
            loop = getattr(ev, "_lockerd_loop", None)
            if loop is not None and not loop.is_closed():
                loop.call_soon_threadsafe(ev.set)
        return self.now()

    def step(self, seconds: float) -> datetime:
        """Step the wall clock by `seconds`, either way, with no time passing (what NTP does to a clock
        that was wrong): `now()` jumps, `monotonic()` does not. For tests of clock steps."""
        with self._lock:
            self._base += timedelta(seconds=seconds)
        return self.now()

    @property
    def base(self) -> datetime:
        """The instant `monotonic()` counts from (wall minus monotonic: what the clock guard compares)."""
        with self._lock:
            return self._base

    def resume(self, now: datetime, base: datetime) -> None:
        """Resume a saved simulation on its own time base: `now()` continues at `now` and `monotonic()` at
        `now - base`, as a real clock's monotonic time goes on across a restart within one boot. So a
        restarted simulator is not a clock step (edge/rules/clockguard.py); `step()` still is one."""
        if base.tzinfo is None or now.tzinfo is None:
            raise ValueError("SimClock times must be timezone-aware")
        with self._lock:
            self._base = base
            self._real0 = time.monotonic()
            self._offset = max(0.0, (now - base).total_seconds())

    def set_base(self, start: datetime) -> None:
        """Resume a simulation at a stored instant (the simulator persists its clock)."""
        with self._lock:
            self._base = start
            self._real0 = time.monotonic()
            self._offset = 0.0

    def sleep(self, seconds: float) -> Coroutine[Any, Any, None]:
        # The deadline is taken now, when sleep() is called, not when the coroutine first runs: a sleep
        # wrapped in a task (sleep_or_wake) starts a loop turn later, and an advance() in that gap was
        # otherwise counted as time not yet slept (the dispatcher then overslept a message made due by the
        # advance: a CI flake in tests/notify, and a missed jump in `lockerd simulate`).
        return self._sleep_until(self.monotonic() + max(0.0, seconds))

    async def _sleep_until(self, deadline: float) -> None:
        ev = asyncio.Event()
        ev._lockerd_loop = asyncio.get_running_loop()  # type: ignore[attr-defined]
        with self._lock:
            self._waiters.add(ev)
        loop = asyncio.get_running_loop()
        try:
            while True:
                remaining = deadline - self.monotonic()
                if remaining <= 0:
                    return
                ev.clear()
                # frozen clocks only move by advance(); otherwise wake on real time too. No
                # wait_for here: on 3.11 it can swallow a cancel that races the wake-up.
                handle = None if self._frozen else loop.call_later(remaining, ev.set)
                try:
                    await ev.wait()
                finally:
                    if handle is not None:
                        handle.cancel()
        finally:
            with self._lock:
                self._waiters.discard(ev)


async def sleep_or_wake(clock: Clock, seconds: float, wake: asyncio.Event) -> None:
    """Sleep `seconds` of `clock` time, or until `wake` is set, whichever comes first; clears `wake`.

    Periodic components (rules, tracking) use it so a new event can trigger a sweep early.
    """
    sleeper = asyncio.create_task(clock.sleep(seconds))
    waker = asyncio.create_task(wake.wait())
    try:
        await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for t in (sleeper, waker):
            t.cancel()
        await asyncio.gather(sleeper, waker, return_exceptions=True)
        wake.clear()


def utc_iso(dt: datetime) -> str:
    """ISO 8601 in UTC with a Z, millisecond precision."""
    return dt.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso(text: str) -> datetime:
    """Parse ISO 8601; naive values are refused (we never guess a zone)."""
    dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        raise ValueError(f"timestamp {text!r} has no time zone")
    return dt.astimezone(UTC)
