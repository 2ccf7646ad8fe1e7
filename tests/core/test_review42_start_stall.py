"""A stall while the daemon starts is start-up time, not a warning on every boot (review of 2026-12-08: each first
`lockerd simulate --demo` logged "WARNING ... the process stood still for 4.7 s (event loop stalled)" for its own
start-up work); it is still recorded, so door timers re-check, and a stall once ready is still a warning."""

from __future__ import annotations

import logging

import pytest

from edge.services.loopwatch import LoopWatch


class Ticks:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def _said(caplog: pytest.LogCaptureFixture) -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "edge.services.loopwatch"]


async def test_a_start_up_stall_is_recorded_and_logged_as_start_up(caplog: pytest.LogCaptureFixture) -> None:
    now = Ticks()
    watch = LoopWatch(tick_s=0.1, stall_s=1.0, now=now)
    watch.start(starting=True)
    try:
        with caplog.at_level(logging.INFO, logger="edge.services.loopwatch"):
            now.t += 3.1  # the daemon's own start-up held the loop
            watch.ready()  # ready set before the watch's next tick saw the gap
            watch.observe()
            assert watch.stalled_since(100.5)  # door timers still re-check
            now.t += 2.1  # a stall once ready
            watch.observe()
    finally:
        await watch.stop()
    assert _said(caplog) == [
        (logging.INFO, "start-up held the event loop for 3.0 s; door timers will re-check"),
        (logging.WARNING, "the process stood still for 2.0 s (event loop stalled); door timers will re-check")]


async def test_a_watch_not_told_of_a_start_warns_of_every_stall(caplog: pytest.LogCaptureFixture) -> None:
    now = Ticks()
    watch = LoopWatch(tick_s=0.1, stall_s=1.0, now=now)
    watch.start()
    try:
        with caplog.at_level(logging.INFO, logger="edge.services.loopwatch"):
            now.t += 3.1
            watch.observe()
    finally:
        await watch.stop()
    assert [level for level, _ in _said(caplog)] == [logging.WARNING]
