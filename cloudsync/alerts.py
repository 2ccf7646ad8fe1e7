"""Staff alerts to group robots (WeCom, DingTalk) or a generic JSON webhook, driven from the events log.

A cursor (meta `cloud.alerts.cursor`) walks the events table, so alerts survive restarts and broker
outages; each delivery is retried with an exponential backoff up to `max_attempts`, then logged and
skipped. Pickup codes are never sent.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.parse
from typing import Any

import httpx

from cloudsync.config import WebhookConfig
from edge.aio import cancel_and_wait
from edge.clock import Clock
from edge.store.db import Store, Tx

log = logging.getLogger(__name__)

ALERT_TYPES = ("door.jammed", "door.forced_open", "parcel.overdue", "parcel.anomaly_raised", "parcel.anomaly_escalated")
SECRET_KEYS = ("pickup_code", "code", "phone_tail")


def is_alert(event_type: str, data: dict[str, Any]) -> bool:
    if event_type in ("parcel.anomaly_raised", "parcel.anomaly_escalated"):
        return data.get("severity") == "red"
    return event_type in ALERT_TYPES


def alert_text(site: str, event_type: str, data: dict[str, Any]) -> str:
    c = data.get("compartment") or data.get("compartment_id") or "?"
    tn = data.get("tracking_number") or data.get("parcel_id") or "?"
    if event_type == "door.jammed":
        body = f"door {c} is jammed (it did not open)"
    elif event_type == "door.forced_open":
        body = f"door {c} was opened without a command"
    elif event_type == "parcel.overdue":
        body = f"parcel {tn} is overdue in {c}: move it to the parcel room"
    else:
        body = f"red anomaly {data.get('kind', '?')} on parcel {tn}; next: {data.get('next_action', '-')}"
    return f"[lockerd {site}] {body}"


def build_request(hook: WebhookConfig, site: str, event: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    data = {k: v for k, v in event["data"].items() if k not in SECRET_KEYS}
    text = alert_text(site, event["type"], data)
    if hook.kind in ("wecom", "dingtalk"):
        url = hook.url
        if hook.kind == "dingtalk" and hook.secret:
            ts = str(int(time.time() * 1000))  # DingTalk checks it against real time, not the site clock
            mac = hmac.new(hook.secret.encode(), f"{ts}\n{hook.secret}".encode(), hashlib.sha256).digest()
            sign = urllib.parse.quote_plus(base64.b64encode(mac).decode())
            url += ("&" if "?" in url else "?") + f"timestamp={ts}&sign={sign}"
        return url, {"msgtype": "text", "text": {"content": text}}
    return hook.url, {"site": site, "id": event["id"], "seq": event["seq"], "type": event["type"],
                      "ts": event["ts"], "text": text, "data": data}


def delivered(resp: httpx.Response) -> bool:
    if not 200 <= resp.status_code < 300:
        return False
    try:
        body = resp.json()
    except ValueError:
        return True
    return not (isinstance(body, dict) and body.get("errcode") not in (None, 0))


class Alerts:
    def __init__(self, store: Store, clock: Clock, site: str, hooks: list[WebhookConfig], *,
                 max_attempts: int = 8, backoff_s: float = 1.0, client: httpx.AsyncClient | None = None) -> None:
        self.store = store
        self.clock = clock
        self.site = site
        self.hooks = hooks
        self.max_attempts = max_attempts
        self.backoff_s = backoff_s
        self._client = client
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.sent = 0
        self.failed = 0

    async def start(self) -> None:
        if not self.hooks:
            return

        def _init(tx: Tx) -> None:
            if tx.meta_get("cloud.alerts.cursor") is None:  # first run: do not alert on history
                last = int(tx.scalar("SELECT max(seq) FROM events") or 0)
                tx.meta_set("cloud.alerts.cursor", str(last))

        await self.store.write(_init)
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=max(h.timeout_s for h in self.hooks))
        self._task = asyncio.create_task(self._run(), name="cloud-alerts")
        self._wake.set()

    async def stop(self) -> None:
        await cancel_and_wait([self._task])
        self._task = None
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def on_events(self, events: list[dict[str, Any]]) -> None:
        if self.hooks and any(e.get("type") in ALERT_TYPES for e in events):
            self._wake.set()

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                while await self._batch():
                    pass
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("staff alerts failed; retrying")
                await self.clock.sleep(5)
                self._wake.set()

    async def _batch(self) -> bool:
        marks = ",".join("?" * len(ALERT_TYPES))

        def _q(tx: Tx) -> list[dict[str, Any]]:
            cursor = int(tx.meta_get("cloud.alerts.cursor", "0") or 0)
            return tx.all(f"SELECT seq, id, type, ts, data FROM events WHERE seq > ? AND type IN ({marks}) "
                          "ORDER BY seq LIMIT 100", (cursor, *ALERT_TYPES))

        rows = await self.store.read(_q)
        for r in rows:
            try:
                r["data"] = json.loads(r["data"])
            except ValueError:
                r["data"] = {}
            if isinstance(r["data"], dict) and is_alert(r["type"], r["data"]):
                for hook in self.hooks:
                    await self._deliver(hook, r)
            seq = str(r["seq"])
            await self.store.write(lambda tx, seq=seq: tx.meta_set("cloud.alerts.cursor", seq), durable=False)
        return len(rows) == 100

    async def _deliver(self, hook: WebhookConfig, event: dict[str, Any]) -> bool:
        assert self._client is not None
        name = hook.name or hook.kind
        for attempt in range(1, self.max_attempts + 1):
            url, body = build_request(hook, self.site, event)
            try:
                resp = await self._client.post(url, json=body, timeout=hook.timeout_s)
                if delivered(resp):
                    self.sent += 1
                    return True
                problem = f"HTTP {resp.status_code}"
            except httpx.HTTPError as exc:
                problem = type(exc).__name__
            if attempt < self.max_attempts:
                delay = min(300.0, self.backoff_s * 2 ** (attempt - 1))
                log.warning("alert %s to %s failed (%s); retry %s in %.1f s", event["type"], name, problem,
                            attempt, delay)
                await self.clock.sleep(delay)
        self.failed += 1
        log.error("alert %s (seq %s) to %s given up after %s attempts", event["type"], event["seq"], name,
                  self.max_attempts)
        return False
