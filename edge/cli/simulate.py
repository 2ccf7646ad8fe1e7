"""`lockerd simulate`: the whole daemon on simulated hardware, with demo logins."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
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
    p.add_argument("--send-messages", action="store_true",
                   help="send residents' messages through the site file's own [[notify.channels]] (they reach real"
                        " people); by default they only go to GET /api/v1/sim/notifications")
    p.set_defaults(func=run)


def build_config(args: argparse.Namespace) -> SiteConfig:
    cfg = load_config(args.config)
    data: dict[str, Any] = cfg.model_dump(mode="python")
    for bank in data["banks"]:
        bank["driver"] = "sim"
        bank["port"] = "sim://"
    data["data_dir"] = str(Path(args.data_dir).resolve())
    # A simulation reaches nobody: the site's own message channels (its SMS modem or gateway, the property-management
    # webhook, e-mail), staff alert robots and HQ link would send simulated reminders, alerts and events to real
    # residents, staff and HQ when the simulator runs a site's file on a copy of its data (trial of 2026-12-07: the
    # day-on reminders went out through the site's webhook). Messages go to the simulator's gateway instead
    # (GET /api/v1/sim/notifications) unless --send-messages asks for the file's channels; --mqtt still connects to
    # a broker of the tester's choosing.
    if not getattr(args, "send_messages", False):
        data["notify"]["channels"] = simulated_channels(data["notify"]["channels"])
    data["alerts"]["robots"] = []
    data["cloud"]["sync"]["webhooks"] = []
    data["cloud"]["enabled"] = False
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

    shown: dict[str, Any] = {}  # which demo logins after_start seeded (it runs before `ready`)

    async def after_start() -> None:
        from edge.demo import seed_parcels

        svc = daemon.services
        assert svc is not None  # started by now
        seeded = await daemon.store.write(lambda tx: seed_demo_logins(tx, svc.couriers))
        shown.update(seeded)
        for line in own_data_lines(seeded):
            print(f"lockerd simulate: {line}", flush=True)
        if args.demo and seeded["couriers"] and seeded["units"]:
            await seed_parcels(daemon)
        elif args.demo:
            print("lockerd simulate: --demo adds no sample parcels to a site's own couriers or residents", flush=True)

    def ready(url: str) -> None:
        lines = [
            f"lockerd simulate: site {cfg.site.id}, data in {data_dir}",
            f"  kiosk:    {url}/kiosk",
            f"  console:  {url}/   (login at {url}/login)",
            f"  API docs: {url}/docs",
            *demo_lines(shown),
            "  residents' messages (with pickup codes): GET /api/v1/sim/notifications",
            *offline_lines(args, cfg),
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


#: the stand-in for a site file's channels that keep residents' full phone numbers: never sent to (the simulator's
#: gateway before it accepts every message), there only so the directory keeps the numbers
#: (its name is a key of the console's channel names, edge/web/console/notify_words.py, so that the Messages page
#: names it in words in both languages: it read in English on the Chinese page, trial 2026-12-07d)
PHONES_KEPT = {"kind": "webhook", "name": "sim-off", "url": "http://127.0.0.1:9/",
               "send_phone": True}


def simulated_channels(channels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The simulator's gateway instead of the site file's channels. The directory keeps full phone numbers only
    while a channel sends to phones, and drops them at start when none does: with the file's SMS channels left off,
    the simulation erased the residents' numbers from the data it ran on (a copy, or the live database while the
    daemon was stopped). So a file whose channels keep them gets a stand-in that does too, behind the gateway."""
    from edge.notify.component import PHONE_KINDS

    keeps = any(c.get("kind") in PHONE_KINDS or (c.get("kind") == "webhook" and c.get("send_phone")) for c in channels)
    return [{"kind": "sim"}, *([PHONES_KEPT] if keeps else [])] if channels else []


def offline_lines(args: argparse.Namespace, cfg: SiteConfig) -> list[str]:
    """What the start lines say of the links the site file named and the simulation leaves off (build_config)."""
    site = load_config(args.config)
    off = []
    if site.notify.channels and not getattr(args, "send_messages", False):
        off.append("its message channels (" + ", ".join(c.kind for c in site.notify.channels) + ")")
    if site.alerts.robots or site.cloud.sync.webhooks:
        off.append("its staff alert robots")
    if site.cloud.enabled and not args.mqtt:
        off.append("its HQ link")
    if not off:
        return []
    return ["  not used from the site file, so no simulated message reaches a real person: " + ", ".join(off)
            + (" (--send-messages sends through the channels)"
               if site.notify.channels and not getattr(args, "send_messages", False) else "")]


