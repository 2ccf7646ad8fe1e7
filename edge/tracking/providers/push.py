"""PushInbox: provider pushes kept durable before they are acknowledged, then ingested in the background.

- `accept` stores each waybill of a verified push in `provider_pushes` (one transaction, fsynced) keyed by
  the provider and a digest of the signed content: the same push again (a replay, or the provider's own
  retry) is answered "already received" and changes nothing.
- A flood is absorbed: up to `rate_per_s` (with a `burst`) pushes per provider are taken at once; above
  that, or with `max_queued` pushes waiting, the answer is "busy, retry later" (503 + Retry-After), which
  the providers honour by pushing again; nothing taken is ever dropped.
- A push for a waybill this site does not follow is kept as `unknown` (not ingested) and adopted when the
  waybill is registered (`adopt`), so an early push is never lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import time
from datetime import timedelta
from typing import Any

from edge.aio import cancel_and_wait
from edge.clock import Clock, utc_iso
from edge.errors import DomainError
from edge.store.db import Store, Tx
from edge.tracking.providers.base import PushItem
from edge.tracking.providers.settings import ProvidersSettings

log = logging.getLogger(__name__)

BATCH = 50


class Bucket:
    """A token bucket on the monotonic clock (flood control needs real time, not the site clock)."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, float(burst)
        self.tokens = float(burst)
        self.at = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

    def retry_after(self) -> int:
        return max(1, int((1 - self.tokens) / self.rate + 0.999))


class PushInbox:
    def __init__(self, store: Store, clock: Clock, service: Any, settings: ProvidersSettings) -> None:
        self.store = store
        self.clock = clock
        self.service = service
        self.settings = settings
        self._buckets: dict[str, Bucket] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._next_purge = 0.0
        self.counts = {"accepted": 0, "duplicate": 0, "busy": 0, "bad_signature": 0, "invalid": 0, "unknown": 0,
                       "ingested": 0}

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="tracking-push-inbox")
        self._wake.set()

    async def stop(self) -> None:
        await cancel_and_wait([self._task])
        self._task = None

    def count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    # --- taking a push ---------------------------------------------------------------------------------
    async def accept(self, provider: str, signed: str | bytes, items: list[PushItem]) -> dict[str, Any]:
        """{"state": "queued"|"duplicate", "waybills": n}; raises DomainError 503 `busy` when flooded."""
        bucket = self._buckets.setdefault(provider, Bucket(self.settings.rate_per_s, self.settings.burst))
        if not bucket.take():
            self.count("busy")
            raise DomainError("busy", "too many pushes at once; push again later", status=503,
                              retry_after=bucket.retry_after())
        raw = signed.encode("utf-8") if isinstance(signed, str) else signed
        digest = hashlib.sha256(raw).hexdigest()
        rows = [(provider, f"{digest}:{i}", it.tracking_number, it.carrier,
                 json.dumps({"events": it.events}, ensure_ascii=False)) for i, it in enumerate(items)]

        def fn(tx: Tx) -> int:
            waiting = int(tx.scalar("SELECT count(*) FROM provider_pushes WHERE state = 'queued'") or 0)
            if waiting >= self.settings.max_queued:
                return -1
            n = 0
            for r in rows:
                n += tx.execute(
                    "INSERT OR IGNORE INTO provider_pushes (provider, digest, tracking_number, carrier, payload,"
                    " state, received_at) VALUES (?, ?, ?, ?, ?, 'queued', ?)", (*r, tx.ts)).rowcount
            return n

        stored = await self.store.write(fn)
        if stored < 0:
            self.count("busy")
            raise DomainError("busy", "the push queue is full; push again later", status=503, retry_after=30)
        if stored == 0 and rows:
            self.count("duplicate")
            return {"state": "duplicate", "waybills": len(rows)}
        self.count("accepted")
        self._wake.set()
        return {"state": "queued", "waybills": stored}

    async def adopt(self, tracking_number: str) -> int:
        """The site now follows this waybill: ingest the pushes kept for it as unknown. No write (and no
        fsync: a deposit keeps its two) unless there is one."""
        if not await self.store.read(lambda tx: tx.scalar(
                "SELECT 1 FROM provider_pushes WHERE state = 'unknown' AND tracking_number = ? LIMIT 1",
                (tracking_number,))):
            return 0
        n = await self.store.write(lambda tx: tx.execute(
            "UPDATE provider_pushes SET state = 'queued' WHERE state = 'unknown' AND tracking_number = ?",
            (tracking_number,)).rowcount)
        if n:
            self._wake.set()
        return int(n)

    # --- the worker --------------------------------------------------------------------------------------
    async def _run(self) -> None:
        while True:
            try:
                while await self.drain_once():
                    pass
                await self._purge()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("provider push inbox failed; retrying")
                await asyncio.sleep(1)
                self._wake.set()
            await self._wake.wait()
            self._wake.clear()

    async def drain_once(self) -> bool:
        rows = await self.store.read(lambda tx: tx.all(
            "SELECT p.id, p.provider, p.tracking_number, p.carrier, p.payload,"
            " EXISTS (SELECT 1 FROM tracked t WHERE t.tracking_number = p.tracking_number)"
            " OR EXISTS (SELECT 1 FROM parcels x WHERE x.tracking_number = p.tracking_number) AS known"
            " FROM provider_pushes p WHERE p.state = 'queued' ORDER BY p.id LIMIT ?", (BATCH,)))
        for r in rows:
            if not r["known"]:
                self.count("unknown")
                await self._mark(r["id"], "unknown")
                continue
            try:
                events = json.loads(r["payload"]).get("events") or []
                if events:
                    await self.service.ingest(r["tracking_number"], r["carrier"], events, r["provider"])
            except DomainError as exc:
                log.warning("a %s push for a waybill was not ingested: %s", r["provider"], exc.message)
            self.count("ingested")
            await self._mark(r["id"], "ingested")
        return len(rows) == BATCH

    async def _mark(self, row_id: int, state: str) -> None:
        await self.store.write(lambda tx: tx.execute(
            "UPDATE provider_pushes SET state = ?, ingested_at = CASE WHEN ? = 'ingested' THEN ? END WHERE id = ?",
            (state, state, tx.ts, row_id)), durable=False)

    async def _purge(self) -> None:
        if time.monotonic() < self._next_purge:
            return
        self._next_purge = time.monotonic() + 3600
        cutoff = utc_iso(self.clock.now() - timedelta(days=self.settings.keep_days))
        with contextlib.suppress(Exception):
            await self.store.write(lambda tx: tx.execute(
                "DELETE FROM provider_pushes WHERE state IN ('ingested', 'unknown') AND received_at < ?", (cutoff,)), durable=False)

    async def waiting(self) -> dict[str, int]:
        rows = await self.store.read(lambda tx: tx.all(
            "SELECT state, count(*) AS n FROM provider_pushes GROUP BY state"))
        return {r["state"]: r["n"] for r in rows}
