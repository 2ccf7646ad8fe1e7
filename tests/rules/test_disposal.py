"""Public notice, disposal records, moving parcels to the parcel room; deadlines on real calendars."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from typing import Any as Site

import pytest

from edge.errors import DomainError


def to_disposal_due(site: Site, pid: str) -> None:
    site.advance(days=40)
    site.sweep()  # notice posted now
    site.advance(days=7)
    site.sweep()  # notice period over
    assert site.parcel(pid)["stage"] == "disposal_due"


async def test_notice_list_masks_units_and_gives_deadline(site: Site) -> None:
    pid = site.add_parcel(unit="12-0304")
    site.add_parcel(unit="12-0501")  # not yet noticed below
    site.advance(days=22)
    site.sweep()
    (row,) = [r for r in await site.service.notice_list() if r["parcel_id"] == pid]
    assert row["unit"] == "12-**04"
    assert "12-0304" not in str(row)
    assert row["tracking_number"].startswith("****")
    assert row["deadline"] == "2026-06-26T01:00:00.000Z"
    assert row["deadline_local"].startswith("2026-06-26T09:00")
    assert row["disposal_due"] is False
    notes = site.q("SELECT * FROM notifications WHERE kind = 'notice'")
    assert len(notes) == 2 and notes[0]["pickup_code"] is None
    assert "1234567890" not in notes[0]["text"] and "公示" in notes[0]["text"]


async def test_dispose_records_who_when_how_and_opens_the_door(site: Site) -> None:
    pid = site.add_parcel()
    with pytest.raises(DomainError) as e:
        await site.service.dispose(pid, "return_to_sender", actor="staff:amy")
    assert e.value.code == "disposal_not_due"
    to_disposal_due(site, pid)
    with pytest.raises(DomainError) as e:
        await site.service.dispose(pid, "burn", actor="staff:amy")
    assert e.value.code == "invalid_disposal"
    with pytest.raises(DomainError) as e:
        await site.service.dispose(pid, "parcel_room", actor="staff:amy")
    assert e.value.code == "disposal_not_allowed"  # not among the site's disposal_options
    out = await site.service.dispose(pid, "return_to_sender", actor="staff:amy", note="SF courier Li took it")
    assert out["state"] == "stored" and out["door"] == "opening"
    assert site.opened == [("A-01", "staff:amy", "disposal (return_to_sender)")]
    # nothing is recorded until the door service has seen the door open
    assert site.parcel(pid)["state"] == "stored" and not site.q("SELECT * FROM disposals")
    door_seen(site, pid, "A-01", "opened", actor="staff:amy")
    (rec,) = site.q("SELECT * FROM disposals")
    assert rec["actor"] == "staff:amy" and rec["how"] == "return_to_sender" and rec["compartment_id"] == "A-01"
    assert rec["ts"] == site.parcel(pid)["closed_at"]
    (ev,) = site.events("parcel.disposed")
    assert ev["data"]["how"] == "return_to_sender" and ev["data"]["actor"] == "staff:amy"
    assert site.parcel(pid)["state"] == "returned"
    tasks = {t["kind"]: t for t in site.q("SELECT * FROM tasks")}
    assert tasks["dispose"]["state"] == "done" and tasks["dispose"]["done_by"] == "staff:amy"
    assert tasks["move_to_parcel_room"]["state"] == "cancelled"
    # the compartment is freed by the door service once the door is seen closed, not here
    assert site.q("SELECT state FROM compartments WHERE id = 'A-01'")[0]["state"] == "occupied"
    assert [n["kind"] for n in site.q("SELECT kind FROM notifications")][-1] == "disposal"
    with pytest.raises(DomainError) as e:
        await site.service.dispose(pid, "return_to_sender", actor="staff:amy")
    assert e.value.code == "parcel_closed"


async def test_move_to_parcel_room_then_dispose_without_door(site: Site) -> None:
    pid = site.add_parcel()
    site.advance(73)
    site.sweep()
    out = await site.service.move_to_parcel_room(pid, "R-3", actor="staff:bo")
    assert out["door"] == "opening" and site.opened[-1][0] == "A-01"
    assert site.parcel(pid)["compartment_id"] == "A-01"  # still in its locker until the door is seen open
    door_seen(site, pid, "A-01", "opened", actor="staff:bo")
    p = site.parcel(pid)
    assert p["compartment_id"] is None and p["shelf_slot"] == "R-3" and p["state"] == "stored"
    (task,) = site.q("SELECT * FROM tasks")
    assert task["state"] == "done" and task["done_by"] == "staff:bo"
    assert len(site.events("parcel.moved")) == 1
    with pytest.raises(DomainError) as e:
        await site.service.move_to_parcel_room(pid, "R-4", actor="staff:bo")
    assert e.value.code == "not_in_locker"
    with pytest.raises(DomainError):
        await site.service.move_to_parcel_room(pid, "", actor="staff:bo")
    to_disposal_due(site, pid)
    opened = len(site.opened)
    out = await site.service.dispose(pid, "hand_over", actor="staff:bo")
    assert out["door"] is None and len(site.opened) == opened
    assert site.parcel(pid)["state"] == "disposed"


async def test_door_failure_is_reported_not_raised(site: Site) -> None:
    pid = site.add_parcel()
    site.advance(73)
    site.sweep()

    async def jammed(compartment: str, actor: str, reason: str, parcel_id: str) -> None:
        raise DomainError("door_jammed", "the door did not open")

    site.service.open_for_removal = jammed
    out = await site.service.move_to_parcel_room(pid, "R-1", actor="staff")
    assert out["door"] == "failed" and out["door_error"] == "door_jammed"
    p = site.parcel(pid)
    assert p["compartment_id"] == "A-01" and p["shelf_slot"] is None  # still in the locker
    (task,) = site.q("SELECT * FROM tasks WHERE kind = 'removal_failed'")
    assert task["state"] == "open" and task["parcel_id"] == pid


def test_a_jam_leaves_the_parcel_in_its_locker_with_one_task(site: Site) -> None:
    """Two jams on a move: the parcel stays in A-01, one removal_failed task; the third try opens and closes it."""
    pid = site.add_parcel()
    for _ in range(2):
        site.store.write_sync(lambda tx: tx.log(pid, "removal_opening", "staff:bo", action="move", shelf_slot="R3",
                                                compartment="A-01"))
        door_seen(site, pid, "A-01", "jammed", actor="staff:bo")
    p = site.parcel(pid)
    assert p["compartment_id"] == "A-01" and p["shelf_slot"] is None and not site.events("parcel.moved")
    (task,) = site.q("SELECT * FROM tasks WHERE kind = 'removal_failed'")
    assert task["state"] == "open"
    assert [r["kind"] for r in site.q("SELECT kind FROM parcel_log WHERE parcel_id = ?", (pid,))].count(
        "removal_failed") == 2
    door_seen(site, pid, "A-01", "opened", actor="staff:bo")
    assert site.parcel(pid)["shelf_slot"] == "R3"
    assert site.q("SELECT state, done_by FROM tasks WHERE kind = 'removal_failed'") == [
        {"state": "done", "done_by": "staff:bo"}]


def door_seen(site: Site, pid: str, c: str, outcome: str, actor: str) -> None:
    """What the door service does when the removal's door command resolves (edge/services/doors.py
    `_resolve`, purpose "removal"): the rules' handler runs in the door record's transaction."""
    from edge.rules.removal import RemovalHandler
    from edge.services.doors import _Generic

    cmd = {"id": "cmd", "compartment_id": c, "actor": actor, "purpose": "removal", "ref": pid, "state": outcome}
    site.store.write_sync(lambda tx: RemovalHandler(site.service, _Generic()).outcome_tx(tx, cmd, outcome))


def test_notice_across_national_day_2025(make_site: Any) -> None:
    # stored Fri 19 Sep 2025 15:00 Shanghai. Working days: 22-26 (5), Sun 28 (make-up, 6), 29, 30 (8),
    # [1-8 Oct off], 9, 10 (10), Sat 11 (make-up, 11), 13, 14, 15, 16 (15) -> notice Thu 16 Oct 15:00
    s = make_site(start=datetime(2025, 9, 19, 7, 0, tzinfo=UTC))
    pid = s.add_parcel()
    s.advance(days=27, hours=-0.01)
    s.sweep()
    assert "notice" not in s.done(pid)
    s.advance(0.01)
    s.sweep()
    (ev,) = s.events("parcel.notice_posted")
    assert ev["data"]["due_at"] == "2025-10-16T07:00:00.000Z"
    assert ev["data"]["deadline"] == "2025-10-21T07:00:00.000Z"  # Fri 17, Mon 20, Tue 21


def test_notice_across_spring_festival_2026(make_site: Any) -> None:
    s = make_site(start=datetime(2026, 2, 9, 2, 0, tzinfo=UTC))  # Mon 9 Feb 10:00 Shanghai
    pid = s.add_parcel()
    s.advance(days=40)
    s.sweep()
    (row,) = s.q("SELECT due_at FROM rule_actions WHERE parcel_id = ? AND action = 'notice'", (pid,))
    assert row["due_at"] == "2026-03-06T02:00:00.000Z"  # counts Sat 14 and Sat 28 Feb, skips 15-23 Feb


def test_notice_in_berlin_across_dst(make_site: Any) -> None:
    # stored Mon 9 Mar 2026 10:00 CET (09:00 UTC); 15 German working days (no holiday in between) ->
    # Mon 30 Mar 10:00 CEST = 08:00 UTC, after clocks went forward on 29 Mar
    s = make_site(start=datetime(2026, 3, 9, 9, 0, tzinfo=UTC), tz="Europe/Berlin", cal="DE", lang="en")
    pid = s.add_parcel()
    s.advance(days=21, hours=-1.01)
    s.sweep()
    assert "notice" not in s.done(pid)
    s.advance(0.01)
    s.sweep()
    (ev,) = s.events("parcel.notice_posted")
    assert ev["data"]["due_at"] == "2026-03-30T08:00:00.000Z"
    # posted at 10:00 Mon 30 Mar: three working days later is Thu 2 Apr 10:00 CEST
    assert ev["data"]["deadline"] == "2026-04-02T08:00:00.000Z"
    text = s.q("SELECT text FROM notifications WHERE kind = 'notice'")[0]["text"]
    assert "02 Apr 2026 10:00" in text and "public notice" in text


async def test_the_disposal_message_gives_the_propertys_phone(site: Site) -> None:
    """docs/trial-2026-12-03b.md: the disposal message ended "如有疑问请联系物业。" with no number, on a site whose
    [site].contact is set (the reminder and overdue messages already give the desk's place, hours and phone)."""
    site.notifier.desk = ("1号楼大堂物业前台", "", "08:00-20:00", "010-5555-0100")
    pid = site.add_parcel()
    site.advance(73)
    site.sweep()
    await site.service.move_to_parcel_room(pid, "R-3", actor="staff:bo")
    door_seen(site, pid, "A-01", "opened", actor="staff:bo")
    to_disposal_due(site, pid)
    await site.service.dispose(pid, "hand_over", actor="staff:bo")
    text = site.q("SELECT text FROM notifications WHERE kind = 'disposal'")[-1]["text"]
    assert text.endswith("如有疑问请联系物业（电话：010-5555-0100）。"), text
