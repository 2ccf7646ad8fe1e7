"""Working days: China's holidays with make-up working days, Europe/Berlin DST, unknown years."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta

import pytest

from edge.rules.calendar import WorkCalendar

CN = WorkCalendar("Asia/Shanghai", "CN")
SH = CN.tz


def sh(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH).astimezone(UTC)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 9, 28), True),  # Sunday, make-up working day for National Day
        (date(2025, 10, 1), False),
        (date(2025, 10, 8), False),
        (date(2025, 10, 9), True),
        (date(2025, 10, 11), True),  # Saturday, make-up working day
        (date(2026, 2, 14), True),  # Saturday before Spring Festival, make-up
        (date(2026, 2, 15), False),
        (date(2026, 2, 23), False),
        (date(2026, 2, 24), True),
        (date(2026, 2, 28), True),  # Saturday after Spring Festival, make-up
        (date(2026, 3, 1), False),
    ],
)
def test_china_holidays_and_make_up_days(day: date, working: bool) -> None:
    assert CN.is_working_day(day) is working


def test_national_day_2025_deadline_skips_the_week_and_counts_the_saturday() -> None:
    # Tue 30 Sep 2025 09:00 + 1 working day: 1-8 Oct are off -> Thu 9 Oct
    assert CN.add_working_days(sh(2025, 9, 30), 1) == sh(2025, 10, 9)
    # + 3: Thu 9, Fri 10, Sat 11 (make-up) -> Sat 11 Oct
    assert CN.add_working_days(sh(2025, 9, 30), 3) == sh(2025, 10, 11)
    # stored Fri 26 Sep: Sun 28 Sep is a make-up working day and counts first
    assert CN.add_working_days(sh(2025, 9, 26), 1) == sh(2025, 9, 28)


def test_spring_festival_2026_fifteen_working_days() -> None:
    # stored Mon 9 Feb 2026 10:00. Working: 10,11,12,13, Sat 14 (make-up), [15-23 off], 24,25,26,27,
    # Sat 28 (make-up), Mon 2 Mar, 3, 4, 5, 6 -> the 15th is Fri 6 Mar
    start = sh(2026, 2, 9, 10)
    assert CN.add_working_days(start, 15) == sh(2026, 3, 6, 10)
    assert CN.working_days_between(date(2026, 2, 9), date(2026, 3, 6)) == 15
    for n in range(1, 16):
        assert CN.is_working_day(CN.local(CN.add_working_days(start, n)).date())


def test_every_deadline_falls_on_a_working_day_over_two_years() -> None:
    t = sh(2025, 1, 1, 8)
    while t < sh(2026, 12, 1):
        for n in (1, 3, 15):
            d = CN.add_working_days(t, n)
            assert CN.is_working_day(CN.local(d).date())
            assert CN.local(d).time() == CN.local(t).time()
        t += timedelta(hours=37)


BERLIN = WorkCalendar("Europe/Berlin", "DE")


def test_berlin_deadline_keeps_wall_time_across_spring_dst() -> None:
    # Thu 26 Mar 2026 10:00 CET (09:00 UTC); clocks go forward Sun 29 Mar; +2 working days = Mon 30 Mar 10:00 CEST
    start = datetime(2026, 3, 26, 9, 0, tzinfo=UTC)
    due = BERLIN.add_working_days(start, 2)
    assert due == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
    assert BERLIN.local(due).hour == 10


def test_berlin_deadline_across_autumn_dst_and_holidays() -> None:
    # Fri 23 Oct 2026 10:00 CEST (08:00 UTC); clocks go back Sun 25 Oct; +1 = Mon 26 Oct 10:00 CET (09:00 UTC)
    assert BERLIN.add_working_days(datetime(2026, 10, 23, 8, 0, tzinfo=UTC), 1) == datetime(2026, 10, 26, 9, 0, tzinfo=UTC)
    # Easter 2026: Good Friday 3 Apr and Easter Monday 6 Apr are holidays in Germany
    assert BERLIN.add_working_days(datetime(2026, 4, 2, 8, 0, tzinfo=UTC), 1) == datetime(2026, 4, 7, 8, 0, tzinfo=UTC)


def test_time_in_the_spring_gap_moves_forward() -> None:
    got = BERLIN.at_local(date(2026, 3, 29), time(2, 30))
    assert BERLIN.local(got).hour == 3 and BERLIN.local(got).minute == 30


def test_unknown_year_falls_back_to_weekdays_and_logs_once(caplog: pytest.LogCaptureFixture) -> None:
    cal = WorkCalendar("Asia/Shanghai", "CN")
    with caplog.at_level(logging.WARNING, logger="edge.rules.calendar"):
        # National Day: chinesecalendar has no 2031 data; the statutory holidays of `holidays` fill in (trial38)
        assert cal.is_working_day(date(2031, 10, 1)) is False
        assert cal.is_working_day(date(2031, 10, 8)) is True  # an ordinary Wednesday
        assert cal.is_working_day(date(2031, 10, 4)) is False  # Saturday
        cal.add_working_days(datetime(2031, 9, 1, tzinfo=UTC), 20)
    warnings = [r for r in caplog.records if "2031" in r.getMessage()]
    assert len(warnings) == 1


def test_unknown_country_and_none_use_weekdays() -> None:
    assert WorkCalendar("UTC", "").add_working_days(datetime(2026, 1, 2, 12, tzinfo=UTC), 1) == datetime(
        2026, 1, 5, 12, tzinfo=UTC
    )
    odd = WorkCalendar("UTC", "XX")
    assert odd.is_working_day(date(2026, 1, 5)) and not odd.is_working_day(date(2026, 1, 4))
