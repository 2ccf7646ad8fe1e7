"""Pickup latency: code submitted -> unlock on the wire, with 20 concurrent kiosk clients.

DESIGN.md section 7: p99 under 10 ms, and at most 2x the p99 of a bare FastAPI endpoint measured in
the same run.

Three server processes are measured one after the other, each a child of this script serving on
127.0.0.1 with the same uvicorn settings as ``lockerd simulate`` (lifespan off, no access log):

* ``bare``: a FastAPI app with one ``POST /api/v1/kiosk/pickup`` taking the same pydantic body and
  returning a constant. Its request round trip is the baseline.
* ``sim``: the real daemon (``edge.daemon.Daemon`` with every optional component, the real app
  from ``edge.web.app.create_app``) on simulated banks. "On the wire" is the moment the bank's
  ``open()`` is called.
* ``kerong-cu16``: the same daemon driving Kerong CU16 board emulators on pseudo-terminals through
  the real serial driver (``lockerd simulate --hardware kerong-cu16``). "On the wire" is the moment
  the emulator reads the complete unlock frame from the pty.

Timestamps are ``time.perf_counter()`` (CLOCK_MONOTONIC, shared by all processes on Linux): the
client stamps the request start, the server stamps the unlock. Parcels are inserted as stored with
known codes (one per compartment, 400 compartments); after each unlock the child closes the door
(the simulated resident takes the parcel), the parcel becomes ``collected`` and the compartment
free, and the next round inserts fresh parcels.

Run: .venv/bin/python benchmarks/bench_pickup.py [--pickups 2000] [--clients 20] [--quick]
The kiosk clients are a minimal keep-alive HTTP/1.1 client on asyncio streams (``--client raw``, the default since
perf18: far less client CPU than httpx on this 2-vCPU machine, where the clients share the CPUs with the servers);
``--client httpx`` is the earlier one. ``--stored N`` stores N parcels at the desk in every lockerd server first
(a site in use; their codes never collide with a round's). ``--ab-tree PATH`` adds a daemon serving another
checkout's code in the same run (its rounds interleaved with this tree's): ``git archive c8dc5df | tar -x -C
/tmp/lockerd-base`` then ``--ab-tree /tmp/lockerd-base``. perf18's changes each have an ``--ab`` switch back to
the earlier behaviour on this code: ``tx-db-eager``, ``code-by-state-index``, ``no-compartment-index``, and all
three at once ``perf18-before``.
Issue 18 (staff browsers on the live grid): ``--console 5`` (add ``--console-ab`` for the same daemon with
and without them in one run; ``--trace lag`` to see what overlapped slow pickups on the server; ``--trace stages``
for where each pickup's time went on the server: ASGI arrival, service, writer queue, transaction, commit, fire).
The browsers hold the dashboard or the wallboard open on the live stream for the whole run, in a process of their
own (``--console-mode held``, DESIGN.md section 7: "the desk always has them open"); ``--console-mode push`` is the
earlier model (in the kiosks' process, reconnecting at every round). ``--ab feed-in-daemon`` compares the console
feed worker (decision 0030) with building the live grid in the daemon; each server's CPU per pickup is printed.
Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[1]
#: the checkout a server child runs: this one, or ``--ab-tree PATH``'s (the child code is this file's either way)
REPO = Path(os.environ.get("LOCKERD_BENCH_TREE") or HERE).resolve()
sys.path.insert(0, str(REPO))

GOAL_P99_MS = 10.0
GOAL_RATIO = 2.0
#: issue 18: staff browsers on the live grid must cost the kiosk nothing measurable (paced pickups)
CONSOLE_GOAL_RATIO = 1.5
BANKS = "ABCD"
PER_BANK = 100


# ================================================================================================
# child side: the servers
# ================================================================================================
try:
    from pydantic import BaseModel, Field

    class BarePickupIn(BaseModel):
        """The same body model as the kiosk API's (module level so FastAPI resolves it)."""

        code: str = Field(min_length=1, max_length=64)
except ImportError:  # pragma: no cover - the venv has pydantic
    pass


def _uvicorn_config(app: Any, port: int) -> Any:
    import uvicorn

    return uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_config=None,
                          access_log=False, timeout_graceful_shutdown=1)


def _fsync_table(path: Path) -> Any:
    """A one-table SQLite database whose every commit is durable (WAL, synchronous=FULL: one fsync), as the
    store's door commands are: the start-up disk measure and the ``--floor`` endpoint both write through it."""
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v TEXT)")
    return conn


def _commit_one(conn: Any, value: str) -> None:
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO t (v) VALUES (?)", (value,))
    conn.execute("COMMIT")


def child_bare(port: int, commit_in: Path | None = None) -> None:
    """The bare endpoint; with ``commit_in`` (``--floor``: the child "bare+commit") each request first makes one
    durable SQLite write on the event loop (WAL, synchronous=FULL: one fsync), as a pickup's door command must be
    before its door fires, so that the disk's own share of a pickup's tail is measured in the same run."""
    import uvicorn
    from fastapi import FastAPI

    app = FastAPI()
    conn = None if commit_in is None else _fsync_table(commit_in / "floor.db")

    @app.post("/api/v1/kiosk/pickup")
    async def pickup(body: BarePickupIn) -> dict[str, Any]:
        if conn is not None:
            _commit_one(conn, body.code)
        return {"parcels": [{"parcel_id": "0", "compartment": "A-001"}], "at_desk": 0, "message": None}

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    uvicorn.Server(_uvicorn_config(app, port)).run()


def _site_config(data_dir: Path) -> Any:
    from edge.config import SiteConfig, load_config

    cfg = load_config(REPO / "firmware-config" / "sim.toml")
    data = cfg.model_dump(mode="python")
    data["data_dir"] = str(data_dir)
    data["doors"]["confirm_timeout_s"] = 3.0
    data["banks"] = [
        {"id": b, "driver": "sim", "port": "sim://",
         "compartments": [{"id": f"{b}-{i:03d}", "size": "M", "height_cm": 120} for i in range(1, PER_BANK + 1)]}
        for b in BANKS
    ]
    return SiteConfig.model_validate(data)


def _no_group_commit() -> None:
    """``--ab no-group-commit``: one write per transaction and fsync, as before decision 0025."""
    from edge.store import db

    db.Store.BATCH_MAX = 1


def _switch_interval(seconds: float) -> Any:
    def apply() -> None:
        sys.setswitchinterval(seconds)

    return apply


def _feed_in_daemon() -> None:
    """``--ab feed-in-daemon``: the live grid's messages built in the daemon, as before decision 0030."""
    from edge.web.console.routes_feed import ConsoleFeed

    ConsoleFeed.USE_PROCESS = False


def _feed_no_coalesce() -> None:
    """``--ab feed-no-coalesce``: one live-grid message per DEBOUNCE_S however busy the kiosks, as before
    decision 0032."""
    from edge.web.console import routes_feed

    routes_feed.BUSY_ROUNDS = 0


def _tx_db_eager() -> None:
    """``--ab tx-db-eager``: every transaction builds sqlite-utils' Database at once (one PRAGMA and a plugin
    hook per write), as before perf18 built it on first use."""
    import sqlite_utils

    from edge.store import tx as txmod

    real_init = txmod.Tx.__init__

    def init(self: Any, conn: Any, clock: Any, site_id: str) -> None:
        real_init(self, conn, clock, site_id)
        self._db = sqlite_utils.Database(conn)

    txmod.Tx.__init__ = init  # type: ignore[method-assign]


def _code_by_state_index() -> None:
    """``--ab code-by-state-index``: the pickup's lookup of its code lets SQLite pick parcels_state (every stored
    parcel of the site read), as before perf18 kept it on the code's own index."""
    from edge.services import pickups

    pickups.PICKUP_ROWS_SQL = pickups.PICKUP_ROWS_SQL.replace("+p.state", "p.state")  # type: ignore[attr-defined]


#: indexes a server child drops once its store is open (``--ab no-compartment-index``)
DROP_INDEXES: list[str] = []


def _no_compartment_index() -> None:
    """``--ab no-compartment-index``: without migration 11's parcels(compartment_id) index, release_if_empty's
    count after each pickup's close reads every stored parcel (as before perf18)."""
    DROP_INDEXES.append("parcels_compartment")


def _perf18_before() -> None:
    """``--ab perf18-before``: the three above at once (what a checkout before perf18 did, on this code)."""
    _tx_db_eager()
    _code_by_state_index()
    _no_compartment_index()


def _no_fire_yield() -> None:
    """``--ab no-fire-yield``: a pickup goes on to its answer right after its door fires, before the other
    pickups woken by the same commit fire theirs (as before decision 0032)."""
    from edge.services.pickups import PickupService

    PickupService.YIELD_AFTER_FIRE = False


def _no_inline_urgent() -> None:
    """``--ab no-inline-urgent``: a pickup's write always goes to the writer thread and back, even when the writer
    is idle (as before decision 0038)."""
    from edge.store.writer import GroupCommit

    GroupCommit.INLINE_URGENT = False


def _no_urgent_lane() -> None:
    """``--ab no-urgent-lane``: an urgent write that finds non-urgent writes queued (other doors' follow-ups)
    goes to the writer thread behind the pump instead of running at once ahead of them (as before decision
    0045)."""
    from edge.store.writer import GroupCommit

    GroupCommit.INLINE_OVERTAKES = False


def _inline_gap(seconds: float) -> Any:
    def apply() -> None:
        """``--ab inline-gap-5ms``: an urgent write less than 5 ms after the previous one takes the writer thread
        (a burst's writes share one COMMIT there) instead of running inline (decision 0038)."""
        from edge.store.writer import GroupCommit

        GroupCommit.INLINE_GAP_S = seconds

    return apply


