"""SQLite store: WAL, synchronous=FULL, foreign keys, one writer thread, migrations on user_version.

Every state change runs as one function inside one transaction on the writer thread
(``await store.write(fn)``). A change and the outbox events it causes commit together.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from edge.clock import Clock, utc_iso
from edge.errors import DomainError
from edge.ids import uuid7
from edge.memory import trim
from edge.store.migrations import MIGRATIONS
from edge.store.space import DiskReserve, free_bytes
from edge.store.streams import NEXT_PSEQ_SQL, UNNUMBERED_TYPES

log = logging.getLogger(__name__)
T = TypeVar("T")

SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(Exception):
    pass


class StoreWriteError(DomainError):
    """The database could not be written (disk full, I/O error, read-only): one clear JSON error."""

    def __init__(self, detail: str, *, full: bool = False) -> None:
        super().__init__(
            "storage_full" if full else "storage_unavailable",
            "the locker's storage is full; staff have been told. Please try again later"
            if full
            else "the locker cannot save records right now; staff have been told. Please try again later",
            status=503,
        )
        self.detail = detail
        self.full = full


#: sqlite3 messages that mean "the disk refused", not "the code is wrong"
_WRITE_FAULTS = ("full", "disk i/o", "readonly", "read-only", "unable to open", "no space")


def _write_fault(exc: BaseException) -> StoreWriteError | None:
    if isinstance(exc, StoreWriteError):
        return exc
    text = str(exc).lower()
    if isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError | OSError) and any(
        k in text for k in _WRITE_FAULTS
    ):
        return StoreWriteError(str(exc), full="full" in text or "no space" in text)
    return None


class Tx:
    """What a service function gets inside a transaction."""

    def __init__(self, conn: sqlite3.Connection, clock: Clock, site_id: str) -> None:
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self.clock = clock
        self.site_id = site_id
        self.now: datetime = clock.now()
        self.ts = utc_iso(self.now)
        self._after_commit: list[Callable[[], None]] = []
        #: events emitted in this transaction (for listeners after commit)
        self.emitted: list[dict[str, Any]] = []

    # --- queries -------------------------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def all(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, params)
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    def one(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> dict[str, Any] | None:
        cur = self.conn.execute(sql, params)
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([c[0] for c in cur.description], row, strict=True))

    def scalar(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    # --- side records ----------------------------------------------------------------------------
    def emit(self, type_: str, data: dict[str, Any], *, ts: str | None = None, droppable: bool = False) -> int:
        """Append an event to the log and the outbox, in this transaction. Returns its seq."""
        event_id = uuid7(self.now)
        synced = self.clock.synchronised
        # the gap-free number of `.../events` (section 4); command results get none
        pseq = None if type_ in UNNUMBERED_TYPES else self.conn.execute(NEXT_PSEQ_SQL).fetchone()[0]
        cur = self.conn.execute(
            "INSERT INTO events (id, type, ts, data, clock_synced, pseq) VALUES (?, ?, ?, ?, ?, ?)",
            (event_id, type_, ts or self.ts, json.dumps(data, ensure_ascii=False, separators=(",", ":")), int(synced),
             pseq),
        )
        seq = int(cur.lastrowid or 0)
        self.conn.execute("INSERT INTO outbox (seq, droppable) VALUES (?, ?)", (seq, int(droppable)))
        self.emitted.append({"seq": seq, "pseq": pseq, "id": event_id, "type": type_, "ts": ts or self.ts, "data": data})
        return seq

    def audit(self, actor: str, action: str, target: str = "", reason: str = "", **detail: Any) -> None:
        self.conn.execute(
            "INSERT INTO audit (ts, actor, action, target, reason, detail) VALUES (?, ?, ?, ?, ?, ?)",
            (self.ts, actor, action, target, reason, json.dumps(detail, ensure_ascii=False, default=str)),
        )

    def log(self, parcel_id: str, kind: str, actor: str = "", **detail: Any) -> None:
        """One line in a parcel's timeline."""
        self.conn.execute(
            "INSERT INTO parcel_log (parcel_id, ts, kind, actor, detail) VALUES (?, ?, ?, ?, ?)",
            (parcel_id, self.ts, kind, actor, json.dumps(detail, ensure_ascii=False, default=str)),
        )

    def meta_get(self, key: str, default: str | None = None) -> str | None:
        v = self.scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return default if v is None else str(v)

    def meta_set(self, key: str, value: str) -> None:
        self.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def after_commit(self, fn: Callable[[], None]) -> None:
        """Run fn on the event loop once the transaction has committed (never if it rolls back)."""
        self._after_commit.append(fn)


