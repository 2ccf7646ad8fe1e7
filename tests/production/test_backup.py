"""Backup and restore of the real SQLite store: same parcels and codes after a restore."""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from edge.cli import backup as bk
from edge.clock import SimClock
from edge.store.db import SCHEMA_VERSION, Store, Tx


def _seed(tx: Tx, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        cid = f"A-{i + 1:02d}"
        tx.execute(
            "INSERT INTO compartments (id, bank, size, state, updated_at) VALUES (?, 'A', 'M', 'occupied', ?)",
            (cid, tx.ts),
        )
        tx.execute(
            "INSERT INTO parcels (id, tracking_number, unit, state, compartment_id, pickup_code, created_at, updated_at)"
            " VALUES (?, ?, '1-101', 'stored', ?, ?, ?, ?)",
            (f"p{i}", f"SF{i:010d}", cid, f"{100000 + i}", tx.ts, tx.ts),
        )
        tx.emit("parcel.stored", {"parcel_id": f"p{i}"})


def _snapshot(db: Path) -> list[tuple[str, str, str, str]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT id, state, compartment_id, pickup_code FROM parcels ORDER BY id").fetchall()
    finally:
        conn.close()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "data" / bk.DB_NAME, SimClock(datetime(2026, 1, 5, tzinfo=UTC)), "site-1")
    s.open()
    yield s
    s.close()


def test_backup_restore_roundtrip(store: Store, tmp_path: Path) -> None:
    data = tmp_path / "data"
    store.write_sync(lambda tx: _seed(tx, 20))
    before = _snapshot(store.path)
    path = bk.backup_database(store.path, data / "backups")  # online, store still open
    assert bk.verify_database(path) == SCHEMA_VERSION

    def change(tx: Tx) -> None:
        tx.execute("UPDATE parcels SET state = 'collected', pickup_code = NULL WHERE id = 'p3'")
        _seed(tx, 5, start=20)

    store.write_sync(change)
    assert _snapshot(store.path) != before

    with pytest.raises(bk.BackupError, match="in use"):
        bk.restore_database(path, store.path)
    store.close()
    kept = bk.restore_database(path, store.path)
    assert _snapshot(store.path) == before
    assert kept is not None and len(_snapshot(kept)) == 25  # the replaced database is kept
    assert not Path(str(store.path) + "-wal").exists()

    reopened = Store(store.path, SimClock(), "site-1")
    reopened.open()
    try:
        codes = reopened.read_sync(lambda tx: tx.all("SELECT pickup_code FROM parcels WHERE id = 'p3'"))
        assert codes == [{"pickup_code": "100003"}]
    finally:
        reopened.close()


def test_restore_refused_while_another_process_holds_the_db(store: Store, tmp_path: Path) -> None:
    store.write_sync(lambda tx: _seed(tx, 2))
    path = bk.backup_database(store.path, tmp_path / "b")
    store.close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3,sys,time\n"
            f"c=sqlite3.connect({str(store.path)!r}); c.execute('PRAGMA journal_mode=WAL');"
            " c.execute('SELECT 1 FROM parcels').fetchall(); print('ready', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(bk.BackupError, match="refusing"):
            bk.restore_database(path, store.path)
    finally:
        holder.communicate("", timeout=10)
    bk.restore_database(path, store.path)


def test_restore_refused_with_live_pid_file(store: Store, tmp_path: Path) -> None:
    store.write_sync(lambda tx: _seed(tx, 1))
    path = bk.backup_database(store.path, tmp_path / "b")
    store.close()
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        (store.path.parent / bk.PID_NAME).write_text(str(sleeper.pid))
        assert "running" in (bk.daemon_running(store.path) or "")
        with pytest.raises(bk.BackupError, match="running"):
            bk.restore_database(path, store.path)
    finally:
        sleeper.kill()
        sleeper.wait()
    assert bk.daemon_running(store.path) is None  # stale pid file is ignored


def test_restore_rejects_bad_files(tmp_path: Path, store: Store) -> None:
    store.close()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(bk.BackupError, match="not a lockerd database"):
        bk.restore_database(junk, store.path)
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    with pytest.raises(bk.BackupError):
        bk.restore_database(empty, store.path)
    newer = tmp_path / "newer.db"
    bk._copy_db(store.path, newer)
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(bk.BackupError, match="newer"):
        bk.restore_database(newer, store.path)
    with pytest.raises(bk.BackupError, match="no such file"):
        bk.restore_database(tmp_path / "missing.db", store.path)


def test_corrupt_backup_detected(store: Store, tmp_path: Path) -> None:
    store.write_sync(lambda tx: _seed(tx, 200))
    path = bk.backup_database(store.path, tmp_path / "b")
    raw = bytearray(path.read_bytes())
    page = 4096
    for off in range(2 * page, min(len(raw), 6 * page)):
        raw[off] = 0xA5
    path.write_bytes(bytes(raw))
    with pytest.raises(bk.BackupError):
        bk.verify_database(path)


def test_retention_keeps_newest(store: Store, tmp_path: Path) -> None:
    dest = tmp_path / "b"
    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    made = [bk.backup_database(store.path, dest, now=t0 + timedelta(days=i)) for i in range(5)]
    (dest / "unrelated.txt").write_text("keep me")
    bk.backup_database(store.path, dest, keep=3, now=t0 + timedelta(days=10))
    left = bk.list_backups(dest)
    assert len(left) == 3
    assert made[3] in left and made[4] in left and made[0] not in left
    assert (dest / "unrelated.txt").exists()
    # same timestamp twice does not overwrite
    a = bk.backup_database(store.path, dest, now=t0)
    b = bk.backup_database(store.path, dest, now=t0)
    assert a != b and a.exists() and b.exists()


def test_cli_commands(store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    store.write_sync(lambda tx: _seed(tx, 3))
    before = _snapshot(store.path)
    parser = argparse.ArgumentParser()
    bk.register(parser.add_subparsers())
    args = parser.parse_args(["backup", "--data-dir", str(data), "--keep", "2"])
    assert args.func(args) == 0
    made = Path(capsys.readouterr().out.strip())
    assert made.parent == data / "backups"
    store.write_sync(lambda tx: tx.execute("DELETE FROM parcels WHERE id = 'p0'"))
    args = parser.parse_args(["restore", str(made), "--data-dir", str(data)])
    assert args.func(args) == 1  # store still open
    assert "refusing" in capsys.readouterr().err
    store.close()
    assert args.func(args) == 0
    assert _snapshot(store.path) == before
    args = parser.parse_args(["migrate", "--data-dir", str(data)])
    assert args.func(args) == 0
    assert "nothing to do" in capsys.readouterr().out
    args = parser.parse_args(["backup", "--data-dir", str(tmp_path / "nowhere")])
    assert args.func(args) == 1
    assert "no database" in capsys.readouterr().err
    args = parser.parse_args(["backup", "--config", str(tmp_path / "missing.toml")])
    assert args.func(args) == 1


def test_migrate_backs_up_old_schema(tmp_path: Path) -> None:
    db = tmp_path / bk.DB_NAME
    from edge.store.db import migrate

    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    migrate(conn, None, target=1)
    conn.close()
    before, after, saved = bk.migrate_database(db, tmp_path / "b")
    assert (before, after) == (1, SCHEMA_VERSION)
    if SCHEMA_VERSION > 1:
        assert saved is not None and bk.verify_database(saved) == 1
    assert os.path.exists(db)
