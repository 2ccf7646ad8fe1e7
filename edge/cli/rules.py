"""`lockerd rules preview --at ISO8601`: what the storage rules would have done by then, without doing it.

Reads the database read-only (the daemon may be running). The site's time zone, holiday calendar and
policy come from --config (or the defaults: Asia/Shanghai, CN); a newer policy stored at run time wins,
as in the daemon.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sqlite3
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from edge.clock import parse_iso, utc_iso

log = logging.getLogger(__name__)

DEFAULT_DATA_DIR = "/var/lib/lockerd"


class _FixedClock:
    def __init__(self, at: datetime) -> None:
        self._at = at
        self.synchronised = True

    def now(self) -> datetime:
        return self._at

    def monotonic(self) -> float:
        return 0.0

    async def sleep(self, seconds: float) -> None:  # pragma: no cover - never slept on
        return None


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("rules", help="storage rules: preview what they would do")
    sub = p.add_subparsers(dest="rules_command", metavar="SUBCOMMAND")
    pv = sub.add_parser("preview", help="what the rules would do by a given time, without doing it")
    pv.add_argument("--at", required=True, help="ISO 8601 time with a zone, e.g. 2026-07-01T09:00:00+08:00")
    pv.add_argument("--data-dir", help="the daemon's data dir (default: from --config, else $LOCKERD_DATA_DIR)")
    pv.add_argument("--config", help="site config (time zone, holiday calendar, policy, data dir)")
    pv.add_argument("--now", help="pretend the current time is this (default: the later of the system clock "
                    "and the newest event in the database, which follows a simulator's clock)")
    pv.add_argument("--json", action="store_true", help="one JSON object per line")
    pv.set_defaults(func=preview_command)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _fail(msg: str) -> int:
    print(f"lockerd rules: {msg}", file=sys.stderr)
    return 1


def preview_command(args: argparse.Namespace) -> int:
    from edge.config import ConfigError, SiteInfo, load_config
    from edge.policy import Policy

    try:
        at = parse_iso(args.at)
        forced_now = parse_iso(args.now) if args.now else None
    except ValueError as exc:
        return _fail(f"--at/--now: {exc} (use ISO 8601 with a zone, e.g. 2026-07-01T09:00:00Z)")
    site, policy, data_dir = SiteInfo(id="preview"), Policy(), None
    if args.config:
        try:
            cfg = load_config(args.config)
        except ConfigError as exc:
            return _fail(exc.explain())
        site, policy, data_dir = cfg.site, cfg.policy, cfg.data_dir
    data = Path(args.data_dir or data_dir or os.environ.get("LOCKERD_DATA_DIR") or DEFAULT_DATA_DIR)
    db = data / "lockerd.db"
    if not db.exists():
        return _fail(f"no database at {db}")
    try:
        rows, summary = run_preview(db, at, site.timezone, site.holiday_calendar, policy, site.name,
                                    site.locale, forced_now, site=site)
    except (sqlite3.Error, PreviewError) as exc:
        return _fail(str(exc))
    if args.json:
        for r in rows:
            print(json.dumps(r, ensure_ascii=False))
        return 0
    print(f"Rules preview at {utc_iso(at)} ({summary['tz']}, calendar {summary['calendar']}, "
          f"policy v{summary['policy_version']}; now {summary['now']})")
    if not rows:
        print("Nothing would happen.")
        return 0
    print(f"{'due (UTC)':<25} {'due (local)':<17} {'action':<26} {'tracking':<22} {'unit':<10} location")
    for r in rows:
        mark = " (projected)" if r["projected"] else " (skipped)" if r["skipped"] else ""
        print(f"{r['due_at']:<25} {r['due_local']:<17} {r['action'] + mark:<26} {r['tracking_number']:<22} "
              f"{r['unit'] or '-':<10} {r['location'] or '-'}")
    counts = Counter(r["action"].split(":")[0] for r in rows)
    print("Total: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


class PreviewError(Exception):
    pass


def run_preview(
    db: Path, at: datetime, tz: str, calendar_code: str, base_policy: Any, site_name: str = "", lang: str = "zh-CN",
    now: datetime | None = None, site: Any = None,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    from edge.rules.calendar import WorkCalendar
    from edge.rules.engine import RulesEngine
    from edge.rules.policy_service import effective_policy_since
    from edge.services.notifier import Notifier
    from edge.store.db import Tx

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, isolation_level=None)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "rule_schedule" not in tables:
            raise PreviewError("the database has no rules tables yet: start the daemon once (or run lockerd migrate)")
        if now is None:
            last = conn.execute("SELECT MAX(ts) FROM events").fetchone()[0]
            now = datetime.now(UTC)
            if last:
                now = max(now, parse_iso(last))
        tx = Tx(conn, _FixedClock(now), "preview")
        policy, since = effective_policy_since(tx, base_policy)
        # with --config, the site's calendar with the days its operator entered (site.rest_days / working_days)
        calendar = WorkCalendar.for_site(site) if site is not None else WorkCalendar(tz, calendar_code)
        engine = RulesEngine(None, lambda: policy, calendar, Notifier(site_name, lang),  # type: ignore[arg-type]
                             policy_since=lambda: since)
        rows = engine.preview(tx, at)
    finally:
        conn.close()
    for r in rows:
        r["due_local"] = calendar.local(parse_iso(r["due_at"])).strftime("%Y-%m-%d %H:%M")
    summary = {"tz": tz, "calendar": calendar_code, "policy_version": policy.version, "now": utc_iso(now)}
    return rows, summary
