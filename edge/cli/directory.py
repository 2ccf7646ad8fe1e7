"""`lockerd courier add|disable|enable|list` and `lockerd unit import|list|remove`: the site directory.

Like `lockerd user`, the database is found from `--data-dir DIR` or `--config FILE` (its `data_dir`), and
the commands work while the daemon runs (SQLite WAL; the daemon reads the directory on every login and
deposit, so a disabled courier is refused at once). Errors go to stderr in plain words, exit status 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from edge.clock import SystemClock
from edge.errors import DomainError
from edge.services import directory as D
from edge.services import unit_csv
from edge.store.db import Store, StoreError

ACTOR = "cli"


def register(subparsers: Any) -> None:
    def common(sp: argparse.ArgumentParser) -> None:
        g = sp.add_mutually_exclusive_group()
        g.add_argument("--data-dir", help="data directory holding the database (default ./var)")
        g.add_argument("--config", help="site config file (its data_dir is used)")

    c = subparsers.add_parser("courier", help="courier codes for the kiosk")
    cs = c.add_subparsers(dest="courier_cmd", required=True)
    add = cs.add_parser("add", help="enrol a courier (prints the code when it is generated)")
    add.add_argument("--code", help="4-16 digits (default: 8 random digits, printed once)")
    add.add_argument("--company", required=True, help="e.g. 顺丰速运 or SF Express")
    add.add_argument("--name", default="", help="the courier's name")
    common(add)
    add.set_defaults(func=cmd_courier_add)
    for action in ("disable", "enable"):
        sp = cs.add_parser(action, help=f"{action} a courier code (a disabled code is refused at once)")
        sp.add_argument("code")
        common(sp)
        sp.set_defaults(func=cmd_courier_toggle, active=action == "enable")
    ls = cs.add_parser("list", help="list couriers")
    ls.add_argument("--json", action="store_true")
    common(ls)
    ls.set_defaults(func=cmd_courier_list)

    u = subparsers.add_parser("unit", help="residents' units (the directory)")
    us = u.add_subparsers(dest="unit_cmd", required=True)
    imp = us.add_parser("import", help="import units from CSV (UTF-8 or GB18030; English or Chinese headers)")
    imp.add_argument("file")
    imp.add_argument("--replace", action="store_true", help="remove units that are not in the file")
    imp.add_argument("--dry-run", action="store_true", help="show what would change, change nothing")
    common(imp)
    imp.set_defaults(func=cmd_unit_import)
    ls = us.add_parser("list", help="list units")
    ls.add_argument("--json", action="store_true")
    ls.add_argument("--search", default="", help="part of a unit or phone tail")
    common(ls)
    ls.set_defaults(func=cmd_unit_list)
    rm = us.add_parser("remove", help="remove a unit and its personal data")
    rm.add_argument("unit")
    common(rm)
    rm.set_defaults(func=cmd_unit_remove)


def data_dir_of(args: argparse.Namespace) -> Path:
    if getattr(args, "config", None):
        from edge.config import load_config

        return Path(load_config(args.config).data_dir)
    return Path(getattr(args, "data_dir", None) or "./var")


class NoDatabase(Exception):
    """A command that only reads or changes what exists, pointed at a data dir with no database."""


class _Db:
    def __init__(self, args: argparse.Namespace, *, create: bool = False) -> None:
        from edge.daemon import load_secret

        data_dir = data_dir_of(args)
        if not create and not (data_dir / "lockerd.db").is_file():
            # never make an empty database (and a key) where a mistyped --data-dir points: it would
            # answer "no couriers yet" about a site that has them
            raise NoDatabase(f"no lockerd database in {data_dir} (is --data-dir, or the config's data_dir, "
                             f"right?); nothing was changed")
        self.store = Store(data_dir / "lockerd.db", SystemClock(), site_id="cli")
        self.store.open()
        self.couriers = D.Couriers(load_secret(data_dir))

    def __enter__(self) -> _Db:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.store.close()


def _run(args: argparse.Namespace, fn: Any, *, create: bool = False) -> int:
    """Run `fn` on the database; `create` (enrolling, importing) makes the database of a new site."""
    try:
        with _Db(args, create=create) as db:
            return int(fn(db) or 0)
    except Exception as exc:
        return report_error(exc)


def report_error(exc: Exception) -> int:
    """One plain line on stderr for a CLI command that failed, never a traceback; exit status 1."""
    if isinstance(exc, DomainError):
        print(f"lockerd: {exc.message}", file=sys.stderr)
    elif isinstance(exc, (StoreError, OSError, NoDatabase)):
        print(f"lockerd: {exc}", file=sys.stderr)
    else:  # config errors and the like
        explain = getattr(exc, "explain", None)
        print(explain() if callable(explain) else f"lockerd: {exc}", file=sys.stderr)
    return 1


def cmd_courier_add(args: argparse.Namespace) -> int:
    def fn(db: _Db) -> int:
        generated = not args.code

        def tx_fn(tx: Any) -> tuple[dict[str, Any], str]:
            if args.code:
                return db.couriers.add_tx(tx, args.code, args.company, args.name, actor=ACTOR), args.code
            code = db.couriers.new_code(tx)
            return db.couriers.add_tx(tx, code, args.company, args.name, actor=ACTOR), code

        row, code = db.store.write_sync(tx_fn)
        print(f"courier {row['company']}{' ' + row['name'] if row['name'] else ''} enrolled"
              + (f"; code {code} (shown once, give it to the courier)" if generated else ""))
        return 0

    return _run(args, fn, create=True)


def cmd_courier_toggle(args: argparse.Namespace) -> int:
    def fn(db: _Db) -> int:
        row = db.store.write_sync(lambda tx: db.couriers.set_active_by_code_tx(tx, args.code, args.active, actor=ACTOR))
        print(f"courier {row['company']} {'enabled' if row['enabled'] else 'disabled'}")
        return 0

    return _run(args, fn)


def cmd_courier_list(args: argparse.Namespace) -> int:
    def fn(db: _Db) -> int:
        rows = db.store.read_sync(db.couriers.list_tx)
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=2))
            return 0
        if not rows:
            print("no couriers yet: lockerd courier add --code CODE --company NAME")
        for r in rows:
            print(f"{r['code_hint'] or '-':>10}  {'enabled ' if r['enabled'] else 'DISABLED'}  {r['company']}"
                  f"{'  ' + r['name'] if r['name'] else ''}  last use: {r['last_used_at'] or 'never'}")
        return 0

    return _run(args, fn)


def _describe(preview: dict[str, Any]) -> list[str]:
    lines = [f"{len(preview['add'])} to add, {len(preview['change'])} to change, {preview['same']} unchanged,"
             f" {len(preview['remove'])} to remove"]
    for a in preview["add"][:20]:
        lines.append(f"  + {a['unit']}")
    for c in preview["change"][:20]:
        fields = ", ".join(f"{k}: {v[0]!s} -> {v[1]!s}" for k, v in c["changes"].items())
        lines.append(f"  ~ {c['unit']} ({fields})")
    for r in preview["remove"][:20]:
        lines.append(f"  - {r}")
    return lines


def read_input_file(name: str) -> bytes | None:
    """The bytes of a file named on the command line, or None after one plain line saying why not."""
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        print(f"lockerd: cannot read {name}: {exc.strerror or exc}", file=sys.stderr)
        return None


def cmd_unit_import(args: argparse.Namespace) -> int:
    raw = read_input_file(args.file)
    if raw is None:
        return 1
    try:
        parsed = unit_csv.parse_file(raw)
    except unit_csv.CsvProblem as exc:
        for problem in exc.each():  # every bad line, one a line, so that the file is fixed in one go
            print(f"lockerd: {args.file}: {problem.one()}", file=sys.stderr)
        if exc.more:
            print(f"lockerd: {args.file}: and {exc.more} more problems", file=sys.stderr)
        print(f"lockerd: {args.file}: nothing was imported", file=sys.stderr)
        return 1
    units = parsed.units
    if parsed.ignored:
        print(f"lockerd: {args.file}: warning: {parsed.warning('en')}", file=sys.stderr)

    def fn(db: _Db) -> int:
        wants = _config_keeps_phone(args)  # inside _run: a bad --config file is one plain error, not a traceback
        kept = db.store.read_sync(D.keep_phone)
        if wants and not kept:
            # the preview as the import will run it (phone numbers kept), in a transaction rolled back
            preview = _preview_keeping_phones(db, units, replace=args.replace)
        else:
            preview = db.store.read_sync(lambda tx: D.preview_tx(tx, units, replace=args.replace))
        print("\n".join(_describe(preview)))
        dropped = 0 if (kept or wants) else sum(1 for u in units if u.phone)
        if dropped:
            print(f"lockerd: {args.file}: warning: {dropped} full phone number(s) not kept, only their last 4 digits:"
                  f" {_why_no_phones(args)}", file=sys.stderr)
        if args.dry_run:
            print("dry run: nothing changed")
            return 0
        def apply(tx: Any) -> dict[str, int]:
            if wants and not kept:
                # a site whose daemon has not started yet with its phone channel (docs/install.md, sections 7
                # and 9): the config is the daemon's own rule (edge/notify/component.py), so the numbers are
                # kept, in the import's own transaction: an import that fails leaves the flag as it was too
                tx.meta_set(D.KEEP_PHONE_KEY, "1")
            return D.import_tx(tx, units, replace=args.replace, actor=ACTOR, source="csv")

        try:
            counts = db.store.write_sync(apply)
        except Exception as exc:  # why, then that the file left the directory as it was
            report_error(exc)
            print(f"lockerd: {args.file}: nothing was imported", file=sys.stderr)
            return 1
        print(f"imported: {counts['added']} added, {counts['changed']} changed, {counts['removed']} removed")
        return 0

    return _run(args, fn, create=True)


class _DryRun(Exception):
    """Raised to roll back the transaction of a dry run's preview."""