def _route_pickup() -> None:
    """``--ab route-pickup``: every kiosk pickup through FastAPI's route (routing, three dependencies, the body
    validated by FastAPI, the answer by the response model), as before decision 0039's edge/web/kiosk_fast.py."""
    from edge.web import kiosk_fast

    kiosk_fast.ENABLED = False


def _undo_route_pickup() -> None:
    from edge.web import kiosk_fast

    kiosk_fast.ENABLED = True


#: switches read once when the app is built, so one process can build both arms (benchmarks/bench_pickup_web.py)
UNDO: dict[str, Any] = {"route-pickup": _undo_route_pickup}

#: ``--experiment`` / ``--ab``: changes patched into a server child, measured before they are adopted
EXPERIMENTS: dict[str, Any] = {
    "route-pickup": _route_pickup,
    "inline-gap-5ms": _inline_gap(0.005),
    "no-inline-urgent": _no_inline_urgent,
    "no-urgent-lane": _no_urgent_lane,
    "no-fire-yield": _no_fire_yield,
    "tx-db-eager": _tx_db_eager,
    "code-by-state-index": _code_by_state_index,
    "no-compartment-index": _no_compartment_index,
    "perf18-before": _perf18_before,
    "feed-in-daemon": _feed_in_daemon,
    "feed-no-coalesce": _feed_no_coalesce,
    "no-group-commit": _no_group_commit,
    "switch-5ms": _switch_interval(0.005),  # Python's default (before decision 0025)
    "switch-0.5ms": _switch_interval(0.0005),
}


def child_lockerd(port: int, hardware: str, data_dir: Path) -> None:
    out = os.environ.get("LOCKERD_BENCH_PROFILE")
    if out:  # ``--profile DIR``: the event-loop thread's cProfile over the whole run, written when stopped
        import cProfile
        import signal

        prof = cProfile.Profile()

        def dump(_sig: int, _frame: Any) -> None:
            prof.disable()
            prof.dump_stats(str(Path(out) / f"{data_dir.name}.prof"))
            os._exit(0)

        signal.signal(signal.SIGTERM, dump)
        prof.enable()
    asyncio.run(_serve_lockerd(port, hardware, data_dir))


async def _serve_lockerd(port: int, hardware: str, data_dir: Path) -> None:
    import uvicorn

    from edge.clock import SimClock
    from edge.daemon import Daemon
    from edge.ids import uuid7
    from edge.store.db import Tx
    from edge.web.app import create_app

    cfg = _site_config(data_dir)
    emulators: list[Any] = []
    if hardware != "sim":
        from drivers.emulators.launch import start_emulated_banks

        cfg, emulators = start_emulated_banks(cfg, hardware, data_dir / "emulators")
    daemon = Daemon(cfg, clock=SimClock(), data_dir=data_dir, simulated=True)
    await daemon.start()
    from edge.demo import seed_logins  # the demo staff and couriers, as `lockerd simulate` has them

    await daemon.store.write(lambda tx: seed_logins(tx, daemon.services.couriers))
    for name in DROP_INDEXES:
        def drop(tx: Tx, _n: str = name) -> None:
            tx.execute(f"DROP INDEX IF EXISTS {_n}")

        await daemon.store.write(drop)
    stored = int(os.environ.get("LOCKERD_BENCH_STORED") or 0)
    if stored:
        await _store_background(daemon, stored)
    loop = asyncio.get_running_loop()
    opens: list[tuple[str, float]] = []
    close_after = 0.15 if hardware == "sim" else 1.0  # the driver must poll the door open first

    if hardware == "sim":
        for bank in daemon.banks:
            real_open = bank.open

            async def timed_open(c: str, _open: Any = real_open, _bank: Any = bank) -> None:
                opens.append((c, time.perf_counter()))
                await _open(c)
                loop.call_later(close_after, _bank.sim_close, c)

            bank.open = timed_open  # type: ignore[method-assign]
    else:
        from drivers.protocols import kerong as kp

        for emu in emulators:
            def on_frame(t: float, frame: bytes, _emu: Any = emu) -> None:
                try:
                    cmd = kp.cu16_decode_host(frame)
                except Exception:
                    return
                if cmd.cmd != kp.CU16_UNLOCK:
                    return
                door = _emu.by_addr.get((cmd.board, cmd.lock))
                if door is not None:
                    opens.append((door.compartment, t))  # list.append is atomic under the GIL
                    loop.call_soon_threadsafe(loop.call_later, close_after, _emu.sim_close, door.compartment)

            emu.on_frame = on_frame

    app = create_app(daemon)
    trace = _install_trace(loop) if os.environ.get("LOCKERD_BENCH_TRACE") else None
    served: Any = app
    if os.environ.get("LOCKERD_BENCH_TRACE") in ("stages", "tags") and trace is not None:
        served = _install_stages(app, daemon, trace)
    if os.environ.get("LOCKERD_BENCH_TRACE") == "tags" and trace is not None:
        served = _install_tags(served, daemon, trace)

    @app.get("/api/v1/sim/bench/trace")
    async def get_trace() -> dict[str, Any]:
        if trace is None:
            return {}
        out = {k: list(v) for k, v in trace.items()}
        for v in trace.values():
            v.clear()
        return out

    @app.get("/api/v1/sim/bench/gc")
    async def get_gc() -> dict[str, Any]:
        """What the cyclic collector walks now (``--trace tags``): objects frozen, tracked outside the frozen
        set (a full collection's work), the generations' counts and thresholds."""
        import gc

        return {"frozen": gc.get_freeze_count(), "tracked": len(gc.get_objects()), "count": gc.get_count(),
                "threshold": gc.get_threshold(), "stats": gc.get_stats()}

    @app.post("/api/v1/sim/bench/load")
    async def load(n: int = 100) -> dict[str, Any]:
        """Store n parcels with fresh codes in free compartments (one each); return the codes."""

        def fn(tx: Tx) -> list[str]:
            free = [r["id"] for r in tx.all("SELECT id FROM compartments WHERE state = 'free' ORDER BY random() LIMIT ?",
                                             (n,))]
            codes = []
            for c in free:
                code = f"{BACKGROUND_CODE_MAX + secrets.randbelow(10**10 - BACKGROUND_CODE_MAX):010d}"
                pid = uuid7(tx.now)
                tx.execute(
                    "INSERT INTO parcels (id, tracking_number, carrier, unit, phone_tail, category, state,"
                    " compartment_id, pickup_code, created_at, stored_at, updated_at)"
                    " VALUES (?, ?, 'SF', '1-101', '1234', 'normal', 'stored', ?, ?, ?, ?, ?)",
                    (pid, "SF" + pid.replace("-", "")[-13:], c, code, tx.ts, tx.ts, tx.ts),
                )
                tx.execute("UPDATE compartments SET state = 'occupied', updated_at = ? WHERE id = ?", (tx.ts, c))
                codes.append(code)
            return codes

        return {"codes": await daemon.store.write(fn)}

    @app.get("/api/v1/sim/bench/opens")
    async def get_opens() -> dict[str, Any]:
        out = list(opens)
        opens.clear()
        return {"opens": out}

    @app.get("/api/v1/sim/bench/state")
    async def state() -> dict[str, Any]:
        def fn(tx: Tx) -> dict[str, Any]:
            return {
                "stored": tx.scalar("SELECT COUNT(*) FROM parcels WHERE state = 'stored'"),
                "collected": tx.scalar("SELECT COUNT(*) FROM parcels WHERE state = 'collected'"),
                "free": tx.scalar("SELECT COUNT(*) FROM compartments WHERE state = 'free'"),
                "jammed": tx.scalar("SELECT COUNT(*) FROM door_commands WHERE state IN ('jammed','failed')"),
            }

        out = await daemon.store.read(fn)
        if emulators:  # what the boards saw: an unlock the emulator never read vs. one it fired
            out["commands"] = await daemon.store.read(lambda tx: tx.scalar("SELECT COUNT(*) FROM door_commands"))
            out["emulator_unlocks"] = sum(d.opens for e in emulators for d in e.doors.values())
        feed = getattr(app.state, "console_feed", None)
        out["feed"] = None if feed is None else (
            "worker" if feed.worker is not None and feed.worker.running else "daemon")
        out["feed_builds"] = 0 if feed is None else feed.builds
        out["inline_writes"] = daemon.store.inline_writes  # urgent writes run on the loop (decision 0038)
        out["queued_urgent"] = daemon.store.queued_urgent  # and those that went to the writer thread
        out["inline_declined"] = daemon.store.inline_declined  # and why
        out["commit_mean_ms"] = round(1000 * daemon.store.commit_mean_s, 3)
        out["inline_overtook"] = getattr(daemon.store, "inline_overtook", 0)  # ahead of queued follow-ups (0045)
        return out

    server = uvicorn.Server(_uvicorn_config(served, port))
    if not os.environ.get("LOCKERD_BENCH_NO_FREEZE"):
        from edge.memory import freeze_startup

        loop.call_later(1.0, freeze_startup)  # as edge/runner.py does once uvicorn is serving
    try:
        await server.serve()
    finally:
        await daemon.stop()
        for e in emulators:
            e.stop()


#: ``--stored N``: the codes of the parcels already stored (at the desk) start with 0; a round's codes never do
BACKGROUND_CODE_MAX = 10**9