def seed_demo_logins(tx: Any, couriers: Any) -> dict[str, Any]:
    """The demo logins (edge.demo.seed_logins), each kind only where the data holds none of the site's own.

    On a real site's data (a copy of /var/lib/lockerd, or the live database itself) `ensure_user` would reset an
    account of a demo name (`admin`, `staff`) to its published password, role and active state, and a demo login
    added beside the site's own (a staff account, a courier code such as 100001) is a published secret that opens
    its console or a door (trial of 2026-12-05; review26). So: staff accounts of the site's own (`site_staff`)
    keep every account as it is and get no demo one; courier codes of its own get no demo code; a directory in use
    gets no demo unit. Returns which kinds were seeded ("staff", "couriers", "units": bool) and `kept`, the
    accounts of demo names left as they are."""
    from edge.demo import DEMO, seed_couriers, seed_staff, seed_units
    from edge.services import directory

    out: dict[str, Any] = {"staff": False, "couriers": False, "units": False, "kept": []}
    if site_staff(tx):
        names = [s["username"] for s in DEMO.staff]
        out["kept"] = [r["username"] for r in tx.all(
            f"SELECT username FROM staff_users WHERE username IN ({','.join('?' * len(names))}) ORDER BY username",
            tuple(names))]
    else:
        seed_staff(tx)
        out["staff"] = True
    codes = [couriers._hash(c["code"]) for c in DEMO.couriers]
    if not tx.scalar(f"SELECT 1 FROM couriers WHERE code_hash NOT IN ({','.join('?' * len(codes))}) LIMIT 1",
                     tuple(codes)):
        seed_couriers(tx, couriers)
        out["couriers"] = True
    if not directory.in_use(tx):
        seed_units(tx)
        out["units"] = True
    return out


def site_staff(tx: Any) -> bool:
    """Does the database hold staff accounts of the site's own, rather than only the simulator's demo ones?

    Any one of: an account of another name than the demo's; an account of a demo name that someone other than the
    simulator's seeding made (`lockerd user add admin`, the Users page), or that does not log in with its demo
    password, role and active state (changed since, by whoever: the site's own now)."""
    from edge.demo import DEMO
    from edge.services.staff import verify_password

    demo = {s["username"]: s for s in DEMO.staff}
    marks = ",".join("?" * len(demo))
    if tx.scalar(f"SELECT 1 FROM staff_users WHERE username NOT IN ({marks}) LIMIT 1", tuple(demo)):
        return True
    if tx.scalar(f"SELECT 1 FROM audit WHERE action = 'user.add' AND actor != 'system' AND target IN ({marks})"
                 " LIMIT 1", tuple(demo)):
        return True
    for row in tx.all(f"SELECT username, password_hash, role, active FROM staff_users WHERE username IN ({marks})",
                      tuple(demo)):
        s = demo[row["username"]]
        if row["role"] != s["role"] or not row["active"] or not verify_password(row["password_hash"], s["password"]):
            return True
    return False


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
        # a fresh simulation counts monotonic time as the machine does, so wall minus monotonic is what the site's
        # daemon recorded in this boot: on a copy of a site's data the clock guard saw the machine's uptime as a
        # step and re-based every stored parcel that far into the future (trial of 2026-12-07: +2785 s)
        clock = SimClock(start=now)
        clock.resume(now, now - timedelta(seconds=time.monotonic()))
        return clock
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


def demo_lines(seeded: dict[str, Any] | None = None) -> list[str]:
    """The demo logins as `lockerd simulate` prints them (the README quotes the couriers' line: the trial of
    2026-12-03b found "(SF)" there and "(SF Express)" here), those `seeded` names only when given (a site's own
    data gets none of a kind it has). The CLI speaks English, so a courier's company is its English name."""
    from edge.demo import DEMO

    lines = {
        "staff": "  demo staff:    " + ", ".join(f"{s['username']} / {s['password']} ({s['role']})" for s in DEMO.staff),
        "couriers": "  demo couriers: " + ", ".join(f"{c['code']} ({c['company']})" for c in DEMO.couriers),
        "units": "  demo units:    " + ", ".join(f"{u['unit']} (phone tail {u['phone_tail']})" for u in DEMO.units),
    }
    return [line for kind, line in lines.items() if seeded is None or seeded.get(kind)]


def own_data_lines(seeded: dict[str, Any]) -> list[str]:
    """What `lockerd simulate` says at start of the site's own data it left as it is (seed_demo_logins)."""
    out = []
    if not seeded["staff"]:
        kept = f"; {', '.join(seeded['kept'])} kept with their own password" if seeded["kept"] else ""
        out.append(f"this data dir holds the site's own staff accounts: no demo staff login added, none changed{kept};"
                   " log in with the site's own accounts")
    if not seeded["couriers"]:
        out.append("this data dir holds the site's own courier codes: the demo courier codes were not added")
    if not seeded["units"]:
        out.append("this data dir holds the site's own residents: the demo units were not added")
    return out
