"""Each rule fires at its time and not before, per category; idempotency; catch-up after a power cut."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from typing import Any as Site

import pytest

from edge.clock import parse_iso
from edge.policy import Policy

# (category, [(hours after storing, action expected to become done at that moment)])
TIMELINES = {
    "normal": [(24, "reminder:1"), (48, "reminder:2"), (72, "overdue"), (72, "move_to_parcel_room")],
    "fresh": [(4, "reminder:1"), (12, "overdue"), (12, "move_to_parcel_room")],
    "medicine": [(12, "reminder:1"), (72, "overdue"), (72, "move_to_parcel_room")],
    "valuable": [(24, "reminder:1"), (48, "reminder:2"), (72, "overdue"), (72, "move_to_parcel_room")],
    "oversize": [(24, "reminder:1"), (48, "reminder:2"), (72, "overdue"), (72, "move_to_parcel_room")],
}


@pytest.mark.parametrize("category", sorted(TIMELINES))
def test_each_rule_fires_at_its_time_and_not_before(site: Site, category: str) -> None:
    pid = site.add_parcel(category=category)
    site.sweep()
    assert site.done(pid) == []
    elapsed = 0.0
    expected: list[str] = []
    for hours, action in TIMELINES[category]:
        if hours > elapsed:
            site.advance(hours - elapsed - 1 / 60)  # one minute before
            elapsed = hours - 1 / 60
            site.sweep()
            assert site.done(pid) == expected, f"{action} fired early"
            site.advance(1 / 60)
            elapsed = hours
            site.sweep()
        expected.append(action)
        assert action in site.done(pid)
    assert site.done(pid) == expected


def test_stages_events_notifications_and_tasks(site: Site) -> None:
    pid = site.add_parcel()
    site.advance(24)
    site.sweep()
    assert site.parcel(pid)["stage"] == "reminded"
    (ev,) = site.events("parcel.reminder")
    assert ev["data"]["parcel_id"] == pid and ev["data"]["reminder"] == 1
    assert ev["data"]["due_at"] == "2026-06-02T01:00:00.000Z"
    notes = site.q("SELECT * FROM notifications")
    assert [n["kind"] for n in notes] == ["reminder"]
    assert notes[0]["pickup_code"] == "1234567890" and "1234567890" in notes[0]["text"]
    assert notes[0]["unit"] == "12-0304" and notes[0]["lang"] == "zh-CN"
    site.advance(48)
    site.sweep()
    p = site.parcel(pid)
    assert p["stage"] == "overdue"
    assert len(site.events("parcel.overdue")) == 1
    (task,) = site.q("SELECT * FROM tasks")
    assert task["kind"] == "move_to_parcel_room" and task["parcel_id"] == pid and task["compartment_id"] == "A-01"
    assert task["state"] == "open" and task["due_at"] == "2026-06-04T01:00:00.000Z"
    kinds = [r["kind"] for r in site.q("SELECT kind FROM parcel_log WHERE parcel_id = ? ORDER BY id", (pid,))]
    # the 48 h reminder fell due in the same sweep as the overdue: done, but not sent (its deadline has passed)
    assert kinds == ["rules.reminder", "rules.reminder_late", "rules.overdue", "rules.move_to_parcel_room"]
    assert [n["kind"] for n in site.q("SELECT kind FROM notifications ORDER BY rowid")] == ["reminder", "overdue"]


def test_running_twice_does_each_action_once(site: Site) -> None:
    pids = [site.add_parcel(category=c) for c in ("normal", "fresh", "medicine")]
    site.advance(days=40)
    first = site.sweep()
    again = site.sweep()
    assert first.total > 0 and again.total == 0
    for pid in pids:
        done = site.done(pid)
        assert len(done) == len(set(done))
    n_events = len(site.events())
    site.sweep()
    assert len(site.events()) == n_events


def test_a_week_without_power_catches_up_each_action_once_in_order(make_site) -> None:
    live, cut = make_site(), make_site()
    for s in (live, cut):
        s.add_parcel(category="fresh")
        s.advance(2)
        s.add_parcel(category="normal")
        s.advance(3)
        s.add_parcel(category="medicine")
    # one site sweeps every 10 minutes of the week; the other has no power and sweeps once after it
    for _ in range(7 * 24 * 6):
        live.advance(1 / 6)
        live.sweep()
    cut.advance(7 * 24)
    result = cut.sweep()
    assert result.total == len(live.q("SELECT * FROM rule_actions")) == 10
    seq_live = [(e["data"]["tracking_number"], e["type"], e["data"].get("reminder")) for e in live.events()]
    seq_cut = [(e["data"]["tracking_number"], e["type"], e["data"].get("reminder")) for e in cut.events()]
    assert seq_cut == seq_live  # same actions, same order
    due = [e["data"]["due_at"] for e in cut.events()]
    assert due == sorted(due)
    assert cut.sweep().total == 0
    acts_live = sorted((r["parcel_id"][-6:], r["action"], r["due_at"]) for r in live.q("SELECT * FROM rule_actions"))
    acts_cut = sorted((r["parcel_id"][-6:], r["action"], r["due_at"]) for r in cut.q("SELECT * FROM rule_actions"))
    assert len(acts_live) == len(acts_cut)


def test_catch_up_keeps_global_order_across_batches(site: Site) -> None:
    # 120 parcels, stored an hour apart, batch of 50: reminders must still come out in time order
    for _ in range(120):
        site.add_parcel(compartment=None)
        site.advance(1)
    site.advance(days=5)
    site.sweep()
    due = [e["data"]["due_at"] for e in site.events()]
    assert len(due) == 120 * 3
    assert due == sorted(due)


def test_notice_and_disposal_due_on_working_days(site: Site) -> None:
    # stored Monday 2026-06-01 09:00 Shanghai; 15 working days (Dragon Boat Festival: Fri 19 June 2026)
    pid = site.add_parcel()
    site.advance(days=22, hours=-0.01)
    site.sweep()
    assert "notice" not in site.done(pid)
    site.advance(0.01)  # Tuesday 23 June 09:00 local = 15 working days later with the holiday
    site.sweep()
    assert "notice" in site.done(pid)
    (ev,) = site.events("parcel.notice_posted")
    assert ev["data"]["due_at"] == "2026-06-23T01:00:00.000Z"
    assert ev["data"]["deadline"] == "2026-06-26T01:00:00.000Z"  # three working days later
    assert site.parcel(pid)["stage"] == "noticed"
    site.advance(days=3, hours=-0.01)
    site.sweep()
    assert "disposal_due" not in site.done(pid)
    site.advance(0.01)
    site.sweep()
    assert site.parcel(pid)["stage"] == "disposal_due"
    dispose = site.q("SELECT * FROM tasks WHERE kind = 'dispose'")
    # disposal possible Fri 26 June 09:00 local; the task is due one working day later (Mon 29 June), not at birth
    assert len(dispose) == 1 and dispose[0]["due_at"] == "2026-06-29T01:00:00.000Z"
    assert parse_iso(dispose[0]["due_at"]) > site.clock.now()


def test_disposal_counts_from_the_notice_actually_posted(site: Site) -> None:
    pid = site.add_parcel()
    site.advance(days=30)  # power off well past the notice date
    site.sweep()
    done = site.q("SELECT action, done_at FROM rule_actions WHERE parcel_id = ?", (pid,))
    assert {d["action"] for d in done} >= {"notice"}
    assert "disposal_due" not in {d["action"] for d in done}  # the notice must hang for 3 working days first
    (row,) = site.q("SELECT next_action, next_due_at FROM rule_schedule")
    assert row["next_action"] == "disposal_due"
    assert parse_iso(row["next_due_at"]) - site.clock.now() >= timedelta(days=3)


def test_collected_parcel_leaves_the_rules_and_its_tasks_are_cancelled(site: Site) -> None:
    pid = site.add_parcel()
    site.advance(73)
    site.sweep()
    assert site.q("SELECT state FROM tasks")[0]["state"] == "open"

    def collect(tx) -> None:
        tx.execute("UPDATE parcels SET state = 'collected', updated_at = ? WHERE id = ?", (tx.ts, pid))

    site.store.write_sync(collect)
    assert site.q("SELECT state FROM tasks")[0]["state"] == "cancelled"
    assert site.q("SELECT * FROM rule_schedule") == []
    site.advance(days=60)
    assert site.sweep().total == 0


def test_parcel_on_a_shelf_gets_no_move_task(site: Site) -> None:
    pid = site.add_parcel(compartment=None)
    site.advance(80)
    site.sweep()
    assert "move_to_parcel_room" not in site.done(pid)
    assert site.q("SELECT * FROM tasks") == []


def test_storage_fee_notice_only_when_enabled(make_site) -> None:
    s = make_site(policy=Policy.model_validate({"storage_fee": {"enabled": True, "free_hours": 48, "notice_hours": 12}}))
    pid = s.add_parcel()
    s.advance(35.9)
    s.sweep()
    assert "fee_notice" not in s.done(pid)
    s.advance(0.1)
    s.sweep()
    assert "fee_notice" in s.done(pid)
    texts = [n["text"] for n in s.q("SELECT text FROM notifications WHERE kind = 'fee_notice'")]
    assert len(texts) == 1 and "保管费" in texts[0]
    off = make_site()
    pid2 = off.add_parcel()
    off.advance(100)
    off.sweep()
    assert "fee_notice" not in off.done(pid2)


def test_schedule_rows_of_closed_parcels_are_dropped(site: Site) -> None:
    pid = site.add_parcel()
    site.sweep()

    def sneak(tx: Any) -> None:
        # a row left behind (e.g. a state change made with triggers off): it must not be acted on
        tx.execute("DROP TRIGGER rules_parcel_left")
        tx.execute("UPDATE parcels SET state = 'collected' WHERE id = ?", (pid,))
        tx.execute("UPDATE rule_schedule SET next_due_at = '2026-06-01T00:00:00.000Z'")

    site.store.write_sync(sneak)
    site.advance(100)
    assert site.sweep().total == 0
    assert site.q("SELECT * FROM rule_schedule") == []
    assert site.done(pid) == []


async def test_set_policy_through_the_service_returns_json(site: Site) -> None:
    import json

    out = await site.service.set_policy({"version": 2, "overdue_hours": 50}, actor="hq")
    assert out["version"] == 2 and json.loads(json.dumps(out))["policy"]["overdue_hours"] == 50
    assert site.service.current_policy().overdue_hours == 50


def test_one_bad_parcel_never_blocks_the_others(site: Site) -> None:
    bad = site.add_parcel()
    good = site.add_parcel()

    def corrupt(tx: Any) -> None:
        tx.execute("UPDATE parcels SET stored_at = 'garbage', created_at = 'also garbage' WHERE id = ?", (bad,))

    site.store.write_sync(corrupt)
    site.advance(25)
    site.sweep()  # the bad parcel's clock starts at the sweep; the good one is reminded
    assert site.done(good) == ["reminder:1"]

    original = site.engine._do_overdue

    def boom(tx: Any, parcel: dict[str, Any], action: Any, data: dict[str, Any]) -> None:
        if parcel["id"] == good:
            raise RuntimeError("template broken")
        original(tx, parcel, action, data)

    site.engine._do_overdue = boom
    other = site.add_parcel(stored_at=site.clock.now() - timedelta(hours=72))
    site.advance(50)
    site.sweep()
    (failed,) = site.q("SELECT detail FROM rule_actions WHERE parcel_id = ? AND action = 'overdue'", (good,))
    assert "template broken" in failed["detail"]
    assert "overdue" in site.done(other)
    assert len([e for e in site.events("parcel.overdue") if e["data"]["parcel_id"] == good]) == 0
    assert site.parcel(good)["stage"] == "reminded"  # the failed action's changes were rolled back
    assert site.sweep().total == 0


def test_messages_in_english_and_on_a_shelf(make_site: Any) -> None:
    s = make_site(lang="en")
    pid = s.add_parcel(compartment=None)
    s.advance(24)
    s.sweep()
    s.advance(48)
    s.sweep()
    texts = {n["kind"]: n["text"] for n in s.q("SELECT kind, text FROM notifications WHERE parcel_id = ?", (pid,))}
    assert "Reminder" in texts["reminder"] and "1234567890" in texts["reminder"]
    assert "overdue" in texts["overdue"] and "desk" in texts["overdue"] and "moved" not in texts["overdue"]
