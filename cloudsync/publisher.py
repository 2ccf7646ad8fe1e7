"""Outbox publisher: drains the SQLite outbox in seq order with a bounded window of unacknowledged
QoS 1 messages, deleting a row only after a PUBACK whose reason code is a success.

Database work runs on the store's writer thread (`store.read`/`store.write`); deletes are batched and
committed without an fsync (a delete lost to a power cut only causes a duplicate, which HQ drops by id).
Messages in flight when the connection drops stay in paho's session queue and are re-sent by paho on
reconnect; refused ones (PUBACK >= 0x80) are retried with a backoff.
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from edge.aio import cancel_and_wait
from edge.clock import Clock, parse_iso
from edge.store.db import Store, Tx
from edge.store.errors import StoreWriteError
from edge.store.streams import STREAM_OF_SQL, current_stream, stream_range

log = logging.getLogger(__name__)

FETCH_BATCH = 5000
DELETE_BATCH = 2000
DELETE_MAX_AGE_S = 0.5
RETRY_MIN_S = 2.0
RETRY_MAX_S = 300.0
#: PUBACK reason 0x10: the broker accepted the message but nobody was subscribed, so it went nowhere
NO_SUBSCRIBERS = "no matching subscribers"
#: while HQ is away, try one more time this often even if its presence never says online
PROBE_S = 30.0


class Sender(Protocol):
    connected: bool
    receive_maximum: int | None

    def publish(self, topic: str, payload: bytes | str, qos: int = 1, retain: bool = False) -> int | None: ...

    def take_acks(self) -> list[tuple[int, bool, str]]: ...

    def flush(self) -> None:
        """Write what `publish` queued to the socket now (the link batches writes)."""


@dataclass
class Pending:
    seq: int
    topic: str
    payload: str
    attempts: int = 0
    due: float = 0.0


ENVELOPE_SQL = (
    "SELECT e.seq, e.type, '{\"id\":' || json_quote(e.id) || ',\"seq\":' || coalesce(e.pseq, 0) || ',\"stream\":' "
    "|| json_quote(coalesce(" + STREAM_OF_SQL.format(pseq="e.pseq") + ", '')) || ',\"type\":' "
    "|| json_quote(e.type) || ',\"ts\":' || json_quote(e.ts) || ',\"site\":' || ? || ',\"data\":' "
    "|| e.data || CASE WHEN e.clock_synced = 0 THEN ',\"clock_synced\":false' ELSE '' END || '}', e.data"
    " FROM outbox o JOIN events e ON e.seq = o.seq WHERE o.seq > ? ORDER BY o.seq LIMIT ?"
)


def envelope(row: dict[str, Any], site: str, stream: str = "") -> str:
    """The events-topic payload, built without re-parsing the stored data JSON."""
    seq = row.get("pseq") or row["seq"]
    return (
        '{"id":' + json.dumps(row["id"]) + ',"seq":' + str(int(seq)) + ',"stream":' + json.dumps(stream)
        + ',"type":' + json.dumps(row["type"])
        + ',"ts":' + json.dumps(row["ts"]) + ',"site":' + json.dumps(site) + ',"data":' + str(row["data"])
        + ("" if row.get("clock_synced", 1) else ',"clock_synced":false') + "}"
    )


class OutboxPublisher:
    def __init__(
        self,
        store: Store,
        clock: Clock,
        site: str,
        topic_for: Callable[[str], str],
        *,
        window: int = 50,
        max_rows: int = 2_000_000,
    ) -> None:
        self.store = store
        self.clock = clock
        self.site = site
        self.topic_for = topic_for
        self.window_cfg = max(1, window)
        self.max_rows = max_rows
        self.retry_min_s = RETRY_MIN_S
        self.sender: Sender | None = None
        self._cursor = 0
        self._exhausted = False
        self._queue: collections.deque[Pending] = collections.deque()
        self._retry: list[Pending] = []
        self._inflight: dict[int, Pending] = {}
        self._to_delete: list[int] = []
        self._flush_task: asyncio.Task[None] | None = None
        self._delete_since = 0.0
        self._wake = asyncio.Event()
        #: counts wake() calls, so a fetch can tell whether anything was committed while it read
        self._wakes = 0
        self._task: asyncio.Task[None] | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._stopping = False
        self._store_paused = False  # the last step found the disk full: logged once, not every retry
        # figures for status() / telemetry
        self.published = 0
        self.acked = 0
        self.refused = 0
        self.dropped = 0
        self.depth = 0
        self.oldest_unsent_ts: str | None = None
        self.over_cap = False
        self.last_refusal = ""
        self._last_maint = 0.0
        #: rows answered 0x10 (no subscriber): kept, and sent again when HQ is back
        self._parked: list[Pending] = []
        self.hq_absent = False
        self._absent_since = 0.0
        self.unrouted = 0

    # --- wiring ---------------------------------------------------------------------------------
    @property
    def window(self) -> int:
        """The configured window, within the broker's Receive Maximum less 2 slots kept for the birth and
        the compartment snapshot."""
        rm = self.sender.receive_maximum if self.sender is not None else None
        if rm:
            rm = rm - 2 if rm > 4 else rm
        return max(1, min(self.window_cfg, rm or self.window_cfg))

    def wake(self, *_: Any) -> None:
        """Event listener / ack callback: something to do."""
        self._wakes += 1
        self._exhausted = False
        self._wake.set()

    def on_acks(self) -> None:
        self.pump()

    def on_events(self, events: list[dict[str, Any]]) -> None:
        self.depth += len(events)
        if self.oldest_unsent_ts is None and events:
            self.oldest_unsent_ts = events[0].get("ts")
        self.wake()

    def on_connected(self) -> None:
        self.resume("reconnected")

    def hq_online(self) -> None:
        """HQ's retained presence turned online: send what went nowhere again, now."""
        self.resume("HQ is online")

    def resume(self, why: str) -> None:
        if self._parked or self.hq_absent:
            if self._parked:
                log.info("%s: sending %s events again that reached no HQ subscriber", why, len(self._parked))
            parked, self._parked = sorted(self._parked, key=lambda p: p.seq), []
            self._queue.extendleft(reversed(parked))
        self.hq_absent = False
        self._wake.set()

    async def start(self) -> None:
        self._stopping = False
        await self.refresh_figures()
        self._task = asyncio.create_task(self._run(), name="outbox-publisher")
        self._ticker = asyncio.create_task(self._tick(), name="outbox-ticker")

    async def _tick(self) -> None:
        """Retries, delete batches and maintenance also run when nothing else wakes the loop."""
        while True:
            await asyncio.sleep(0.5)
            self._wake.set()

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._ticker is not None:
            self._ticker.cancel()
            self._ticker = None
        await cancel_and_wait([self._task])
        self._task = None
        self._handle_acks()
        await self._flush(force=True)

    # --- main loop ------------------------------------------------------------------------------
    async def _run(self) -> None:
        while not self._stopping:
            try:
                await self._step()
            except asyncio.CancelledError:
                raise
            except StoreWriteError as exc:
                # a full SD card is a state (healthz, the console say so), not a crash: one line, not a traceback
                # every second (trial 2026-12-07f); the outbox waits, nothing is lost
                if not self._store_paused:
                    log.warning("outbox publisher paused: %s; trying again shortly", exc.code)
                self._store_paused = True
                await asyncio.sleep(5.0)
                continue
            except Exception:
                log.exception("outbox publisher step failed; retrying")
                await asyncio.sleep(1.0)
                continue
            if self._store_paused:
                log.info("outbox publisher resumed: storage writable again")
                self._store_paused = False
            await self._wake.wait()
            self._wake.clear()

    async def _step(self) -> None:
        self._handle_acks()
        now = time.monotonic()
        if self.hq_absent and now - self._absent_since > PROBE_S:
            self.resume("probing for HQ")
        if self._to_delete and (self._flush_task is None or self._flush_task.done()):
            idle = not self._inflight and not self._queue
            if idle or len(self._to_delete) >= DELETE_BATCH or now - self._delete_since > DELETE_MAX_AGE_S:
                self._flush_task = asyncio.create_task(self._flush())
        if now - self._last_maint > 10.0:
            self._last_maint = now
            await self.maintain()
        if not self._publish_available(now):
            await self._fetch()
            self._publish_available(now)

    def pump(self) -> None:
        """Synchronous fast path, called by the link right after PUBACKs were read: refill the window
        from what is already fetched; the task fetches more and does the database work."""
        self._handle_acks()
        if not self._publish_available(time.monotonic()) or len(self._to_delete) >= DELETE_BATCH:
            self._wake.set()
        if self.sender is not None:
            self.sender.flush()

    def _publish_available(self, now: float) -> bool:
        """Publish queued/retry items while the window has room. False when the queue ran dry and more
        rows may be waiting in the database."""
        sender = self.sender
        if sender is None or not sender.connected or self._stopping or self.hq_absent:
            return True
        window = self.window
        inflight = self._inflight
        while len(inflight) < window:
            item = self._next(now)
            if item is None:
                return self._exhausted
            mid = sender.publish(item.topic, item.payload, qos=1)
            if mid is None:
                self._queue.appendleft(item)
                return True
            item.attempts += 1
            inflight[mid] = item
            self.published += 1
        return True

    def _next(self, now: float) -> Pending | None:
        if self._retry and self._retry[0].due <= now:
            return self._retry.pop(0)
        if self._queue:
            return self._queue.popleft()
        return None

    async def _fetch(self) -> bool:
        cursor, site = self._cursor, json.dumps(self.site)
        wakes = self._wakes

        def _q(tx: Tx) -> list[tuple[int, str, str, str]]:
            # the envelope is assembled by SQLite (json_quote escapes); data is stored JSON already
            return tx.execute(ENVELOPE_SQL, (site, cursor, FETCH_BATCH)).fetchall()

        rows = await self.store.read(_q)
        # a commit during the read may not be in its snapshot: only then is the outbox known drained
        if len(rows) < FETCH_BATCH and wakes == self._wakes:
            self._exhausted = True
        events_topic, result_topic = self.topic_for("event"), self.topic_for("cmd.result")
        append = self._queue.append
        for seq, type_, payload, data in rows:
            if type_ == "cmd.result":
                append(Pending(seq, result_topic, data))
            else:
                append(Pending(seq, events_topic, payload))
        if rows:
            self._cursor = max(self._cursor, int(rows[-1][0]))
        return bool(rows)

    def _handle_acks(self) -> None:
        sender = self.sender
        if sender is None:
            return
        for mid, ok, reason in sender.take_acks():
            item = self._inflight.pop(mid, None)
            if item is None:
                continue
            if reason == NO_SUBSCRIBERS:
                # not a delivery: keep the row; publish nothing more until HQ is back (or a probe)
                self.unrouted += 1
                if not self.hq_absent:
                    self.hq_absent = True
                    self._absent_since = time.monotonic()
                    log.warning("no HQ subscriber for event seq %s: keeping events until HQ is back", item.seq)
                self._parked.append(item)
            elif ok:
                self.acked += 1
                if not self._to_delete:
                    self._delete_since = time.monotonic()
                self._to_delete.append(item.seq)
            else:
                self.refused += 1
                self.last_refusal = reason
                delay = min(RETRY_MAX_S, self.retry_min_s * 2 ** min(item.attempts - 1, 10))
                item.due = time.monotonic() + delay
                self._retry.append(item)
                self._retry.sort(key=lambda p: p.due)
                log.warning("broker refused event seq %s (%s); retry in %.0f s", item.seq, reason, delay)

    async def _flush(self, force: bool = False) -> None:
        while self._to_delete:
            batch, self._to_delete = self._to_delete[:DELETE_BATCH], self._to_delete[DELETE_BATCH:]

            def _d(tx: Tx, batch: list[int] = batch) -> None:
                tx.conn.executemany("DELETE FROM outbox WHERE seq = ?", [(s,) for s in batch])

            try:
                await self.store.write(_d, durable=False)
            except Exception:
                log.exception("deleting %s acknowledged outbox rows failed; will retry", len(batch))
                self._to_delete[:0] = batch
                return
            self.depth = max(0, self.depth - len(batch))
            if not force:
                self._wake.set()

    # --- resync, cap, retention, figures --------------------------------------------------------------
    async def resync(self, from_seq: int, to_seq: int | None = None, stream: str | None = None) -> dict[str, Any]:
        """Put the events numbered `from_seq`..`to_seq` (both included; no upper bound when None) of
        `stream` (default: the current one) back into the outbox so they are published again."""
        from_seq = max(1, int(from_seq))

        def _r(tx: Tx) -> dict[str, Any]:
            name = stream or current_stream(tx.conn)[0]
            bounds = stream_range(tx.conn, name)
            if bounds is None:
                return {"stream": name, "unknown_stream": True, "queued": 0}
            lo, hi = max(from_seq, bounds[0]), bounds[1] if to_seq is None else min(int(to_seq), bounds[1])
            first_local = tx.scalar("SELECT min(seq) FROM events WHERE pseq BETWEEN ? AND ?", (lo, hi))
            tx.execute("INSERT OR IGNORE INTO outbox (seq, droppable) SELECT seq, 0 FROM events "
                       "WHERE pseq BETWEEN ? AND ?", (lo, hi))
            n = int(tx.scalar("SELECT count(*) FROM events WHERE pseq BETWEEN ? AND ?", (lo, hi)) or 0)
            return {"stream": name, "from_seq": lo, "to_seq": hi, "queued": n, "first_local": first_local}

        out = await self.store.write(_r)
        first_local = out.pop("first_local", None)
        if first_local is not None:
            first_local = int(first_local)
            self._cursor = min(self._cursor, first_local - 1)
            self._queue = collections.deque(p for p in self._queue if p.seq < first_local)
            self._parked = [p for p in self._parked if p.seq < first_local]
        self.wake()
        log.info("resync of stream %s seq %s..%s: %s events queued again", out.get("stream"), out.get("from_seq"),
                 out.get("to_seq"), out["queued"])
        return out

    async def maintain(self) -> None:
        """Enforce the disk cap (telemetry first, parcel events never) and refresh the figures."""
        cap = self.max_rows

        def _m(tx: Tx) -> tuple[int, bool]:
            depth = int(tx.scalar("SELECT count(*) FROM outbox") or 0)
            dropped = 0
            if depth > cap:
                excess = depth - cap
                cur = tx.execute(
                    "DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE droppable = 1 ORDER BY seq LIMIT ?)",
                    (excess,),
                )
                dropped = int(cur.rowcount or 0)
                if dropped:
                    total = int(tx.meta_get("cloud.dropped", "0") or 0) + dropped
                    tx.meta_set("cloud.dropped", str(total))
            return dropped, depth - dropped > cap

        dropped, over = await self.store.write(_m)
        if dropped:
            log.warning("outbox over its cap of %s rows: dropped %s telemetry events", cap, dropped)
        if over and not self.over_cap:
            log.error("outbox over its cap of %s rows with events that are never dropped; keeping them", cap)
        self.over_cap = over
        await self.refresh_figures()

    async def refresh_figures(self) -> None:
        def _f(tx: Tx) -> tuple[int, str | None, int]:
            depth = int(tx.scalar("SELECT count(*) FROM outbox") or 0)
            ts = tx.scalar("SELECT e.ts FROM outbox o JOIN events e ON e.seq = o.seq ORDER BY o.seq LIMIT 1")
            return depth, ts, int(tx.meta_get("cloud.dropped", "0") or 0)

        self.depth, self.oldest_unsent_ts, self.dropped = await self.store.read(_f)

    def oldest_unsent_age_s(self) -> float | None:
        if not self.oldest_unsent_ts or self.depth == 0:
            return None
        try:
            return max(0.0, (self.clock.now() - parse_iso(self.oldest_unsent_ts)).total_seconds())
        except ValueError:
            return None

    @property
    def inflight(self) -> int:
        return len(self._inflight)


async def prune_events(store: Store, clock: Clock, days: float) -> int:
    """Delete events older than `days` that are no longer waiting in the outbox."""
    from datetime import timedelta

    from edge.clock import utc_iso

    cutoff = utc_iso(clock.now() - timedelta(days=days))

    def _p(tx: Tx) -> int:
        cur = tx.execute(
            "DELETE FROM events WHERE ts < ? AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.seq = events.seq)",
            (cutoff,),
        )
        return int(cur.rowcount or 0)

    return await store.write(_p)
