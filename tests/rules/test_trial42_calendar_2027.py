"""Trial42: 2027 with chinesecalendar 1.11 (the newest release; it knows 2004-2026). The fallback made Thursday and
Friday 11-12 February 2027 working days, so a parcel stored on 14 January had its disposal due on Monday 15 February,
and the operator had no way to enter the State Council's schedule; check-config said OK with no word of it.

The days below are an example of such a schedule (Spring Festival off 5-13 February, Saturday 20 February worked),
not the official 2027 one, which was not in reach."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from edge.cli import check_config
from edge.config import ConfigError, load_config, parse_config
from edge.policy import Policy
from edge.rules.calendar import WorkCalendar
from edge.rules.schedule import plan

SH = ZoneInfo("Asia/Shanghai")
ROOT = Path(__file__).resolve().parents[2]
ENTERED = {"rest_days": ["2027-02-05..2027-02-13"], "working_days": ["2027-02-20"]}


def _site(**site: object) -> WorkCalendar:
    cfg = parse_config({"site": {"id": "s1", "desk_hours": "08:00-20:00", **site},
                        "banks": [{"id": "A", "driver": "sim", "compartments": [{"id": "A-01", "size": "S"}]}]})
    return WorkCalendar.for_site(cfg.site)


def _disposal(cal: WorkCalendar, stored: datetime) -> datetime:
    acts = plan({"stored_at": stored, "category": "normal", "compartment_id": "A-01", "shelf_slot": None},
                Policy(), cal, [], {}, now=stored)
    return next(a.due_at for a in acts if a.name == "disposal_due").astimezone(SH)


def test_the_operator_enters_the_spring_festival_schedule() -> None:
    if WorkCalendar().covers(2027):
        pytest.skip("the installed chinesecalendar knows 2027: the fallback this test is about is not used")
    stored = datetime(2027, 1, 14, 10, 0, tzinfo=SH)
    fallback = _site()
    assert fallback.is_working_day(date(2027, 2, 11)) and not fallback.covers(2027)
    assert _disposal(fallback, stored).date() == date(2027, 2, 15)  # two days early, inside the holiday's week

    cal = _site(**ENTERED)
    assert cal.covers(2027)
    assert not cal.is_working_day(date(2027, 2, 11)) and not cal.is_working_day(date(2027, 2, 13))
    assert cal.is_working_day(date(2027, 2, 20))  # a Saturday made a working day
    assert not cal.is_working_day(date(2027, 1, 1))  # the package's statutory holidays still count
    assert cal.is_working_day(date(2026, 12, 31))
    assert _disposal(cal, stored).date() == date(2027, 2, 17)


def test_bad_days_are_config_errors_naming_the_key(tmp_path: Path) -> None:
    for bad in (["2027-02-30"], ["2027-02-13..2027-02-05"], ["next Friday"]):
        with pytest.raises(ConfigError) as exc:
            load_config(_toml(tmp_path, f"rest_days = {bad!r}".replace("'", '"')))
        assert "site.rest_days" in exc.value.explain()
    with pytest.raises(ConfigError) as exc:
        load_config(_toml(tmp_path, 'rest_days = ["2027-02-20"]\nworking_days = ["2027-02-20"]'))
    assert "2027-02-20" in exc.value.explain()


def _toml(tmp_path: Path, extra: str) -> Path:
    text = (ROOT / "firmware-config" / "kerong-cu16.toml").read_text(encoding="utf-8")
    text = text.replace('data_dir = "/var/lib/lockerd"', f'data_dir = "{tmp_path / "data"}"')
    text = text.replace('driver = "serial"', 'driver = "none"')
    text = text.replace('holiday_calendar = "CN"', 'holiday_calendar = "CN"\n' + extra, 1)
    cfg = tmp_path / "site.toml"
    cfg.write_text(text, encoding="utf-8")
    return cfg


def test_check_config_says_when_a_year_is_unknown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if WorkCalendar().covers(2027):
        pytest.skip("the installed chinesecalendar knows 2027")
    cfg = load_config(_toml(tmp_path, ""))
    warned = check_config._calendar_years_unknown(cfg, today=date(2026, 12, 8))
    assert len(warned) == 1 and "2027" in warned[0] and "site.rest_days" in warned[0]
    entered = load_config(_toml(tmp_path, 'rest_days = ["2027-02-05..2027-02-13"]'))
    assert check_config._calendar_years_unknown(entered, today=date(2026, 12, 8)) == []
    assert check_config.run(argparse.Namespace(file=str(_toml(tmp_path, "")))) == 0
    assert "has no holidays for 2027" in capsys.readouterr().err


def test_next_year_is_checked_only_from_november(tmp_path: Path) -> None:
    """The next year's schedule is published around November: before then a warning about it could not be acted on,
    so only this year is checked (a June check-config is clean at a site whose package knows this year)."""
    if WorkCalendar().covers(2027) or not WorkCalendar().covers(2026):
        pytest.skip("the installed chinesecalendar knows 2027, or not 2026")
    cfg = load_config(_toml(tmp_path, ""))
    assert check_config._calendar_years_unknown(cfg, today=date(2026, 6, 1)) == []
    assert check_config._calendar_years_unknown(cfg, today=date(2026, 10, 31)) == []
    assert "2027" in check_config._calendar_years_unknown(cfg, today=date(2026, 11, 1))[0]
