"""The writer thread's group commit (decision 0025): two lanes of waiting writes, and the pump that runs
them as one transaction with one COMMIT; and the urgent write run at once on the caller's thread when the
writer is idle (decision 0038), ahead of queued non-urgent writes if there are any (decision 0045).

``Store`` (edge/store/db.py) takes this as a base class: it owns the connection, the writer thread and
the failure accounting; this module owns only which writes share a commit and when their callers hear.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from edge.clock import Clock
from edge.store.errors import StoreError
from edge.store.tx import Tx

log = logging.getLogger(__name__)


def rollback_quietly(conn: sqlite3.Connection, what: str) -> None:
    """Roll back a write that failed, if its transaction is still open. The write's own error is the one that
    matters (the caller re-raises or hands it on); a rollback that fails too is only logged."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            log.debug("rollback after a failed %s failed", what, exc_info=True)


T = TypeVar("T")


class GroupCommit:
    """Queues writes for the writer thread and commits those waiting together."""

    #: the most writes one group commit takes (decision 0025)
    BATCH_MAX = 32
    #: an urgent durable write (a pickup's door command) runs at once on the event loop when the writer is
    #: idle, instead of hopping to the writer thread and back (decision 0038)
    INLINE_URGENT = True
    #: urgent writes stay on the writer thread while the durable COMMITs' running mean (both paths, weight
    #: COMMIT_EWMA_WEIGHT for the newest) is above this: a slow disk (an SD card's fsync) never holds the loop
    INLINE_MAX_COMMIT_S = 0.005
    COMMIT_EWMA_WEIGHT = 0.1
    #: an urgent write that comes less than this after the previous one goes to the writer thread, where the
    #: writes of a back-to-back burst share one COMMIT (0: no such rule)
    INLINE_GAP_S = 0.0
    #: an urgent write runs inline even when non-urgent writes are queued and not yet started (decision
    #: 0045): it goes before them, as the pump would take it (lane 0 first), without waiting for the writer
    #: thread to wake, begin, and commit them; it never overtakes a queued urgent write, nor a running batch
    INLINE_OVERTAKES = True

    # set by Store: the writer's connection and thread, and what each Tx is given
    _conn: sqlite3.Connection | None
    _executor: ThreadPoolExecutor | None
    _last_write: float
    clock: Clock
    site_id: str

    def __init__(self) -> None:
        # writes waiting for the writer thread: urgent ones (a door command a person is waiting for) run
        # before the others, each lane in order (see write(urgent=True))
        self._wlock = threading.Lock()
        self._lanes: tuple[deque[tuple[Callable[[Tx], Any], bool, Future[Any]]], ...] = (deque(), deque())
        # held by whoever uses the writer connection: the writer thread for a batch or a _run, or the loop for
        # an inline write (which only ever tries it, never waits for it)
        self._conn_lock = threading.RLock()
        #: the thread running an inline write (read_sync inside it must see its own changes)
        self._inline_thread: int | None = None
        #: the running mean of durable COMMITs' time, seconds (INLINE_MAX_COMMIT_S)
        self.commit_mean_s = 0.0
        self._last_urgent = 0.0
        #: urgent writes run inline, and those that went to the writer thread (figures for the benchmark)
        self.inline_writes = 0
        self.queued_urgent = 0
        #: why the others did not run inline: the COMMITs' mean too slow, the writer busy, writes waiting
        self.inline_declined = {"slow": 0, "busy": 0, "waiting": 0, "burst": 0}
        #: inline urgent writes that went ahead of queued non-urgent ones (INLINE_OVERTAKES)
        self.inline_overtook = 0

    def _queued(self, fn: Callable[[Tx], T], durable: bool, urgent: bool) -> asyncio.Future[tuple[T, Tx]]:
        """Hand fn to the writer thread in its lane; each call queues one pump, which runs the most urgent
        write waiting (so no write is left behind, and no write runs twice)."""
        assert self._executor is not None, "store not open"
        done: Future[tuple[T, Tx]] = Future()
        with self._wlock:
            self._lanes[0 if urgent else 1].append((fn, durable, done))
        self._executor.submit(self._pump)
        return asyncio.wrap_future(done)

    def _inline(self, fn: Callable[[Tx], T]) -> tuple[T, Tx] | None:
        """Run an urgent durable write now, on this thread (the event loop), if the writer is idle: no urgent
        write queued and nobody on the connection (non-urgent writes queued and not begun are overtaken, as
        the pump would: decision 0045). None if not (the caller queues it as before). The door rule is
        the pump's: the result is returned only after the COMMIT (synchronous=FULL: its fsync) has returned;
        if fn or the COMMIT fails, the transaction is rolled back and the error raised, so nothing fires."""
        if not self.INLINE_URGENT:
            return None
        now = time.monotonic()
        gap, self._last_urgent = now - self._last_urgent, now
        if gap < self.INLINE_GAP_S:
            self.inline_declined["burst"] += 1
            return None
        if self.commit_mean_s > self.INLINE_MAX_COMMIT_S:
            self.inline_declined["slow"] += 1
            return None
        if not self._conn_lock.acquire(blocking=False):
            self.inline_declined["busy"] += 1
            return None  # the writer thread is inside a batch: join the queue (and maybe its commit)
        try:
            with self._wlock:
                if self._lanes[0] or (self._lanes[1] and not self.INLINE_OVERTAKES):
                    self.inline_declined["waiting"] += 1
                    return None  # an urgent write is waiting for a pump: never overtake it (order per lane)
                # non-urgent writes waiting (other doors' follow-ups) are overtaken, as the pump would: none of
                # them has begun (we hold the connection), and their pump waits for the lock and runs them next
                overtook = bool(self._lanes[1])
            conn = self._conn
            if conn is None:
                raise StoreError("store is closed")
            self._last_write = time.monotonic()
            self._inline_thread = threading.get_ident()
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    tx = Tx(conn, self.clock, self.site_id)
                    result = fn(tx)
                    self._commit(conn, True)
                except BaseException:
                    rollback_quietly(conn, "inline write")
                    raise
            finally:
                self._inline_thread = None
            self.inline_writes += 1
            self.inline_overtook += overtook
            return result, tx
        finally:
            self._conn_lock.release()

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
        with self._conn_lock:
            ran = self._batch()
        if ran:  # the connection is free again before anyone hears, so an urgent write they make may run inline
            self._committed(ran)

    def _batch(self) -> list[tuple[Callable[[Tx], Any], Future[Any], Any, Tx]] | None:
        """The pump's batch, under the connection lock: the writes it committed (None if none did)."""
        first = self._next(None)
        if first is None:
            return None  # an earlier batch took this pump's write
        conn = self._conn
        if conn is None:
            first[2].set_exception(StoreError("store is closed"))
            return None
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
            rollback_quietly(conn, "write")
            for _, done, _, _ in ran:
                done.set_exception(exc)  # none of the batch committed
            if running is not None:
                running.set_exception(exc)  # the write that was running (or beginning) when it broke
            return None
        finally:
            if not durable:
                conn.execute("PRAGMA synchronous=FULL")
        return ran

    def _commit(self, conn: sqlite3.Connection, durable: bool) -> None:
        """One batch's COMMIT: with an fsync (synchronous=FULL) when ``durable``; a durable one's time goes into
        the running mean that decides whether urgent writes may run inline."""
        t = time.perf_counter()
        conn.execute("COMMIT")
        if durable:
            w = self.COMMIT_EWMA_WEIGHT
            self.commit_mean_s += w * (time.perf_counter() - t - self.commit_mean_s)

    def _committed(self, ran: list[tuple[Callable[[Tx], Any], Future[Any], Any, Tx]]) -> None:
        """The batch's COMMIT has returned: now (and only now) its callers get their results."""
        for _, done, result, tx in ran:
            done.set_result((result, tx))
