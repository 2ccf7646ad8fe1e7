"""Deadlines residents are told end inside desk hours (issue 18, ADR 0042): "请于12月30日 03:38前领取" is not a
deadline anyone can meet. Moved UP to the close of the desk, never earlier, and the sweep acts at that time."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

import pytest

from edge.config import ConfigError, SiteInfo, desk_periods, parse_config
from edge.rules.calendar import WorkCalendar

# Monday 1 June 2026 03:38 in Shanghai (19:38 UTC the day before)
NIGHT = datetime(2026, 5, 31, 19, 38, tzinfo=UTC)


def _texts(site: Any, kind: str) -> list[str]:
    return [n["text"] for n in site.q("SELECT text FROM notifications WHERE kind = ? ORDER BY rowid", (kind,))]


def _sh(month: int, day: int, hh: int, mm: int) -> datetime:
    """A Shanghai wall time as UTC."""
    return WorkCalendar().at_local(datetime(2026, month, day).date(), datetime(2026, 1, 1, hh, mm).time())


@pytest.mark.parametrize(("hours", "at", "want"), [
    ("08:00-20:00", (6, 1, 3, 38), (6, 1, 20, 0)),    # before opening: that day's close
    ("08:00-20:00", (6, 1, 10, 15), (6, 1, 10, 15)),  # inside: unchanged
    ("08:00-20:00", (6, 1, 20, 0), (6, 1, 20, 0)),    # at close: unchanged
    ("08:00-20:00", (6, 1, 21, 10), (6, 2, 20, 0)),   # after close: the next working day's close
    ("08:00-20:00", (6, 5, 21, 10), (6, 8, 20, 0)),   # Friday night: Monday's close
    ("08:00-20:00", (6, 6, 10, 0), (6, 8, 20, 0)),    # Saturday: not a working day
    ("08:00-12:00,14:00-20:00", (6, 1, 3, 38), (6, 1, 12, 0)),   # the close of the next period
    ("08:00-12:00,14:00-20:00", (6, 1, 12, 30), (6, 1, 20, 0)),
    ("", (6, 1, 3, 38), (6, 1, 3, 38)),               # no desk hours: unchanged
])
def test_a_deadline_moves_up_to_the_desk_close(hours: str, at: tuple[int, ...], want: tuple[int, ...]) -> None:
    cal = WorkCalendar("Asia/Shanghai", "CN", hours)
    t = _sh(*at)
    moved = cal.desk_deadline(t)
    assert moved == _sh(*want)
    assert moved >= t  # no resident loses time


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_night_deadline_is_told_and_acted_on_at_desk_close(make_site: Any, lang: str) -> None:
    site = make_site(lang=lang, desk_hours="08:00-20:00", start=NIGHT)
    site.add_parcel()  # normal: overdue 72 h later = Thursday 4 June 03:38, moved to 20:00
    site.advance(24)
    site.sweep()
    (text,) = _texts(site, "reminder")
    if lang == "zh-CN":
        assert "请于6月4日 20:00前取件，逾期将移至包裹室保管。" in text, text
    else:
        assert "Please collect it by 04 Jun 2026 20:00; after that it moves to the parcel room." in text, text
    assert "03:38" not in text, text
    site.advance(48 + 1)  # Thursday 04:38: the old deadline has passed, the told one has not
    site.sweep()
    assert _texts(site, "overdue") == []
    site.advance(16)  # Thursday 20:38
    site.sweep()
    assert len(_texts(site, "overdue")) == 1


def test_the_notice_deadline_and_the_disposal_fall_at_desk_close(make_site: Any) -> None:
    site = make_site(desk_hours="08:00-20:00", start=NIGHT)
    pid = site.add_parcel()
    for _ in range(30):
        site.advance(24)
        site.sweep()
        if "notice" in site.done(pid):
            break
    (notice,) = [e for e in site.events("parcel.notice_posted")]
    deadline = datetime.fromisoformat(notice["data"]["deadline"].replace("Z", "+00:00"))
    local = site.calendar.local(deadline)
    assert (local.hour, local.minute) == (20, 0), local
    (text,) = _texts(site, "notice")
    assert f"请于{local.month}月{local.day}日 20:00前领取" in text, text
    due = site.q("SELECT next_due_at, next_action FROM rule_schedule WHERE parcel_id = ?", (pid,))[0]
    assert due["next_action"] == "disposal_due"
    assert datetime.fromisoformat(due["next_due_at"].replace("Z", "+00:00")) == deadline


@pytest.mark.parametrize("bad", ["8-20", "08:00-20:00,", "20:00-08:00", "08:00-25:00", "08:00-12:00,11:00-14:00",
                                 "weekdays"])
def test_bad_desk_hours_are_refused_naming_the_field_and_form(bad: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_config({"site": {"id": "s1", "desk_hours": bad}})
    text = err.value.explain()
    assert "site.desk_hours" in text, text
    assert "HH:MM-HH:MM" in text, text


def test_good_desk_hours_are_accepted() -> None:
    site = SiteInfo.model_validate({"id": "s1", "desk_hours": " 08:00-12:00, 14:00-20:00 "})
    assert site.desk_hours == "08:00-12:00, 14:00-20:00"
    assert desk_periods(site.desk_hours) == [(time(8), time(12)), (time(14), time(20))]


def test_the_stored_message_tells_the_same_moved_deadline(make_site: Any) -> None:
    site = make_site(desk_hours="08:00-20:00", start=NIGHT)
    site.notifier.policy_fn = site.policies.current
    pid = site.add_parcel()
    parcel = site.parcel(pid)
    site.store.write_sync(lambda tx: site.notifier.send(tx, "stored", parcel, code=parcel["pickup_code"]))
    (text,) = _texts(site, "stored")
    assert "请于6月4日 20:00前取件" in text, text
    (queued,) = site.q("SELECT deadline FROM messages WHERE kind = 'stored'")
    assert queued["deadline"] == "2026-06-04T12:00:00.000Z"  # the instant the overdue action is planned at


def test_the_notice_list_gives_the_deadline_the_notice_message_tells(make_site: Any) -> None:
    """`RulesService.notice_list_tx` gave "working days later, same wall time" (03:38), not the desk-hours move the
    notice message and the disposal use (20:00): the console recomputed it; now the service's value is the one."""
    site = make_site(desk_hours="08:00-20:00", start=NIGHT)
    pid = site.add_parcel()
    for _ in range(30):
        site.advance(24)
        site.sweep()
        if "notice" in site.done(pid):
            break
    (notice,) = [e for e in site.events("parcel.notice_posted")]
    (row,) = [r for r in site.store.read_sync(site.service.notice_list_tx) if r["parcel_id"] == pid]
    assert row["deadline"] == notice["data"]["deadline"], (row, notice["data"])
    assert row["deadline_local"].endswith("T20:00+08:00"), row


