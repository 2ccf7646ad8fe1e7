"""`lockerd check-config FILE`: validate a site config and explain every problem."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from edge.config import ConfigError, SiteConfig, load_config


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("check-config", help="validate a site config file")
    p.add_argument("file")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        cfg = load_config(args.file)
    except ConfigError as exc:
        print(exc.explain(), file=sys.stderr)
        return 1
    from drivers.locks.factory import bank_problems
    from edge.secret_files import check_secrets

    problems = [(f"banks[{b.id}].{key}", why) for b in cfg.banks for key, why in bank_problems(b, cfg.doors)]
    secret_problems, secret_warnings = check_secrets(cfg, Path(cfg.data_dir))
    problems += secret_problems
    from cloudsync.signing import public_key_problem

    problems += [(f"cloud.command_pubkeys[{i}]", why) for i, path in enumerate(cfg.cloud.command_pubkeys)
                 if (why := public_key_problem(path)) is not None]
    if problems:
        print(ConfigError(args.file, problems).explain(), file=sys.stderr)
        return 1
    n = sum(len(b.compartments) for b in cfg.banks)
    from edge.domain.sizes import Slot, accessible_warnings
    from edge.notify.firstrun import calendar_known

    calendar = [] if calendar_known(cfg.site.holiday_calendar) else [
        f"site.holiday_calendar: {cfg.site.holiday_calendar!r} names no calendar lockerd knows, so storage deadlines"
        " count Monday to Friday and every public holiday as a working day; use CN or an ISO country code such as"
        " HK, GB or DE-BY (trial39: \"Hong Kong\" counted Christmas a working day)"]
    calendar += _calendar_years_unknown(cfg, _today(cfg))
    for w in [*secret_warnings, *calendar, *_retired_doors_in_use(cfg),
              *accessible_warnings(Slot(c.id, c.size, c.height_cm) for _, c in cfg.compartments())]:
        print(f"{args.file}: warning: {w}", file=sys.stderr)
    print(f"{args.file}: OK (site {cfg.site.id}, {len(cfg.banks)} bank(s), {n} compartments)")
    return 0


#: from this day of the year (month, day) the next year's calendar is checked too: parcels stored from then on have
#: deadlines in it, and China's State Council publishes the next year's schedule around November
NEXT_YEAR_FROM = (11, 1)


def _today(cfg: SiteConfig) -> date:
    """The site's date now (a function, so tests can pin the day check-config reads)."""
    return datetime.now(ZoneInfo(cfg.site.timezone)).date()


def _calendar_years_unknown(cfg: SiteConfig, today: date | None = None) -> list[str]:
    """This year, and from 1 November the next, when neither the installed holiday package knows them nor the
    operator entered their days: deadlines then count weekdays less the statutory holidays, without 调休 (trial
    2026-12-08: chinesecalendar 1.11, the newest release, knows no 2027, and nothing said so before January). Earlier
    in the year the next year's schedule is not published yet, so a warning about it could not be acted on."""
    from edge.notify.firstrun import calendar_known
    from edge.rules.calendar import WorkCalendar

    if not calendar_known(cfg.site.holiday_calendar):
        return []
    cal = WorkCalendar.for_site(cfg.site)
    today = today or _today(cfg)
    years = [today.year] + ([today.year + 1] if (today.month, today.day) >= NEXT_YEAR_FROM else [])
    out = []
    for y in years:
        if not cal.covers(y):
            package = "chinesecalendar" if cal.code == "CN" else "holidays"
            out.append(f"site.holiday_calendar: the installed {package} package has no holidays for {y}, so storage"
                       f" deadlines in {y} count Monday to Friday less the statutory holidays, without make-up"
                       f" working days: upgrade it (pip install -U {package}) or enter the published schedule in"
                       f" site.rest_days and site.working_days (docs/rules.md)")
    return out


def _retired_doors_in_use(cfg: SiteConfig) -> list[str]:
    """Doors the database still holds parcels in but the config no longer names (a compartment retired with its
    parcel inside: the resident's code cannot open it and the console's grid no longer shows it; trial41)."""
    import sqlite3

    db = Path(cfg.data_dir) / "lockerd.db"
    if not db.exists():
        return []
    configured = {c.id for _, c in cfg.compartments()}
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            rows = conn.execute("SELECT compartment_id, tracking_number FROM parcels WHERE state IN ('depositing', 'stored')"
                                " AND compartment_id IS NOT NULL ORDER BY compartment_id").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []  # no readable database yet: nothing to compare
    return [f"compartment {door} is no longer in the config but parcel {tn} is still in it: move the parcel to the"
            f" parcel room (or hand it over) and disable {door} before removing it (docs/operations.md, \"Retiring a"
            " compartment\")" for door, tn in rows if door not in configured]
