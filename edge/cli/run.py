"""`lockerd run --config FILE`: run on the hardware and site the config describes."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import Any

from edge.clock import SystemClock
from edge.config import ConfigError, load_config
from edge.instance import EXIT_REFUSED, StartRefused


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("run", help="run the daemon on real hardware")
    p.add_argument("--config", required=True, help="site config (TOML)")
    p.add_argument("--http", help="HOST:PORT for the web server (default: the config's console section)")
    p.set_defaults(func=run)


log = logging.getLogger(__name__)


def run(args: argparse.Namespace) -> int:
    from edge.daemon import Daemon
    from edge.runner import parse_hostport, serve

    try:
        cfg = load_config(args.config)
    except ConfigError as exc:
        print(exc.explain(), file=sys.stderr)
        return 1
    host, port = cfg.console.bind, cfg.console.port
    if args.http:
        try:
            host, port = parse_hostport(args.http)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
    warning = simulated_banks_warning(cfg)
    if warning:
        log.warning("%s", warning)  # through the log setup: a journald-prefixed line under systemd
    clock = SystemClock()
    daemon = Daemon(cfg, clock=clock, data_dir=cfg.data_dir, simulated=False, config_file=args.config)
    try:
        asyncio.run(serve(daemon, host, port, on_ready=lambda url: print(f"lockerd serving {url}", flush=True)))
    except ConfigError as exc:
        print(exc.explain(), file=sys.stderr)
        return 1
    except StartRefused as exc:
        print(f"lockerd: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except OSError as exc:
        print(f"lockerd: {exc}", file=sys.stderr)
        return 1
    return 0


def simulated_banks_warning(cfg: Any) -> str | None:
    """`lockerd run` on a site file whose banks are simulated (firmware-config/sim.toml as it ships) serves doors
    that nothing closes: the simulator's door controls exist only under `lockerd simulate`, so a deposit would wait
    for a door that never reports closed (trial 2026-12-03c). Said plainly at start, not refused: a bench test of a
    real kiosk and console may want exactly that."""
    sim = [b.id for b in cfg.banks if b.driver == "sim"]
    if not sim:
        return None
    return (f"bank{'s' if len(sim) > 1 else ''} {', '.join(sim)} use the simulated driver: their "
            "doors open and close only under `lockerd simulate --config FILE` (its simulator API). For a real site "
            "set each bank's driver and port (docs/config.md); to try the product, run `lockerd simulate`.")
