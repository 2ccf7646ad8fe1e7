"""Tracking updates pushed by HQ on `.../tracking`: validate, hand to the tracking component, or keep
the raw payload (table `cloud_tracking_inbox`) until one is installed. Same payload twice = stored once."""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
from collections.abc import Callable
from typing import Any

from cloudsync.ratelog import RateLimitedLog
from edge.clock import parse_iso
from edge.store.db import Store, Tx
from edge.tracking.service import MAX_EVENTS as TRACKING_MAX_EVENTS
from edge.tracking.service import TrackingService

log = logging.getLogger(__name__)


async def call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    out = fn(*args, **kwargs)
    if inspect.isawaitable(out):
        out = await out
    return out


rlog = RateLimitedLog(log)

MAX_PAYLOAD = 512 * 1024
#: one limit for a tracking update, the tracking service's: an update it would refuse must be refused
#: here too, or it stays pending in the inbox forever
MAX_EVENTS = TRACKING_MAX_EVENTS


class BadTracking(ValueError):
    pass


def validate(payload: bytes) -> tuple[str, str | None, list[dict[str, Any]]]:
    if len(payload) > MAX_PAYLOAD:
        raise BadTracking("payload too large")
    try:
        doc = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadTracking("not UTF-8 JSON") from None
    if not isinstance(doc, dict):
        raise BadTracking("not a JSON object")
    tn = doc.get("tracking_number")
    if not isinstance(tn, str) or not tn.strip() or len(tn) > 64:
        raise BadTracking("tracking_number missing or not a string of at most 64 characters")
    carrier = doc.get("carrier")
    if carrier is not None and (not isinstance(carrier, str) or len(carrier) > 64):
        raise BadTracking("carrier must be a string")
    events = doc.get("events")
    if not isinstance(events, list) or len(events) > MAX_EVENTS:
        raise BadTracking(f"events must be a list of at most {MAX_EVENTS}")
    clean: list[dict[str, Any]] = []
    for i, ev in enumerate(events):
        if not isinstance(ev, dict):
            raise BadTracking(f"events[{i}] is not an object")
        t, text = ev.get("time"), ev.get("text")
        if not isinstance(t, str) or not isinstance(text, str) or len(text) > 2000:
            raise BadTracking(f"events[{i}] needs time and text strings")
        try:
            parse_iso(t)
        except ValueError:
            raise BadTracking(f"events[{i}].time is not ISO 8601 with a zone") from None
        item: dict[str, Any] = {"time": t, "text": text}
        for key in ("location", "code"):
            v = ev.get(key)
            if v is None:
                continue
            if not isinstance(v, str | int) or isinstance(v, bool) or len(str(v)) > 200:
                raise BadTracking(f"events[{i}].{key} must be a short string")
            item[key] = str(v)
        clean.append(item)
    return tn.strip(), carrier, clean


class TrackingIntake:
    def __init__(self, store: Store, tracking: Callable[[], TrackingService | None]) -> None:
        """`tracking` returns the tracking part's service, or None when that part is absent."""
        self.store = store
        self.tracking = tracking
        self.received = 0
        self.invalid = 0
        self._warned_absent = False

    def _service(self) -> TrackingService | None:
        return self.tracking()

    async def handle(self, payload: bytes) -> str:
        """'ingested', 'kept' (no tracking component: raw payload stored), 'duplicate' or 'invalid'."""
        try:
            tn, carrier, events = validate(payload)
        except BadTracking as exc:
            self.invalid += 1
            rlog.warning("tracking:" + str(exc).split(" ")[0], "ignored a tracking update: %s", exc)
            return "invalid"
        self.received += 1
        doc = {"tracking_number": tn, "carrier": carrier, "events": events}
        body = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(body.encode()).hexdigest()

        def _keep(tx: Tx) -> int | None:
            cur = tx.execute(
                "INSERT OR IGNORE INTO cloud_tracking_inbox (digest, tracking_number, carrier, payload, received_at) "
                "VALUES (?, ?, ?, ?, ?)", (digest, tn, carrier, body, tx.ts))
            return int(cur.lastrowid) if cur.rowcount and cur.lastrowid is not None else None

        row_id = await self.store.write(_keep)
        if row_id is None:
            return "duplicate"
        svc = self._service()
        if svc is None:
            if not self._warned_absent:
                self._warned_absent = True
                log.warning("no tracking component: keeping tracking updates raw in cloud_tracking_inbox")
            return "kept"
        return "ingested" if await self._ingest(svc, row_id, tn, carrier, events) else "kept"

    async def _ingest(self, svc: TrackingService, row_id: int, tn: str, carrier: str | None, events: list[dict[str, Any]]) -> bool:
        try:
            await svc.ingest(tn, carrier, events, source="mqtt")
        except Exception as exc:
            rlog.warning("tracking:ingest", "tracking ingest failed (kept raw, retried at next start): %s", exc)
            return False
        await self.store.write(lambda tx: tx.execute(
            "UPDATE cloud_tracking_inbox SET ingested_at = ? WHERE id = ?", (tx.ts, row_id)))
        return True

    async def replay_pending(self) -> int:
        """Hand raw updates kept earlier to the tracking component, once it exists."""
        svc = self._service()
        if svc is None:
            return 0
        rows = await self.store.read(lambda tx: tx.all(
            "SELECT id, tracking_number, carrier, payload FROM cloud_tracking_inbox WHERE ingested_at IS NULL "
            "ORDER BY id LIMIT 10000"))
        n = 0
        for r in rows:
            events = json.loads(r["payload"]).get("events", [])
            if await self._ingest(svc, r["id"], r["tracking_number"], r["carrier"], events):
                n += 1
        if n:
            log.info("handed %s kept tracking updates to the tracking component", n)
        return n
