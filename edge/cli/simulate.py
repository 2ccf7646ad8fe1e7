"""`lockerd simulate`: the whole daemon on simulated hardware, with demo logins."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from drivers.emulators.launch import start_emulated_banks, stop_emulators
from drivers.locks.base import SimulatedDoors
from drivers.registry import emulated_kinds
from edge.clock import SimClock, parse_iso, utc_iso
from edge.config import ConfigError, SiteConfig, load_config
from edge.instance import EXIT_REFUSED, StartRefused

REPO = Path(__file__).resolve().parents[2]
SIM_PROFILE = REPO / "firmware-config" / "sim.toml"
#: "sim" (in-process doors) or any driver with a protocol emulator (drivers/registry.py)
HARDWARE_KINDS = ["sim", *emulated_kinds()]

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("simulate", help="run the whole daemon on simulated hardware")
    p.add_argument("--data-dir", default="./var", help="database and state (default ./var)")
    p.add_argument("--http", default="127.0.0.1:8080", help="HOST:PORT (default 127.0.0.1:8080)")
    p.add_argument("--mqtt", help="mqtt://host:port or mqtts://host:port (default: no cloud sync)")
    p.add_argument("--site-id", help="override the site id")
    p.add_argument("--command-pubkey", help="PEM file with the Ed25519 key that signs cloud commands")
    p.add_argument("--demo", action="store_true", help="add sample parcels")
    p.add_argument("--config", default=str(SIM_PROFILE), help="site file to simulate (its banks become simulated)")
    p.add_argument("--hardware", choices=["sim", *emulated_kinds()], default="sim",
                   help="drive a protocol emulator through the real driver instead of the in-process simulation")
    p.add_argument("--confirm-timeout", type=float, help="seconds before an unopened door counts as jammed")
    p.set_defaults(func=run)


def build_config(args: argparse.Namespace) -> SiteConfig:
    cfg = load_config(args.config)
    data: dict[str, Any] = cfg.model_dump(mode="python")
    for bank in data["banks"]:
        bank["driver"] = "sim"
        bank["port"] = "sim://"
    data["data_dir"] = str(Path(args.data_dir).resolve())
    if args.site_id:
        data["site"]["id"] = args.site_id
    if args.confirm_timeout:
        data["doors"]["confirm_timeout_s"] = args.confirm_timeout
    if args.mqtt:
        u = urlparse(args.mqtt)
        if u.scheme not in ("mqtt", "mqtts") or not u.hostname:
            raise ConfigError("--mqtt", [("mqtt", "expected mqtt://host:port or mqtts://host:port")])
        data["cloud"]["enabled"] = True
        data["cloud"]["broker"] = args.mqtt
    if args.command_pubkey:
        if not Path(args.command_pubkey).is_file():
            raise ConfigError("--command-pubkey", [("command_pubkey", f"no such file {args.command_pubkey}")])
        data["cloud"]["command_pubkeys"] = [str(Path(args.command_pubkey).resolve())]
    return SiteConfig.model_validate(data)


def run(args: argparse.Namespace) -> int:
    from edge.daemon import Daemon
    from edge.runner import parse_hostport, serve

    try:
        cfg = build_config(args)
        host, port = parse_hostport(args.http)
    except ConfigError as exc:
        print(exc.explain(), file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"lockerd simulate: {exc}", file=sys.stderr)
        return 2
    data_dir = Path(cfg.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    clock = resume_clock(data_dir)
    save_clock(data_dir, clock)  # a restart before any advance resumes this run's time base too
    banks = None
    emulators: list[Any] = []
    if args.hardware != "sim":
        cfg, emulators = start_emulated_banks(cfg, args.hardware, data_dir / "emulators")
    daemon = Daemon(cfg, clock=clock, data_dir=data_dir, simulated=True, banks=banks, config_file=args.config)
    daemon.sim_emulators = [e for e in emulators if isinstance(e, SimulatedDoors)]

    async def persist() -> None:
        save_clock(data_dir, clock)

    daemon.persist_sim_clock = persist

    async def after_start() -> None:
        from edge.demo import seed_parcels

        svc = daemon.services
        assert svc is not None  # started by now
        kept = await daemon.store.write(lambda tx: seed_demo_logins(tx, svc.couriers))
        if kept:
            print(f"lockerd simulate: this data dir holds a real site's accounts: {', '.join(kept)} kept with their own"
                  " password (not the demo one)", flush=True)
        if args.demo:
            await seed_parcels(daemon)

    def ready(url: str) -> None:
        lines = [
            f"lockerd simulate: site {cfg.site.id}, data in {data_dir}",
            f"  kiosk:    {url}/kiosk",
            f"  console:  {url}/   (login at {url}/login)",
            f"  API docs: {url}/docs",
            *demo_lines(),
            "  residents' messages (with pickup codes): GET /api/v1/sim/notifications",
        ]
        print("\n".join(lines), flush=True)

    try:
        asyncio.run(serve(daemon, host, port, after_start=after_start, on_ready=ready))
    except StartRefused as exc:
        print(f"lockerd simulate: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except OSError as exc:
        print(f"lockerd simulate: {exc}", file=sys.stderr)
        return 1
    finally:
        stop_emulators(emulators)
    return 0


def seed_demo_logins(tx: Any, couriers: Any) -> list[str]:
    """The demo logins (edge.demo.seed_logins), except on a real site's data (a copy of /var/lib/lockerd, say:
    staff accounts other than the demo's, or units enrolled for real): there an existing account keeps its own
    password and role, since `ensure_user` would reset `admin` to the published demo password (trial of 2026-12-05).
    Returns the accounts kept."""
    from edge.demo import DEMO, seed_logins
    from edge.services import directory
    from edge.services.staff import ensure_user

    names = [s["username"] for s in DEMO.staff]
    marks = ",".join("?" * len(names))
    # accounts of the demo's names that someone other than this seeding made (`lockerd user add admin`, the Users page)
    existing = {r["target"] for r in tx.all(
        f"SELECT DISTINCT target FROM audit WHERE action = 'user.add' AND actor != 'system' AND target IN ({marks})",
        tuple(names))}
    real = bool(existing or directory.in_use(tx)
                or tx.scalar(f"SELECT 1 FROM staff_users WHERE username NOT IN ({marks}) LIMIT 1", tuple(names)))
    if not real:
        seed_logins(tx, couriers)
        return []
    for c in DEMO.couriers:
        couriers.add_tx(tx, c["code"], c["company"], c["name"])
    for s in DEMO.staff:
        if s["username"] not in existing:
            ensure_user(tx, s["username"], s["password"], s["role"])
    return sorted(existing)


def save_clock(data_dir: Path, clock: SimClock) -> None:
    """The simulated clock's offset from real time (line 1) and its time base (line 2, ISO 8601)."""
    offset = (clock.now() - datetime.now(UTC)).total_seconds()
    try:
        (data_dir / "sim-clock").write_text(f"{offset:.3f}\n{utc_iso(clock.base)}\n")
    except OSError as exc:  # a read-only or full data dir: the startup guard refuses it in words, not this
        log.warning("could not save the simulated clock to %s: %s", data_dir / "sim-clock", exc)


