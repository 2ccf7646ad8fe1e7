"""Direct provider polling (optional, off by default): ask an aggregator for waybills still in flight.

Pluggable: a `ProviderAdapter` turns (carrier, tracking number) into events `{time, text, location?, code?}`;
`Kuaidi100Adapter` speaks the shape of Kuaidi100's real-time query API (POST form `customer`, `param` JSON,
`sign` = upper-case MD5 of param + key + customer). The poller never asks about one waybill more than
once per `min_interval_s` (30 minutes by default, the aggregator's limit), counting failed attempts too,
and feeds answers to `TrackingService.ingest` like any other source. Tracking works without it.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol

from edge.clock import Clock, utc_iso
from edge.store.db import Store
from edge.tracking.carriers import CARRIERS
from edge.tracking.poller_settings import PollerSettings
from edge.tracking.providers.polling import KdniaoAdapter, PollError, Track17Adapter
from edge.tracking.providers.push import Bucket

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)


class ProviderError(Exception):
    pass


class ProviderAdapter(Protocol):
    name: str

    async def query(self, carrier: str | None, tracking_number: str, phone_tail: str | None = None) -> list[dict[str, Any]]:
        ...


class Kuaidi100Adapter:
    name = "kuaidi100"

    def __init__(self, client: httpx.AsyncClient, url: str, customer: str, key: str) -> None:
        self.client = client
        self.url = url
        self.customer = customer
        self._key = key

    def sign(self, param: str) -> str:
        return hashlib.md5((param + self._key + self.customer).encode("utf-8")).hexdigest().upper()  # the API defines MD5 signing

    async def query(self, carrier: str | None, tracking_number: str, phone_tail: str | None = None) -> list[dict[str, Any]]:
        import httpx  # on first use (decision 0048)
        c = CARRIERS.get(carrier or "")
        if c is None or not c.kuaidi100:
            raise ProviderError(f"carrier {carrier!r} has no Kuaidi100 company code")
        body: dict[str, Any] = {"com": c.kuaidi100, "num": tracking_number, "resultv2": "1"}
        if phone_tail:
            body["phone"] = phone_tail
        param = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        try:
            resp = await self.client.post(self.url, data={"customer": self.customer, "param": param,
                                                          "sign": self.sign(param)})
            data = resp.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise ProviderError(f"query failed: {type(exc).__name__}") from None
        if resp.status_code != 200 or not isinstance(data, dict):
            raise ProviderError(f"HTTP {resp.status_code}")
        if data.get("result") is False or str(data.get("status", "200")) != "200":
            raise ProviderError(f"provider refused: {str(data.get('message', ''))[:80]}")
        events = []
        for item in data.get("data") or []:
            if not isinstance(item, dict) or not item.get("context"):
                continue
            ev: dict[str, Any] = {"time": item.get("ftime") or item.get("time"), "text": item["context"]}
            if item.get("location") or item.get("areaName"):
                ev["location"] = item.get("location") or item.get("areaName")
            if item.get("statusCode"):
                ev["code"] = f"kuaidi100:{item['statusCode']}"
            events.append(ev)
        return events


class Poller:
    def __init__(self, service: Any, store: Store, clock: Clock, adapter: ProviderAdapter, settings: PollerSettings) -> None:
        self.service = service
        self.store = store
        self.clock = clock
        self.adapter = adapter
        self.settings = settings
        self.failing = False
        # the provider's quota is real time (not the site clock): a bucket of max_per_minute requests
        self._bucket = Bucket(settings.max_per_minute / 60.0, max(1, int(settings.max_per_minute)))

    async def _limit(self) -> None:
        for _ in range(10_000):
            if self._bucket.take():
                return
            await asyncio.sleep(min(5.0, (1 - self._bucket.tokens) / self._bucket.rate))

    async def poll_once(self) -> dict[str, int]:
        """Ask about the waybills in flight not asked about for `min_interval_s`. Returns counts."""
        cutoff = utc_iso(self.clock.now() - timedelta(seconds=self.settings.min_interval_s))

        def pick(tx: Any) -> list[dict[str, Any]]:
            rows = tx.all(
                "SELECT t.tracking_number, t.carrier, p.phone_tail FROM tracked t LEFT JOIN parcels p ON p.id = t.parcel_id"
                " WHERE t.final = 0 AND (t.last_polled_at IS NULL OR t.last_polled_at <= ?)"
                " ORDER BY t.last_polled_at IS NOT NULL, t.last_polled_at LIMIT ?",
                (cutoff, self.settings.max_per_tick))
            tx.conn.executemany("UPDATE tracked SET last_polled_at = ? WHERE tracking_number = ?",
                                [(tx.ts, r["tracking_number"]) for r in rows])
            return rows

        rows = await self.store.write(pick, durable=False)
        asked = stored = failed = 0
        for r in rows:
            await self._limit()
            asked += 1
            try:
                events = await self.adapter.query(r["carrier"], r["tracking_number"], r.get("phone_tail"))
            except (ProviderError, PollError) as exc:
                failed += 1
                if not self.failing:
                    log.warning("tracking provider %s: %s (further failures logged at debug)", self.adapter.name, exc)
                self.failing = True
                log.debug("tracking provider failure for a waybill: %s", exc)
                continue
            if self.failing:
                log.info("tracking provider %s answering again", self.adapter.name)
                self.failing = False
            if events:
                res = await self.service.ingest(r["tracking_number"], r["carrier"], events, self.adapter.name)
                stored += res["stored"]
        return {"asked": asked, "stored": stored, "failed": failed}


def build_poller(service: Any, store: Store, clock: Clock, settings: PollerSettings) -> tuple[Poller, httpx.AsyncClient]:
    import httpx  # on first use (decision 0048)
    if settings.provider not in ("kuaidi100", "kdniao", "17track"):
        raise ValueError(f"unknown tracking provider {settings.provider!r}")
    client = httpx.AsyncClient(timeout=settings.timeout_s)
    default_url = PollerSettings.model_fields["url"].default
    url = "" if settings.url == default_url and settings.provider != "kuaidi100" else settings.url
    adapter: ProviderAdapter
    key = settings.secret()
    if settings.provider == "kdniao":
        adapter = KdniaoAdapter(client, url, settings.customer, key)
    elif settings.provider == "17track":
        adapter = Track17Adapter(client, url, key)
    else:
        adapter = Kuaidi100Adapter(client, settings.url, settings.customer, key)
    return Poller(service, store, clock, adapter, settings), client
