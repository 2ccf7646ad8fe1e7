"""`lockerd expected import FILE.csv`: pre-register expected parcels from a CSV file.

The one importer (edge/services/expected_csv.py, the same as the console's): UTF-8 or GB18030, English or
Chinese headers. Like `lockerd unit import`, the database is found from `--data-dir DIR` or `--config FILE`,
and the command works while the daemon runs: each row goes through `ParcelService.expect` (idempotent per
tracking number) and its `parcel.expected` event waits in the outbox for the daemon to publish. A bad
file imports nothing; a bad row is named by line and column, the good rows are imported, and the exit
status is 1 when anything was refused.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from edge.cli.directory import data_dir_of, read_input_file, report_error
from edge.clock import SystemClock
from edge.errors import DomainError
from edge.services import expected_csv
from edge.services.notifier import Notifier
from edge.services.parcels import ParcelService
from edge.services.unit_csv import CsvProblem
from edge.store.db import Store

ACTOR = "cli"


def register(subparsers: Any) -> None:
    e = subparsers.add_parser("expected", help="expected (pre-registered) parcels")
    es = e.add_subparsers(dest="expected_cmd", required=True)
    imp = es.add_parser("import", help="pre-register parcels from CSV (UTF-8 or GB18030; English or Chinese headers)")
    imp.add_argument("file")
    imp.add_argument("--json", action="store_true", help="print the result as JSON")
    g = imp.add_mutually_exclusive_group()
    g.add_argument("--data-dir", help="data directory holding the database (default ./var)")
    g.add_argument("--config", help="site config file (its data_dir is used)")
    imp.set_defaults(func=cmd_expected_import)


def _policy() -> Any:
    raise DomainError("unavailable", "no storage policy in the command line tool")


async def _import(store: Store, raw: bytes) -> expected_csv.ImportResult:
    parcels = ParcelService(store, _policy, Notifier("", "zh-CN"))  # expect needs neither policy nor notifier
    return await expected_csv.import_file(raw, parcels.expect, actor=ACTOR, source="cli_csv")


def cmd_expected_import(args: argparse.Namespace) -> int:
    raw = read_input_file(args.file)
    if raw is None:
        return 1
    try:
        expected_csv.parse(raw)  # a bad file: say so before opening the database
        store = Store(data_dir_of(args) / "lockerd.db", SystemClock(), site_id="cli")
        store.open()
        try:
            res = asyncio.run(_import(store, raw))
        finally:
            store.close()
    except CsvProblem as exc:
        print(f"lockerd: {args.file}: {exc}; nothing was imported", file=sys.stderr)
        return 1
    except Exception as exc:  # the store, the OS, a config error: one plain line, no traceback
        return report_error(exc)
    if args.json:
        print(json.dumps(res.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(f"imported: {res.imported}; refused: {len(res.problems)}")
        for p in res.problems:
            print(f"  {p}", file=sys.stderr)
    return 1 if res.problems else 0
