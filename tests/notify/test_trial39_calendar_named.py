"""Trial 2026-12-07d (trial39): `holiday_calendar = "Hong Kong"` (not the code HK) passed check-config and the site
counted Christmas a working day, said once a year in the journal only. The start-up's "site setup" lines and the
console's first page now say so, in the staff's language, as they say a missing admin or channel."""

from __future__ import annotations

from typing import Any

from edge.notify import firstrun


class _Tx:
    def scalar(self, sql: str, params: Any = ()) -> int:
        return 1  # an admin, couriers and units: a site otherwise set up


def test_a_calendar_lockerd_does_not_know_is_named_as_missing() -> None:
    assert firstrun.missing(_Tx(), ["gsm-modem"], "Hong Kong") == ["no_calendar"]  # type: ignore[arg-type]
    for known in ("HK", "hk", "HKG", "CN", "DE-BY", "US-CA", ""):
        assert firstrun.missing(_Tx(), ["gsm-modem"], known) == [], known  # type: ignore[arg-type]
    assert "site.holiday_calendar" in firstrun.text("no_calendar", "en") and "Monday to Friday" in \
        firstrun.text("no_calendar", "en")
    assert "法定节假日也算工作日" in firstrun.text("no_calendar", "zh")
