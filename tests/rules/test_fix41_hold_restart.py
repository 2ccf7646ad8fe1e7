"""The rules hold after a large clock step survives a restart (trial 2026-12-07f, left; fix41 item 2).

`ClockGuard.hold_until` lived in memory only: in the trial the restart for an upgrade released the 10-minute
hold at once. It is kept in `meta` (`clock_hold`) now; a restart holds for what is left, staff's release and the
hold's end are not undone by one. Before the fix the first assertion after the restart failed (rules allowed,
0 s held)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from edge.clock import SimClock
from edge.services.locks import RULES_HOLD, locks_of
from tests.conftest import start_site

BEHIND = timedelta(days=2)
REAL = datetime(2026, 3, 4, 1, 0, tzinfo=UTC)


async def test_the_hold_after_a_step_holds_across_restarts_until_released(tmp_path: Path) -> None:
    clock = SimClock(start=REAL - BEHIND)
    site = await start_site(tmp_path / "site", clock)
    try:
        clock.step(BEHIND.total_seconds())  # NTP steps a clock that was 2 days behind
        await site.daemon.rules.guard.check()
        assert site.daemon.rules.guard.steps == 1
        assert not site.daemon.rules.guard.rules_allowed()
    finally:
        await site.daemon.stop()

    clock.advance(120)  # the upgrade restart takes 2 minutes
    site = await start_site(tmp_path / "site", clock)
    try:
        guard = site.daemon.rules.guard
        assert not guard.rules_allowed(), "the restart released the rules hold"
        held = guard.status()["rules_held_s"]
        assert 460 <= held <= 481, held  # what was left of the 600 s
        assert RULES_HOLD in [lk.id for lk in await locks_of(site.daemon).active()]
        await locks_of(site.daemon).clear(RULES_HOLD, actor="staff:desk", reason="核对过提醒", is_admin=True)
        assert guard.rules_allowed()
    finally:
        await site.daemon.stop()

    site = await start_site(tmp_path / "site", clock)  # staff's release is not undone by a restart
    try:
        assert site.daemon.rules.guard.rules_allowed()
    finally:
        await site.daemon.stop()


async def test_a_hold_that_ended_while_stopped_holds_nothing(tmp_path: Path) -> None:
    clock = SimClock(start=REAL - BEHIND)
    site = await start_site(tmp_path / "site", clock)
    try:
        clock.step(BEHIND.total_seconds())
        await site.daemon.rules.guard.check()
    finally:
        await site.daemon.stop()
    clock.advance(601)
    site = await start_site(tmp_path / "site", clock)
    try:
        assert site.daemon.rules.guard.rules_allowed()
        assert site.daemon.rules.guard.status()["rules_held_s"] == 0
    finally:
        await site.daemon.stop()
