"""A year chinesecalendar does not know yet (trial of 2026-12-07c). With chinesecalendar 1.11 (2004-2026) the site fell
back to Monday-Friday for 2027, so 1 January 2027 (元旦) was a working day: parcels put on the public notice on Monday
28 December 2026 at 20:18 were told "请于1月1日 20:00前领取" while the desk was closed for the holiday. For such a year
the CN calendar now leaves out the statutory holidays the `holidays` package computes (no 调休 days: those only the
State Council's schedule gives)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from edge.rules.calendar import WorkCalendar


@pytest.fixture
def cal() -> WorkCalendar:
    c = WorkCalendar("Asia/Shanghai", "CN", desk_hours="08:00-20:00")
    if c.covers(2027):
        pytest.skip("chinesecalendar knows 2027 now: the fallback is not used")
    return c


def test_new_years_day_and_the_spring_festival_of_an_unknown_year_are_not_working_days(cal: WorkCalendar) -> None:
    assert not cal.is_working_day(date(2027, 1, 1))  # 元旦, a Friday
    assert not cal.is_working_day(date(2027, 2, 8))  # 春节 (a lunar date), a Monday
    assert not cal.is_working_day(date(2027, 10, 1))  # 国庆
    assert cal.is_working_day(date(2027, 1, 4))  # an ordinary Monday
    assert not cal.is_working_day(date(2027, 1, 2))  # a Saturday stays a rest day
    assert not cal.covers(2027)  # still said: the make-up working days are unknown


def test_the_notice_deadline_of_28_december_skips_new_years_day(cal: WorkCalendar) -> None:
    noticed = datetime(2026, 12, 28, 12, 18, tzinfo=UTC)  # 20:18 in Shanghai, after the desk closed
    three = cal.add_working_days(noticed, 3)
    assert cal.local(three).date() == date(2026, 12, 31)
    told = cal.local(cal.desk_deadline(three))
    assert (told.date(), told.hour, told.minute) == (date(2027, 1, 4), 20, 0), told
