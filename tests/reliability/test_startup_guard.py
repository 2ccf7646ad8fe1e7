"""Starting where lockerd must not: a second daemon on the same data dir, and an empty, missing or
damaged database (or a read-only data dir) on a locker that has held parcels."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from edge.cli.backup import backup_database
from tests.conftest import REPO, free_port, launch_sim, lockerd_cmd
from tests.reliability.faults import remount, small_disk

pytestmark = pytest.mark.timeout(120)


def _simulate(data_dir: Path, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    """Start `lockerd simulate` and expect it to exit by itself (refused)."""
    args = [*lockerd_cmd(), "simulate", "--data-dir", str(data_dir), "--http", f"127.0.0.1:{free_port()}"]
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, cwd=str(REPO),
                          env={**os.environ, "PYTHONUNBUFFERED": "1"})


def _site_with_a_parcel(data_dir: Path) -> Path:
    """Run a site, store one parcel, stop it; back it up. Returns the backup."""
    sim = launch_sim(data_dir)
    try:
        _, tok = sim.api("POST", "/api/v1/kiosk/courier/session", {"courier_code": "100001"})
        auth = {"Authorization": "Bearer " + tok["token"]}
        _, dep = sim.api("POST", "/api/v1/kiosk/deposits",
                         {"tracking_number": "SF6000000001", "unit": "1-101", "phone_tail": "1234"}, headers=auth)
        for _ in range(50):
            if any(d["compartment"] == dep["compartment"] and d["door"] == "open" for d in sim.api("GET", "/api/v1/sim/doors")[1]):
                break
            time.sleep(0.05)
        sim.api("POST", f"/api/v1/sim/doors/{dep['compartment']}/close")
        for _ in range(50):
            if sim.api("GET", f"/api/v1/kiosk/deposits/{dep['deposit_id']}", headers=auth)[1]["state"] == "stored":
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the parcel was never stored")
    finally:
        sim.stop()
    return backup_database(data_dir / "lockerd.db", data_dir / "backups")


def test_a_second_daemon_on_the_same_data_dir_is_refused(tmp_path: Path) -> None:
    first = launch_sim(tmp_path / "site")
    try:
        assert (tmp_path / "site" / "lockerd.pid").read_text().strip() == str(first.proc.pid)
        res = _simulate(tmp_path / "site")
        assert res.returncode == 78, res.stderr
        assert f"process {first.proc.pid}" in res.stderr and "already running" in res.stderr
        assert "Traceback" not in res.stderr + res.stdout
        assert first.proc.poll() is None
        assert first.api("GET", "/healthz")[0] == 200
        # nothing of the first was touched: no deposit interrupted, no door faulted
        assert "interrupted" not in first.log()
    finally:
        first.stop()
    assert not (tmp_path / "site" / "lockerd.pid").exists()


@pytest.fixture(scope="module")
def held_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir whose site has stored a parcel (stopped), with one backup."""
    data = tmp_path_factory.mktemp("held") / "site"
    _site_with_a_parcel(data)
    return data


@pytest.mark.parametrize("damage", ["empty", "missing", "wal_lost_fresh_schema", "corrupt"])
def test_a_damaged_database_on_a_site_that_held_parcels_is_refused(tmp_path: Path, held_site: Path, damage: str) -> None:
    data = tmp_path / "site"
    shutil.copytree(held_site, data)
    backup = data / "backups" / next(p.name for p in (held_site / "backups").iterdir() if p.suffix == ".db")  # not its .key
    db = data / "lockerd.db"
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    if damage == "empty":
        db.write_bytes(b"")
    elif damage == "missing":
        db.unlink()
    elif damage == "wal_lost_fresh_schema":
        # what a lost WAL can leave: a valid SQLite file with nothing in it
        import sqlite3

        db.unlink()
        sqlite3.connect(db).execute("PRAGMA user_version = 0").connection.close()
        db.write_bytes(db.read_bytes())
    else:
        raw = bytearray(db.read_bytes())
        raw[0:16] = b"not a database!!"
        db.write_bytes(bytes(raw))
    res = _simulate(data)
    out = res.stderr + res.stdout
    assert res.returncode == 78, out
    assert "Traceback" not in out
    assert str(backup) in out and "lockerd restore" in out
    # the restore it names brings the site back with its parcel
    r = subprocess.run([*lockerd_cmd(), "restore", str(backup), "--data-dir", str(data)], capture_output=True,
                       text=True, cwd=str(REPO))
    assert r.returncode == 0, r.stderr
    sim = launch_sim(data)
    try:
        _, grid = sim.api("GET", "/api/v1/sim/doors")
        assert any(d["door"] == "closed" for d in grid)
        import sqlite3

        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        n = conn.execute("SELECT COUNT(*) FROM parcels WHERE state = 'stored'").fetchone()[0]
        conn.close()
        assert n == 1
    finally:
        sim.stop()


def test_a_new_site_still_starts_on_an_empty_data_dir(tmp_path: Path) -> None:
    sim = launch_sim(tmp_path / "fresh")
    try:
        assert sim.api("GET", "/healthz")[0] == 200
        assert (tmp_path / "fresh" / "site.json").exists()
    finally:
        sim.stop()


def test_a_read_only_data_dir_is_refused_in_words(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", 32) as disk:
        _site_with_a_parcel(disk / "site")
        remount(disk, read_only=True)
        try:
            res = _simulate(disk / "site")
        finally:
            remount(disk, read_only=False)
        out = res.stderr + res.stdout
        assert res.returncode == 78, out
        assert "cannot be written" in out and "Traceback" not in out
        shutil.rmtree(disk / "site", ignore_errors=True)
