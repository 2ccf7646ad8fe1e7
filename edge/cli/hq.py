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
    sv = sub.add_parser("serve", help="HQ service: ingest into PostgreSQL, JSON API, fleet page, commands")
    sv.add_argument("--mqtt", required=True, metavar="URL", help="mqtt://host:port or mqtts://host:port")
    sv.add_argument("--database", required=True, metavar="URL", help="postgresql://user@host:port/db")
    sv.add_argument("--http", default="127.0.0.1:8090", metavar="HOST:PORT")
    sv.add_argument("--workers", type=int, default=2, help="ingest worker processes")
    sv.add_argument("--signing-key", default="", metavar="FILE", help="HQ's Ed25519 private key (PEM) for commands")
    sv.add_argument("--api-token-file", default="", metavar="FILE", help="bearer token of the JSON API")
    sv.add_argument("--group", default="lockerd-hq", help="shared-subscription group name")
    sv.add_argument("--instance", default="lockerd-hq", help="MQTT client id prefix of this HQ")
    sv.add_argument("--reorder-window", type=float, default=5.0, metavar="SECONDS",
                    help="how long events past a gap wait before HQ asks the site to resend")
    sv.add_argument("--stale-after", type=float, default=180.0, metavar="SECONDS",
                    help="an online site silent this long is shown as stale")
    sv.add_argument("--ca-file", default="", metavar="FILE",
                    help="mqtts: the CA that signed the broker's certificate (default: the system's CAs)")
    sv.add_argument("--cert-file", default="", metavar="FILE",
                    help="mqtts: HQ's client certificate (PEM), for a broker with require_certificate")
    sv.add_argument("--key-file", default="", metavar="FILE", help="mqtts: the client certificate's key (PEM)")
    sv.add_argument("--notify", default="", metavar="FILE",
                    help="HQ's message gateway: a TOML of [[channels]] (webhook, sms-aliyun, sms-tencent, sms-twilio,"
                         " smtp) that sends the residents' messages of sites on the default hq channel")
    sv.set_defaults(func=_serve)
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


def _check_tls(args: argparse.Namespace) -> None:
    """The TLS files, read once before any worker starts: a missing or wrong file is one plain line."""
    from cloudsync.tlsctx import client_context
    from cloudsync.topics import parse_broker_url

    files = args.ca_file or args.cert_file or args.key_file
    if not parse_broker_url(args.mqtt).tls:
        if files:
            raise ValueError("--ca-file, --cert-file and --key-file are for an mqtts:// broker")
        return
    client_context(args.ca_file, args.cert_file, args.key_file)


def _serve(args: argparse.Namespace) -> int:
    import logging

    from cloudsync.hq.serve import ServeSettings, serve

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if not 1 <= args.workers <= 64:
        print("lockerd hq serve: --workers must be 1..64", file=sys.stderr)
        return 2
    try:
        _check_tls(args)
    except ValueError as exc:
        print(f"lockerd hq serve: {exc}", file=sys.stderr)
        return 2
    settings = ServeSettings(mqtt=args.mqtt, database=args.database, http=args.http, workers=args.workers,
                             signing_key=args.signing_key, api_token_file=args.api_token_file, group=args.group,
                             reorder_window_s=args.reorder_window, stale_after_s=args.stale_after,
                             instance=args.instance, ca_file=args.ca_file, cert_file=args.cert_file,
                             key_file=args.key_file, notify=args.notify)
    try:
        return serve(settings)
    except (ValueError, OSError) as exc:  # a bad URL, key or token file
        print(f"lockerd hq serve: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # e.g. PostgreSQL unreachable at start
        print(f"lockerd hq serve: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return 1