def resume_clock(data_dir: Path) -> SimClock:
    """The simulated clock resumes where the last run left it (its offset from real time), on the last
    run's time base, so the clock guard does not take the restart for a step of the wall clock."""
    f = data_dir / "sim-clock"
    now = datetime.now(UTC)
    try:
        lines = f.read_text().split()
        now += timedelta(seconds=float(lines[0]))
    except (OSError, ValueError, IndexError):
        return SimClock(start=now)
    clock = SimClock(start=now)
    try:
        base = parse_iso(lines[1]) if len(lines) > 1 else None
    except ValueError:
        base = None
    if base is not None and base <= now:
        clock.resume(now, base)
    else:  # a file of an older lockerd (offset only): the guard sees one step, once
        log.warning("sim-clock has no time base: this restart may count as a clock step")
    return clock


def demo_lines() -> list[str]:
    """The demo logins as `lockerd simulate` prints them (the README quotes the couriers' line: the trial of
    2026-12-03b found "(SF)" there and "(SF Express)" here). The CLI speaks English, so a courier's company is
    its English name."""
    from edge.demo import DEMO

    return [
        "  demo staff:    " + ", ".join(f"{s['username']} / {s['password']} ({s['role']})" for s in DEMO.staff),
        "  demo couriers: " + ", ".join(f"{c['code']} ({c['company']})" for c in DEMO.couriers),
        "  demo units:    " + ", ".join(f"{u['unit']} (phone tail {u['phone_tail']})" for u in DEMO.units),
    ]
