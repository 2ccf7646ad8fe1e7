"""`lockerd doctor [--config FILE]`: what hardware is there, does every board answer, what is wrong.

Lists serial ports and GPIO chips, probes every configured bank (status reads only: doctor never opens
a door), checks the scanner port and that the MQTT broker accepts a TCP connection, and runs the host
checks (clock sync, disk, systemd...) when that module is installed. Exit 1 when anything required is
wrong. Host checks are advisory unless --strict. Hardware access stays in drivers/diagnostics.py.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
from typing import Any
from urllib.parse import urlparse

from edge.clock import SystemClock
from edge.config import ConfigError, SiteConfig, load_config

DEFAULT_CONFIG = "/etc/lockerd/site.toml"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("doctor", help="check serial ports, GPIO, lock boards, scanner, broker and host")
    p.add_argument("--config", help=f"site config to probe (default {DEFAULT_CONFIG} when it exists)")
    p.add_argument("--timeout", type=float, default=2.0, help="seconds to wait for each board (default 2)")
    p.add_argument("--strict", action="store_true", help="host checks failing also make the exit code 1")
    p.add_argument("--json", action="store_true", help="print the findings as JSON")
    p.set_defaults(func=run)


def check_broker(broker: str, timeout: float = 3.0) -> tuple[bool, str]:
    u = urlparse(broker)
    if u.scheme not in ("mqtt", "mqtts") or not u.hostname:
        return False, f"broker {broker!r} is not mqtt://host:port or mqtts://host:port"
    port = u.port or (8883 if u.scheme == "mqtts" else 1883)
    try:
        with socket.create_connection((u.hostname, port), timeout=timeout):
            pass
    except OSError as exc:
        return False, f"cannot reach {u.hostname}:{port}: {exc.strerror or exc}"
    return True, f"{u.hostname}:{port} accepts connections"


def collect(args: argparse.Namespace) -> tuple[list[dict[str, Any]], bool]:
    """All findings as dicts {section, name, ok, detail, required}, and whether a required one failed."""
    from drivers import diagnostics as diag

    rows: list[dict[str, Any]] = []
    data_dir = "/var/lib/lockerd"

    def add(section: str, name: str, ok: bool, detail: str, required: bool = True) -> None:
        rows.append({"section": section, "name": name, "ok": ok, "detail": detail, "required": required})

    ports = diag.serial_ports()
    add("serial", "ports", True, ", ".join(f"{p['device']} ({p['description']})" for p in ports) or "none found",
        required=False)
    chips = diag.gpio_chips()
    add("gpio", "chips", True, ", ".join(chips) or "none (not a Raspberry Pi?)", required=False)

    path = args.config
    if path is None:
        from pathlib import Path

        path = DEFAULT_CONFIG if Path(DEFAULT_CONFIG).exists() else None
    if path is None:
        add("config", "site", True, f"no --config given and no {DEFAULT_CONFIG}: only listing hardware",
            required=False)
    else:
        try:
            cfg = load_config(path)
        except ConfigError as exc:
            add("config", path, False, exc.explain())
            cfg = None
        if cfg is not None:
            add("config", path, True, f"site {cfg.site.id}, {len(cfg.compartments())} compartments")
            for f in diag.probe_banks(cfg, SystemClock(), timeout=args.timeout):
                add("banks", f.name, f.ok, f.detail, f.required)
            f = diag.probe_scanner(cfg.scanner)
            add("scanner", f.name, f.ok, f.detail, f.required)
            if cfg.cloud.enabled:
                ok, detail = check_broker(cfg.cloud.broker)
                add("cloud", "broker", ok, detail)
            data_dir = cfg.data_dir
            for name, ok, detail, required in _secret_findings(cfg):
                add("secrets", name, ok, detail, required)
    from edge import health_checks

    for name, ok, detail in health_checks.run_all(data_dir):
        add("host", name, ok, detail, required=args.strict)
    failed = any(r["required"] and not r["ok"] for r in rows)
    return rows, failed


def _secret_findings(cfg: SiteConfig) -> list[tuple[str, bool, str, bool]]:
    """(key, ok, detail, required) for the config's secrets, read as the user running doctor (run it as
    lockerd: a file root can read may still be closed to the daemon). Never a secret's value."""
    from pathlib import Path

    from edge.secret_files import check_secrets, secret_keys

    problems, warnings = check_secrets(cfg, Path(cfg.data_dir))
    out = [(key, False, why, True) for key, why in problems]
    out += [(w.split(" ", 1)[0], False, w, False) for w in warnings]
    if not out:
        files = sum(1 for _, kind, _ in secret_keys(cfg) if kind == "file")
        out.append(("files", True, f"{files} secret file(s) readable here and closed to other users"
                    if files else "no secrets configured", False))
    return out


def run(args: argparse.Namespace) -> int:
    try:
        rows, failed = collect(args)
    except Exception as exc:  # doctor must explain, never show a traceback
        print(f"lockerd doctor: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({"ok": not failed, "findings": rows}, ensure_ascii=False))
        return 1 if failed else 0
    section = None
    for r in rows:
        if r["section"] != section:
            section = r["section"]
            print(f"[{section}]")
        mark = "ok  " if r["ok"] else ("FAIL" if r["required"] else "warn")
        print(f"  {mark} {r['name']}: {r['detail']}")
    print("all required checks passed" if not failed else "problems found: see FAIL lines above")
    return 1 if failed else 0
