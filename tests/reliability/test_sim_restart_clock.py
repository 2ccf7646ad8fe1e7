"""`lockerd simulate` restarted on the same data dir is not a clock step (trial 2026-12-02b, "left").

The simulator saves its clock (edge/cli/simulate.py, `sim-clock`) and resumes it on the saved run's
time base, so the clock guard sees the same wall-minus-monotonic offset: no re-based 入柜时间, no
clock-step task, no rules hold. A real step on the resumed clock is still caught.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from edge.cli.simulate import resume_clock, save_clock
from tests.reliability.faults import start_site_at, stop_site
from tests.reliability.test_clock_steps import step

pytestmark = pytest.mark.timeout(60)

DAY = 86400.0


async def _clock_tasks(site) -> int:  # type: ignore[no-untyped-def]
    return int(await site.daemon.store.read(lambda tx: tx.scalar("SELECT COUNT(*) FROM tasks WHERE kind = 'clock_step'")))


async def test_a_restarted_simulator_resumes_its_clock_without_a_step(tmp_path: Path) -> None:
    data = tmp_path / "site"
    data.mkdir()
    # first run: a fresh data dir, a parcel, then the simulated clock moved on 20 days (POST /sim/clock)
    clock = resume_clock(data)
    save_clock(data, clock)
    site, emus = await start_site_at(data, clock=clock)
    try:
        pid = (await site.deposit("SF7100000000001", unit="1-101"))["parcel_id"]
        clock.advance(20 * DAY)
        save_clock(data, clock)
        assert await site.daemon.rules.guard.check() is None  # advancing is time passing, not a step
        stored = (await site.parcel(pid))["stored_at"]
        before = clock.now()
    finally:
        await stop_site(site, emus)
    # second run on the same data dir
    clock = resume_clock(data)
    assert abs((clock.now() - before).total_seconds()) < 30  # it resumes where it was saved
    site, emus = await start_site_at(data, clock=clock)
    try:
        guard = site.daemon.rules.guard
        assert guard.steps == 0 and guard.last_step_s is None
        assert guard.rules_allowed()
        assert (await site.parcel(pid))["stored_at"] == stored  # 入柜时间 is not moved to the restart
        assert await _clock_tasks(site) == 0
        # a real step on the resumed clock is still caught
        step(clock, 2 * 3600)
        got = await guard.check()
        assert got == pytest.approx(2 * 3600, abs=60)
        assert await _clock_tasks(site) == 1 and not guard.rules_allowed()
    finally:
        await stop_site(site, emus)


def test_an_offset_only_file_of_an_older_lockerd_still_resumes_the_time(tmp_path: Path) -> None:
    (tmp_path / "sim-clock").write_text("86400.000\n")
    clock = resume_clock(tmp_path)
    from datetime import UTC, datetime
    assert abs((clock.now() - datetime.now(UTC)).total_seconds() - 86400) < 30