async def _store_background(daemon: Any, n: int) -> None:
    """``--stored N``: N parcels already stored before the first round, as at a site in use (DESIGN.md section 7's
    memory goal is at 10,000 stored). They wait at the parcel-room desk (no compartment, a shelf slot), so every
    round still finds the 400 compartments free; each has a pickup code of its own and its timeline line."""
    from edge.ids import uuid7
    from edge.store.db import Tx

    def fn(tx: Tx, lo: int, hi: int) -> None:
        rows = []
        for i in range(lo, hi):
            pid = uuid7(tx.now)
            rows.append((pid, "SF" + pid.replace("-", "")[-13:], f"{i % 50 + 1}-{i % 30 + 101}", f"{i % 10000:04d}",
                         f"S-{i % 200:03d}", f"{i:010d}", tx.ts, tx.ts, tx.ts))
        tx.conn.executemany(
            "INSERT INTO parcels (id, tracking_number, carrier, unit, phone_tail, category, state, shelf_slot,"
            " pickup_code, created_at, stored_at, updated_at) VALUES (?, ?, 'SF', ?, ?, 'normal', 'stored', ?, ?, ?,"
            " ?, ?)", rows)

    assert n < BACKGROUND_CODE_MAX
    for lo in range(0, n, 2000):
        await daemon.store.write(lambda tx, _lo=lo: fn(tx, _lo, min(n, _lo + 2000)))


