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


# --- group commit (decision 0025) ------------------------------------------------------------------
def _busy_writer(s: Store) -> tuple[object, object, list[str]]:
    """A write that holds the writer thread until its gate opens, and the statements the writer ran."""
    import threading

    gate, started = threading.Event(), threading.Event()
    sql: list[str] = []
    assert s._conn is not None
    s._conn.set_trace_callback(sql.append)

    def busy(tx: object) -> str:
        started.set()
        assert gate.wait(10)
        return "busy"

    return busy, (gate, started), sql


def _put(key: str, *, fail: bool = False) -> object:
    def fn(tx: object) -> str:
        tx.execute("INSERT INTO meta (key, value) VALUES (?, 'x')", (key,))  # type: ignore[attr-defined]
        if fail:
            raise ValueError("refused after writing " + key)
        return key

    return fn


async def test_writes_waiting_share_a_commit_and_urgent_ones_join_first_and_close_it(tmp_path: Path) -> None:
    import asyncio

    s = Store(tmp_path / "g.db", SimClock(), "site")
    s.open()
    try:
        busy, (gate, started), sql = _busy_writer(s)
        first = asyncio.ensure_future(s.write(busy))  # type: ignore[arg-type]
        assert await asyncio.to_thread(started.wait, 10)  # type: ignore[attr-defined]
        normal = [asyncio.ensure_future(s.write(_put(k))) for k in ("a", "b")]  # type: ignore[arg-type]
        urgent = [asyncio.ensure_future(s.write(_put(k), urgent=True)) for k in ("u1", "u2")]  # type: ignore[arg-type]
        await asyncio.sleep(0.05)
        gate.set()  # type: ignore[attr-defined]
        assert await asyncio.gather(first, *normal, *urgent) == ["busy", "a", "b", "u1", "u2"]
        inserts = [q.split("'")[0] for q in sql if q.startswith("INSERT INTO meta")]
        assert len(inserts) == 4
        keys = [q for q in sql if q.startswith("INSERT INTO meta")]
        assert [k[k.index("('") + 2:k.index("',")] for k in keys] == ["u1", "u2", "a", "b"]
        # the urgent writes join the running batch and it commits at once: the normal writes waiting take
        # the next transaction, so they never delay the fsync a pickup's door waits for
        assert sql.count("COMMIT") == 2
        first_commit = sql.index("COMMIT")
        assert [q for q in sql[:first_commit] if q.startswith("INSERT INTO meta")] == keys[:2]
        assert await s.read(lambda tx: tx.scalar("SELECT COUNT(*) FROM meta WHERE key IN ('a','b','u1','u2')")) == 4
    finally:
        s.close()


async def test_a_write_that_raises_in_a_batch_is_rolled_back_alone(tmp_path: Path) -> None:
    import asyncio

    s = Store(tmp_path / "r.db", SimClock(), "site")
    s.open()
    try:
        busy, (gate, started), sql = _busy_writer(s)
        first = asyncio.ensure_future(s.write(busy))  # type: ignore[arg-type]
        assert await asyncio.to_thread(started.wait, 10)  # type: ignore[attr-defined]
        w = [asyncio.ensure_future(s.write(_put(k, fail=k == "bad"))) for k in ("k1", "bad", "k3")]  # type: ignore[arg-type]
        await asyncio.sleep(0.05)
        gate.set()  # type: ignore[attr-defined]
        out = await asyncio.gather(first, *w, return_exceptions=True)
        assert out[:2] == ["busy", "k1"] and out[3] == "k3"
        assert isinstance(out[2], ValueError)
        assert sql.count("COMMIT") == 1
        keys = await s.read(lambda tx: [r["key"] for r in tx.all("SELECT key FROM meta WHERE key LIKE 'k%' OR key = 'bad'")])
        assert sorted(keys) == ["k1", "k3"]  # the failing write's own insert is gone, its neighbours' stay
    finally:
        s.close()


