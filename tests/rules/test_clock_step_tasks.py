"""After a clock step the move task is not due before the deadline the resident was told (trial 2026-12-05 item
14: "2026-12-08 21:42 · 已过期" beside reminders saying 12月9日 20:00), and the audit says the step in words."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from edge.clock import parse_iso
from edge.rules.clockguard import rebase_tx

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: Monday 1 June 2026 06:36 on a clock 15.1 hours behind (the real time was 21:42)
STALE = datetime(2026, 6, 1, 6, 36, tzinfo=SHANGHAI)
STEP = 15.1 * 3600


def _move_task(site: Any, pid: str) -> datetime:
    (row,) = site.q("SELECT due_at FROM tasks WHERE kind = 'move_to_parcel_room' AND parcel_id = ?", (pid,))
    return parse_iso(row["due_at"])


def test_after_a_step_the_move_task_is_due_at_the_told_deadline(make_site: Any) -> None:
    site = make_site(desk_hours="08:00-20:00", start=STALE)
    pid = site.add_parcel()
    site.advance(STEP / 3600)  # NTP steps the clock forward: the parcel was really stored at 21:42
    site.store.write_sync(lambda tx: rebase_tx(tx, STEP, STALE))
    assert site.calendar.local(parse_iso(site.parcel(pid)["stored_at"])).strftime("%H:%M") == "21:42"
    # 72 h later is Thursday 21:42, after the desk closed: the resident is told Friday 20:00
    told = datetime(2026, 6, 5, 20, 0, tzinfo=SHANGHAI)
    site.advance(72 + 1 / 60)
    site.sweep()
    assert "move_to_parcel_room" not in site.done(pid), "the move came before the resident's deadline"
    site.advance(24)
    site.sweep()
    assert "overdue" in site.done(pid)
    assert _move_task(site, pid) == told


def test_a_step_moves_the_open_tasks_of_the_parcels_it_rebases(make_site: Any) -> None:
    site = make_site(start=STALE)
    pid = site.add_parcel()
    site.advance(72 + 1 / 60)
    site.sweep()
    before = _move_task(site, pid)
    site.advance(STEP / 3600)
    site.store.write_sync(lambda tx: rebase_tx(tx, STEP, STALE))
    assert _move_task(site, pid) == before + timedelta(seconds=STEP)


def test_the_audit_says_the_step_in_words(site: Any) -> None:
    site.store.write_sync(lambda tx: rebase_tx(tx, 17 * 60, site.clock.now()))
    (row,) = site.q("SELECT reason FROM audit WHERE action = 'clock.step'")
    assert row["reason"] == "the locker's clock jumped forward 17 minutes"
