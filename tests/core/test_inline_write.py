"""An urgent write run at once on the loop when the writer is idle (decision 0038): when it does and when it
does not, and that the door rule holds on this path too: a pickup's door fires only after the COMMIT that made
its command durable has returned, and never when that COMMIT fails."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from edge.clock import SimClock
from edge.store.db import Store, StoreWriteError, Tx
from tests.conftest import Site


def _put(key: str) -> Any:
    def fn(tx: Tx) -> str:
        tx.execute("INSERT INTO meta (key, value) VALUES (?, 'x')", (key,))
        return key

    return fn


@pytest.fixture
def store(tmp_path: Path) -> Any:
    s = Store(tmp_path / "i.db", SimClock(), "site")
    s.open()
    try:
        yield s
    finally:
        s.close()


async def test_an_urgent_write_runs_on_the_loop_when_the_writer_is_idle(store: Store) -> None:
    sql: list[str] = []
    assert store._conn is not None
    store._conn.set_trace_callback(sql.append)
    loop_thread = threading.get_ident()
    ran_on: list[int] = []

    def fn(tx: Tx) -> str:
        ran_on.append(threading.get_ident())
        return str(_put("u")(tx))

    assert await store.write(fn, urgent=True) == "u"
    assert ran_on == [loop_thread] and store.inline_writes == 1 and store.queued_urgent == 0
    assert sql[0] == "BEGIN IMMEDIATE" and sql[-1] == "COMMIT" and not any(q.startswith("SAVEPOINT") for q in sql)
    assert await store.read(lambda tx: tx.scalar("SELECT COUNT(*) FROM meta WHERE key = 'u'")) == 1
    # a normal write, and an advisory one, still go to the writer thread
    on: list[int] = []
    await store.write(lambda tx: on.append(threading.get_ident()))
    await store.write(lambda tx: on.append(threading.get_ident()), durable=False, urgent=True)
    assert loop_thread not in on and store.inline_writes == 1


async def test_an_urgent_write_joins_the_queue_when_the_writer_is_busy(store: Store) -> None:
    gate, started = threading.Event(), threading.Event()

    def busy(tx: Tx) -> str:
        started.set()
        assert gate.wait(10)
        return "busy"

    first = asyncio.ensure_future(store.write(busy))
    assert await asyncio.to_thread(started.wait, 10)
    urgent = asyncio.ensure_future(store.write(_put("u"), urgent=True))
    await asyncio.sleep(0.05)
    assert not urgent.done()  # it waits for the writer: never two transactions on one connection
    gate.set()
    assert await asyncio.gather(first, urgent) == ["busy", "u"]
    assert store.inline_writes == 0 and store.inline_declined["busy"] == 1 and store.queued_urgent == 1


async def test_a_slow_disk_keeps_urgent_writes_on_the_writer_thread(store: Store) -> None:
    store.commit_mean_s = 2 * store.INLINE_MAX_COMMIT_S  # the last durable COMMITs were slow
    await store.write(_put("slow"), urgent=True)
    assert store.inline_writes == 0 and store.inline_declined["slow"] == 1
    # each durable COMMIT (here fast, on the writer thread) pulls the mean down; inline again once under the bound
    for i in range(60):
        await store.write(_put(f"k{i}"))
    assert store.commit_mean_s < store.INLINE_MAX_COMMIT_S
    await store.write(_put("fast"), urgent=True)
    assert store.inline_writes == 1


async def test_an_inline_write_that_raises_is_rolled_back(store: Store) -> None:
    def fails(tx: Tx) -> None:
        _put("gone")(tx)
        raise ValueError("refused")

    with pytest.raises(ValueError):
        await store.write(fails, urgent=True)
    assert await store.read(lambda tx: tx.scalar("SELECT COUNT(*) FROM meta WHERE key = 'gone'")) == 0
    assert await store.write(_put("next"), urgent=True) == "next"  # the connection is not left in a transaction


async def test_a_pickup_fires_its_door_only_after_its_command_committed(site: Site, monkeypatch: pytest.MonkeyPatch
                                                                         ) -> None:
    """The order of events: the pickup's COMMIT returns, then its door's command goes on the wire; at that
    moment another connection already sees the command (it is in the database file, not only in this one)."""
    dep = await site.deposit("INLINE0000001")
    code = await site.code_of(dep["parcel_id"])
    await site.settle()
    store, bank = site.daemon.store, site.bank_of(dep["compartment"])
    order: list[str] = []
    seen: list[Any] = []
    real_commit, real_open = store._commit, bank.open

    def commit(conn: sqlite3.Connection, durable: bool) -> None:
        order.append("commit begins")
        real_commit(conn, durable)
        order.append("commit returned" + ("" if durable else " (no fsync)"))

    async def open_(c: str) -> None:
        order.append("open " + c)
        other = sqlite3.connect(store.path)  # a second connection: what is in the file now
        try:
            seen.extend(other.execute("SELECT state FROM door_commands WHERE compartment_id = ? AND purpose = 'pickup'",
                                      (c,)).fetchall())
        finally:
            other.close()
        await real_open(c)

    monkeypatch.setattr(store, "_commit", commit)
    monkeypatch.setattr(bank, "open", open_)
    # a loaded test machine's slow fsyncs would make the writer decline the loop ("slow", tested apart)
    monkeypatch.setattr(store, "INLINE_MAX_COMMIT_S", 1e9)
    inline_before = store.inline_writes
    res = await site.svc.pickups.submit(code, kiosk="k1")
    assert res["parcels"][0]["door"] == "opening"
    assert store.inline_writes == inline_before + 1  # the writer was idle: the pickup's write ran on the loop
    assert order[:3] == ["commit begins", "commit returned", "open " + dep["compartment"]], order
    assert seen == [("pending",)]  # 'fired' lives in memory until the outcome is written (ADR 0003)
    await site.settle()
    await site.close(dep["compartment"])
    assert (await site.parcel(dep["parcel_id"]))["state"] == "collected"


async def test_a_pickup_whose_inline_commit_fails_opens_nothing(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    dep = await site.deposit("INLINE0000002")
    code = await site.code_of(dep["parcel_id"])
    await site.settle()
    store, bank = site.daemon.store, site.bank_of(dep["compartment"])
    opened: list[str] = []
    real_commit, real_open = store._commit, bank.open
    failing = [True]

    def commit(conn: sqlite3.Connection, durable: bool) -> None:
        if failing[0] and threading.get_ident() == loop_thread:
            failing[0] = False
            raise sqlite3.OperationalError("disk I/O error")  # the COMMIT did not land: SQLite keeps nothing
        real_commit(conn, durable)

    async def open_(c: str) -> None:
        opened.append(c)
        await real_open(c)

    loop_thread = threading.get_ident()
    monkeypatch.setattr(store, "_commit", commit)
    monkeypatch.setattr(bank, "open", open_)
    # a loaded test machine's slow fsyncs would make the writer decline the loop ("slow", tested apart)
    monkeypatch.setattr(store, "INLINE_MAX_COMMIT_S", 1e9)
    inline_before = store.inline_writes
    with pytest.raises(StoreWriteError):
        await site.svc.pickups.submit(code, kiosk="k1")
    assert not failing[0] and store.inline_writes == inline_before  # it was the inline path that failed
    assert opened == []
    rows = await store.read(lambda tx: tx.all("SELECT id FROM door_commands WHERE purpose = 'pickup'"))
    assert rows == []  # rolled back: no command the boot could mistake for one that may have fired
    assert (await site.parcel(dep["parcel_id"]))["state"] == "stored"
    # the next try (the disk is back) opens the door once
    res = await site.svc.pickups.submit(code, kiosk="k1")
    assert res["parcels"][0]["door"] == "opening" and opened == [dep["compartment"]]
    await site.settle()


# --- the urgent lane on the loop (decision 0045) ------------------------------------------------------
def _hold_writer_thread(store: Store) -> threading.Event:
    """Keep the writer thread busy with something that is not on the connection, so writes queued now wait
    (their pumps sit behind this one in the executor) while nobody holds the connection: no timing involved."""
    gate, started = threading.Event(), threading.Event()

    def hold() -> None:
        started.set()
        assert gate.wait(10)

    assert store._executor is not None
    store._executor.submit(hold)
    assert started.wait(10)
    return gate


async def test_an_urgent_write_queued_behind_non_urgent_ones_runs_first_at_once(store: Store) -> None:
    sql: list[str] = []
    assert store._conn is not None
    store._conn.set_trace_callback(sql.append)
    gate = _hold_writer_thread(store)
    try:
        normal = [asyncio.ensure_future(store.write(_put(k))) for k in ("a", "b", "c", "d", "e")]
        await asyncio.sleep(0)  # each has reached the queue (its lane, and one pump behind `hold`)
        assert len(store._lanes[1]) == 5 and not any(n.done() for n in normal)
        # the writer thread cannot take anything; the pickup's write is neither queued behind them nor waits
        assert await asyncio.wait_for(store.write(_put("u"), urgent=True), 5) == "u"
        assert store.inline_writes == 1 and store.inline_overtook == 1 and store.queued_urgent == 0
        assert not any(n.done() for n in normal) and len(store._lanes[1]) == 5  # none began, none was split
    finally:
        gate.set()
    assert await asyncio.gather(*normal) == ["a", "b", "c", "d", "e"]
    keys = [q[q.index("('") + 2:q.index("',")] for q in sql if q.startswith("INSERT INTO meta")]
    assert keys == ["u", "a", "b", "c", "d", "e"]  # the urgent one first, the others in their order
    assert await store.read(lambda tx: tx.scalar("SELECT COUNT(*) FROM meta WHERE key IN ('u','a','b','c','d','e')")) == 6


async def test_an_urgent_write_never_overtakes_a_queued_urgent_one(store: Store) -> None:
    sql: list[str] = []
    assert store._conn is not None
    store._conn.set_trace_callback(sql.append)
    gate = _hold_writer_thread(store)
    try:
        normal = [asyncio.ensure_future(store.write(_put(k))) for k in ("a", "b")]
        store.commit_mean_s = 2 * store.INLINE_MAX_COMMIT_S  # a slow disk: u1 goes to the writer thread
        u1 = asyncio.ensure_future(store.write(_put("u1"), urgent=True))
        await asyncio.sleep(0)
        store.commit_mean_s = 0.0
        u2 = asyncio.ensure_future(store.write(_put("u2"), urgent=True))  # u1 waits: u2 queues behind it
        await asyncio.sleep(0)
        assert store.inline_writes == 0 and store.inline_declined["waiting"] == 1 and store.queued_urgent == 2
        assert not u2.done()
    finally:
        gate.set()
    assert await asyncio.gather(u1, u2, *normal) == ["u1", "u2", "a", "b"]
    keys = [q[q.index("('") + 2:q.index("',")] for q in sql if q.startswith("INSERT INTO meta")]
    assert keys == ["u1", "u2", "a", "b"]


async def test_a_pickup_ahead_of_another_doors_follow_ups_keeps_each_doors_order(site: Site) -> None:
    """Door A's close (a durable follow-up: the parcel collected) waits in the queue; a pickup at door B runs
    ahead of it. A's records keep their order (command, opened, closed and collected), and B's door fires
    only after its own command committed."""
    dep_a = await site.deposit("LANE000000001")
    dep_b = await site.deposit("LANE000000002", unit="1-102", tail="5678")
    a, b = dep_a["compartment"], dep_b["compartment"]
    code_a, code_b = await site.code_of(dep_a["parcel_id"]), await site.code_of(dep_b["parcel_id"])
    await site.settle()
    store = site.daemon.store
    assert (await site.svc.pickups.submit(code_a, kiosk="k1"))["parcels"][0]["door"] == "opening"
    await site.settle()  # A is open and its opening recorded
    gate = _hold_writer_thread(store)
    try:
        site.bank_of(a).sim_close(a)
        for _ in range(500):  # the doors worker has handed A's close to the store (bounded, not a timing)
            if store._lanes[1]:
                break
            await asyncio.sleep(0.01)
        assert store._lanes[1], "A's close never reached the writer's queue"
        before = store.inline_overtook
        res = await asyncio.wait_for(site.svc.pickups.submit(code_b, kiosk="k2"), 5)
        assert res["parcels"][0]["door"] == "opening" and store.inline_overtook == before + 1
        # A's close has not been written yet: its parcel is still stored while B's command is committed
        assert (await site.parcel(dep_a["parcel_id"]))["state"] == "stored"
        cmd_b = await store.read(lambda tx: tx.all(
            "SELECT state FROM door_commands WHERE compartment_id = ? AND purpose = 'pickup'", (b,)))
        assert cmd_b == [{"state": "pending"}]
    finally:
        gate.set()
    await site.settle()
    await site.close(b)
    for dep in (dep_a, dep_b):
        assert (await site.parcel(dep["parcel_id"]))["state"] == "collected"
    evs = await site.events()
    for c in (a, b):
        kinds = [e["type"] for e in evs if e["data"].get("compartment") == c
                 and e["type"] in ("door.opened", "parcel.collected")]
        assert kinds[-2:] == ["door.opened", "parcel.collected"], (c, kinds)
    rows = await store.read(lambda tx: tx.all(
        "SELECT compartment_id, state, created_at, resolved_at, closed_at FROM door_commands WHERE purpose = 'pickup'"
        " ORDER BY compartment_id"))
    assert [(r["compartment_id"], r["state"]) for r in rows] == sorted([(a, "opened"), (b, "opened")])
    assert all(r["created_at"] <= r["resolved_at"] <= r["closed_at"] for r in rows)
