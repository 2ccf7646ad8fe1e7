"""One message for many parcels, and no reminders at night (issue 18, ADR 0043).

Real daemon on a real SQLite file, a loopback webhook receiver as the resident's phone, the injected clock.
Before ADR 0043 three moves of one unit's parcels sent three messages, and a reminder queued at 03:00 went
out at 03:00: the first tests here fail on that behaviour.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from edge.clock import SimClock, parse_iso, utc_iso
from edge.config import ConfigError, parse_config
from edge.notify import queue as Q
from edge.notify.timing import SendTiming, quiet_end, quiet_range
from tests.conftest import Site, sim_config, start_site
from tests.notify.conftest import messages, wait_for
from tests.notify.receiver import Receiver

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: 03:00 in Shanghai on 3 March 2026
NIGHT = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)


def _notify(receiver: Receiver, **timing: Any) -> dict[str, Any]:
    return {"channels": [{"kind": "webhook", "url": receiver.url + "/hook"}],
            "merge_window_s": 60, "quiet_hours": "21:30-08:00"} | timing


@pytest.fixture
async def merge_site(tmp_path: Path, receiver: Receiver) -> AsyncIterator[Site]:
    s = await start_site(tmp_path / "site", notify=_notify(receiver))  # 09:00 local: not quiet
    try:
        yield s
    finally:
        await s.daemon.stop()


async def _settled(site: Site) -> None:
    """Every message due on the simulated clock handled by the dispatcher."""
    async def none_due() -> bool:
        return not await site.daemon.store.read(lambda tx: Q.due(tx, 1))
    await wait_for(none_due, what="the due messages handled")


async def _deposit_three(site: Site, unit: str = "1-101", tail: str = "1234") -> list[str]:
    out = []
    for i, tn in enumerate(("SF1234567890101", "JD0012345678901", "YT1234567890123")):
        out.append((await site.deposit(tn, unit=unit, tail=tail))["parcel_id"])
        if i < 2:
            site.clock.advance(5)
    return out


async def test_three_stored_under_one_code_are_one_message(merge_site: Site, receiver: Receiver) -> None:
    site = merge_site
    pids = await _deposit_three(site)
    await _settled(site)
    assert receiver.bodies() == []  # inside the merge window: nothing yet
    site.clock.advance(61)
    await wait_for(lambda: receiver.bodies(), what="the stored message")
    await _settled(site)
    (body,) = receiver.bodies()
    code = await site.code_of(pids[0])
    assert body["kind"] == "stored" and body["pickup_code"] == code
    text = body["text"]
    assert "您的3件包裹（顺丰速运、京东物流、圆通速递）已存入智能柜" in text and f"取件码 {code}" in text, text
    assert "前取件" in text, text  # the earliest deadline, once
    rows = await messages(site)
    assert [r["state"] for r in rows] == ["sent", "merged", "merged"]
    assert rows[1]["merged_into"] == rows[2]["merged_into"] == rows[0]["id"] == body["id"]


async def test_three_moves_in_20_s_are_one_message_naming_three(merge_site: Site, receiver: Receiver) -> None:
    site = merge_site
    pids = await _deposit_three(site)
    site.clock.advance(61)
    await wait_for(lambda: receiver.bodies(), what="the stored message")
    for i, pid in enumerate(pids):  # staff move them one after another, 10 s apart
        out = await site.daemon.rules.service.move_to_parcel_room(pid, f"R{i + 1}", actor="staff:bo")
        await site.settle()
        await site.close(out["compartment"])
        if i < 2:
            site.clock.advance(10)
    await _settled(site)
    assert [b["kind"] for b in receiver.bodies()] == ["stored"]  # the moves wait for the window
    site.clock.advance(61)
    await wait_for(lambda: len(receiver.bodies()) >= 2, what="the moved message")
    await _settled(site)
    moved = [b for b in receiver.bodies() if b["kind"] == "moved"]
    assert len(moved) == 1, [b["text"] for b in moved]
    text = moved[0]["text"]
    code = await site.code_of(pids[0])
    assert "您的3件包裹（顺丰速运、京东物流、圆通速递）已移至包裹室 R1、R2、R3 货架" in text, text
    assert f"请凭取件码 {code} 到前台领取" in text, text
    rows = [r for r in await messages(site) if r["kind"] == "moved"]
    assert sorted(r["state"] for r in rows) == ["merged", "merged", "sent"]


async def test_three_collected_with_one_code_are_one_receipt(merge_site: Site, receiver: Receiver) -> None:
    site = merge_site
    pids = await _deposit_three(site)
    site.clock.advance(61)
    await wait_for(lambda: receiver.bodies(), what="the stored message")
    r = await site.svc.pickups.submit(await site.code_of(pids[0]), kiosk="t")
    await site.settle()
    for p in r["parcels"]:
        await site.close(p["compartment"])
    await _settled(site)
    assert [b["kind"] for b in receiver.bodies()] == ["stored"]
    site.clock.advance(61)
    await wait_for(lambda: len(receiver.bodies()) >= 2, what="the collected message")
    await _settled(site)
    collected = [b for b in receiver.bodies() if b["kind"] == "collected"]
    assert len(collected) == 1
    assert "您的3件包裹（顺丰速运、京东物流、圆通速递）已于智能柜" in collected[0]["text"], collected[0]["text"]
    assert "如非本人操作请联系物业" in collected[0]["text"]


async def test_two_units_get_two_messages_and_one_parcel_keeps_its_text(merge_site: Site, receiver: Receiver) -> None:
    site = merge_site
    await site.deposit("SF1234567890101", unit="1-101", tail="1234")
    await site.deposit("JD0012345678901", unit="1-101", tail="1234")
    await site.deposit("YT1234567890123", unit="1-102", tail="5678")
    site.clock.advance(61)
    await wait_for(lambda: len(receiver.bodies()) >= 2, what="two stored messages")
    await _settled(site)
    by_unit = {b["unit"]: b["text"] for b in receiver.bodies()}
    assert len(receiver.bodies()) == 2 and set(by_unit) == {"1-101", "1-102"}
    assert "您的2件包裹（顺丰速运、京东物流）" in by_unit["1-101"], by_unit
    assert "您的包裹（圆通速递 YT1234567890123）已存入智能柜" in by_unit["1-102"], by_unit  # the singular text


async def test_different_codes_stay_separate_messages(merge_site: Site, receiver: Receiver) -> None:
    """Two residents of one unit (two phone tails) have two codes: each code is its own message and QR."""
    site = merge_site
    a = await site.deposit("SF1234567890101", unit="1-101", tail="1234")
    b = await site.deposit("JD0012345678901", unit="1-101", tail="5678")
    assert await site.code_of(a["parcel_id"]) != await site.code_of(b["parcel_id"])
    site.clock.advance(61)
    await wait_for(lambda: len(receiver.bodies()) >= 2, what="two stored messages")
    await _settled(site)
    assert sorted(x["pickup_code"] for x in receiver.bodies()) == sorted(
        [await site.code_of(a["parcel_id"]), await site.code_of(b["parcel_id"])])
    assert all("您的包裹（" in x["text"] for x in receiver.bodies())


async def test_restart_between_fold_and_send_sends_exactly_one(tmp_path: Path, receiver: Receiver) -> None:
    clock = SimClock(start=datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    site = await start_site(tmp_path / "site", clock, notify=_notify(receiver))
    try:
        await _deposit_three(site)
        first = (await messages(site))[0]["id"]
        # the dispatcher's first step, committed; then the process ends before any channel saw the message
        await site.daemon.store.write(lambda tx: Q.fold(tx, first))
    finally:
        await site.daemon.stop()
    assert receiver.bodies() == []
    site = await start_site(tmp_path / "site", clock, notify=_notify(receiver))
    try:
        site.clock.advance(61)
        await wait_for(lambda: receiver.bodies(), what="the folded message")
        await _settled(site)
        site.clock.advance(3600)
        await _settled(site)
        (body,) = receiver.bodies()
        assert body["id"] == first and "您的3件包裹" in body["text"]
        rows = await messages(site)
        assert [(r["state"], r["merged_into"]) for r in rows] == [("sent", None), ("merged", first), ("merged", first)]
    finally:
        await site.daemon.stop()


# --- quiet hours ---------------------------------------------------------------------------------------
@pytest.fixture
async def night_site(tmp_path: Path, receiver: Receiver) -> AsyncIterator[Site]:
    s = await start_site(tmp_path / "site", SimClock(start=NIGHT), notify=_notify(receiver))
    try:
        yield s
    finally:
        await s.daemon.stop()


def _reminder(site: Site, overdue_at: datetime | None = None) -> str:
    parcel = {"id": "p-1", "unit": "1-101", "phone_tail": "1234", "tracking_number": "SF1234567890101",
              "overdue_at": overdue_at}
    return str(site.daemon.store.write_sync(lambda tx: site.daemon.notifier.send(
        tx, "reminder", parcel, code="1234567890", text="【阳光花园】提醒：您的包裹（SF1234567890101）待取。", lang="zh-CN")))


async def test_a_reminder_queued_at_03_00_goes_at_08_00_local(night_site: Site, receiver: Receiver) -> None:
    site = night_site
    mid = _reminder(site)
    (row,) = await messages(site)
    assert row["id"] == mid and parse_iso(row["next_at"]) == datetime(2026, 3, 3, 8, 0, tzinfo=SHANGHAI)
    # its expiry counts from 08:00, not from 03:00
    assert parse_iso(row["expires_at"]) - parse_iso(row["next_at"]) == timedelta(hours=72)
    site.clock.advance(4 * 3600 + 59 * 60)  # 07:59
    await _settled(site)
    assert receiver.bodies() == []
    site.clock.advance(61)
    await wait_for(lambda: receiver.bodies(), what="the reminder at 08:00")
    assert receiver.bodies()[0]["id"] == mid


async def test_a_reminder_whose_deadline_falls_in_the_night_goes_now(night_site: Site, receiver: Receiver) -> None:
    site = night_site
    _reminder(site, overdue_at=datetime(2026, 3, 3, 7, 0, tzinfo=SHANGHAI))
    await wait_for(lambda: receiver.bodies(), what="the reminder at once")
    (row,) = await messages(site)
    assert row["next_at"] == row["created_at"]


async def test_a_stored_message_at_03_00_is_not_held_for_the_morning(tmp_path: Path, receiver: Receiver) -> None:
    site = await start_site(tmp_path / "site", SimClock(start=NIGHT), notify=_notify(receiver, merge_window_s=0))
    try:
        await site.deposit("SF1234567890101")
        await wait_for(lambda: receiver.bodies(), what="the stored message at once")  # the clock stands at 03:00
        assert receiver.bodies()[0]["kind"] == "stored"
    finally:
        await site.daemon.stop()


async def test_stored_at_night_waits_only_for_the_merge_window(night_site: Site, receiver: Receiver) -> None:
    site = night_site
    await site.deposit("SF1234567890101")
    (row,) = await messages(site)
    assert parse_iso(row["next_at"]) - parse_iso(row["created_at"]) == timedelta(seconds=60)
    site.clock.advance(61)
    await wait_for(lambda: receiver.bodies(), what="the stored message at 03:01")


def test_quiet_hours_end_on_the_wall_clock_across_a_clock_change() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    quiet = quiet_range("22:00-08:00")
    # 29 March 2026: clocks go forward at 02:00; a message at 01:30 CET waits for 08:00 CEST (06:00 UTC)
    at = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    assert quiet_end(at, quiet, berlin) == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)
    # 25 October 2026: clocks go back at 03:00; 23:00 CEST the evening before waits for 08:00 CET (07:00 UTC)
    assert quiet_end(datetime(2026, 10, 24, 21, 0, tzinfo=UTC), quiet, berlin) == datetime(2026, 10, 25, 7, 0, tzinfo=UTC)
    assert quiet_end(datetime(2026, 3, 29, 7, 0, tzinfo=UTC), quiet, berlin) is None  # 09:00: not quiet
    # a range inside one day, and the boundaries: the start is quiet, the end is not
    day = quiet_range("01:00-06:00")
    assert day == (time(1, 0), time(6, 0))
    assert quiet_end(datetime(2026, 3, 2, 17, 0, tzinfo=UTC), day, SHANGHAI) == datetime(2026, 3, 2, 22, 0, tzinfo=UTC)
    assert quiet_end(datetime(2026, 3, 2, 22, 0, tzinfo=UTC), day, SHANGHAI) is None


def test_urgent_kinds_ignore_quiet_hours() -> None:
    timing = SendTiming(60, quiet_range("21:30-08:00"))
    for kind in ("stored", "collected", "code_reissued"):
        assert timing.plan(kind, NIGHT, SHANGHAI, mergeable=False) == NIGHT, kind
    for kind in ("reminder", "overdue", "notice", "moved", "disposed", "anomaly", "fee_notice"):
        assert timing.plan(kind, NIGHT, SHANGHAI, mergeable=False) == datetime(2026, 3, 3, 8, 0, tzinfo=SHANGHAI)
    # a message queued at 21:29:30 whose merge window ends inside the quiet hours waits for the morning too
    evening = datetime(2026, 3, 2, 13, 29, 30, tzinfo=UTC)
    assert timing.plan("moved", evening, SHANGHAI, mergeable=True) == datetime(2026, 3, 3, 8, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("key", "value", "why"), [
    ("quiet_hours", "21:30", "not a time range"),
    ("quiet_hours", "25:00-08:00", "does not exist"),
    ("quiet_hours", "08:00-08:00", "same time"),
    ("quiet_hours", "21:00-23:00,01:00-06:00", "more than one range"),
    ("merge_window_s", -5, "greater than or equal to 0"),
    ("merge_window_s", "a minute", "valid number"),
])
def test_bad_timing_is_refused_naming_the_field(key: str, value: Any, why: str) -> None:
    data = sim_config(Path("/tmp/x")).model_dump(mode="python")
    data["notify"][key] = value
    with pytest.raises(ConfigError) as exc:
        parse_config(data, "site.toml")
    text = exc.value.explain()
    assert f"notify.{key}" in text and why in text, text


def test_defaults_and_full_width_input() -> None:
    data = sim_config(Path("/tmp/x")).model_dump(mode="python")
    data["notify"] = {}
    cfg = parse_config(data, "site.toml")
    assert (cfg.notify.merge_window_s, cfg.notify.quiet_hours) == (60, "21:30-08:00")
    data["notify"] = {"quiet_hours": "２１：３０－０８：００"}
    assert parse_config(data, "site.toml").notify.quiet_hours == "21:30-08:00"


def test_the_folded_text_in_english() -> None:
    from edge.notify import merge

    parts = [json.loads(merge.data(name=n, compartment=None, shelf=s, site="Sunny Gardens", code="1234567890",
                                   desk=" (Building 1 lobby)", phone="", deadline_at=None))
             for n, s in (("SF Express", "R1"), ("JD Logistics", "R2"), ("SF Express", "R2"))]
    assert merge.render("moved", "en", parts) == (
        "[Sunny Gardens] Your 3 parcels (SF Express, JD Logistics) have been moved to the parcel room, shelves R1 and"
        " R2. Collect them at the desk (Building 1 lobby) with pickup code 1234567890.")
    lockers = [p | {"compartment": c} for p, c in zip(parts, ("A-01", "A-03", "B-02"), strict=True)]
    assert "collected from lockers A-01, A-03 and B-02." in merge.render("collected", "en", lockers)


async def test_the_sweeps_24_h_reminder_due_at_03_00_leaves_at_08_00(tmp_path: Path, receiver: Receiver) -> None:
    """The real sweep: a parcel stored at 03:00 has its first reminder due at 03:00 the next night."""
    site = await start_site(tmp_path / "site", SimClock(start=NIGHT - timedelta(days=1)), notify=_notify(receiver))
    try:
        await site.deposit("SF1234567890101")
        site.clock.advance(61)
        await wait_for(lambda: receiver.bodies(), what="the stored message, at night")
        site.clock.advance(24 * 3600)  # 03:01 the next night
        await site.daemon.rules.sweep()
        reminders = [r for r in await messages(site) if r["kind"] == "reminder"]
        assert len(reminders) == 1
        assert parse_iso(reminders[0]["next_at"]) == datetime(2026, 3, 3, 8, 0, tzinfo=SHANGHAI)
        await _settled(site)
        assert [b["kind"] for b in receiver.bodies()] == ["stored"]
        site.clock.advance(5 * 3600)  # 08:01
        await wait_for(lambda: len(receiver.bodies()) == 2, what="the reminder at 08:00")
        assert receiver.bodies()[1]["kind"] == "reminder"
    finally:
        await site.daemon.stop()


async def test_a_reminder_failing_at_21_29_50_is_retried_in_the_morning(tmp_path: Path, receiver: Receiver) -> None:
    evening = datetime(2026, 3, 2, 13, 29, 50, tzinfo=UTC)  # 21:29:50 local; the retry (24-36 s) falls after 21:30
    site = await start_site(tmp_path / "site", SimClock(start=evening), notify=_notify(receiver))
    try:
        receiver.answers = [500]
        _reminder(site)
        await wait_for(lambda: receiver.requests, what="the first attempt")
        await _settled(site)
        (row,) = await messages(site)
        assert row["state"] == "pending" and row["attempts"] == 1
        assert parse_iso(row["next_at"]) == datetime(2026, 3, 3, 8, 0, tzinfo=SHANGHAI)  # not 21:30:20
    finally:
        await site.daemon.stop()


def test_a_retry_of_a_message_sent_at_night_by_the_deadline_rule_is_not_held() -> None:
    timing = SendTiming(60, quiet_range("21:30-08:00"))
    retry = NIGHT + timedelta(seconds=30)
    assert timing.retry_at("reminder", NIGHT, retry, SHANGHAI) == retry  # queued at 03:00 and sent: its deadline
    evening = datetime(2026, 3, 2, 13, 25, tzinfo=UTC)
    assert timing.retry_at("stored", evening, retry, SHANGHAI) == retry  # urgent
    assert timing.retry_at("notice", evening, retry, SHANGHAI) == datetime(2026, 3, 3, 8, 0, tzinfo=SHANGHAI)


async def test_a_grouped_reminder_goes_now_when_any_parcel_of_its_code_is_due_in_the_night(
        tmp_path: Path, receiver: Receiver) -> None:
    """No desk hours: the storage deadline (stored + 72 h) of one of the code's parcels is 04:00, before 08:00."""
    site = await start_site(tmp_path / "site", SimClock(start=NIGHT), notify=_notify(receiver, merge_window_s=0),
                            site__desk_hours="")
    try:
        dep = await site.deposit("SF1234567890101")
        code = await site.code_of(dep["parcel_id"])
        await wait_for(lambda: receiver.bodies(), what="the stored message")
        stored_at = utc_iso(NIGHT - timedelta(hours=71))
        await site.daemon.store.write(lambda tx: tx.execute("UPDATE parcels SET stored_at = ? WHERE id = ?",
                                                            (stored_at, dep["parcel_id"])))
        parcel = {"id": "p-2", "unit": "1-101", "phone_tail": "1234", "tracking_number": "JD0012345678901"}
        site.daemon.store.write_sync(lambda tx: site.daemon.notifier.send(
            tx, "reminder", parcel, code=code, text="【阳光花园】提醒：您有2件包裹待取。", lang="zh-CN"))
        await wait_for(lambda: len(receiver.bodies()) == 2, what="the reminder at once, at 03:00")
    finally:
        await site.daemon.stop()
