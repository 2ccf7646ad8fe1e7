"""The injected clocks."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from edge.clock import SimClock, parse_iso, utc_iso


async def test_sleep_wakes_on_advance() -> None:
    c = SimClock(frozen=True)
    t = asyncio.create_task(c.sleep(3600))
    await asyncio.sleep(0.01)
    assert not t.done()
    c.advance(1800)
    await asyncio.sleep(0.01)
    assert not t.done()
    c.advance(1800)
    await asyncio.wait_for(t, 1)


async def test_an_advance_before_the_sleep_task_first_runs_still_counts() -> None:
    """sleep_or_wake wraps the sleep in a task, which first runs a loop turn later; an advance in that gap
    must count as time slept (it was counted from the task's first step, and the dispatcher overslept)."""
    from edge.clock import sleep_or_wake

    c = SimClock(frozen=True)
    t = asyncio.create_task(c.sleep(300))  # not started yet
    c.advance(300)
    await asyncio.wait_for(t, 1)
    wake = asyncio.Event()
    s = asyncio.create_task(sleep_or_wake(c, 300, wake))  # as the dispatcher awaits it: its sleeper task
    await asyncio.sleep(0)  # is created, and has not run yet, when this advance comes
    c.advance(300)
    await asyncio.wait_for(s, 1)


async def test_cancel_racing_a_wakeup_is_not_swallowed() -> None:
    c = SimClock()

    async def loop() -> None:
        while True:
            await asyncio.sleep(0)
            await c.sleep(3600)

    t = asyncio.create_task(loop())
    await asyncio.sleep(0.02)
    c.advance(43201)
    await asyncio.sleep(0)
    t.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(t, 2)


async def test_real_time_sleep_still_ends() -> None:
    c = SimClock()
    await asyncio.wait_for(c.sleep(0.05), 1)


def test_iso_round_trip_and_naive_refused() -> None:
    dt = datetime(2026, 3, 2, 1, 0, 0, 123000, tzinfo=UTC)
    assert utc_iso(dt) == "2026-03-02T01:00:00.123Z"
    assert parse_iso(utc_iso(dt)) == dt
    with pytest.raises(ValueError):
        parse_iso("2026-03-02T01:00:00")
    with pytest.raises(ValueError):
        SimClock().advance(-1)