def test_a_desk_open_on_rest_days_keeps_weekend_deadlines() -> None:
    """`site.desk_open_on_rest_days = true`: a Saturday inside the hours is a desk time (ADR 0042 amended)."""
    cal = WorkCalendar("Asia/Shanghai", "CN", "08:00-20:00", desk_open_on_rest_days=True)
    assert cal.desk_deadline(_sh(6, 6, 10, 0)) == _sh(6, 6, 10, 0)
    assert cal.desk_deadline(_sh(6, 5, 21, 10)) == _sh(6, 6, 20, 0)
    assert WorkCalendar("Asia/Shanghai", "CN", "08:00-20:00").desk_deadline(_sh(6, 6, 10, 0)) == _sh(6, 8, 20, 0)


def test_the_rest_day_option_is_typed_and_named_in_errors() -> None:
    assert SiteInfo.model_validate({"id": "s1"}).desk_open_on_rest_days is False
    assert SiteInfo.model_validate({"id": "s1", "desk_open_on_rest_days": True}).desk_open_on_rest_days is True
    with pytest.raises(ConfigError) as err:
        parse_config({"site": {"id": "s1", "desk_open_on_rest_days": "weekends"}})
    assert "site.desk_open_on_rest_days" in err.value.explain()


@pytest.mark.parametrize(("lang", "words"), [("zh-CN", "时间：工作日 08:00-20:00"), ("en", "open 08:00-20:00 on working days")])
def test_messages_say_the_desk_keeps_its_hours_on_working_days(make_site: Any, lang: str, words: str) -> None:
    site = make_site(lang=lang, desk_hours="08:00-20:00", start=NIGHT)
    site.engine.desk = ("1号楼大堂", "Building 1 lobby", "08:00-20:00", "010-5555-0100")
    pid = site.add_parcel(compartment=None)  # taken in at the desk: the reminder names the desk
    site.store.write_sync(lambda tx: tx.execute("UPDATE parcels SET shelf_slot = 'R1' WHERE id = ?", (pid,)))
    site.advance(24)
    site.sweep()
    (text,) = _texts(site, "reminder")
    assert words in text, text
