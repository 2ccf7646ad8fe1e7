"""Is the desk the kiosk names staffed now (edge.web.kiosk_api.desk_now; trial of 2026-12-05), and on which days
(fix27: the kiosk said "open" on a Saturday while deadlines took the desk as closed; one rule, ADR 0042:
`desk_hours` on working days only unless `site.desk_open_on_rest_days`)."""

from __future__ import annotations

from datetime import datetime

import pytest

from edge.rules.calendar import WorkCalendar
from edge.web.kiosk_api import desk_now


def _sh(day: int, hh: int, mm: int, ss: int = 0) -> datetime:
    """A Shanghai wall time in December 2026 (Mon 7, Fri 11, Sat 12, Sun 13, Mon 14), as UTC."""
    return WorkCalendar().at_local(datetime(2026, 12, day).date(), datetime(2026, 1, 1, hh, mm, ss).time())


CLOSED = {"open": False, "opens_on": "", "rest_day": False}
OPEN = {"open": True, "opens": "", "opens_on": "", "rest_day": False}


@pytest.mark.parametrize(("hours", "at", "want"), [
    ("08:00-20:00", (7, 6, 38), CLOSED | {"opens": "08:00"}),
    ("08:00-20:00", (7, 8, 0), OPEN),
    ("08:00-20:00", (7, 19, 59), OPEN),
    ("08:00-20:00", (7, 20, 0), CLOSED | {"opens": "08:00"}),  # tomorrow morning: no day named
    ("08:00-12:00,13:30-20:00", (7, 12, 30), CLOSED | {"opens": "13:30"}),
    ("08:00-12:00,13:30-20:00", (7, 23, 0), CLOSED | {"opens": "08:00"}),
    ("08:00-24:00", (7, 23, 59, 30), OPEN),  # 24:00: the end of the day (review26)
    ("08:00-24:00", (8, 0, 0), CLOSED | {"opens": "08:00"}),
    ("", (7, 3, 0), OPEN),
    ("", (12, 10, 0), OPEN),  # no desk hours: nothing is said
    # a Saturday inside the hours: closed today, Monday named (the kiosk said "open")
    ("08:00-20:00", (12, 10, 0), {"open": False, "opens": "08:00", "opens_on": "2026-12-14", "rest_day": True}),
    ("08:00-20:00", (13, 21, 0), {"open": False, "opens": "08:00", "opens_on": "2026-12-14", "rest_day": True}),
    # Friday evening: opens after the weekend, the day named
    ("08:00-20:00", (11, 21, 0), CLOSED | {"opens": "08:00", "opens_on": "2026-12-14"}),
])
def test_desk_now(hours: str, at: tuple[int, ...], want: dict[str, object]) -> None:
    assert desk_now(WorkCalendar("Asia/Shanghai", "CN", hours), _sh(*at)) == want


def test_a_desk_open_on_rest_days_is_open_on_a_saturday() -> None:
    cal = WorkCalendar("Asia/Shanghai", "CN", "08:00-20:00", desk_open_on_rest_days=True)
    assert desk_now(cal, _sh(12, 10, 0)) == OPEN
    assert desk_now(cal, _sh(11, 21, 0)) == CLOSED | {"opens": "08:00"}  # Saturday morning
    assert cal.desk_deadline(_sh(12, 21, 0)) == _sh(13, 20, 0)  # Saturday night: Sunday's close