class Store:
    #: bytes kept aside for door outcomes when the disk fills (0: none)
    RESERVE_BYTES = 4 * 1024 * 1024
    #: free space under which telemetry and health warn
    LOW_SPACE_BYTES = 64 * 1024 * 1024
    #: an idle store probes that it can still write this often
    PROBE_EVERY_S = 15.0
    #: SQLite page cache per connection (KiB; two connections, writer and reader). It fills in the first
    #: minutes of use and then stays: the soak's early RSS rise (docs/reliability.md, "Soak")
    CACHE_KIB = 2048
    #: all of SQLite's memory in this process (bytes; PRAGMA soft_heap_limit): above it SQLite recycles
    #: cache pages instead of allocating. Without it, its peak crept up for an hour as the tables grew
    #: and glibc's heap grew with each new peak (issue 20's soak, docs/decisions/0020)
    SQLITE_HEAP_LIMIT = 3 * 1024 * 1024

    def __init__(self, path: str | Path, clock: Clock, site_id: str) -> None:
        self.path = Path(path)
        self.reserve = DiskReserve(self.path.parent, self.RESERVE_BYTES)
        #: the last write's failure (None once a write has landed again)
        self.write_error: StoreWriteError | None = None
        self.write_failures = 0
        #: the reserve was released for door outcomes: other writes wait until it is back
        self.reserve_spent = False
        self.clock = clock
        self.site_id = site_id
        self._conn: sqlite3.Connection | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._thread_id: int | None = None
        # reads run on their own connection and thread (WAL lets them proceed beside a write), so a
        # console page's query never queues ahead of a pickup's commit
        self._reader: ThreadPoolExecutor | None = None
        self._rconn: sqlite3.Connection | None = None
        self._last_write = 0.0
        # writes waiting for the writer thread: urgent ones (a door command a person is waiting for) run
        # before the others, each lane in order (see write(urgent=True))
        self._wlock = threading.Lock()
        self._lanes: tuple[deque[tuple[Callable[[Tx], Any], bool, Future[Any]]], ...] = (deque(), deque())
        #: called on the loop with the list of events of each committed transaction
        self.event_listeners: list[Callable[[list[dict[str, Any]]], None]] = []

    # --- lifecycle ---------------------------------------------------------------------------------
    def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.reserve.ensure()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lockerd-db")
        self._executor.submit(self._connect).result()
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lockerd-db-read")
        self._reader.submit(self._connect_reader).result()

    def _connect_reader(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        conn.execute("PRAGMA query_only=ON")
        conn.execute(f"PRAGMA cache_size=-{int(self.CACHE_KIB)}")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=30000")
        self._rconn = conn

    def _connect(self) -> None:
        self._thread_id = threading.get_ident()
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute(f"PRAGMA soft_heap_limit={int(self.SQLITE_HEAP_LIMIT)}")
        conn.execute(f"PRAGMA cache_size=-{int(self.CACHE_KIB)}")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=30000")
        # checkpoints run when the store is idle (maintain()), never inside a deposit's commits
        conn.execute("PRAGMA wal_autocheckpoint=0")
        self._conn = conn
        migrate(conn, self.path)

    def close(self) -> None:
        if self._executor is None:
            return
        if self._reader is not None:

            def _close_reader() -> None:
                if self._rconn is not None:
                    self._rconn.close()
                    self._rconn = None

            self._reader.submit(_close_reader).result()
            self._reader.shutdown(wait=True)
            self._reader = None

        def _close() -> None:
            if self._conn is not None:
                try:
                    self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                except sqlite3.Error:
                    log.warning("WAL checkpoint at close failed", exc_info=True)
                self._conn.close()
                self._conn = None

        self._executor.submit(_close).result()
        self._executor.shutdown(wait=True)
        self._executor = None

    # --- WAL maintenance ------------------------------------------------------------------------
    IDLE_S = 2.0
    CHECKPOINT_PAGES = 1000
    FORCE_PAGES = 4000

    def wal_pages(self) -> int:
        try:
            return max(0, (self.path.with_name(self.path.name + "-wal").stat().st_size - 32) // 4120)
        except OSError:
            return 0

    def checkpoint_due(self, now_monotonic: float) -> bool:
        pages = self.wal_pages()
        idle = now_monotonic - self._last_write >= self.IDLE_S
        return pages >= self.FORCE_PAGES or (pages >= self.CHECKPOINT_PAGES and idle)

    async def checkpoint(self, mode: str = "PASSIVE") -> tuple[int, int, int]:
        assert mode in ("PASSIVE", "FULL", "RESTART", "TRUNCATE")

        def _cp(tx: Tx) -> tuple[int, int, int]:
            row = tx.conn.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
            return int(row[0]), int(row[1]), int(row[2])

        assert self._executor is not None, "store not open"
        loop = asyncio.get_running_loop()
        result, _ = await loop.run_in_executor(self._executor, self._run, _cp, False, True)
        return result

    #: the most writes one group commit takes (decision 0025)
    BATCH_MAX = 32

    #: hand freed heap pages back to the kernel this often (edge/memory.py)
    TRIM_EVERY_S = 120.0

    async def maintain(self, every_s: float = 5.0) -> None:
        """Background task: checkpoint the WAL when the store is idle (or the WAL grows too big);
        probe that an idle store can still write; put the disk reserve back once there is room;
        every TRIM_EVERY_S give freed memory back (SQLite's and Python's holes in glibc's heap), on a worker
        thread: malloc_trim takes a few ms and ctypes lets go of the GIL, so a pickup never waits for it."""
        last_trim = time.monotonic()
        while True:
            await asyncio.sleep(every_s)
            await self.maintain_once()
            if time.monotonic() - last_trim >= self.TRIM_EVERY_S:
                last_trim = time.monotonic()
                try:
                    await asyncio.to_thread(trim)
                except Exception:
                    log.debug("malloc_trim failed", exc_info=True)

    async def maintain_once(self) -> None:
        try:
            idle = time.monotonic() - self._last_write
            if self.write_error is not None or idle >= self.PROBE_EVERY_S:
                await self.probe()
            if self.reserve.enabled and not self.reserve.held and self.write_error is None:
                if await asyncio.to_thread(self.reserve.ensure):
                    self.reserve_spent = False
                    log.warning("disk has room again: reserve restored, new work accepted")
        except Exception:
            log.warning("store probe failed", exc_info=True)
        try:
            if self._executor is not None and self.checkpoint_due(time.monotonic()):
                pages = self.wal_pages()
                await self.checkpoint("TRUNCATE" if pages >= self.FORCE_PAGES else "PASSIVE")
        except Exception:
            log.warning("WAL checkpoint failed", exc_info=True)

    @property
    def schema_version(self) -> int:
        return self.read_sync(lambda tx: int(tx.scalar("PRAGMA user_version")))

    # --- running work ------------------------------------------------------------------------------
    def _run(self, fn: Callable[[Tx], T], write: bool, durable: bool) -> tuple[T, Tx]:
        conn = self._conn
        if conn is None:
            raise StoreError("store is closed")
        tx = Tx(conn, self.clock, self.site_id)
        if not write:
            return fn(tx), tx
        self._last_write = time.monotonic()
        if not durable:
            conn.execute("PRAGMA synchronous=NORMAL")
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = fn(tx)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    try:
                        conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        log.debug("rollback after a failed write failed", exc_info=True)
                raise
        finally:
            if not durable:
                conn.execute("PRAGMA synchronous=FULL")
        return result, tx

    async def write(self, fn: Callable[[Tx], T], *, durable: bool = True, reserve: bool = False,
                    urgent: bool = False) -> T:
        """Run fn in one transaction on the writer thread.

        ``durable=False`` commits without an fsync (WAL + synchronous=NORMAL): the change survives a
        process crash and becomes power-safe with the next durable commit. Only for advisory records
        (a command's ``fired`` mark, a confirmed opening) whose loss on power failure is already handled.

        ``reserve=True`` marks a write that must land even on a nearly full disk (door outcomes): if
        the disk is full, the space reserve is released and the write tried again. Other writes are
        refused while the reserve is released, so they cannot eat the room door outcomes need.
        """
        assert self._executor is not None, "store not open"
        if not reserve and self.reserve_spent:
            raise StoreWriteError("the disk reserve is in use", full=True)
        try:
            result, tx = await self._queued(fn, durable, urgent)
        except Exception as exc:
            fault = _write_fault(exc)
            if fault is None:
                raise
            if reserve and fault.full and self.reserve.release():
                self.reserve_spent = True
            else:
                self._failed(fault)
                raise fault from None
            try:
                result, tx = await self._queued(fn, durable, urgent)
            except Exception as exc2:
                fault = _write_fault(exc2)
                if fault is None:
                    raise
                self._failed(fault)
                raise fault from None
        self._landed()
        self._after(tx)
        return result

    def _queued(self, fn: Callable[[Tx], T], durable: bool, urgent: bool) -> asyncio.Future[tuple[T, Tx]]:
        """Hand fn to the writer thread in its lane; each call queues one pump, which runs the most urgent
        write waiting (so no write is left behind, and no write runs twice)."""
        assert self._executor is not None, "store not open"
        done: Future[tuple[T, Tx]] = Future()
        with self._wlock:
            self._lanes[0 if urgent else 1].append((fn, durable, done))
        self._executor.submit(self._pump)
        return asyncio.wrap_future(done)

    def _next(self, durable: bool | None, urgent_only: bool = False
              ) -> tuple[Callable[[Tx], Any], bool, Future[Any], bool] | None:
        """The most urgent write waiting that may join a transaction committed with (durable) or without
        an fsync (None: the first write of a transaction, any), and whether it is urgent. With
        ``urgent_only`` only urgent writes may join: a batch holding an urgent write (a pickup's command)
        commits as soon as no other urgent write waits, so the follow-up writes behind it cannot delay
        the fsync its door waits for. A write whose caller was cancelled before it started is dropped
        here: it never runs."""
        while True:
            with self._wlock:
                urgent = bool(self._lanes[0])
                if urgent_only and not urgent:
                    return None
                lane = self._lanes[0] if urgent else self._lanes[1]
                if not lane or (durable is False and lane[0][1]):
                    return None  # a durable write never joins a commit without an fsync: it starts the next
                fn, is_durable, done = lane.popleft()
            if done.set_running_or_notify_cancel():
                return fn, is_durable, done, urgent

    def _pump(self) -> None:
        """Group commit (decision 0025): run the writes waiting as ONE transaction, each function inside
        its own SAVEPOINT (one that raises is rolled back alone and gets its exception), with one COMMIT and
        so one fsync for all. Writes that arrive while the batch runs join it before its COMMIT, urgent ones
        first. No caller hears of its write before the COMMIT that covers it has returned, so a door
        command is still fired only after the fsync that made it durable; if the COMMIT (or SQLite, after an
        I/O error or a full disk) rolls the transaction back, every write of the batch gets the error."""
        first = self._next(None)
        if first is None:
            return  # an earlier batch took this pump's write
        conn = self._conn
        if conn is None:
            first[2].set_exception(StoreError("store is closed"))
            return
        durable = first[1]
        urgent_only = first[3]
        self._last_write = time.monotonic()
        ran: list[tuple[Callable[[Tx], Any], Future[Any], Any, Tx]] = []
        item: tuple[Callable[[Tx], Any], bool, Future[Any], bool] | None = first
        running: Future[Any] | None = first[2]  # has neither a result nor an error yet
        try:
            if not durable:
                conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("BEGIN IMMEDIATE")
            taken = 0
            while item is not None:
                fn, _, done, was_urgent = item
                urgent_only = urgent_only or was_urgent
                running, item = done, None
                taken += 1
                tx = Tx(conn, self.clock, self.site_id)
                conn.execute("SAVEPOINT lockerd_write")
                try:
                    result = fn(tx)
                except BaseException as exc:
                    if not conn.in_transaction:
                        raise  # SQLite rolled the whole batch back: everyone hears of it below
                    conn.execute("ROLLBACK TO lockerd_write")
                    conn.execute("RELEASE lockerd_write")
                    running = None
                    done.set_exception(exc)
                else:
                    conn.execute("RELEASE lockerd_write")
                    running = None
                    ran.append((fn, done, result, tx))
                if taken < self.BATCH_MAX:
                    item = self._next(durable, urgent_only)
            self._commit(conn, durable)
        except BaseException as exc:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    log.debug("rollback after a failed write failed", exc_info=True)
            for _, done, _, _ in ran:
                done.set_exception(exc)  # none of the batch committed
            if running is not None:
                running.set_exception(exc)  # the write that was running (or beginning) when it broke
            return
        finally:
            if not durable:
                conn.execute("PRAGMA synchronous=FULL")
        self._committed(ran)

    def _commit(self, conn: sqlite3.Connection, durable: bool) -> None:
        """One batch's COMMIT: with an fsync (synchronous=FULL) when ``durable``."""
        conn.execute("COMMIT")

    def _committed(self, ran: list[tuple[Callable[[Tx], Any], Future[Any], Any, Tx]]) -> None:
        """The batch's COMMIT has returned: now (and only now) its callers get their results."""
        for _, done, result, tx in ran:
            done.set_result((result, tx))

    def _failed(self, fault: StoreWriteError) -> None:
        self.write_failures += 1
        if self.write_error is None:
            log.error("the database cannot be written: %s", fault.detail)
        self.write_error = fault

    def _landed(self) -> None:
        if self.write_error is not None:
            log.warning("the database can be written again")
            self.write_error = None

    @property
    def writable(self) -> bool:
        return self.write_error is None and not self.reserve_spent

    def space(self) -> dict[str, Any]:
        """Free space and write health, for /healthz and telemetry."""
        free = free_bytes(self.path.parent)
        return {
            "writable": self.writable,
            "error": None if self.write_error is None else self.write_error.code,
            "free_mb": None if free is None else round(free / 1048576, 1),
            "low_space": free is not None and free < self.LOW_SPACE_BYTES,
            "reserve": "none" if not self.reserve.enabled else ("held" if self.reserve.held else "released"),
            "write_failures": self.write_failures,
        }

    async def probe(self) -> bool:
        """A tiny write: is the database writable now? (the idle store checks this periodically)"""
        try:
            await self.write(lambda tx: tx.meta_set("write_probe", tx.ts), durable=False, reserve=True)
        except StoreWriteError:
            return False
        return True

    def _run_read(self, fn: Callable[[Tx], T]) -> T:
        conn = self._rconn
        if conn is None:
            raise StoreError("store is closed")
        tx = Tx(conn, self.clock, self.site_id)
        conn.execute("BEGIN")  # one snapshot for every statement of fn
        try:
            return fn(tx)
        finally:
            conn.execute("ROLLBACK")

    async def read(self, fn: Callable[[Tx], T]) -> T:
        """Run fn on the read-only connection (a consistent snapshot of what has committed)."""
        assert self._reader is not None, "store not open"
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._reader, self._run_read, fn)

    def write_sync(self, fn: Callable[[Tx], T], *, durable: bool = True) -> T:
        """For the CLI and boot, before or outside the event loop."""
        assert self._executor is not None, "store not open"
        if threading.get_ident() == self._thread_id:
            result, tx = self._run(fn, True, durable)
        else:
            result, tx = self._executor.submit(self._run, fn, True, durable).result()
        self._after(tx)
        return result

    def read_sync(self, fn: Callable[[Tx], T]) -> T:
        assert self._reader is not None, "store not open"
        if threading.get_ident() == self._thread_id:
            return self._run(fn, False, True)[0]  # inside a write: see its own changes
        return self._reader.submit(self._run_read, fn).result()

    def _after(self, tx: Tx) -> None:
        for cb in tx._after_commit:
            try:
                cb()
            except Exception:
                log.exception("after-commit hook failed")
        if tx.emitted:
            for listener in self.event_listeners:
                try:
                    listener(tx.emitted)
                except Exception:
                    log.exception("event listener failed")

    def backup(self, dest: str | Path) -> Path:
        """Online backup (consistent while the daemon runs)."""
        dest = Path(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)

        def _b(tx: Tx) -> None:
            target = sqlite3.connect(dest)
            try:
                tx.conn.backup(target)
            finally:
                target.close()

        self.read_sync(_b)
        return dest


def migrate(conn: sqlite3.Connection, path: Path | None = None, target: int | None = None) -> int:
    """Bring the schema to `target` (default: newest). Backs the file up first; refuses downgrades."""
    target = SCHEMA_VERSION if target is None else target
    current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if current > SCHEMA_VERSION:
        raise StoreError(
            f"database schema v{current} is newer than this lockerd (v{SCHEMA_VERSION}); refusing to downgrade"
        )
    if current >= target:
        return current
    if current > 0 and path is not None and path.exists():
        backup = path.with_name(f"{path.name}.pre-v{target}.bak")
        dst = sqlite3.connect(backup)
        try:
            conn.backup(dst)
        finally:
            dst.close()
        log.info("backed up schema v%s to %s before migrating", current, backup)
    conn.execute("BEGIN IMMEDIATE")
    try:
        for version in range(current + 1, target + 1):
            module = MIGRATIONS[version - 1]
            up = getattr(module, "up", None)
            if up is not None:
                up(conn)
            sql = getattr(module, "SQL", "")
            for statement in _split_sql(sql):
                conn.execute(statement)
            log.info("migrated schema to v%s (%s)", version, module.__name__.rsplit(".", 1)[-1])
        conn.execute(f"PRAGMA user_version = {int(target)}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return target


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements (executescript would commit our transaction)."""
    out: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
