"""SQLite store: WAL, synchronous=FULL, foreign keys, one writer thread, migrations on user_version.

Every state change runs as one function inside one transaction on the writer thread
(``await store.write(fn)``). A change and the outbox events it causes commit together.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from edge.clock import Clock
from edge.memory import trim
from edge.store.errors import StoreError, StoreWriteError, write_fault
from edge.store.migrations import MIGRATIONS
from edge.store.space import DiskReserve, free_bytes
from edge.store.tx import Tx
from edge.store.writer import GroupCommit, rollback_quietly

__all__ = ["SCHEMA_VERSION", "Store", "StoreError", "StoreWriteError", "Tx", "migrate"]

log = logging.getLogger(__name__)
T = TypeVar("T")

SCHEMA_VERSION = len(MIGRATIONS)


class Store(GroupCommit):
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
        super().__init__()
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
        conn.execute("PRAGMA recursive_triggers=ON")  # as every Tx set it before Tx.db was built lazily
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
        # what building sqlite-utils' Database in every Tx set before (perf18: Tx.db is built on first use);
        # after the migrations, which ran without it
        conn.execute("PRAGMA recursive_triggers=ON")

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
        with self._conn_lock:  # never beside an inline write (decision 0038)
            return self._run_locked(fn, write, durable)

    def _run_locked(self, fn: Callable[[Tx], T], write: bool, durable: bool) -> tuple[T, Tx]:
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
                rollback_quietly(conn, "write")
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

        ``urgent=True`` (a door command a person is waiting for) runs before the writes already waiting; when
        the writer is idle (nobody on the connection, no urgent write queued: decision 0045) it runs at once on
        the loop (``_inline``, decision 0038), with the same rule: the
        result comes only after the COMMIT, with its fsync, has returned.

        ``reserve=True`` marks a write that must land even on a nearly full disk (door outcomes): if
        the disk is full, the space reserve is released and the write tried again. Other writes are
        refused while the reserve is released, so they cannot eat the room door outcomes need.
        """
        assert self._executor is not None, "store not open"
        if not reserve and self.reserve_spent:
            raise StoreWriteError("the disk reserve is in use", full=True)
        try:
            done = self._inline(fn) if urgent and durable else None
            if done is None:
                self.queued_urgent += urgent
                done = await self._queued(fn, durable, urgent)
            result, tx = done
        except Exception as exc:
            fault = write_fault(exc)
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
                fault = write_fault(exc2)
                if fault is None:
                    raise
                self._failed(fault)
                raise fault from None
        self._landed()
        self._after(tx)
        return result

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
        if threading.get_ident() in (self._thread_id, self._inline_thread):
            result, tx = self._run(fn, True, durable)
        else:
            result, tx = self._executor.submit(self._run, fn, True, durable).result()
        self._after(tx)
        return result

    def read_sync(self, fn: Callable[[Tx], T]) -> T:
        assert self._reader is not None, "store not open"
        if threading.get_ident() in (self._thread_id, self._inline_thread):
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
