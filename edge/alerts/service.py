"""StaffAlerts: the durable queue behind the robots and the console's alarm area.

- A cursor (meta `cloud.alerts.cursor`, the name kept from when this lived in cloud sync) walks the events
  table; each event staff are alerted about becomes a `staff_alerts` row in the same transaction that
  moves the cursor, so alerts survive restarts and never depend on the broker.
- Every `tick_s` of the site clock, waybills still on their way with no update for the category's hours
  (48 h; fresh and medicine 12 h) become a `no_update` alert, once per silence.
- Rows are posted to every robot; a failed post is retried with an exponential backoff up to
  `max_attempts`, then the row is marked failed (and stays in the alarm area).
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from edge import hant
from edge.aio import cancel_and_wait
from edge.alerts import texts as X
from edge.alerts.settings import AlertSettings, RobotConfig
from edge.clock import Clock, parse_iso, sleep_or_wake, utc_iso
from edge.store.db import Store, Tx

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

CURSOR = "cloud.alerts.cursor"
BATCH = 100


class StaffAlerts:
    def __init__(self, store: Store, clock: Clock, site: str, robots: list[Any], *,
                 settings: AlertSettings | None = None, lang: str = "zh-CN", max_attempts: int | None = None,
                 backoff_s: float | None = None, client: httpx.AsyncClient | None = None) -> None:
        self.store = store
        self.clock = clock
        self.site = site
        self.settings = settings or AlertSettings()
        # cloud sync's old WebhookConfig has the same fields
        self.robots = [r if isinstance(r, RobotConfig) else RobotConfig.model_validate(r.model_dump())
                       for r in robots]
        self.lang = lang
        self.max_attempts = max_attempts or self.settings.max_attempts
        self.backoff_s = backoff_s or self.settings.backoff_s
        self._client = client
        self._own_client = client is None
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.sent = 0
        self.failed = 0

    # --- lifecycle ----------------------------------------------------------------------------------
    async def start(self) -> None:
        def _init(tx: Tx) -> None:
            if tx.meta_get(CURSOR) is None:  # first run: do not alert on history
                tx.meta_set(CURSOR, str(int(tx.scalar("SELECT max(seq) FROM events") or 0)))

        self._loop = asyncio.get_running_loop()
        await self.store.write(_init)
        if self._client is None and self.robots:
            import httpx  # on first use (decision 0048)
            self._client = httpx.AsyncClient(timeout=max(r.timeout_s for r in self.robots))
        self._task = asyncio.create_task(self._run(), name="staff-alerts")
        self._wake.set()

    async def stop(self) -> None:
        await cancel_and_wait([self._task])
        self._task = None
        if self._client is not None and self._own_client:
            await self._client.aclose()
        self._client = None if self._own_client else self._client

    def on_events(self, events: list[dict[str, Any]]) -> None:
        """Store listener (may run off the loop): wake the worker when an alert-worthy event committed."""
        if not any(e.get("type") in X.ALERT_TYPES for e in events) or self._loop is None:
            return
        try:
            on_loop = asyncio.get_running_loop() is self._loop
        except RuntimeError:
            on_loop = False
        if on_loop:
            self._wake.set()
        else:
            self._loop.call_soon_threadsafe(self._wake.set)

    # --- the worker -----------------------------------------------------------------------------------
    async def _run(self) -> None:
        failures = 0
        while True:
            self._wake.clear()  # before reading: a wake-up that lands while we work is kept for the next turn
            try:
                while await self.collect_events():
                    pass
                await self.collect_silent()
                delay = await self.deliver_due()
                if failures:
                    log.info("staff alerts recovered after %s failure(s)", failures)
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception:
                failures += 1
                if failures == 1:
                    log.exception("staff alerts failed; retrying")
                delay = 5.0
            wait = self.settings.tick_s if delay is None else min(self.settings.tick_s, max(0.01, delay))
            if not self._wake.is_set():
                await sleep_or_wake(self.clock, wait, self._wake)

    async def collect_events(self) -> bool:
        """Events after the cursor -> alert rows, cursor moved, one transaction. True when more may wait."""
        marks = ",".join("?" * len(X.ALERT_TYPES))

        def fn(tx: Tx) -> int:
            cursor = int(tx.meta_get(CURSOR, "0") or 0)
            rows = tx.all(f"SELECT seq, id, type, ts, data FROM events WHERE seq > ? AND type IN ({marks})"
                          " ORDER BY seq LIMIT ?", (cursor, *X.ALERT_TYPES, BATCH))
            for r in rows:
                try:
                    data = json.loads(r["data"])
                except ValueError:
                    data = {}
                if not isinstance(data, dict):
                    continue
                data = {k: v for k, v in data.items() if k not in X.SECRET_KEYS}
                category = None
                if data.get("tracking_number"):
                    category = tx.scalar("SELECT category FROM tracked WHERE tracking_number = ?",
                                         (data["tracking_number"],))
                if r["type"].startswith("parcel.anomaly") and not data.get("owner"):
                    owner = tx.scalar("SELECT COALESCE(assignee, owner) FROM anomalies WHERE tracking_number = ?"
                                      " AND kind = ? ORDER BY id DESC LIMIT 1",
                                      (data.get("tracking_number"), data.get("kind")))
                    if owner:
                        data["owner"] = owner
                alert = X.from_event(r["type"], data, category)
                if alert is None or not X.wants(alert, self.settings.always_kinds,
                                                self.settings.any_severity_categories, category):
                    continue
                body = {"id": r["id"], "seq": r["seq"], "type": r["type"], "ts": r["ts"], "data": data}
                self._insert(tx, f"event:{r['id']}", alert, body)
            if rows:
                tx.meta_set(CURSOR, str(rows[-1]["seq"]))
            return len(rows)

        cursor = await self.store.read(lambda tx: int(tx.meta_get(CURSOR, "0") or 0))
        if not await self.store.read(lambda tx: tx.scalar(
                f"SELECT 1 FROM events WHERE seq > ? AND type IN ({marks}) LIMIT 1", (cursor, *X.ALERT_TYPES))):
            return False
        # not fsynced: after a power cut the cursor rolls back and the same rows are made again (dedupe key)
        return await self.store.write(fn, durable=False) == BATCH

    async def collect_silent(self) -> int:
        """Waybills on their way with no update for their category's hours -> one alert per silence."""
        hours = self.settings.no_update_h
        if not hours:
            return 0
        default = hours.get("normal", 48.0)
        case = " ".join(f"WHEN '{c}' THEN {float(h)}" for c, h in hours.items() if c.isidentifier())
        sql = (f"SELECT tracking_number, category, carrier, last_event_at, (CASE category {case} ELSE {float(default)}"
               " END) AS h FROM tracked WHERE final = 0 AND at_site_at IS NULL AND closed_at IS NULL"
               " AND last_event_at IS NOT NULL AND last_event_at <= ? - 3600.0 * (CASE category"
               f" {case} ELSE {float(default)} END) LIMIT 500")

        def fn(tx: Tx) -> int:
            n = 0
            for r in tx.all(sql, (tx.now.timestamp(),)):
                alert = X.silent(r["tracking_number"], r["h"], r["category"], r["carrier"])
                body = {"type": "tracking.no_update", "ts": tx.ts,
                        "data": {"tracking_number": r["tracking_number"], "hours": r["h"]}}
                n += self._insert(tx, f"silent:{r['tracking_number']}:{int(r['last_event_at'])}", alert, body)
            return n

        return await self.store.write(fn, durable=False)

    def _insert(self, tx: Tx, dedupe: str, alert: X.Alert, body: dict[str, Any]) -> int:
        state = "pending" if self.robots else "local"
        cur = tx.execute(
            "INSERT OR IGNORE INTO staff_alerts (dedupe, kind, severity, tracking_number, parcel_id, text_zh, text_en,"
            " owner, created_at, state, done, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?)",
            (dedupe, alert.kind, alert.severity, alert.tracking_number, alert.parcel_id, alert.text_zh, alert.text_en,
             alert.owner, tx.ts, state, json.dumps(body, ensure_ascii=False)))
        return cur.rowcount

    async def deliver_due(self) -> float | None:
        """Post the due rows; returns seconds until the next retry is due (None: nothing waiting)."""
        if not self.robots:
            return None
        rows = await self.store.read(lambda tx: tx.all(
            "SELECT * FROM staff_alerts WHERE state = 'pending' AND (next_try_at IS NULL OR next_try_at <= ?)"
            " ORDER BY id LIMIT 50", (tx.ts,)))
        for r in rows:
            await self._deliver_row(r)
        nxt = await self.store.read(lambda tx: tx.scalar(
            "SELECT min(next_try_at) FROM staff_alerts WHERE state = 'pending'"))
        if nxt is None:
            return 0.0 if len(rows) == 50 else None
        return max(0.0, (parse_iso(nxt) - self.clock.now()).total_seconds())

    async def _deliver_row(self, r: dict[str, Any]) -> None:
        import httpx  # on first use (decision 0048)
        assert self._client is not None
        done: list[str] = json.loads(r["done"] or "[]")
        try:
            body = json.loads(r["body"] or "{}")
        except ValueError:
            body = {}
        body = body or {"type": r["kind"], "ts": r["created_at"], "data": {"tracking_number": r["tracking_number"]}}
        # zh-HK: the stored Chinese converted as it goes out (ADR 0050); the row keeps zh-CN for the console
        text = hant.out(r["text_zh"], self.lang) if self.lang.lower().startswith("zh") else r["text_en"]
        problem = ""
        for i, robot in enumerate(self.robots):
            key = f"{i}:{robot.name or robot.kind}"
            if key in done:
                continue
            url, payload = X.build_request(robot, self.site, body, text)
            try:
                resp = await self._client.post(url, json=payload, timeout=robot.timeout_s)
                if X.delivered(resp):
                    done.append(key)
                    continue
                problem = f"HTTP {resp.status_code}"
            except httpx.HTTPError as exc:
                problem = type(exc).__name__
            log.warning("alert %s to %s failed (%s), attempt %s", r["kind"], robot.name or robot.kind, problem,
                        r["attempts"] + 1)
        attempts = r["attempts"] + (1 if problem else 0)
        finished = len(done) >= len(self.robots)
        if finished:
            self.sent += 1
        elif attempts >= self.max_attempts:
            self.failed += 1
            log.error("alert %s (row %s) given up after %s attempts", r["kind"], r["id"], attempts)

        def fn(tx: Tx) -> None:
            state = "sent" if finished else "failed" if attempts >= self.max_attempts else "pending"
            delay = min(300.0, self.backoff_s * 2 ** max(0, attempts - 1))
            tx.execute("UPDATE staff_alerts SET state = ?, attempts = ?, done = ?, last_error = ?, next_try_at = ?,"
                       " sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END WHERE id = ?",
                       (state, attempts, json.dumps(done), problem or None,
                        utc_iso(self.clock.now() + timedelta(seconds=delay)) if problem else None, state, tx.ts, r["id"]))

        await self.store.write(fn, durable=False)

    # --- console ----------------------------------------------------------------------------------------
    async def recent(self, limit: int = 50, *, open_only: bool = True) -> list[dict[str, Any]]:
        """Newest first, red first; `open_only`: not acknowledged, and whose cause still holds (the anomaly
        is open, the waybill is still silent and not here)."""
        where = ("WHERE s.acked_at IS NULL AND NOT (s.kind LIKE 'anomaly.%' AND NOT EXISTS (SELECT 1 FROM anomalies a"
                 " WHERE a.tracking_number = s.tracking_number AND a.kind = substr(s.kind, 9) AND a.cleared_at IS NULL))"
                 " AND NOT (s.kind = 'no_update' AND EXISTS (SELECT 1 FROM tracked t WHERE t.tracking_number ="
                 " s.tracking_number AND (t.at_site_at IS NOT NULL OR t.closed_at IS NOT NULL OR t.final = 1)))"
                 ) if open_only else ""
        return await self.store.read(lambda tx: tx.all(
            f"SELECT s.id, s.kind, s.severity, s.tracking_number, s.parcel_id, s.text_zh, s.text_en, s.owner,"
            f" s.created_at, s.state, s.attempts, s.sent_at FROM staff_alerts s {where}"
            " ORDER BY CASE s.severity WHEN 'red' THEN 0 ELSE 1 END, s.id DESC LIMIT ?", (limit,)))

    async def acknowledge(self, alert_id: int, actor: str) -> bool:
        def fn(tx: Tx) -> bool:
            cur = tx.execute("UPDATE staff_alerts SET acked_at = ?, acked_by = ? WHERE id = ? AND acked_at IS NULL",
                             (tx.ts, actor, alert_id))
            if cur.rowcount:
                tx.audit(actor, "alert.acknowledge", str(alert_id))
            return bool(cur.rowcount)

        return await self.store.write(fn)

    def status(self) -> dict[str, Any]:
        return {"robots": len(self.robots), "sent": self.sent, "failed": self.failed}
