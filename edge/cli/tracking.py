"""`lockerd tracking classify` (JSON lines in, JSON lines out, same order) and `lockerd tracking report`.

classify: each input line `{"text": ..., "carrier"?: ..., "code"?: ..., "provider"?: ...}` gives one output
line `{"milestone", "confidence", "rule"}`; a line that is not such an object gives `{"error": ...}`, never a
crash. report: the carrier report from a data dir's database (read-only, safe while the daemon runs).
"""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)

MAX_LINE = 64_000


def classify_stream(inp: IO[str], out: IO[str]) -> int:
    """Returns the number of error lines."""
    from edge.tracking.classify import Classifier

    clf = Classifier()
    errors = 0
    for line in inp:
        result: dict[str, Any]
        try:
            if len(line) > MAX_LINE:
                raise ValueError(f"line longer than {MAX_LINE} characters")
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise ValueError("each line must be a JSON object")
            text = obj.get("text")
            if not isinstance(text, str):
                raise ValueError('"text" (a string) is required')
            carrier = obj.get("carrier")
            provider = obj.get("provider")
            c = clf.classify(text, carrier if isinstance(carrier, str) else None, obj.get("code"),
                             provider if isinstance(provider, str) else None)
            result = c.as_dict()
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            errors += 1
            msg = str(exc) if not isinstance(exc, json.JSONDecodeError) else f"not JSON: {exc.msg}"
            result = {"error": "invalid_line", "message": msg}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    out.flush()
    return errors


def _classify(args: argparse.Namespace) -> int:
    classify_stream(sys.stdin, sys.stdout)
    return 0


def _parse_day(value: str | None, default: datetime) -> str:
    from edge.clock import parse_iso, utc_iso

    if not value:
        return utc_iso(default)
    if len(value) == 10:
        value += "T00:00:00Z"
    return utc_iso(parse_iso(value))


def _report(args: argparse.Namespace) -> int:
    from edge.clock import SystemClock
    from edge.store.db import Tx
    from edge.tracking import report as R

    db = Path(args.data_dir) / "lockerd.db"
    if not db.exists():
        print(f"error: no database at {db}", file=sys.stderr)
        return 1
    now = datetime.now(UTC)
    try:
        until = _parse_day(args.until, now)
        since = _parse_day(args.since, now - timedelta(days=30))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = R.carrier_rows(Tx(conn, SystemClock(), ""), since, until)
    except sqlite3.Error as exc:
        print(f"error: cannot read {db}: {exc}", file=sys.stderr)
        return 1
    finally:
        conn.close()
    if args.csv:
        sys.stdout.write(R.to_csv(rows))
        return 0
    if args.json:
        print(json.dumps({"since": since, "until": until, "carriers": rows,
                          "problem_carriers": R.problem_carriers(rows)}, ensure_ascii=False))
        return 0
    print(f"carrier report {since} .. {until}")
    print(" | ".join(R.COLUMNS))
    for r in rows:
        print(" | ".join("-" if r.get(c) is None else str(r[c]) for c in R.COLUMNS))
    bad = R.problem_carriers(rows)
    print("problem carriers: " + (", ".join(b["carrier"] for b in bad) if bad else "none"))
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("tracking", help="tracking tools: classify carrier events, carrier report")
    sub = p.add_subparsers(dest="tracking_command", metavar="SUBCOMMAND")
    c = sub.add_parser("classify", help="JSON lines on stdin -> {milestone, confidence} lines on stdout")
    c.set_defaults(func=_classify)
    r = sub.add_parser("report", help="carrier report from a data dir (read-only)")
    r.add_argument("--data-dir", default="./var", help="the daemon's data dir (default ./var)")
    r.add_argument("--since", help="start, YYYY-MM-DD or ISO 8601 (default 30 days ago)")
    r.add_argument("--until", help="end, YYYY-MM-DD or ISO 8601 (default now)")
    fmt = r.add_mutually_exclusive_group()
    fmt.add_argument("--csv", action="store_true", help="CSV on stdout")
    fmt.add_argument("--json", action="store_true", help="JSON on stdout")
    r.set_defaults(func=_report)
    p.set_defaults(func=lambda _a: (p.print_help(), 2)[1])