async def test_a_commit_that_fails_fails_every_write_of_its_batch_and_applies_none(tmp_path: Path) -> None:
    """Nobody hears "done" (and so no door fires) for a write whose COMMIT did not land."""
    import asyncio

    s = Store(tmp_path / "f.db", SimClock(), "site")
    s.open()
    try:
        busy, (gate, started), _ = _busy_writer(s)
        first = asyncio.ensure_future(s.write(busy))  # type: ignore[arg-type]
        assert await asyncio.to_thread(started.wait, 10)  # type: ignore[attr-defined]

        def breaks_commit(tx: object) -> str:
            # a deferred foreign key: the statement passes, the COMMIT of the whole transaction refuses
            tx.execute("PRAGMA defer_foreign_keys=ON")  # type: ignore[attr-defined]
            tx.execute("INSERT INTO door_commands (id, compartment_id, actor, reason, purpose, state, created_at)"  # type: ignore[attr-defined]
                       " VALUES ('c1', 'NO-SUCH', 'a', 'r', 'remote', 'pending', 'x')")
            return "breaks"

        w = [asyncio.ensure_future(s.write(f, urgent=u))  # type: ignore[arg-type]
             for f, u in ((_put("before"), True), (breaks_commit, True), (_put("after"), False))]
        await asyncio.sleep(0.05)
        gate.set()  # type: ignore[attr-defined]
        out = await asyncio.gather(first, *w, return_exceptions=True)
        # busy, before and breaks share the batch whose COMMIT fails; "after" (not urgent) waits for the next
        assert all(isinstance(o, sqlite3.IntegrityError) for o in out[:3]), out
        assert out[3] == "after"
        assert await s.read(lambda tx: tx.scalar("SELECT COUNT(*) FROM meta WHERE key = 'before'")) == 0
        assert await s.read(lambda tx: tx.scalar("SELECT COUNT(*) FROM door_commands")) == 0
        assert await s.write(_put("next")) == "next"  # type: ignore[arg-type]  # the writer goes on
    finally:
        s.close()


async def test_a_durable_write_never_joins_a_commit_without_fsync(tmp_path: Path) -> None:
    import asyncio

    s = Store(tmp_path / "d.db", SimClock(), "site")
    s.open()
    try:
        busy, (gate, started), sql = _busy_writer(s)
        first = asyncio.ensure_future(s.write(busy, durable=False))  # type: ignore[arg-type]
        assert await asyncio.to_thread(started.wait, 10)  # type: ignore[attr-defined]
        advisory = asyncio.ensure_future(s.write(_put("adv"), durable=False))  # type: ignore[arg-type]
        command = asyncio.ensure_future(s.write(_put("cmd"), urgent=True))  # type: ignore[arg-type]
        await asyncio.sleep(0.05)
        gate.set()  # type: ignore[attr-defined]
        await asyncio.gather(first, advisory, command)
        cmd = next(i for i, q in enumerate(sql) if "'cmd'" in q)
        full = max(i for i, q in enumerate(sql) if q == "PRAGMA synchronous=FULL" and i < cmd)
        assert sql.index("PRAGMA synchronous=NORMAL") < full < cmd  # the durable write began its own, fsynced commit
        assert sql.count("COMMIT") == 3  # busy; the urgent command alone; then the advisory write
        assert await s.read(lambda tx: tx.scalar("PRAGMA synchronous")) == 2
    finally:
        s.close()


_KILL_CHILD = r"""
import asyncio, os, sys
sys.path.insert(0, os.environ["REPO"])
from edge.clock import SimClock
from edge.store.db import Store

async def main():
    s = Store(sys.argv[1], SimClock(), "site")
    s.open()
    n = 0

    async def one(k):
        def fn(tx):
            tx.execute("INSERT INTO meta (key, value) VALUES (?, 'x')", (k,))
            return k
        done = await s.write(fn, urgent=k.endswith("u"))
        os.write(1, (done + "\n").encode())  # "fired": the caller acts only after this point

    while True:
        n += 1
        await asyncio.gather(*(one(f"w{n}-{i}" + ("u" if i % 3 == 0 else "")) for i in range(12)))

asyncio.run(main())
"""


@pytest.mark.parametrize("after_s", [0.3, 0.55, 0.8])
def test_kill9_never_leaves_a_write_its_caller_acted_on_unrecorded(tmp_path: Path, after_s: float) -> None:
    """Batches of concurrent writes, the process killed at a random moment: every write whose caller was
    told it was done (where a pickup fires its door) is in the database afterwards."""
    import os
    import signal
    import subprocess
    import sys
    import time

    db = tmp_path / "k.db"
    env = {**os.environ, "REPO": str(Path(__file__).resolve().parents[2])}
    child = subprocess.Popen([sys.executable, "-c", _KILL_CHILD, str(db)], stdout=subprocess.PIPE, env=env)
    assert child.stdout is not None
    # start-up (imports, schema) can take seconds on a loaded machine: the writes run for after_s from the
    # first one the child was told was done, not from the launch
    import select

    assert select.select([child.stdout], [], [], 60)[0], "the child never finished a write"
    first = child.stdout.readline()
    time.sleep(after_s)
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate(timeout=10)
    told = [k for k in (first + out).decode().splitlines() if k]
    assert len(told) > 12, "the child wrote too little before the kill to test anything"
    conn = sqlite3.connect(db)
    try:
        have = {r[0] for r in conn.execute("SELECT key FROM meta")}
    finally:
        conn.close()
    assert [k for k in told if k not in have] == []