def _install_stages(app: Any, daemon: Any, trace: dict[str, list[Any]]) -> Any:
    """``--trace stages``: perf_counter stamps of each pickup's steps on the server (ASGI arrival, the
    service's submit, the writer queue, the writer thread's start, the transaction's end, the commit,
    the loop resuming, the fire call), so the parent can say where a slow pickup's time went."""
    import contextvars

    from edge.services.pickups import PickupService
    from edge.store import db

    cur: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("bench_stage", default=None)
    trace["stages"] = []
    store = daemon.store
    depth = [0]

    async def asgi(scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") != "http" or scope.get("path") != "/api/v1/kiosk/pickup":
            return await app(scope, receive, send)
        st: dict[str, Any] = {"arrive": time.perf_counter()}
        cur.set(st)
        try:
            await app(scope, receive, send)
        finally:
            st["sent"] = time.perf_counter()
            trace["stages"].append(st)

    real_submit = PickupService.submit

    async def submit(self: Any, code: str, *, kiosk: str = "kiosk") -> dict[str, Any]:
        st = cur.get()
        if st is not None:
            st["submit"] = time.perf_counter()
        out: dict[str, Any] = await real_submit(self, code, kiosk=kiosk)
        if st is not None:
            st["fired"] = time.perf_counter()
            st["comps"] = [p["compartment"] for p in out.get("parcels", [])]
        return out

    PickupService.submit = submit  # type: ignore[method-assign]
    real_write = db.Store.write
    real_committed = db.Store._committed
    real_commit = db.Store._commit
    #: the stages of the writes run since the last COMMIT (batches never overlap: the writer's connection lock)
    batch: list[dict[str, Any]] = []

    async def write(self: Any, fn: Any, **kw: Any) -> Any:
        st = cur.get()
        if st is None or "w_submit" in st or self is not store:
            depth[0] += 1
            try:
                return await real_write(self, fn, **kw)
            finally:
                depth[0] -= 1
        st["w_submit"] = time.perf_counter()
        st["queued"] = depth[0]  # other writes submitted and not yet returned

        def timed(tx: Any) -> Any:
            st["t_start"] = time.perf_counter()
            try:
                return fn(tx)
            finally:
                st["fn_end"] = time.perf_counter()
                batch.append(st)

        timed._bench_stage = st  # type: ignore[attr-defined]
        depth[0] += 1
        try:
            return await real_write(self, timed, **kw)
        finally:
            depth[0] -= 1
            st["resumed"] = time.perf_counter()

    def commit(self: Any, conn: Any, durable: bool) -> None:
        mine = list(batch)
        batch.clear()
        t = time.perf_counter()
        for st in mine:
            st["c_start"] = t
        real_commit(self, conn, durable)
        t = time.perf_counter()
        for st in mine:
            st["commit"] = t

    def committed(self: Any, ran: list[Any]) -> None:
        t = time.perf_counter()
        for item in ran:
            st = getattr(item[0], "_bench_stage", None)
            if st is not None:
                st["woken"] = t  # the writer thread hands the result to the loop
        real_committed(self, ran)

    db.Store.write = write  # type: ignore[method-assign]
    db.Store._commit = commit  # type: ignore[method-assign]
    db.Store._committed = committed  # type: ignore[method-assign]
    return asgi


def _install_tags(app: Any, daemon: Any, trace: dict[str, list[Any]]) -> Any:
    """``--trace tags``: perf_counter spans of what the daemon did, so that the parent can tag each pickup
    with what overlapped it (tail vs median): ``(kind, start, end, detail)`` in ``trace["tags"]``.

    Kinds: ``pickup`` (another kiosk request in flight), ``relay`` (live-grid bytes written to a browser's
    stream), ``page`` (any other console request), ``bench`` (this benchmark's own requests), ``ipc`` (a
    request to the console feed worker until its answer: the worker builds meanwhile), ``build`` (a grid
    snapshot built in the daemon), ``commit`` (one group-commit batch on the writer thread; detail: writes
    in it), ``read`` (a read on the reader thread), ``rules`` (a rules sweep), ``maintain`` (the store's
    probe / checkpoint), ``trim`` (malloc_trim), ``gc`` (detail: generation) and ``lag`` (the loop late by
    more than 3 ms), recorded by _install_trace."""
    from edge.rules.component import RulesComponent
    from edge.store import db, writer
    from edge.web.console import feed_process

    spans = trace.setdefault("tags", [])
    now = time.perf_counter

    def timed_async(owner: Any, name: str, kind: str) -> None:
        real = getattr(owner, name)

        async def wrapped(*a: Any, **kw: Any) -> Any:
            t = now()
            try:
                return await real(*a, **kw)
            finally:
                spans.append((kind, t, now(), None))

        setattr(owner, name, wrapped)

    timed_async(feed_process.FeedProcess, "request", "ipc")
    timed_async(RulesComponent, "sweep", "rules")
    timed_async(db.Store, "maintain_once", "maintain")
    real_trim = db.trim

    def trim() -> bool:
        t = now()
        try:
            return real_trim()
        finally:
            spans.append(("trim", t, now(), None))

    db.trim = trim  # type: ignore[assignment]
    real_pump = writer.GroupCommit._pump
    real_committed = db.Store._committed
    batch = [0]

    def pump(self: Any) -> None:
        t = now()
        batch[0] = 0
        try:
            real_pump(self)
        finally:
            if batch[0]:
                spans.append(("commit", t, now(), batch[0]))

    def committed(self: Any, ran: list[Any]) -> None:
        batch[0] = len(ran)
        real_committed(self, ran)

    real_inline = writer.GroupCommit._inline

    def inline(self: Any, fn: Any) -> Any:
        t = now()
        out = real_inline(self, fn)
        if out is not None:
            spans.append(("commit", t, now(), 1))  # an urgent write run on the loop (decision 0038)
        return out

    writer.GroupCommit._pump = pump  # type: ignore[method-assign]
    writer.GroupCommit._inline = inline  # type: ignore[method-assign]
    db.Store._committed = committed  # type: ignore[method-assign]  # over --trace stages' own wrapper
    real_read = db.Store._run_read

    def run_read(self: Any, fn: Any) -> Any:
        t = now()
        try:
            return real_read(self, fn)
        finally:
            spans.append(("read", t, now(), None))

    db.Store._run_read = run_read  # type: ignore[method-assign]

    async def asgi(scope: Any, receive: Any, send: Any) -> None:
        path = scope.get("path", "") if scope.get("type") == "http" else ""
        if not path:
            return await app(scope, receive, send)
        if path == "/api/v1/console/stream":
            async def send_relay(msg: Any) -> None:
                t = now()
                await send(msg)
                if len(msg.get("body", b"")) > 64:  # not the retry line or a keep-alive
                    spans.append(("relay", t, now(), len(msg["body"])))

            return await app(scope, receive, send_relay)
        kind = ("pickup" if path == "/api/v1/kiosk/pickup" else "bench" if path.startswith("/api/v1/sim/bench")
                or path == "/healthz" else "page")
        t = now()
        try:
            await app(scope, receive, send)
        finally:
            spans.append((kind, t, now(), None))

    return asgi


def _install_trace(loop: asyncio.AbstractEventLoop) -> dict[str, list[Any]]:
    """``--trace``: what the server did while a pickup was slow (perf_counter stamps, shared with the
    client): loop stalls (a 1 ms sleeper woken late), console snapshot builds, garbage collections,
    and the callbacks asyncio's debug mode reports as slow."""
    import gc
    import logging

    from edge.web.console import routes_dash

    trace: dict[str, list[Any]] = {"lags": [], "builds": [], "gcs": [], "slow": []}
    real_build = routes_dash._build_snapshot

    async def timed_build(ctx: Any, *args: Any) -> Any:
        t = time.perf_counter()
        try:
            return await real_build(ctx, *args)
        finally:
            trace["builds"].append((t, time.perf_counter()))

    routes_dash._build_snapshot = timed_build  # type: ignore[assignment]
    gc_start: list[float] = [0.0]

    def on_gc(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            gc_start[0] = time.perf_counter()
        else:
            trace["gcs"].append((gc_start[0], time.perf_counter(), info.get("generation")))
            if "tags" in trace:
                trace["tags"].append(("gc", gc_start[0], time.perf_counter(), info.get("generation")))

    gc.callbacks.append(on_gc)

    async def sampler() -> None:
        while True:
            t = time.perf_counter()
            await asyncio.sleep(0.001)
            late = time.perf_counter() - t - 0.001
            if late > 0.003:
                trace["lags"].append((t, t + 0.001 + late))
                if "tags" in trace:
                    trace["tags"].append(("lag", t, t + 0.001 + late, None))

    loop.create_task(sampler())
    if os.environ.get("LOCKERD_BENCH_TRACE") == "debug":
        loop.set_debug(True)
        loop.slow_callback_duration = 0.004

        class Slow(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                if "took" in record.getMessage():
                    trace["slow"].append((time.perf_counter(), record.getMessage()[:300]))

        logging.getLogger("asyncio").addHandler(Slow())
        logging.getLogger("asyncio").setLevel(logging.WARNING)
    return trace


# ================================================================================================
# parent side: the clients
# ================================================================================================
def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, timeout: float = 5) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.loads(r.read())


def _post(url: str, body: Any = None) -> Any:
    req = urllib.request.Request(url, data=json.dumps(body or {}).encode(), method="POST",
                                 headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


class Child:
    def __init__(self, mode: str, work: Path, env: dict[str, str] | None = None) -> None:
        self.name = mode
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        data = work / mode
        data.mkdir(parents=True, exist_ok=True)
        self.log = open(data / "child.log", "wb")
        args = [sys.executable, __file__, "--child", mode, "--port", str(self.port), "--data", str(data)]
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, cwd=str(REPO),
                                     env={**os.environ, **(env or {})})
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.close()
                tail = (data / "child.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{mode} server exited:\n{tail}")
            try:
                if _get(self.url + "/healthz", 1).get("status") == "ok":
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"{mode} server not ready in 30 s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


class RawClient:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams (``--client raw``): far less client-side
    CPU than httpx, so that on a small machine the figures are more about the server."""

    def __init__(self, url: str, kiosk: str, extra: dict[str, str] | None = None) -> None:
        host, _, port = url.removeprefix("http://").partition(":")
        self.host, self.port, self.kiosk = host, int(port), kiosk
        self.extra = "".join(f"{k}: {v}\r\n" for k, v in (extra or {}).items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        data = json.dumps(body).encode() if body is not None else b""
        head = (f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nx-kiosk-id: {self.kiosk}\r\n"
                f"{self.extra}content-type: application/json\r\ncontent-length: {len(data)}\r\n\r\n")
        self.writer.write(head.encode() + data)
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        raw = await self.reader.readexactly(length) if length else b""
        return status, _json_or_none(raw)

    async def aclose(self) -> None:
        if self.writer is not None:
            self.writer.close()


class HttpxClient:
    def __init__(self, url: str, kiosk: str, extra: dict[str, str] | None = None) -> None:
        import httpx

        self.c = httpx.AsyncClient(base_url=url, headers={"x-kiosk-id": kiosk, **(extra or {})}, timeout=30)

    async def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        r = await self.c.request(method, path, json=body)
        return r.status_code, _json_or_none(r.content)

    async def aclose(self) -> None:
        await self.c.aclose()


def _json_or_none(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None  # an HTML console page


CLIENT = {"httpx": HttpxClient, "raw": RawClient}
CLIENT_KIND = "httpx"
#: staff browsers polling the console while the kiosks are used (``--console N``): their session
#: cookie per server URL (lockerd servers); the bare server gets the same number of GET /healthz
CONSOLE_N = 0
CONSOLE_COOKIES: dict[str, str] = {}
CONSOLE_STATS = {"requests": 0, "errors": 0, "pushes": 0}
#: "push": browsers on the live grid (pages once, then server-sent changes); "pages": reload /compartments ~1/s
CONSOLE_MODE = "push"


def console_login(url: str) -> str:
    """Log in as the demo admin; return the Cookie header value."""
    import re
    import urllib.parse
    from http.cookiejar import CookieJar

    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(url + "/login", timeout=10).read().decode()
    m = re.search(r'name="_csrf" value="([^"]+)"', page)
    if not m:
        raise RuntimeError("no login form at " + url)
    form = {"_csrf": m.group(1), "username": "admin", "password": "admin-demo-pass"}
    opener.open(url + "/login", data=urllib.parse.urlencode(form).encode(), timeout=10).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


async def _fire(url: str, codes: list[str], clients: int, think: float = 0.0) -> list[tuple[float, float, int, list[str]]]:
    """`clients` workers, each with its own connection, submit the codes. -> (t0, t1, status, comps).

    think = 0: back to back (a burst: every client submits again as soon as it has its answer);
    think > 0: each client waits think x U(0.5, 1.5) s between pickups (people at kiosks).
    """
    queue: asyncio.Queue[str] = asyncio.Queue()
    for c in codes:
        queue.put_nowait(c)
    out: list[tuple[float, float, int, list[str]]] = []
    # clients are built and connected before the stopwatch runs (building an httpx one costs tens of ms)
    pool = [CLIENT[CLIENT_KIND](url, f"kiosk-{i}") for i in range(clients)]
    await asyncio.gather(*(c.request("GET", "/healthz") for c in pool))

    async def worker(client: Any) -> None:
        if think:
            await asyncio.sleep(random.uniform(0, think))
        while True:
            try:
                code = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            t0 = time.perf_counter()
            status, body = await client.request("POST", "/api/v1/kiosk/pickup", {"code": code})
            t1 = time.perf_counter()
            comps = [p["compartment"] for p in body.get("parcels", [])] if status == 200 else []
            out.append((t0, t1, status, comps))
            if think:
                await asyncio.sleep(think * random.uniform(0.5, 1.5))

    cookie = CONSOLE_COOKIES.get(url)
    path = "/compartments" if cookie else "/healthz"
    n_console = 0 if CONSOLE_MODE == "held" else CONSOLE_N  # held: the browsers' own process serves them
    console = [CLIENT[CLIENT_KIND](url, "console", {"Cookie": cookie} if cookie else None) for _ in range(n_console)]
    finished = asyncio.Event()

    async def staff(client: Any) -> None:
        await asyncio.sleep(random.uniform(0, 1))
        while not finished.is_set():
            status, _ = await client.request("GET", path)
            CONSOLE_STATS["requests"] += 1
            CONSOLE_STATS["errors"] += int(status != 200)
            try:
                await asyncio.wait_for(finished.wait(), random.uniform(0.5, 1.5))
            except TimeoutError:
                pass

    async def live_grid(client: Any) -> None:
        await asyncio.sleep(random.uniform(0, 1))
        await hold_live_grid(client, url, cookie or "", "/", finished)

    push = cookie and CONSOLE_MODE == "push"
    staff_tasks = [asyncio.create_task(live_grid(c) if push else staff(c)) for c in console]
    try:
        await asyncio.gather(*(worker(c) for c in pool))
    finally:
        finished.set()
        await asyncio.gather(*staff_tasks, return_exceptions=True)
        await asyncio.gather(*(c.aclose() for c in pool + console))
    return out


async def hold_live_grid(client: Any, url: str, cookie: str, page: str, finished: asyncio.Event) -> None:
    """A staff browser on the live grid: its page once, the full grid once, then pushed changes."""
    import httpx

    for p in (page, "/api/v1/console/grid"):
        status, _ = await client.request("GET", p)
        CONSOLE_STATS["requests"] += 1
        CONSOLE_STATS["errors"] += int(status != 200)
    async with httpx.AsyncClient(base_url=url, headers={"Cookie": cookie}, timeout=None) as sse:
        async with sse.stream("GET", "/api/v1/console/stream") as r:
            CONSOLE_STATS["errors"] += int(r.status_code != 200)
            reader = r.aiter_lines().__aiter__()
            while not finished.is_set():
                nxt = asyncio.ensure_future(reader.__anext__())
                stop = asyncio.ensure_future(finished.wait())
                done, _ = await asyncio.wait({nxt, stop}, return_when=asyncio.FIRST_COMPLETED)
                if nxt not in done:
                    nxt.cancel()
                    break
                stop.cancel()
                try:
                    line = nxt.result()
                except StopAsyncIteration:
                    break
                if line.startswith("event: grid"):
                    CONSOLE_STATS["pushes"] += 1


def child_browsers(url: str, cookie: str, n: int) -> None:
    """``--console-mode held``: n staff browsers in their own process (as real ones are not in the kiosks'),
    alternately on the dashboard and the wallboard, each holding the live stream until stdin closes; then
    one JSON line of what they saw on stdout."""

    async def run() -> None:
        finished = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.add_reader(sys.stdin.fileno(), lambda: finished.set() if not sys.stdin.buffer.read1(1) else None)
        pool = [RawClient(url, "console", {"Cookie": cookie}) for _ in range(n)]
        tasks = [asyncio.create_task(hold_live_grid(c, url, cookie, ("/", "/wallboard")[i % 2], finished))
                 for i, c in enumerate(pool)]
        await finished.wait()
        await asyncio.gather(*tasks, return_exceptions=True)
        await asyncio.gather(*(c.aclose() for c in pool))

    asyncio.run(run())
    print(json.dumps(CONSOLE_STATS), flush=True)


class Browsers:
    """The held staff browsers' process for one server (``--console-mode held``)."""

    def __init__(self, url: str, cookie: str, n: int) -> None:
        args = [sys.executable, __file__, "--child", "browsers", "--url", url, "--cookie", cookie, "--n", str(n)]
        # at the feed worker's priority: real staff browsers run on other machines, and here they must not take
        # the kiosk clients' CPU (the kiosks' stopwatch starts before their request is written)
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=str(REPO),
                                     preexec_fn=lambda: os.nice(10))
        time.sleep(1.5)  # every browser has its page, its full grid and its stream before the first round

    def stop(self) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.close()
        try:
            out = self.proc.stdout.read().decode().strip().splitlines()
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return
        got = json.loads(out[-1]) if out else {}
        for k in CONSOLE_STATS:
            CONSOLE_STATS[k] += int(got.get(k, 0))


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process and its children (the feed worker) have used, from /proc."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        for task in Path(f"/proc/{pid}/task").iterdir():
            for kid in (task / "children").read_text().split():
                total += cpu_s(int(kid))
    except (OSError, ValueError, IndexError):
        pass
    return total


def worker_cpu_s(pid: int) -> float:
    """The CPU seconds of a server's child processes alone (the console feed worker)."""
    try:
        kids = [int(k) for t in Path(f"/proc/{pid}/task").iterdir() for k in (t / "children").read_text().split()]
    except OSError:
        return 0.0
    return sum(cpu_s(k) for k in kids)


def loop_cpu_s(pid: int) -> float:
    """The CPU seconds of a server's main thread alone (its event loop: uvicorn, the routes, inline writes), from
    /proc; the rest of the process is its writer, reader and executor threads."""
    try:
        fields = Path(f"/proc/{pid}/task/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    if not s:
        return float("nan")
    k = min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))
    return s[k]


class Result:
    def __init__(self) -> None:
        self.wire_ms: list[float] = []
        self.rtt_ms: list[float] = []
        self.errors = 0
        self.unmatched = 0
        #: CPU seconds the server process (with its feed worker) and the feed worker alone used in the rounds
        self.cpu_s = 0.0
        self.worker_cpu_s = 0.0
        #: of cpu_s, the server's event-loop thread alone
        self.loop_cpu_s = 0.0


def round_bare(child: Child, k: int, clients: int, think: float, res: Result | None) -> None:
    codes = [f"{random.randrange(10**10):010d}" for _ in range(k)]
    for t0, t1, st, _ in asyncio.run(_fire(child.url, codes, clients, think)):
        if res is None:
            continue
        if st != 200:
            res.errors += 1
        else:
            res.rtt_ms.append((t1 - t0) * 1000)


def round_lockerd(child: Child, k: int, clients: int, think: float, res: Result | None) -> None:
    _wait_settled(child)
    codes = _post(child.url + f"/api/v1/sim/bench/load?n={k}")["codes"]
    _get(child.url + "/api/v1/sim/bench/opens")  # clear
    out = asyncio.run(_fire(child.url, codes, clients, think))
    opens: dict[str, list[float]] = {}
    for c, t in _get(child.url + "/api/v1/sim/bench/opens")["opens"]:
        opens.setdefault(c, []).append(t)
    if res is None:
        return
    if TRACE:
        global MODE_NOW
        MODE_NOW = child.name
        _correlate(_get(child.url + "/api/v1/sim/bench/trace"), out, opens)
    for t0, t1, st, comps in out:
        if st != 200 or not comps:
            res.errors += 1
            continue
        ts = [t for t in opens.get(comps[0], []) if t >= t0]
        if not ts:
            res.unmatched += 1
            continue
        res.wire_ms.append((min(ts) - t0) * 1000)
        res.rtt_ms.append((t1 - t0) * 1000)


TRACE = ""
MODE_NOW = ""
TRACE_ALL: dict[str, dict[str, Any]] = {}
TRACE_STATS: dict[str, Any] = {}


def _trace_scenario(name: str) -> None:
    global TRACE_STATS
    TRACE_STATS = TRACE_ALL.setdefault(name, {"slow": 0, "with_build": 0, "with_lag": 0, "with_gc": 0,
                                              "unexplained": 0, "builds": [], "lags": [], "gcs": [],
                                              "slow_callbacks": {}, "examples": []})
SLOW_MS = 15.0
#: ``--trace stages``: the server's stamps of one pickup, in order (the client's start before, the wire after)
STAGES = ("arrive", "submit", "w_submit", "t_start", "fn_end", "c_start", "commit", "resumed")
STAGE_NAMES = ("client -> ASGI arrival", "ASGI -> service submit (middleware, deps, body)",
               "submit -> write queued (lockout check, stall check)", "write queued -> its fn runs (thread hop)",
               "fn (the SQL of the transaction)", "fn end -> COMMIT starts (the batch's other writes)",
               "COMMIT (fsync)", "commit -> loop resumes the pickup", "resumed -> unlock on the wire (fire)")


def _overlap(a0: float, a1: float, spans: list[Any]) -> list[Any]:
    return [s for s in spans if s[0] < a1 and s[1] > a0]


#: ``--trace tags``: what a pickup can overlap on the server, in the order printed
TAG_KINDS = ("pickup", "commit", "read", "relay", "ipc", "build", "page", "bench", "rules", "maintain", "trim",
             "gc0", "gc1", "gc2", "lag")
#: and in the moments just before its request (a browser woken by a relay competes with the kiosk client)
TAG_BEFORE_S = 0.005
#: the console's own work on the daemon (``--trace tags``): relaying the feed's bytes to each browser's stream,
#: waiting for the feed worker's answer, building in the daemon, serving a console page
CONSOLE_KINDS = ("relay", "ipc", "build", "page")


def _tag_row(t0: float, wire: float, trace: dict[str, list[Any]], stage: dict[str, Any] | None
             ) -> dict[str, Any]:
    """One pickup's tags: per kind, how many spans overlapped [request start, unlock on the wire] and for how
    many ms in all; the same count for the TAG_BEFORE_S before its start; the client -> ASGI arrival time."""
    row: dict[str, Any] = {"wire": (wire - t0) * 1000, "n": {}, "ms": {}, "before": {}}
    spans = [(f"gc{d}", a, b, d) if k == "gc" else (k, a, b, d) for k, a, b, d in trace["tags"]]
    spans += [("build", a, b, None) for a, b in trace.get("builds", [])]
    own = stage["arrive"] if stage else None
    for kind, a, b, _d in spans:
        if kind == "pickup" and own is not None and abs(a - own) < 1e-4:
            continue  # the pickup itself
        if a < wire and b > t0:
            row["n"][kind] = row["n"].get(kind, 0) + 1
            row["ms"][kind] = row["ms"].get(kind, 0.0) + (min(b, wire) - max(a, t0)) * 1000
        elif t0 - TAG_BEFORE_S < b <= t0:
            row["before"][kind] = row["before"].get(kind, 0) + 1
    if stage:
        row["arrive_ms"] = (stage["arrive"] - t0) * 1000
    return row


def _print_console_spans(mode_name: str, spans: dict[str, list[float]], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The console's own work on the daemon over the whole scenario (``--trace tags``): how often, how long, and how
    many of all the pickups it overlapped at all: the most that serving the stream elsewhere could take off them."""
    out: dict[str, Any] = {}
    for kind in CONSOLE_KINDS:
        xs = spans.get(kind, [])
        hit = sum(1 for r in rows if r["n"].get(kind))
        out[kind] = {"n": len(xs), "total_ms": round(sum(xs), 2), "p50_ms": round(statistics.median(xs), 3) if xs
                     else None, "max_ms": round(max(xs), 3) if xs else None, "pickups_overlapped": hit}
        if xs or hit:
            print(f"  {mode_name} console {kind:<6}: {len(xs)} spans, {sum(xs):.1f} ms in all (p50 {statistics.median(xs):.3f},"
                  f" max {max(xs):.2f} ms); overlapped {hit} of {len(rows)} pickups")
    return out


def _p99_ratio_interval(a: list[float], b: list[float], rounds: int = 2000, seed: int = 24) -> tuple[float, float]:
    """A 95% bootstrap interval of p99(a) / p99(b): both arms resampled with replacement ``rounds`` times. With 400
    pickups an arm's p99 is its 4th-slowest, so one run's ratio alone says little; an interval that holds 1.0 says
    the two arms could not be told apart in this run."""
    if not a or not b:
        return float("nan"), float("nan")  # an arm with no pickup measured (every one failed)
    rng = random.Random(seed)
    rs = sorted(pct(rng.choices(a, k=len(a)), 99) / pct(rng.choices(b, k=len(b)), 99) for _ in range(rounds))
    return rs[int(0.025 * rounds)], rs[int(0.975 * rounds) - 1]


def _print_tags(mode_name: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The breakdown: the slowest 1% of pickups against the middle 10% (around the median)."""
    rows = sorted(rows, key=lambda r: r["wire"])
    n = len(rows)
    k = max(1, n // 100)
    tail, mid = rows[-k:], rows[int(n * 0.45):max(int(n * 0.45) + 1, int(n * 0.55))]
    print(f"  {mode_name} tags over {n} pickups: slowest 1% ({k}, from {tail[0]['wire']:.2f} ms) vs middle 10%"
          f" ({len(mid)}, {mid[0]['wire']:.2f}-{mid[-1]['wire']:.2f} ms)")
    print(f"    {'overlapping':<12}{'tail: share':>12}{'mean n':>8}{'mean ms':>9}{'mid: share':>12}{'mean n':>8}"
          f"{'mean ms':>9}{'5ms before: tail':>18}{'mid':>6}")
    out: dict[str, Any] = {"n": n, "tail_from_ms": round(tail[0]["wire"], 2), "kinds": {}}

    def share(rs: list[dict[str, Any]], key: str, kind: str) -> float:
        return 100 * sum(1 for r in rs if r[key].get(kind)) / len(rs)

    for kind in TAG_KINDS:
        if not any(r["n"].get(kind) or r["before"].get(kind) for r in rows):
            continue
        t_n, m_n = (statistics.mean(r["n"].get(kind, 0) for r in rs) for rs in (tail, mid))
        t_ms, m_ms = (statistics.mean(r["ms"].get(kind, 0.0) for r in rs) for rs in (tail, mid))
        print(f"    {kind:<12}{share(tail, 'n', kind):>11.0f}%{t_n:>8.2f}{t_ms:>9.2f}{share(mid, 'n', kind):>11.0f}%"
              f"{m_n:>8.2f}{m_ms:>9.2f}{share(tail, 'before', kind):>17.0f}%{share(mid, 'before', kind):>5.0f}%")
        out["kinds"][kind] = {"tail_share": round(share(tail, "n", kind)), "mid_share": round(share(mid, "n", kind)),
                              "tail_ms": round(t_ms, 2), "mid_ms": round(m_ms, 2)}
    arr = [r["arrive_ms"] for r in tail if "arrive_ms" in r], [r["arrive_ms"] for r in mid if "arrive_ms" in r]
    if arr[0] and arr[1]:
        print(f"    client -> ASGI arrival: tail mean {statistics.mean(arr[0]):.2f} ms, mid mean"
              f" {statistics.mean(arr[1]):.2f} ms")
    for r in tail[-6:]:
        print(f"    slowest: {r['wire']:.1f} ms" + (f" (arrival {r['arrive_ms']:.1f})" if "arrive_ms" in r else "")
              + ": " + ", ".join(f"{kd} {r['n'][kd]}x {r['ms'][kd]:.1f}" for kd in TAG_KINDS if r["n"].get(kd)))
    return out


def _correlate(trace: dict[str, list[Any]], out: list[Any], opens: dict[str, list[float]]) -> None:
    """Count the slow pickups of a round and what overlapped each (``--trace``)."""
    st = TRACE_STATS
    console = st.setdefault("console_spans", {}).setdefault(MODE_NOW, {k: [] for k in CONSOLE_KINDS})
    for kind, a, b, _d in trace.get("tags", []):
        if kind in console:
            console[kind].append((b - a) * 1000)
    st["builds"] += [(b - a) * 1000 for a, b in trace.get("builds", [])]
    st["lags"] += [(b - a) * 1000 for a, b in trace.get("lags", [])]
    st["gcs"] += [((b - a) * 1000, g) for a, b, g in trace.get("gcs", [])]
    for _, msg in trace.get("slow", []):
        key = msg.split(" took ")[0][:160]
        st["slow_callbacks"][key] = st["slow_callbacks"].get(key, 0) + 1
    by_comp: dict[str, list[dict[str, Any]]] = {}
    for sg in trace.get("stages", []):
        for c in sg.get("comps", []):
            by_comp.setdefault(c, []).append(sg)
    for t0, _t1, status, comps in out:
        if status != 200 or not comps:
            continue
        ts = [t for t in opens.get(comps[0], []) if t >= t0]
        sgs = [sg for sg in by_comp.get(comps[0], []) if sg["arrive"] >= t0 and all(k in sg for k in STAGES)]
        if ts and sgs:
            sg, wire = sgs[0], min(ts)
            marks = [t0, *(sg[k] for k in STAGES), wire]
            st.setdefault("stage_rows", {}).setdefault(MODE_NOW, []).append(
                ([(b - a) * 1000 for a, b in zip(marks, marks[1:], strict=False)], sg.get("queued", 0)))
            # an inline write (decision 0038) is never handed back by the writer thread: no "woken" stamp
            st.setdefault("path_rows", {}).setdefault(MODE_NOW, []).append(("woken" not in sg, (wire - t0) * 1000))
        if ts and "tags" in trace:
            st.setdefault("tag_rows", {}).setdefault(MODE_NOW, []).append(
                _tag_row(t0, min(ts), trace, sgs[0] if sgs else None))
        if not ts or (min(ts) - t0) * 1000 < SLOW_MS:
            continue
        t1 = min(ts)
        st["slow"] += 1
        b = _overlap(t0, t1, trace.get("builds", []))
        lg = _overlap(t0, t1, trace.get("lags", []))
        g = _overlap(t0, t1, trace.get("gcs", []))
        st["with_build"] += int(bool(b))
        st["with_lag"] += int(bool(lg))
        st["with_gc"] += int(bool(g))
        st["unexplained"] += int(not (b or lg or g))
        if len(st["examples"]) < 8:
            st["examples"].append(f"{(t1 - t0) * 1000:.1f} ms: builds {[round((y - x) * 1000, 1) for x, y in b]},"
                                  f" stalls {[round((y - x) * 1000, 1) for x, y in lg]},"
                                  f" gcs {[(round((y - x) * 1000, 1), gen) for x, y, gen in g]}")


def run_scenario(children: dict[str, Child], n: int, per_round: int, clients: int, think: float
                 ) -> dict[str, Result]:
    """Rounds alternate between the servers so that they all see the same background noise."""
    results = {name: Result() for name in children}
    _trace_scenario("burst" if not think else "paced")
    for name, child in children.items():  # warm-up round, not measured
        (round_bare if name.startswith("bare") else round_lockerd)(child, per_round, clients, 0.0, None)
    done = 0
    while done < n:
        k = min(per_round, n - done)
        for name, child in children.items():
            pid = child.proc.pid
            c0, w0, l0 = cpu_s(pid), worker_cpu_s(pid), loop_cpu_s(pid)
            (round_bare if name.startswith("bare") else round_lockerd)(child, k, clients, think, results[name])
            results[name].cpu_s += cpu_s(pid) - c0
            results[name].worker_cpu_s += worker_cpu_s(pid) - w0
            results[name].loop_cpu_s += loop_cpu_s(pid) - l0
        done += k
    return results


def _wait_settled(child: Child, timeout: float = 20) -> None:
    """Wait until every parcel of the last round is collected and its compartment free again."""
    deadline = time.monotonic() + timeout
    st: dict[str, Any] = {}
    while time.monotonic() < deadline:
        st = _get(child.url + "/api/v1/sim/bench/state")
        if st["stored"] == STORED and st["free"] == len(BANKS) * PER_BANK:
            return
        time.sleep(0.05)
    raise RuntimeError(f"pickups did not settle: {st}")


def _summ(xs: list[float]) -> dict[str, float]:
    return {"p50": round(statistics.median(xs), 3) if xs else float("nan"), "p90": round(pct(xs, 90), 3),
            "p99": round(pct(xs, 99), 3), "max": round(max(xs), 3) if xs else float("nan")}


def _loadavg() -> str:
    """The 1/5/15-minute load averages now (every figure is reported with the load it was measured under)."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": model, "python": sys.version.split()[0]}


def commit_baseline(where: Path, n: int = 200) -> dict[str, float]:
    """A bare SQLite commit (WAL, synchronous=FULL: one fsync) on the same file system as the data."""
    conn = _fsync_table(where / "commit-baseline.db")
    xs = []
    for i in range(n):
        t = time.perf_counter()
        _commit_one(conn, str(i))
        xs.append((time.perf_counter() - t) * 1000)
    conn.close()
    return _summ(xs)


SCENARIOS = {"burst": 0.0, "paced": 1.0}
#: ``--stored N``: parcels stored at the desk in every lockerd server before the first round
STORED = 0


def main() -> int:
    ap = argparse.ArgumentParser(description="pickup latency: code submitted -> unlock on the wire")
    ap.add_argument("--pickups", type=int, default=1000, help="measured pickups per mode in the burst scenario")
    ap.add_argument("--paced-pickups", type=int, default=400, help="measured pickups per mode, paced scenario")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--modes", default="sim,kerong-cu16", help="comma-separated: sim, kerong-cu16")
    ap.add_argument("--keep", action="store_true",
                    help="keep the data directory (databases, each server's child.log) after the run")
    ap.add_argument("--data-root", help="where the databases go (default: the system temp dir)")
    ap.add_argument("--ab", choices=sorted(EXPERIMENTS),
                    help="A/B in one run: a second sim daemon 'sim+B' with this experiment patched in, its rounds"
                         " interleaved with the unchanged 'sim' (same clients, same console browsers, same noise)")
    ap.add_argument("--experiment", choices=sorted(EXPERIMENTS),
                    help="measure a proposed change patched into the server (see enable_group_commit)")
    ap.add_argument("--console", type=int, default=0,
                    help="also N staff browsers polling the console's compartment grid about once a second")
    ap.add_argument("--console-mode", choices=["held", "push", "pages"], default="held",
                    help="held: the browsers in their own process keep the dashboard or the wallboard open on the"
                         " live stream for the whole run (the desk always has them open); push: the same, but in the"
                         " kiosks' process and reconnecting every round of 100 pickups; pages: reload /compartments")
    ap.add_argument("--client", choices=sorted(CLIENT), default="raw",
                    help="raw: a minimal keep-alive HTTP/1.1 client on asyncio streams (default: far less client"
                         " CPU, so the figures are more about the server); httpx: httpx.AsyncClient (the default"
                         " before perf18)")
    ap.add_argument("--stored", type=int, default=0,
                    help="N parcels already stored (at the desk, each with its code) in every lockerd server before"
                         " the first round, as at a site in use (e.g. 10000)")
    ap.add_argument("--ab-tree", metavar="PATH",
                    help="A/B in one run against another checkout: a second sim daemon 'sim+B' serving PATH's edge"
                         " code (e.g. `git archive c8dc5df | tar -x -C /tmp/lockerd-base`), rounds interleaved")
    ap.add_argument("--floor", action="store_true",
                    help="also measure the bare endpoint with one fsynced SQLite commit per request ('bare+commit',"
                         " rounds interleaved): what the disk alone adds to a durable door command's latency")
    ap.add_argument("--profile", metavar="DIR",
                    help="write each lockerd server's event-loop cProfile over the whole run to DIR/<mode>.prof"
                         " (the profiler's overhead slows it: for where the loop's CPU goes, not for latency)")
    ap.add_argument("--trace", choices=["lag", "debug", "stages", "tags"],
                    help="record server loop stalls, console builds and GCs, and say what overlapped slow pickups")
    ap.add_argument("--console-ab", action="store_true",
                    help="with --console N: also a second sim daemon WITHOUT staff browsers (its N clients poll"
                         " /healthz like the bare server's), so one run compares the same daemon with and without")
    ap.add_argument("--quick", action="store_true", help="fewer pickups, sim mode only (CI smoke)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    ap.add_argument("--url", help=argparse.SUPPRESS)
    ap.add_argument("--cookie", help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child == "browsers":
        child_browsers(args.url, args.cookie, args.n)
        return 0
    if args.child:
        import logging

        logging.basicConfig(level=logging.WARNING)
        from edge.runner import share_gil_quickly

        share_gil_quickly()  # every server child, the bare one too, as edge/runner.py does
        exp = os.environ.get("LOCKERD_BENCH_EXPERIMENT")
        if exp:
            EXPERIMENTS[exp]()
        if args.child == "bare":
            child_bare(args.port)
        elif args.child == "bare+commit":
            child_bare(args.port, Path(args.data))
        else:
            child_lockerd(args.port, args.child.removesuffix("+console").removesuffix("+B"), Path(args.data))
        return 0
    if args.quick:
        args.pickups, args.paced_pickups, args.modes = 300, 100, "sim"
    global CLIENT_KIND, CONSOLE_N, CONSOLE_MODE, TRACE, STORED
    STORED = args.stored
    if STORED:
        os.environ["LOCKERD_BENCH_STORED"] = str(STORED)  # inherited by the server children
    b_env: dict[str, str] = {}
    if args.ab:
        b_env["LOCKERD_BENCH_EXPERIMENT"] = args.ab
    if args.ab_tree:
        tree = Path(args.ab_tree).resolve()
        if not (tree / "edge" / "daemon.py").is_file():
            ap.error(f"--ab-tree {tree}: no lockerd checkout there (no edge/daemon.py)")
        b_env["LOCKERD_BENCH_TREE"] = str(tree)
    b_label = " + ".join(([args.ab] if args.ab else []) + ([f"tree {args.ab_tree}"] if args.ab_tree else []))
    ab = bool(b_env)
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
        os.environ["LOCKERD_BENCH_PROFILE"] = str(Path(args.profile).resolve())  # inherited by the server children
    if args.trace:
        TRACE = args.trace
        os.environ["LOCKERD_BENCH_TRACE"] = args.trace  # inherited by the server children
    CLIENT_KIND = args.client
    CONSOLE_N = args.console
    CONSOLE_MODE = args.console_mode
    if args.experiment:
        os.environ["LOCKERD_BENCH_EXPERIMENT"] = args.experiment  # inherited by the server children
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if args.console_ab and CONSOLE_N:
        # the same daemon twice: "sim+console" gets the staff browsers, "sim" only /healthz pollers
        modes = ["sim", "sim+console", *[m for m in modes if m != "sim"]]
    if ab and args.console_ab and CONSOLE_N:
        # three daemons: without staff browsers, with them, and with them and the experiment patched in
        modes = ["sim", "sim+console", "sim+B+console", *[m for m in modes if m not in ("sim", "sim+console")]]
    elif ab:
        modes = ["sim", "sim+B", *[m for m in modes if m != "sim"]]
    a_name, b_name = ("sim+console", "sim+B+console") if "sim+B+console" in modes else ("sim", "sim+B")
    counts = {"burst": args.pickups, "paced": args.paced_pickups}
    load_start = _loadavg()
    results: dict[str, dict[str, Result]] = {}
    with (contextlib.nullcontext(tempfile.mkdtemp(prefix="lockerd-bench-pickup-", dir=args.data_root))
          if args.keep else tempfile.TemporaryDirectory(prefix="lockerd-bench-pickup-", dir=args.data_root)) as tmp:
        work = Path(tmp)
        if args.keep:
            print(f"keeping the databases and each server's child.log in {work}", flush=True)
        disk = commit_baseline(work)
        children: dict[str, Child] = {}
        browsers: list[Browsers] = []
        try:
            for name in ["bare", *(["bare+commit"] if args.floor else []), *modes]:
                children[name] = Child(name, work, b_env if "+B" in name else None)
                if CONSOLE_N and not name.startswith("bare") and (not args.console_ab or name.endswith("+console")):
                    url = children[name].url
                    CONSOLE_COOKIES[url] = console_login(url)
                    if CONSOLE_MODE == "held":
                        browsers.append(Browsers(url, CONSOLE_COOKIES[url], CONSOLE_N))
            for sc, think in SCENARIOS.items():
                results[sc] = run_scenario(children, counts[sc], 100, args.clients, think)
            final = {m: _get(children[m].url + "/api/v1/sim/bench/state") for m in modes}
            if TRACE == "tags":
                for m in modes:
                    g = _get(children[m].url + "/api/v1/sim/bench/gc")
                    print(f"gc {m} at the end: {g['frozen']} objects frozen, {g['tracked']} tracked outside them,"
                          f" counts {g['count']}, thresholds {g['threshold']}, collections per generation"
                          f" {[x['collections'] for x in g['stats']]}")
        finally:
            for b in browsers:
                b.stop()
            for c in children.values():
                c.stop()
    mach = machine()
    print(f"pickup latency, {args.clients} concurrent {args.client} kiosk clients"
          + (f" + {CONSOLE_N} console browsers, {CONSOLE_MODE} ({CONSOLE_STATS['requests']} page loads,"
             f" {CONSOLE_STATS['pushes']} pushed grid changes, {CONSOLE_STATS['errors']} not 200)" if CONSOLE_N else "")
          + f" ({mach['nproc']} CPUs, {mach['cpu']})"
          + (f"; EXPERIMENT {args.experiment} patched into the server" if args.experiment else "")
          + (f"; {STORED} parcels already stored at the desk" if STORED else "")
          + (f"; sim+B = {b_label}" if ab else "")
          + f"; load average {load_start} at the start, {_loadavg()} at the end")
    print(f"bare SQLite commit (WAL, synchronous=FULL) on the data disk: p50 {disk['p50']:.2f} ms, "
          f"p99 {disk['p99']:.2f} ms")
    print("burst: each client submits again as soon as it is answered; paced: each client waits "
          "0.5-1.5 s between pickups")
    print(f"{'scenario':<8}{'what':<48}{'n':>6}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'max ms':>9}{'p99/base':>9}")
    out: dict[str, Any] = {"bench": "pickup", "clients": args.clients, "client": args.client,
                           "experiment": args.experiment, "console_clients": CONSOLE_N,
                           "console_requests": CONSOLE_STATS["requests"], "console_errors": CONSOLE_STATS["errors"],
                           "console_mode": CONSOLE_MODE, "console_pushes": CONSOLE_STATS["pushes"],
                           "stored": STORED, "load_start": load_start, "load_end": _loadavg(),
                           "commit_p50_ms": disk["p50"],
                           "commit_p99_ms": disk["p99"], "scenarios": {}}
    for sc in SCENARIOS:
        b = _summ(results[sc]["bare"].rtt_ms)
        print(f"{sc:<8}{'bare FastAPI POST round trip (baseline)':<48}{len(results[sc]['bare'].rtt_ms):>6}{b['p50']:>9.2f}"
              f"{b['p90']:>9.2f}{b['p99']:>9.2f}{b['max']:>9.2f}{1:>9.2f}")
        so: dict[str, Any] = {"baseline_p50_ms": b["p50"], "baseline_p99_ms": b["p99"], "modes": {}}
        if "bare+commit" in results[sc]:
            f = _summ(results[sc]["bare+commit"].rtt_ms)
            print(f"{sc:<8}{'bare + one fsynced SQLite commit (the floor)':<48}"
                  f"{len(results[sc]['bare+commit'].rtt_ms):>6}{f['p50']:>9.2f}{f['p90']:>9.2f}{f['p99']:>9.2f}"
                  f"{f['max']:>9.2f}{f['p99'] / b['p99']:>9.2f}")
            so.update({"floor_p50_ms": f["p50"], "floor_p99_ms": f["p99"], "floor_max_ms": f["max"]})
        for m in modes:
            r = results[sc][m]
            w, t = _summ(r.wire_ms), _summ(r.rtt_ms)
            ratio = w["p99"] / b["p99"]
            ok = w["p99"] < GOAL_P99_MS and ratio <= GOAL_RATIO
            print(f"{sc:<8}{m + ': code submitted -> unlock on the wire':<48}{len(r.wire_ms):>6}{w['p50']:>9.2f}"
                  f"{w['p90']:>9.2f}{w['p99']:>9.2f}{w['max']:>9.2f}{ratio:>9.2f}")
            print(f"{sc:<8}{m + ': whole pickup request':<48}{len(r.rtt_ms):>6}{t['p50']:>9.2f}"
                  f"{t['p90']:>9.2f}{t['p99']:>9.2f}{t['max']:>9.2f}{t['p99'] / b['p99']:>9.2f}")
            cpu_ms = 1000 * r.cpu_s / max(1, len(r.rtt_ms))
            loop_ms = 1000 * r.loop_cpu_s / max(1, len(r.rtt_ms))
            print(f"  {sc} {m}: server CPU {cpu_ms:.2f} ms per pickup (rounds included), of it the event-loop thread"
                  f" {loop_ms:.2f} ms and the console feed"
                  f" worker {1000 * r.worker_cpu_s / max(1, len(r.rtt_ms)):.2f} ms; live grid built in the"
                  f" {final[m].get('feed') or '(no browsers)'}"
                  + (f" ({final[m]['feed_builds']} messages asked for in the whole run)" if final[m].get("feed") else ""))
            if r.errors or r.unmatched:
                print(f"  {sc} {m}: {r.errors} failed requests, {r.unmatched} unlocks not seen")
            so["modes"][m] = {"wire_p50_ms": w["p50"], "wire_p90_ms": w["p90"], "wire_p99_ms": w["p99"],
                              "wire_max_ms": w["max"], "rtt_p50_ms": t["p50"], "rtt_p99_ms": t["p99"],
                              "ratio_p99": round(ratio, 3), "n": len(r.wire_ms), "errors": r.errors,
                              "unmatched": r.unmatched, "jammed_or_failed": final[m]["jammed"], "pass": ok,
                              "cpu_ms_per_pickup": round(cpu_ms, 3), "loop_cpu_ms_per_pickup": round(loop_ms, 3),
                              "feed": final[m].get("feed"),
                              "worker_cpu_ms_per_pickup": round(1000 * r.worker_cpu_s / max(1, len(r.rtt_ms)), 3)}
        out["scenarios"][sc] = so
    verdict = {f"{sc}/{m}": v["pass"] for sc, so in out["scenarios"].items() for m, v in so["modes"].items()}
    first = out["scenarios"]["burst"]["modes"][modes[0]]
    out.update({"wire_p99_ms": first["wire_p99_ms"], "ratio": first["ratio_p99"],
                "goal": f"p99 < {GOAL_P99_MS:g} ms and <= {GOAL_RATIO:g}x baseline", "verdicts": verdict,
                "pass": all(verdict.values()), "machine": mach})
    for m in modes:
        if "inline_writes" in final[m]:  # an --ab-tree checkout before decision 0038 has no such counters
            print(f"urgent writes in {m} (whole run, warm-up included): {final[m]['inline_writes']} run at once on the"
                  f" loop, {final[m]['queued_urgent']} through the writer thread (decision 0038); not inline because"
                  f" {final[m]['inline_declined']}; {final[m].get('inline_overtook', 0)} of those at once went ahead of"
                  f" queued non-urgent writes (decision 0045); durable COMMITs' running mean at the end"
                  f" {final[m]['commit_mean_ms']:.2f} ms")
            out.setdefault("urgent_writes", {})[m] = {"inline": final[m]["inline_writes"],
                                                     "queued": final[m]["queued_urgent"]}
    print(f"goal: p99 under {GOAL_P99_MS:g} ms and at most {GOAL_RATIO:g}x the bare endpoint's p99 -> "
          + ", ".join(f"{k} {'MET' if v else 'MISSED'}" for k, v in verdict.items()))
    if CONSOLE_N:
        paced = out["scenarios"]["paced"]
        for m, v in paced["modes"].items():
            if args.console_ab and not m.endswith("+console"):
                continue  # the A/B's daemon without staff browsers
            r = v["wire_p99_ms"] / paced["baseline_p99_ms"]
            met = v["wire_p99_ms"] < GOAL_P99_MS and r <= CONSOLE_GOAL_RATIO
            print(f"console goal (issue 18): with {CONSOLE_N} staff browsers, paced {m} p99 {v['wire_p99_ms']:.2f} ms ="
                  f" {r:.2f}x bare ({paced['baseline_p99_ms']:.2f} ms); goal <= {CONSOLE_GOAL_RATIO:g}x and"
                  f" < {GOAL_P99_MS:g} ms -> {'MET' if met else 'MISSED'}")
            lo, hi = _p99_ratio_interval(results["paced"][m].wire_ms, results["paced"]["bare"].rtt_ms)
            print(f"  its 95% bootstrap interval: {lo:.2f}-{hi:.2f}x")
            out.setdefault("console_goal", {})[m] = {"ratio": round(r, 3), "met": met,
                                                     "interval": [round(lo, 3), round(hi, 3)]}
            if "floor_p99_ms" in paced:
                rf = v["wire_p99_ms"] / paced["floor_p99_ms"]
                print(f"  against the floor (the bare endpoint with one fsynced commit, {paced['floor_p99_ms']:.2f} ms"
                      f" p99): {rf:.2f}x; the floor itself is {paced['floor_p99_ms'] / paced['baseline_p99_ms']:.2f}x"
                      f" the bare endpoint")
                out["console_goal"][m]["floor_ratio"] = round(rf, 3)
        if "sim+console" in paced["modes"] and "sim" in paced["modes"]:
            with_, without = paced["modes"]["sim+console"]["wire_p99_ms"], paced["modes"]["sim"]["wire_p99_ms"]
            print(f"console A/B (same run, same daemon): paced p99 with {CONSOLE_N} staff browsers {with_:.2f} ms,"
                  f" without {without:.2f} ms: {with_ / without:.2f}x")
            out["console_ab_ratio"] = round(with_ / without, 3)
            lo, hi = _p99_ratio_interval(results["paced"]["sim+console"].wire_ms, results["paced"]["sim"].wire_ms)
            print(f"  its 95% bootstrap interval: {lo:.2f}-{hi:.2f}x"
                  + (" (holds 1.0: the browsers' effect is not measurable in this run)" if lo <= 1.0 <= hi else ""))
            out["console_ab_interval"] = [round(lo, 3), round(hi, 3)]
            w, wo = paced["modes"]["sim+console"], paced["modes"]["sim"]
            own = w["cpu_ms_per_pickup"] - w["worker_cpu_ms_per_pickup"] - wo["cpu_ms_per_pickup"]
            print(f"console cost on the daemon process itself (paced, CPU per pickup with minus without the browsers,"
                  f" the feed worker not counted): {own:+.2f} ms, of it on the event-loop thread"
                  f" {w['loop_cpu_ms_per_pickup'] - wo['loop_cpu_ms_per_pickup']:+.2f} ms; the feed worker"
                  f" {w['worker_cpu_ms_per_pickup']:.2f} ms")
            out["console_daemon_cpu_ms_per_pickup"] = round(own, 3)
    if ab:
        for sc, so in out["scenarios"].items():
            a, b = so["modes"][a_name], so["modes"][b_name]
            print(f"A/B {sc} (same run): {a_name} p50 / p90 / p99 {a['wire_p50_ms']:.2f} / {a['wire_p90_ms']:.2f} /"
                  f" {a['wire_p99_ms']:.2f} ms; {b_name} ({b_label}) {b['wire_p50_ms']:.2f} /"
                  f" {b['wire_p90_ms']:.2f} / {b['wire_p99_ms']:.2f} ms: B/A p99 {b['wire_p99_ms'] / a['wire_p99_ms']:.2f};"
                  f" server CPU per pickup {a['cpu_ms_per_pickup']:.2f} vs {b['cpu_ms_per_pickup']:.2f} ms")
        out["ab"] = args.ab
        out["ab_tree"] = args.ab_tree
    for scn, st in TRACE_ALL.items() if TRACE else ():
        print(f"trace {scn}: {st['slow']} pickups slower than {SLOW_MS:g} ms on the wire; overlapping a console build"
              f" {st['with_build']}, a loop stall > 3 ms {st['with_lag']}, a GC {st['with_gc']}; none of these"
              f" {st['unexplained']}")
        for k in ("builds", "lags"):
            xs = st[k]
            if xs:
                print(f"  {k}: n {len(xs)}, p50 {statistics.median(xs):.1f} ms, p99 {pct(xs, 99):.1f} ms,"
                      f" max {max(xs):.1f} ms")
        g2 = [d for d, g in st["gcs"] if g == 2]
        print(f"  gcs: n {len(st['gcs'])}, gen2 {len(g2)}" + (f", gen2 max {max(g2):.1f} ms" if g2 else "")
              + (f", any max {max(d for d, _ in st['gcs']):.1f} ms" if st["gcs"] else ""))
        for k, n in sorted(st["slow_callbacks"].items(), key=lambda kv: -kv[1])[:12]:
            print(f"  slow callback x{n}: {k}")
        for e in st["examples"]:
            print("  slow pickup " + e)
        for mode_name, rows in st.get("stage_rows", {}).items():
            tot = [sum(r) for r, _ in rows]
            slow = sorted(range(len(rows)), key=lambda i: tot[i])[-max(1, len(rows) // 50):]
            print(f"  {mode_name} stages over {len(rows)} pickups (ms): p50 / p99 of each, mean in the slowest 2%"
                  f" ({len(slow)})")
            for j, name in enumerate(STAGE_NAMES):
                xs = [r[j] for r, _ in rows]
                print(f"    {name:<56}{statistics.median(xs):>8.2f}{pct(xs, 99):>8.2f}"
                      f"{statistics.mean(rows[i][0][j] for i in slow):>8.2f}")
            q = [n for _, n in rows]
            print(f"    other writes in flight when the pickup's write was queued: mean {statistics.mean(q):.2f},"
                  f" max {max(q)}; in the slowest 2%: mean {statistics.mean(rows[i][1] for i in slow):.2f}")
            for i in slow[-6:]:
                print(f"    slowest: {tot[i]:.1f} ms = " + " + ".join(f"{x:.1f}" for x in rows[i][0]))
            paths = st.get("path_rows", {}).get(mode_name, [])
            tail_from = sorted(w for _, w in paths)[-max(1, len(paths) // 100)] if paths else 0.0
            for inline, what in ((True, "run at once on the loop"), (False, "through the writer thread")):
                xs = [w for i_, w in paths if i_ is inline]
                if xs:
                    print(f"    pickups whose write ran {what}: {len(xs)} of {len(paths)}, wire p50 / p90 / p99"
                          f" {statistics.median(xs):.2f} / {pct(xs, 90):.2f} / {pct(xs, 99):.2f} ms; in the slowest 1%"
                          f" (from {tail_from:.2f} ms): {sum(1 for w in xs if w >= tail_from)}")
        out.setdefault("trace", {})[scn] = {k: st[k] for k in ("slow", "with_build", "with_lag", "with_gc",
                                                               "unexplained")}
        for mode_name, trows in st.get("tag_rows", {}).items():
            out["trace"][scn].setdefault("tags", {})[mode_name] = _print_tags(mode_name, trows)
            spans = st.get("console_spans", {}).get(mode_name)
            if spans is not None and any(spans.values()):
                out["trace"][scn].setdefault("console", {})[mode_name] = _print_console_spans(mode_name, spans, trows)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
