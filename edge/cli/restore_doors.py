"""`lockerd restore-doors`: after `lockerd restore`, ask HQ what the replaced unit did after the backup
(issue 18; ADR 0057).

HQ stores every event of a site in order per stream (cloudsync/hq). The restore remembered the backup's last
(stream, seq); HQ's events after it are the replaced unit's. This prints, in words, which unconfirmed doors they
show holding a parcel and which were filled and emptied again; with `--apply` the doors holding a parcel are
recorded as such (a found-parcel task for the desk, as the console's "holds a parcel"). Nothing opens a door and
no door is confirmed empty from HQ (an event the old unit never sent is not at HQ): the walk checks the rest.
Run it with lockerd stopped, right after the restore. If HQ cannot be reached, say so and walk the doors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from edge.cli.backup import BackupError, daemon_running, db_path, resolve_data_dir
from edge.clock import SystemClock
from edge.errors import DomainError
from edge.services.restore_doors import RestoreDoorService, doors_from_events
from edge.store.db import Store, StoreError

PAGE = 1000


class HqUnreachable(Exception):
    """HQ did not answer, or refused; the message says why in words."""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("restore-doors", help="after a restore: learn from HQ which doors the replaced unit filled")
    p.add_argument("--config", required=True, help="site config file (its data_dir and site id)")
    p.add_argument("--hq", required=True, help="HQ's HTTP address, e.g. https://hq.example.com")
    p.add_argument("--token-file", required=True, help="file holding HQ's API token")
    p.add_argument("--apply", action="store_true", help="record the doors HQ shows holding a parcel")
    p.set_defaults(func=cmd_restore_doors)


def fetch_events(hq: str, token: str, site: str, stream: str, after: int, timeout: float = 15) -> list[dict[str, Any]]:
    """HQ's events of `site` in `stream` after seq `after`, in order, every page."""
    out: list[dict[str, Any]] = []
    while True:
        q = urllib.parse.urlencode({"stream": stream, "after_seq": after, "limit": PAGE})
        req = urllib.request.Request(f"{hq.rstrip('/')}/api/v1/sites/{urllib.parse.quote(site)}/events?{q}",
                                     headers={"Authorization": f"Bearer {token}"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                page = json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            raise HqUnreachable(f"HQ refused ({exc.code}): check the address and the token") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise HqUnreachable(f"HQ could not be reached ({getattr(exc, 'reason', exc)})") from None
        if not isinstance(page, list):
            raise HqUnreachable("HQ's answer was not a list of events")
        out += page
        if len(page) < PAGE:
            return out
        after = int(page[-1]["seq"])


def _say(result: dict[str, Any], holds: dict[str, dict[str, str]], applied: bool) -> list[str]:
    lines = [f"HQ holds {result['events']} event(s) the replaced unit made after the backup."]
    for door in result["holds"]:
        seen = holds[door]
        what = ", ".join(x for x in (seen["waybill"] and f"waybill {seen['waybill']}",
                                     seen["unit"] and f"for unit {seen['unit']}") if x)
        lines.append(f"  {door} holds a parcel{f' ({what})' if what else ''}: "
                     + ("recorded for the desk; the door stays out of use." if applied
                        else "run again with --apply to record it."))
    for door in result["emptied"]:
        lines.append(f"  {door} was filled and emptied again after the backup: still check it on the walk.")
    if not result["holds"] and not result["emptied"]:
        lines.append("  They name no door still waiting to be checked.")
    lines.append(f"{result['still_to_check']} door(s) still to check on the console's reconcile page (/reconcile);"
                 " no door was opened.")
    return lines


async def run(store: Store, hq: str, token: str, site: str, apply: bool) -> list[str]:
    svc = RestoreDoorService(store)
    end = await svc.backup_end()
    if end is None:
        return ["This database was not restored from a backup (or the backup predates this release): walk the doors."]
    events = fetch_events(hq, token, site, end[0], end[1])
    holds, _ = doors_from_events(events)
    if apply:
        result = await svc.apply_hq(events)
    else:
        pending = {r["id"] for r in await svc.pending()}
        _, emptied = doors_from_events(events)
        result = {"events": len(events), "holds": sorted(d for d in holds if d in pending),
                  "emptied": sorted(emptied & pending), "still_to_check": len(pending)}
    return _say(result, holds, apply)


def cmd_restore_doors(args: argparse.Namespace) -> int:
    from edge.config import ConfigError, load_config

    try:
        cfg = load_config(args.config)
        data_dir = resolve_data_dir(None, args.config)
        token = Path(args.token_file).read_text().strip()
    except ConfigError as exc:
        print(f"error: {exc.explain()}", file=sys.stderr)
        return 2
    except (BackupError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    why = daemon_running(db_path(data_dir))
    if why:
        print(f"error: {why}; stop it first (the doors are recorded before lockerd starts)", file=sys.stderr)
        return 1
    store = Store(db_path(data_dir), SystemClock(), site_id=cfg.site.id)
    try:
        store.open()
        lines = asyncio.run(run(store, args.hq, token, cfg.site.id, args.apply))
    except HqUnreachable as exc:
        print(f"error: {exc}. Walk the doors and check each one on the console's reconcile page (/reconcile).",
              file=sys.stderr)
        return 1
    except (DomainError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()
    print("\n".join(lines))
    return 0
