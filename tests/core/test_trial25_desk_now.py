"""Is the desk the kiosk names staffed now (edge.web.kiosk_api.desk_now; trial of 2026-12-05)."""

from __future__ import annotations

from datetime import time

import pytest

from edge.web.kiosk_api import desk_now


@pytest.mark.parametrize(("hours", "now", "want"), [
    ("08:00-20:00", time(6, 38), {"open": False, "opens": "08:00"}),
    ("08:00-20:00", time(8, 0), {"open": True, "opens": ""}),
    ("08:00-20:00", time(19, 59), {"open": True, "opens": ""}),
    ("08:00-20:00", time(20, 0), {"open": False, "opens": "08:00"}),
    ("08:00-12:00,13:30-20:00", time(12, 30), {"open": False, "opens": "13:30"}),
    ("08:00-12:00,13:30-20:00", time(23, 0), {"open": False, "opens": "08:00"}),
    ("08:00-24:00", time(23, 59, 30), {"open": True, "opens": ""}),  # 24:00: the end of the day (review26)
    ("08:00-24:00", time(0, 0), {"open": False, "opens": "08:00"}),
    ("", time(3, 0), {"open": True, "opens": ""}),
])
def test_desk_now(hours: str, now: time, want: dict[str, object]) -> None:
    assert desk_now(hours, now) == want
