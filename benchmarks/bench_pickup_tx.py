"""The pickup's transactions on the writer thread: statements and CPU time, at a site with N parcels stored.

bench_pickup.py measures a pickup end to end over HTTP; on the shared 2-vCPU machine its p99 moves with the
load. This measures what perf18 changed, in a way the load hardly moves: the writer thread's CPU time
(``time.thread_time``) and the SQL statements of each write a pickup causes, in one process, one pickup at a time:

* ``pickup``: the kiosk's write (lockout scopes, the code's parcels, the door command, audit and timeline);
* ``close``: the write after the door is seen closed again (the parcel collected, ``release_if_empty``);
* ``Tx()``: building the transaction object each write gets (before perf18 it built sqlite-utils' Database:
  one PRAGMA and a plugin hook).

``--tree PATH`` measures another checkout's code (e.g. ``git archive c8dc5df | tar -x -C /tmp/lockerd-base``),
so the same script compares before and after. ``--stored N`` parcels wait at the desk first (each with its own
code): before perf18 the code lookup and the close's count read every one of them.

``--queries``: only the two lookups perf18 changed (the code's, release_if_empty's count), before and after, CPU
per query and query plans, in memory on this checkout.

Run: .venv/bin/python benchmarks/bench_pickup_tx.py [--stored 10000] [--pickups 300] [--tree /tmp/lockerd-base]
Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[1]


def _kind(fn: Any) -> str:
    q = getattr(fn, "__qualname__", "") or type(fn).__name__
    if q.startswith("PickupService.submit"):
        return "pickup"
    return q


async def until(store: Any, sql: str, arg: str, within_s: float = 10.0) -> None:
    """Wait until the query finds a row (the door seen open, the parcel collected), polling every 5 ms."""
    deadline = time.monotonic() + within_s
    while not await store.read(lambda tx: tx.scalar(sql, (arg,))):
        if time.monotonic() > deadline:
            raise RuntimeError(f"not reached in {within_s} s: {sql} ({arg})")
        await asyncio.sleep(0.005)


async def run(tree: Path, stored: int, pickups: int) -> dict[str, Any]:
    from edge.clock import SimClock
    from edge.config import SiteConfig, load_config
    from edge.daemon import Daemon
    from edge.ids import uuid7
    from edge.store import db as dbmod

    tmp = Path(tempfile.mkdtemp(prefix="lockerd-bench-pickup-tx-"))
    cfg = load_config(tree / "firmware-config" / "sim.toml")
    data = cfg.model_dump(mode="python")
    data["data_dir"] = str(tmp)
    data["doors"]["confirm_timeout_s"] = 3.0
    data["banks"] = [{"id": b, "driver": "sim", "port": "sim://",
                      "compartments": [{"id": f"{b}-{i:03d}", "size": "M", "height_cm": 120} for i in range(1, 101)]}
                     for b in "ABCD"]
    daemon = Daemon(SiteConfig.model_validate(data), clock=SimClock(), data_dir=tmp, simulated=True)
    await daemon.start()
    store = daemon.store
    services = daemon.services
    assert services is not None

    # the same N parcels waiting at the desk, each with its own code, as bench_pickup.py --stored N
    from bench_pickup import _store_background

    await _store_background(daemon, stored)

    # per write: (kind, statements, writer-thread CPU ms, wall ms)
    rows: list[tuple[str, int, float, float]] = []
    counter = threading.local()
    conn = store._conn
    assert conn is not None

    def traced(sql: str) -> None:
        if getattr(counter, "on", False):
            counter.n += 1

    conn.set_trace_callback(traced)
    real_write = dbmod.Store.write

    async def write(self: Any, fn: Any, **kw: Any) -> Any:
        kind = _kind(fn)

        def timed(tx: Any) -> Any:
            counter.on, counter.n = True, 0
            c0, w0 = time.thread_time(), time.perf_counter()
            try:
                return fn(tx)
            finally:
                rows.append((kind, counter.n, (time.thread_time() - c0) * 1000, (time.perf_counter() - w0) * 1000))
                counter.on = False

        return await real_write(self, timed, **kw)

    dbmod.Store.write = write  # type: ignore[method-assign]
    bank: dict[str, Any] = {c: b for b in daemon.banks for c in b.compartments}  # simulated: sim_close
    for i in range(pickups):
        code = f"{10**9 + i:010d}"
        comp = f"{'ABCD'[i % 4]}-{i // 4 % 100 + 1:03d}"

        def put(tx: Any, _code: str = code, _comp: str = comp) -> None:
            pid = uuid7(tx.now)
            tx.execute("INSERT INTO parcels (id, tracking_number, carrier, unit, phone_tail, state, compartment_id,"
                       " pickup_code, created_at, stored_at, updated_at) VALUES (?, ?, 'SF', '1-101', '1234', 'stored',"
                       " ?, ?, ?, ?, ?)", (pid, "SF" + pid.replace("-", "")[-13:], _comp, _code, tx.ts, tx.ts, tx.ts))
            tx.execute("UPDATE compartments SET state = 'occupied' WHERE id = ?", (_comp,))

        await real_write(store, put)
        res = await services.pickups.submit(code, kiosk="kiosk-1")
        assert res["parcels"] and res["parcels"][0]["door"] == "opening", res
        pid = res["parcels"][0]["parcel_id"]
        await until(store, "SELECT 1 FROM door_commands WHERE ref = ? AND state = 'opened'", pid)
        bank[comp].sim_close(comp)
        await until(store, "SELECT 1 FROM parcels WHERE id = ? AND state = 'collected'", pid)
        await until(store, "SELECT 1 FROM compartments WHERE id = ? AND state = 'free'", comp)
    dbmod.Store.write = real_write  # type: ignore[method-assign]
    conn.set_trace_callback(None)
    state = await store.read(lambda tx: (tx.scalar("SELECT COUNT(*) FROM parcels WHERE state = 'collected'"),
                                         tx.scalar("SELECT COUNT(*) FROM compartments WHERE state = 'free'")))

    # building the Tx each write gets, on the writer thread
    from edge.store.tx import Tx

    def build(n: int = 2000) -> list[float]:
        out = []
        for _ in range(n):
            c0 = time.thread_time_ns()
            Tx(conn, store.clock, store.site_id)
            out.append((time.thread_time_ns() - c0) / 1e6)
        return out

    assert store._executor is not None
    tx_ms = await asyncio.get_running_loop().run_in_executor(store._executor, build)
    await daemon.stop()
    out: dict[str, Any] = {"tree": str(tree), "stored": stored, "pickups": pickups, "collected": state[0],
                           "free": state[1], "writes": {}}
    by: dict[str, list[tuple[int, float, float]]] = {}
    for kind, n, cpu_ms, wall in rows:
        by.setdefault(kind, []).append((n, cpu_ms, wall))
    for kind, xs in by.items():
        cpus = sorted(x[1] for x in xs)
        out["writes"][kind] = {"n": len(xs), "statements": statistics.median(x[0] for x in xs),
                               "cpu_p50_ms": round(statistics.median(cpus), 4),
                               "cpu_mean_ms": round(statistics.mean(cpus), 4),
                               "wall_p50_ms": round(statistics.median(x[2] for x in xs), 4)}
    out["tx_build_us_p50"] = round(statistics.median(tx_ms) * 1000, 2)
    return out


#: the code lookup as before perf18 (SQLite chose parcels_state for it) and release_if_empty's count
OLD_CODE_SQL = "SELECT * FROM parcels WHERE pickup_code = ? AND state = 'stored' ORDER BY compartment_id"
RELEASE_COUNT_SQL = "SELECT COUNT(*) FROM parcels WHERE compartment_id = ? AND state IN ('stored','depositing')"


def queries(stored: int, reps: int = 200) -> dict[str, Any]:
    """``--queries``: the two lookups alone, on this checkout, in memory, with ``stored`` parcels at the desk:
    before perf18 (the schema without migration 11, the old code lookup) and after. CPU ms per query."""
    import sqlite3

    from edge.services.pickups import PICKUP_ROWS_SQL
    from edge.store.db import migrate
    from edge.store.migrations import MIGRATIONS

    def db(target: int) -> sqlite3.Connection:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        migrate(conn, None, target=target)
        conn.execute("INSERT INTO compartments (id, bank, size, updated_at) VALUES ('A-001', 'A', 'M', 'x')")
        conn.executemany("INSERT INTO parcels (id, tracking_number, state, created_at, updated_at, pickup_code,"
                         " shelf_slot) VALUES (?, ?, 'stored', 'x', 'x', ?, 'S1')",
                         [(f"p{i}", f"T{i}", f"{i:010d}") for i in range(stored)])
        return conn

    def cpu_ms(conn: sqlite3.Connection, sql: str, arg: str) -> float:
        conn.execute(sql, (arg,)).fetchall()
        c0 = time.thread_time()
        for _ in range(reps):
            conn.execute(sql, (arg,)).fetchall()
        return (time.thread_time() - c0) / reps * 1000

    def plan(conn: sqlite3.Connection, sql: str, arg: str) -> str:
        return " | ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, (arg,)))

    old, new = db(len(MIGRATIONS) - 1), db(len(MIGRATIONS))
    code = f"{stored // 2:010d}"
    return {"code_before_ms": cpu_ms(old, OLD_CODE_SQL, code), "code_after_ms": cpu_ms(new, PICKUP_ROWS_SQL, code),
            "count_before_ms": cpu_ms(old, RELEASE_COUNT_SQL, "A-001"),
            "count_after_ms": cpu_ms(new, RELEASE_COUNT_SQL, "A-001"),
            "code_plan_before": plan(old, OLD_CODE_SQL, code), "code_plan_after": plan(new, PICKUP_ROWS_SQL, code),
            "count_plan_before": plan(old, RELEASE_COUNT_SQL, "A-001"),
            "count_plan_after": plan(new, RELEASE_COUNT_SQL, "A-001")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--tree", default=str(HERE), help="the checkout whose code runs (default: this one)")
    ap.add_argument("--stored", type=int, default=10000, help="parcels stored at the desk before the pickups")
    ap.add_argument("--pickups", type=int, default=300)
    ap.add_argument("--queries", action="store_true",
                    help="only the code lookup and release_if_empty's count, before and after perf18, on this checkout")
    args = ap.parse_args()
    tree = Path(args.tree).resolve()
    sys.path.insert(0, str(tree))
    if args.queries:
        q = queries(args.stored)
        print(f"{args.stored} parcels stored, load average {os.getloadavg()[0]:.2f}; CPU per query:")
        print(f"  the code's lookup: before {q['code_before_ms']:.3f} ms ({q['code_plan_before']}), after"
              f" {q['code_after_ms']:.4f} ms ({q['code_plan_after']})")
        print(f"  release_if_empty's count: before {q['count_before_ms']:.3f} ms ({q['count_plan_before']}), after"
              f" {q['count_after_ms']:.4f} ms ({q['count_plan_after']})")
        print(json.dumps(q))
        return 0
    import logging

    logging.basicConfig(level=logging.ERROR)
    load0 = os.getloadavg()
    out = asyncio.run(run(tree, args.stored, args.pickups))
    out["load"] = [round(x, 2) for x in load0] + [round(x, 2) for x in os.getloadavg()][:1]
    print(f"pickup transactions, {tree}, {args.stored} parcels stored at the desk, {args.pickups} pickups one at a"
          f" time (load average {load0[0]:.2f} at the start, {os.getloadavg()[0]:.2f} at the end)")
    print(f"{'write':<44}{'n':>5}{'statements':>12}{'CPU p50 ms':>12}{'CPU mean ms':>13}{'wall p50 ms':>13}")
    for kind, w in sorted(out["writes"].items(), key=lambda kv: -kv[1]["n"]):
        if w["n"] >= args.pickups // 2:
            print(f"{kind[:43]:<44}{w['n']:>5}{w['statements']:>12g}{w['cpu_p50_ms']:>12.3f}{w['cpu_mean_ms']:>13.3f}"
                  f"{w['wall_p50_ms']:>13.3f}")
    print(f"Tx() on the writer thread: p50 {out['tx_build_us_p50']:.1f} us (2,000 built)")
    print(f"afterwards: {out['collected']} collected, {out['free']} of 400 compartments free")
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
