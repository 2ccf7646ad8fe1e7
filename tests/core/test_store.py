"""Store: migrations from empty and from every earlier version, backups, downgrade refusal."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from edge.clock import SimClock
from edge.store.db import SCHEMA_VERSION, Store, StoreError, migrate
from edge.store.migrations import MIGRATIONS


def test_migrate_from_empty(tmp_path: Path) -> None:
    s = Store(tmp_path / "a.db", SimClock(), "site")
    s.open()
    try:
        assert s.schema_version == SCHEMA_VERSION == len(MIGRATIONS)
        assert s.read_sync(lambda tx: tx.scalar("PRAGMA journal_mode")) == "wal"
        assert s.read_sync(lambda tx: tx.scalar("PRAGMA foreign_keys")) == 1
        assert s.read_sync(lambda tx: tx.scalar("PRAGMA synchronous")) == 2  # FULL
    finally:
        s.close()


@pytest.mark.parametrize("start", range(1, len(MIGRATIONS)))
def test_migrate_from_every_earlier_version(tmp_path: Path, start: int) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, None, target=start)
    conn.execute(
        "INSERT INTO compartments (id, bank, size, updated_at) VALUES ('A-01', 'A', 'S', '2026-01-01T00:00:00Z')"
    )
    conn.execute(
        "INSERT INTO parcels (id, tracking_number, state, created_at, updated_at, pickup_code, compartment_id)"
        " VALUES ('p1', 'T1', 'stored', 'x', 'x', '1234567890', 'A-01')"
    )
    conn.close()
    s = Store(path, SimClock(), "site")
    s.open()
    try:
        assert s.schema_version == SCHEMA_VERSION
        assert s.read_sync(lambda tx: tx.scalar("SELECT pickup_code FROM parcels WHERE id = 'p1'")) == "1234567890"
    finally:
        s.close()
    assert (tmp_path / f"old.db.pre-v{SCHEMA_VERSION}.bak").exists()


def test_refuses_downgrade(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    s = Store(path, SimClock(), "site")
    with pytest.raises(StoreError, match="refusing to downgrade"):
        s.open()


async def test_change_and_events_commit_together(tmp_path: Path) -> None:
    s = Store(tmp_path / "t.db", SimClock(), "site")
    s.open()
    try:
        def boom(tx):  # type: ignore[no-untyped-def]
            tx.emit("parcel.stored", {"x": 1})
            raise RuntimeError("fail after emitting")

        with pytest.raises(RuntimeError):
            await s.write(boom)
        assert await s.read(lambda tx: tx.scalar("SELECT COUNT(*) FROM events")) == 0
        seqs = [await s.write(lambda tx: tx.emit("a", {})) for _ in range(3)]
        assert seqs == sorted(seqs) and len(set(seqs)) == 3
    finally:
        s.close()


async def test_wal_checkpoints_only_when_idle(tmp_path: Path) -> None:
    import time

    s = Store(tmp_path / "w.db", SimClock(), "site")
    s.open()
    try:
        for i in range(300):
            await s.write(lambda tx, i=i: tx.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (f"k{i}", "x" * 3000)))
        pages = s.wal_pages()
        assert pages >= 300  # no autocheckpoint happened inside the writes
        s.CHECKPOINT_PAGES = 100
        assert not s.checkpoint_due(time.monotonic())  # just written: not idle
        assert s.checkpoint_due(time.monotonic() + s.IDLE_S + 0.1)
        busy, log_frames, done = await s.checkpoint("TRUNCATE")
        assert busy == 0 and s.wal_pages() == 0
    finally:
        s.close()


async def test_urgent_writes_run_before_queued_ones_and_each_lane_keeps_its_order(tmp_path: Path) -> None:
    import asyncio
    import threading

    s = Store(tmp_path / "u.db", SimClock(), "site")
    s.open()
    try:
        gate = threading.Event()
        started = threading.Event()
        ran: list[str] = []

        def step(name: str, wait: bool = False) -> object:
            def fn(tx: object) -> str:
                if wait:
                    started.set()
                    assert gate.wait(10)
                ran.append(name)
                return name

            return fn

        first = asyncio.ensure_future(s.write(step("busy", wait=True)))  # type: ignore[arg-type]
        assert await asyncio.to_thread(started.wait, 10)  # the writer thread is inside "busy" now
        queued = [asyncio.ensure_future(s.write(step(n))) for n in ("a", "b")]  # type: ignore[arg-type]
        urgent = [asyncio.ensure_future(s.write(step(n), urgent=True)) for n in ("u1", "u2")]  # type: ignore[arg-type]
        await asyncio.sleep(0.05)
        gate.set()
        assert await asyncio.gather(first, *queued, *urgent) == ["busy", "a", "b", "u1", "u2"]
        assert ran == ["busy", "u1", "u2", "a", "b"]  # never in the middle of a write, never twice
    finally:
        s.close()


async def test_a_write_cancelled_before_it_starts_never_runs(tmp_path: Path) -> None:
    import asyncio
    import threading

    s = Store(tmp_path / "c.db", SimClock(), "site")
    s.open()
    try:
        gate = threading.Event()
        started = threading.Event()
        ran: list[str] = []

        def busy(tx: object) -> None:
            started.set()
            assert gate.wait(10)

        first = asyncio.ensure_future(s.write(busy))  # type: ignore[arg-type]
        assert await asyncio.to_thread(started.wait, 10)  # the writer is inside `busy` (a sleep raced under load)
        late = asyncio.ensure_future(s.write(lambda tx: ran.append("late"), urgent=True))
        await asyncio.sleep(0.01)
        late.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await late  # the cancel has reached the queued write (it travels through loop callbacks)
        await asyncio.sleep(0)
        gate.set()
        await first
        await s.write(lambda tx: ran.append("after"))
        assert ran == ["after"]
    finally:
        s.close()
