"""`lockerd simulate` without `--config` on a site's data changes none of its stored data (trial of 2026-12-07,
item 13; issue 18).

The directory keeps residents' full phone numbers only while a channel sends to phones, and the daemon's start
dropped them when none did. `lockerd simulate --data-dir COPY` with the default sim.toml (no channels) on a copy of
a site whose SMS modem keeps them erased every resident's number from the copy (or from the live data, with the
daemon stopped). A simulator start must leave residents, couriers, accounts and settings as they were."""

from __future__ import annotations

import ast
import signal
import sqlite3
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import free_port, launch_sim, lockerd_cmd

REPO = Path(__file__).resolve().parents[2]
UNITS = "房号,手机号,手机尾号,语言,邮箱\n5-801,13812345678,,中文,a@example.cn\n5-802,13987654321,,英文,\n"
MODEM = '\n[[notify.channels]]\nkind = "gsm-modem"\nport = "/dev/ttyUSB3"\n'
#: what a simulated day may add: its own trail and its own clock, nothing of the site's
#: (rule_schedule: when the rules look at a parcel next, derived from the parcel, as `lockerd run` derives it)
OWN = {"audit", "events", "meta", "outbox", "sqlite_sequence", "notifications", "health", "sessions", "rule_schedule"}


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*lockerd_cmd(), *args], input=stdin, capture_output=True, text=True, timeout=60,
                          cwd=str(REPO))


def _site_data(tmp_path: Path) -> Path:
    """A data dir as a site's first day makes it (docs/install.md 5-9): accounts, couriers, units with the full
    numbers its modem channel keeps."""
    data = tmp_path / "data"
    text = (REPO / "firmware-config" / "sim.toml").read_text()
    cfg = tmp_path / "site.toml"
    cfg.write_text(text.replace('data_dir = "./var"', f'data_dir = "{data}"', 1) + MODEM)
    steps = [
        (["user", "add", "admin", "--role", "admin", "--password-stdin"], "the-sites-own-pass-1\n"),
        (["user", "add", "desk", "--role", "staff", "--password-stdin"], "the-desks-own-pass-1\n"),
        (["courier", "add", "--company", "圆通速递", "--name", "赵师傅", "--code", "61000321"], None),
    ]
    for argv, stdin in steps:
        r = _cli(*argv, "--config", str(cfg), stdin=stdin)
        assert r.returncode == 0, (argv, r.stdout, r.stderr)
    csv = tmp_path / "units.csv"
    csv.write_text(UNITS, encoding="utf-8")
    r = _cli("unit", "import", str(csv), "--config", str(cfg))
    assert r.returncode == 0 and "2 added" in r.stdout, r.stderr
    _run_once(cfg, tmp_path / "run.log")
    _stored_parcel(data / "lockerd.db")
    return data


def _stored_parcel(db: Path) -> None:
    """A parcel in door A-01 since an hour ago, as the site's day left it (its times must not move)."""
    now = datetime.now(UTC)
    at = (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    hold = (now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    con = sqlite3.connect(db)
    try:
        with con:
            con.execute("INSERT INTO parcels (id, tracking_number, carrier, unit, phone_tail, state, stage,"
                        " compartment_id, pickup_code, hold_until, created_at, stored_at, updated_at) VALUES"
                        " ('p-site-1', 'YT7712345678901', 'yto', '5-801', '5678', 'stored', NULL, 'A-01',"
                        " '4821305242', ?, ?, ?, ?)", (hold, at, at, at))
            con.execute("UPDATE compartments SET state = 'occupied' WHERE id = 'A-01'")
    finally:
        con.close()


def _run_once(cfg: Path, log_path: Path) -> None:
    """`lockerd run --config site.toml` until it answers, then stopped: its start writes the doors and its meta."""
    port = free_port()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([*lockerd_cmd(), "run", "--config", str(cfg), "--http", f"127.0.0.1:{port}"],
                                stdout=log, stderr=subprocess.STDOUT, cwd=str(REPO))
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert proc.poll() is None, log_path.read_text()
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code in (200, 503):
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(log_path.read_text())
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(15)


def _tables(db: Path) -> dict[str, list[Any]]:
    con = sqlite3.connect(db)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: sorted(map(repr, con.execute(f'SELECT * FROM "{n}"'))) for n in names}
    finally:
        con.close()


def _meta(db: Path, key: str) -> Any:
    con = sqlite3.connect(db)
    try:
        row = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row and row[0]
    finally:
        con.close()


def test_simulate_without_config_keeps_a_sites_phone_numbers_and_everything_else(tmp_path: Path) -> None:
    data = _site_data(tmp_path)
    db = data / "lockerd.db"
    before = _tables(db)
    assert "13812345678" in repr(before["units"])
    keep = _meta(db, "directory.keep_phone")
    server = launch_sim(data)
    try:
        assert "Traceback" not in server.log()
    finally:
        server.stop()
    after = _tables(db)
    assert "13812345678" in repr(after["units"])  # before the fix: the numbers were gone (phone NULL)
    changed = sorted(n for n in before if n not in OWN and before[n] != after.get(n))
    assert changed == [], {n: (before[n], after.get(n)) for n in changed}
    assert _meta(db, "directory.keep_phone") == keep
    audit = after["audit"]
    assert not any("phones_dropped" in row for row in audit)
    # the site's settings in meta stay too; only the simulator's own keys (its clock, its time base) may change
    meta_b = dict(ast.literal_eval(r) for r in before["meta"])
    meta_a = dict(ast.literal_eval(r) for r in after["meta"])
    moved = sorted(k for k in meta_b if meta_a.get(k) != meta_b[k])
    assert moved == [], [(k, meta_b[k], meta_a.get(k)) for k in moved]
