"""Clock synchronisation probes and the watcher that gates time-sensitive actions."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from edge import timesync
from edge.clock import SystemClock
from edge.errors import DomainError


def test_kernel_probe_answers_on_linux() -> None:
    # adjtimex with modes=0 is a read-only query any user may make (outside a seccomp sandbox)
    assert timesync.kernel_synchronised() in (True, False, None)


def test_timesyncd_flag(tmp_path: Path) -> None:
    d = tmp_path / "timesync"
    assert timesync.timesyncd_synchronised(str(d / "synchronized")) is None
    d.mkdir()
    assert timesync.timesyncd_synchronised(str(d / "synchronized")) is False
    (d / "synchronized").touch()
    assert timesync.timesyncd_synchronised(str(d / "synchronized")) is True


def test_first_definite_answer_wins() -> None:
    calls: list[str] = []

    def none() -> None:
        calls.append("none")
        return None

    def boom() -> bool:
        calls.append("boom")
        raise RuntimeError("probe broke")

    def no() -> bool:
        calls.append("no")
        return False

    def yes() -> bool:
        calls.append("yes")
        return True

    assert timesync.is_synchronised((none, boom, no, yes)) is False
    assert calls == ["none", "boom", "no"]
    assert timesync.is_synchronised((none,)) is None


def test_require_synchronised() -> None:
    clock = SystemClock()
    timesync.require_synchronised(clock)
    clock.synchronised = False
    with pytest.raises(DomainError) as exc:
        timesync.require_synchronised(clock, "a storage deadline")
    assert exc.value.code == "clock_unsynchronised" and exc.value.status == 503


async def test_watcher_tracks_changes() -> None:
    answers = [False, False, True, None, False]
    clock = SystemClock()
    changes: list[bool] = []
    sleeps: list[float] = []
    done = asyncio.Event()

    def check() -> bool | None:
        return answers.pop(0)

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if not answers:
            done.set()
            await asyncio.Event().wait()
        await asyncio.sleep(0)

    w = timesync.TimeSyncWatcher(clock, check, interval=5, steady=300, sleep=sleep, on_change=changes.append)
    await w.start()
    assert clock.synchronised is False  # known before start() returns
    await asyncio.wait_for(done.wait(), 2)
    await w.stop()
    assert changes == [False, True, False]  # None counted as synchronised: no change
    assert sleeps == [5, 5, 300, 300, 5]


async def test_the_watcher_runs_only_on_hardware(tmp_path) -> None:
    from edge.daemon import Daemon
    from tests.conftest import sim_config, start_site

    site = await start_site(tmp_path / "sim")  # the simulator's clock is always right: no watcher
    try:
        assert site.daemon.timesync is None and "timesync" not in site.daemon.components
    finally:
        await site.daemon.stop()
    data = tmp_path / "hw"
    d = Daemon(sim_config(data), clock=SystemClock(), data_dir=data, simulated=False)
    await d.start()
    try:
        assert isinstance(d.timesync, timesync.TimeSyncWatcher) and "timesync" in d.components
        assert d.health()["components"]["timesync"]["synchronised"] is d.clock.synchronised
    finally:
        await d.stop()