def _preview_keeping_phones(db: _Db, units: list[Any], *, replace: bool) -> dict[str, Any]:
    """The preview as the import will run it (phone numbers kept), in a transaction rolled back."""
    got: dict[str, Any] = {}

    def fn(tx: Any) -> None:
        tx.meta_set(D.KEEP_PHONE_KEY, "1")
        got.update(D.preview_tx(tx, units, replace=replace))
        raise _DryRun

    try:
        db.store.write_sync(fn)
    except _DryRun:
        pass
    return got


def _config_keeps_phone(args: argparse.Namespace) -> bool:
    """With `--config`: does one of its `[[notify.channels]]` send to phone numbers (SMS, a modem, a webhook with
    `send_phone`)? The same rule the daemon writes to the database at its start."""
    if not getattr(args, "config", None):
        return False
    from edge.config import load_config
    from edge.notify.component import PHONE_KINDS
    from edge.notify.config import WebhookChannel

    channels = list(load_config(args.config).notify.channels)
    if not channels:  # the default on a real site: hq, which hands the number to HQ's SMS (ADR 0049)
        return True
    return any(c.kind in PHONE_KINDS or (isinstance(c, WebhookChannel) and c.send_phone) for c in channels)


def _why_no_phones(args: argparse.Namespace) -> str:
    if getattr(args, "config", None):
        return (f"no channel in {args.config}'s [[notify.channels]] sends to phones (an SMS or gsm-modem channel,"
                " or a webhook with send_phone = true); docs/install.md, section 7")
    return ("the daemon has not started with a channel that sends to phones; name the site file with --config"
            " FILE (its [[notify.channels]] decide), or import again after the daemon's start")


def cmd_unit_list(args: argparse.Namespace) -> int:
    def fn(db: _Db) -> int:
        rows = db.store.read_sync(lambda tx: D.list_units_tx(tx, args.search, limit=100_000))
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=2))
            return 0
        if not rows:
            print("no units yet: lockerd unit import units.csv")
        for r in rows:
            flags = [f for f, on in (("low door", r["low_door"]), ("no locker", not r["locker_consent"])) if on]
            print(f"{r['unit']:<12} tail {r['phone_tail'] or '----'}  {r['lang'] or '-':<5} {', '.join(flags)}")
        return 0

    return _run(args, fn)


def cmd_unit_remove(args: argparse.Namespace) -> int:
    def fn(db: _Db) -> int:
        db.store.write_sync(lambda tx: D.remove_unit_tx(tx, args.unit, actor=ACTOR))
        print(f"unit {args.unit} removed with its personal data")
        return 0

    return _run(args, fn)
