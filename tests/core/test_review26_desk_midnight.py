"""Desk hours closing at "24:00" close at the end of the day, not at 23:59 (review26, issue 18): the config
reads it, the kiosk says the desk is open in the day's last minute, and a deadline moved to the desk's close
is the next day's 00:00. Quiet hours to 24:00 end at midnight too."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from edge.config import END_OF_DAY, desk_periods
from edge.notify.timing import quiet_end, quiet_range
from edge.rules.calendar import WorkCalendar

TZ = ZoneInfo("Asia/Shanghai")


def _local(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)  # type: ignore[misc]


def test_the_config_reads_24_00_as_the_end_of_the_day() -> None:
    assert desk_periods("08:00-24:00") == [(time(8, 0), END_OF_DAY)]
    assert desk_periods("００：００－０１：００，１８：００－２４：００") == [(time(0, 0), time(1, 0)), (time(18, 0), END_OF_DAY)]
    with pytest.raises(ValueError, match="does not exist"):
        desk_periods("08:00-24:30")


def test_a_deadline_moved_to_a_midnight_close_is_the_next_days_00_00() -> None:
    cal = WorkCalendar("Asia/Shanghai", "none", "08:00-24:00")
    # Wednesday 03:00, before the desk opens: that day's close, midnight (not 23:59)
    assert cal.desk_deadline(_local(2026, 3, 11, 3, 0)) == _local(2026, 3, 12, 0, 0).astimezone(UTC)
    # inside the hours, in the last minute: unchanged
    inside = _local(2026, 3, 11, 23, 59, 30).astimezone(UTC)
    assert cal.desk_deadline(inside) == inside


def test_quiet_hours_to_24_00_end_at_midnight() -> None:
    quiet = quiet_range("22:00-24:00")
    assert quiet_end(_local(2026, 3, 11, 23, 59, 30), quiet, TZ) == _local(2026, 3, 12, 0, 0)
    assert quiet_end(_local(2026, 3, 11, 21, 0), quiet, TZ) is None
    with pytest.raises(ValueError, match="same time"):
        quiet_range("00:00-24:00")  # quiet all day: nothing would ever go
