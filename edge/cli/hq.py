"""`lockerd hq watch --mqtt URL`: the HQ fleet view (the MQTT code lives in cloudsync/hq/watch.py)."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    hq = subparsers.add_parser("hq", help="tools for HQ (fleet view)")
    sub = hq.add_subparsers(dest="hq_command", metavar="HQ_COMMAND")
    w = sub.add_parser("watch", help="terminal fleet view: sites, online, last seen, occupancy, alerts")
    w.add_argument("--mqtt", required=True, metavar="URL", help="mqtt://host:port or mqtts://host:port")
    w.add_argument("--share", metavar="GROUP", help="use a shared subscription ($share/GROUP/...) for telemetry "
                                                   "and events (several HQ workers on a clustered broker)")
    w.add_argument("--interval", type=float, default=2.0, help="seconds between screen refreshes")
    w.add_argument("--duration", type=float, help="stop after this many seconds")
    w.add_argument("--once", action="store_true", help="collect for --duration (default 3 s), print one table")
    w.add_argument("--ca-file", default="")
    w.add_argument("--cert-file", default="")
    w.add_argument("--key-file", default="")
    w.set_defaults(func=_watch)
    hq.set_defaults(func=lambda args: (hq.print_help(), 2)[1])


def _watch(args: argparse.Namespace) -> int:
    from cloudsync.hq import watch

    duration = args.duration if args.duration is not None else (3.0 if args.once else None)
    try:
        return watch(args.mqtt, share=args.share, interval=max(0.2, args.interval), duration=duration,
                     once=args.once, ca_file=args.ca_file, cert_file=args.cert_file, key_file=args.key_file)
    except (ValueError, OSError) as exc:  # a bad URL or TLS file
        print(f"lockerd hq watch: {exc}", file=sys.stderr)
        return 2
