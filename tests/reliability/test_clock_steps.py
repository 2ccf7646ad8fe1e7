"""The wall clock is wrong and then stepped (NTP after a boot without an RTC), forward and back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from edge.clock import SimClock, parse_iso
from edge.errors import DomainError
from tests.reliability.faults import start_site_at, stop_site

pytestmark = pytest.mark.timeout(120)

DAY = 86400.0


def step(clock: SimClock, seconds: float) -> None:
    """An NTP step: wall time jumps, monotonic time does not (SimClock.step; spelled out for old trees)."""
    if hasattr(clock, "step"):
        clock.step(seconds)
    else:
        with clock._lock:
            clock._base += timedelta(seconds=seconds)


async def _actions(site) -> dict[str, int]:  # type: ignore[no-untyped-def]
    rows = await site.daemon.store.read(lambda tx: tx.all("SELECT action, COUNT(*) AS n FROM rule_actions GROUP BY action"))
    return {r["action"]: r["n"] for r in rows}


async def test_a_forward_step_after_an_unsynchronised_start_triggers_no_mass_actions(tmp_path: Path) -> None:
    clock = SimClock(start=datetime(2026, 2, 1, 1, 0, tzinfo=UTC))  # 30 days behind
    clock.synchronised = False
    site, emus = await start_site_at(tmp_path / "site", clock=clock)
    try:
        rules = site.daemon.rules
        pids = [(await site.deposit(f"SF70000000{i:02d}", unit="1-101"))["parcel_id"] for i in range(9)]
        result = await rules.sweep()
        assert result.total == 0  # nothing decided on an unsynchronised clock
        # NTP answers: the clock steps 30 days forward and is synchronised
        step(clock, 30 * DAY)
        clock.synchronised = True
        result = await rules.sweep()
        assert result.total == 0 and await _actions(site) == {}
        assert rules.guard.last_step_s == pytest.approx(30 * DAY, abs=60)
        # the parcels' storage clocks run from their real age, on the new time base
        for pid in pids:
            p = await site.parcel(pid)
            assert abs((parse_iso(p["stored_at"]) - clock.now()).total_seconds()) < 120
        # staff see the step: a task, an audit row; the rules wait for them after a large step
        tasks = await site.daemon.store.read(lambda tx: tx.all("SELECT title FROM tasks WHERE kind = 'clock_step'"))
        assert len(tasks) == 1 and "30.0 days" in tasks[0]["title"]
        assert not rules.guard.rules_allowed()
        rules.guard.release("staff:test")
        assert (await rules.sweep()).total == 0
        # real time passes: the ordinary first reminder comes once per parcel, no more
        clock.advance(25 * 3600)
        await rules.sweep()
        acts = await _actions(site)
        assert acts.get("reminder_1") == 9 or acts.get("reminder") == 9 or sum(acts.values()) == 9, acts
        assert not [k for k in acts if "overdue" in k or "notice" in k]
    finally:
        await stop_site(site, emus)


async def test_a_backward_step_does_not_lengthen_a_lockout(tmp_path: Path) -> None:
    clock = SimClock(start=datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    site, emus = await start_site_at(tmp_path / "site", clock=clock)
    try:
        rules = site.daemon.rules
        retry = None
        for _ in range(30):
            try:
                await site.svc.pickups.submit("000000", kiosk="k1")
            except DomainError as exc:
                if exc.status == 429:
                    retry = exc.extra["retry_after"]
                    break
        assert retry is not None and retry < 3600
        step(clock, -2 * DAY)
        if hasattr(rules, "guard"):
            await rules.guard.check()
        with pytest.raises(DomainError) as err:
            await site.svc.pickups.submit("000000", kiosk="k1")
        assert err.value.status == 429
        assert err.value.extra["retry_after"] <= retry + 5, err.value.extra
    finally:
        await stop_site(site, emus)
