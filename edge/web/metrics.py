"""GET /metrics in the Prometheus text format, and request latencies.

Access: a logged-in console session, or ``Authorization: Bearer <token>`` where the token is the
content of ``<data_dir>/metrics.token`` (mode 0600, created by install.sh; no file = no token access).
No exemption for 127.0.0.1: the public kiosk browser runs on loopback too.

Gauges are read from the database at scrape time (one read transaction), so they are always the
truth, survive restarts and cost nothing between scrapes. Request latencies come from a small pure
ASGI wrapper (`LatencyRecorder`, installed by `setup()`), labelled by route template, not raw path.
Each app has its own registry (no module-level globals), so tests and several apps never collide.
"""

from __future__ import annotations

import hmac
import logging
import os
import re
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, Histogram, generate_latest
from prometheus_client.process_collector import ProcessCollector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from edge.clock import parse_iso
from edge.errors import DomainError
from edge.services import site_counts

if TYPE_CHECKING:
    from edge.daemon import Daemon

log = logging.getLogger(__name__)

TOKEN_FILE = "metrics.token"
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)

#: label values of the `method` label; anything else is "other" (20,000 odd methods made 320,000 series)
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

router = APIRouter(tags=["metrics"])


class LockerMetrics:
    """The registry of one app and the metric objects in it."""

    def __init__(self) -> None:
        r = self.registry = CollectorRegistry(auto_describe=True)
        ProcessCollector(registry=r)  # RSS, CPU, open fds of the daemon
        self.info = Gauge("lockerd_info", "Version and identity of this lockerd", ["version", "site", "boot_id"], registry=r)
        self.ready = Gauge("lockerd_ready", "1 when the daemon is ready", registry=r)
        self.clock_synced = Gauge("lockerd_clock_synchronised", "1 when the wall clock is NTP-synchronised", registry=r)
        self.compartments = Gauge("lockerd_compartments", "Compartments by state", ["state"], registry=r)
        self.doors_open = Gauge("lockerd_doors_open", "Doors currently seen open", registry=r)
        self.faults = Gauge("lockerd_compartment_faults", "Compartments in the fault state", registry=r)
        self.parcels = Gauge("lockerd_parcels", "Parcels by state", ["state"], registry=r)
        self.stages = Gauge("lockerd_parcels_stored_stage", "Stored parcels by storage stage", ["stage"], registry=r)
        self.anomalies = Gauge("lockerd_anomalies_open", "Open tracking anomalies by severity", ["severity"], registry=r)
        self.outbox_depth = Gauge("lockerd_outbox_depth", "Events waiting to be sent to HQ", registry=r)
        self.outbox_age = Gauge("lockerd_outbox_oldest_age_seconds", "Age of the oldest unsent event", registry=r)
        self.commands = Gauge("lockerd_door_commands", "Door commands by result (kept history)", ["state"], registry=r)
        self.cloud_commands = Gauge(
            "lockerd_cloud_commands", "HQ commands kept in the inbox, by type and result", ["type", "result"], registry=r
        )
        self.source_delay = Gauge("lockerd_tracking_source_delay_seconds",
                                  "Mean delay from a carrier's scan to its receipt here, by tracking source (last 5000 events)",
                                  ["source"], registry=r)
        self.source_age = Gauge("lockerd_tracking_source_last_received_age_seconds",
                                "Seconds since the last event received from each tracking source", ["source"], registry=r)
        self.tasks = Gauge("lockerd_tasks_open", "Open staff tasks by kind", ["kind"], registry=r)
        self.bank_online = Gauge("lockerd_bank_online", "1 when a lock bank answers", ["bank"], registry=r)
        self.db_bytes = Gauge("lockerd_db_bytes", "Database file sizes", ["file"], registry=r)
        self.requests = Histogram(
            "lockerd_http_request_duration_seconds",
            "HTTP request latency by route template",
            ["method", "route", "status"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )


def get_metrics(app: Any) -> LockerMetrics:
    m = getattr(app.state, "lockerd_metrics", None)
    if m is None:
        m = LockerMetrics()
        app.state.lockerd_metrics = m
    return m


class LatencyRecorder:
    """Pure ASGI wrapper: observes each HTTP request's duration (to the end of the response body)."""

    def __init__(self, app: ASGIApp, metrics: LockerMetrics | None = None) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            metrics = self.metrics or get_metrics(scope["app"])
            method = scope.get("method", "")
            method = method if method in KNOWN_METHODS else "other"  # any token is a valid method: bound it
            metrics.requests.labels(method, template, f"{status // 100}xx").observe(
                time.perf_counter() - t0
            )


def setup(app: FastAPI) -> None:
    """Called by the app factory: wrap the app with the latency recorder."""
    app.add_middleware(LatencyRecorder, metrics=get_metrics(app))


# --- access --------------------------------------------------------------------------------------
def read_token(data_dir: str | Path) -> str | None:
    path = Path(data_dir) / TOKEN_FILE
    try:
        st = path.stat()
        token = path.read_text().strip()
    except OSError:
        return None
    if stat.S_IMODE(st.st_mode) & 0o077:
        log.warning("%s is readable by other users; token access disabled until it is mode 0600", path)
        return None
    return token if len(token) >= 16 else None


def create_token(data_dir: str | Path) -> str:
    """Write a new random token (0600) and return it (used by install.sh and tests)."""
    import secrets

    path = Path(data_dir) / TOKEN_FILE
    token = secrets.token_urlsafe(32)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(token + "\n")
    os.replace(tmp, path)
    return token


async def _allowed(request: Request) -> bool:
    daemon = request.app.state.daemon
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        expected = read_token(daemon.data_dir)
        given = header[7:].strip()
        return expected is not None and hmac.compare_digest(expected.encode(), given.encode())
    if getattr(request.state, "console_user", None) is not None:
        return True  # the console guard already checked the session
    from edge.web.console.auth import SESSION_COOKIE, get_auth

    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return False
    auth = get_auth(request.app)
    return await auth.user_for(auth.read_session(cookie)) is not None


# --- collection --------------------------------------------------------------------------------------
def _has_table(tx: Any, name: str) -> bool:
    return bool(tx.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)))


def snapshot(tx: Any) -> dict[str, Any]:
    """Everything /metrics reads from the database, in one read transaction."""
    grouped = lambda sql: {str(k): int(v) for k, v in tx.execute(sql).fetchall()}  # noqa: E731
    site = site_counts.read(tx)  # the one read model of the site's counts (telemetry and console share it)
    out: dict[str, Any] = {
        "compartments": site.compartments,
        "doors_open": site.doors_open,
        "parcels": site.parcels,
        "stages": site.stages,
        "commands": grouped("SELECT state, COUNT(*) FROM door_commands GROUP BY state"),
        "tasks": site.tasks,
        "outbox_depth": site.outbox_depth,
        "outbox_oldest": site.outbox_oldest_ts,
        "anomalies": None,
        "cloud_commands": None,
    }
    if _has_table(tx, "cloud_inbox"):
        rows = tx.execute(
            "SELECT type, CASE WHEN state = 'received' THEN 'pending' WHEN ok = 1 THEN 'ok'"
            " ELSE COALESCE(code, 'failed') END, COUNT(*) FROM cloud_inbox GROUP BY 1, 2"
        ).fetchall()
        counts: dict[tuple[str, str], int] = {}
        for type_, result, n in rows:
            key = (_label(type_), _label(result))  # bounded label values, whatever HQ sent
            counts[key] = counts.get(key, 0) + int(n)
        out["cloud_commands"] = counts
    if _has_table(tx, "anomalies"):
        out["anomalies"] = grouped(
            "SELECT severity, COUNT(*) FROM anomalies WHERE cleared_at IS NULL GROUP BY severity"
        )
    if _has_table(tx, "tracking_events"):  # per-source freshness over the newest events (cheap: by rowid)
        out["sources"] = {(_label(s) if s else "site"): (float(d or 0), last) for s, d, last in tx.execute(
            "SELECT source, avg(max(0, (julianday(received_at) - julianday(time)) * 86400.0)), max(received_at)"
            " FROM (SELECT source, received_at, time FROM tracking_events ORDER BY id DESC LIMIT 5000)"
            " GROUP BY source").fetchall()}
    return out


_LABEL_RE = re.compile(r"^[a-z][a-z0-9_.]{0,39}$")


def _label(value: Any) -> str:
    text = str(value or "")
    return text if _LABEL_RE.match(text) else "other"


def _set_labelled(gauge: Gauge, values: dict[str, int], always: tuple[str, ...] = ()) -> None:
    gauge.clear()
    for key in always:
        gauge.labels(key).set(0)
    for key, v in values.items():
        gauge.labels(key).set(v)


async def collect(app: Any) -> bytes:
    daemon: Daemon = app.state.daemon
    m = get_metrics(app)
    snap = await daemon.store.read(snapshot)
    m.info.clear()
    m.info.labels(str(daemon.version), daemon.config.site.id, str(daemon.boot_id)).set(1)
    m.ready.set(1 if daemon.ready else 0)
    m.clock_synced.set(1 if daemon.clock.synchronised else 0)
    _set_labelled(m.compartments, snap["compartments"], ("free", "reserved", "occupied", "disabled", "fault"))
    m.doors_open.set(snap["doors_open"])
    m.faults.set(snap["compartments"].get("fault", 0))
    _set_labelled(m.parcels, snap["parcels"])  # every state, 0 included (edge/services/site_counts.py)
    _set_labelled(m.stages, snap["stages"])
    _set_labelled(m.commands, snap["commands"], ("opened", "already_open", "jammed", "unknown", "failed"))
    _set_labelled(m.tasks, snap["tasks"])
    if snap["anomalies"] is not None:
        _set_labelled(m.anomalies, snap["anomalies"], ("yellow", "red"))
    m.source_delay.clear()
    m.source_age.clear()
    for source, (delay, last) in (snap.get("sources") or {}).items():
        m.source_delay.labels(source).set(round(delay, 1))
        try:
            m.source_age.labels(source).set(max(0.0, (daemon.clock.now() - parse_iso(last)).total_seconds()))
        except (TypeError, ValueError):
            pass
    m.cloud_commands.clear()
    for (type_, result), n in (snap["cloud_commands"] or {}).items():
        m.cloud_commands.labels(type_, result).set(n)
    m.outbox_depth.set(snap["outbox_depth"])
    age = 0.0
    if snap["outbox_oldest"]:
        try:
            age = max(0.0, (daemon.clock.now() - parse_iso(snap["outbox_oldest"])).total_seconds())
        except ValueError:
            age = 0.0
    m.outbox_age.set(age)
    m.bank_online.clear()
    for bank in daemon.banks:
        try:
            m.bank_online.labels(bank.bank_id).set(1 if bank.health().online else 0)
        except Exception:  # a driver's health must never break the scrape
            m.bank_online.labels(bank.bank_id).set(0)
    db = Path(daemon.store.path)
    for name, path in (("db", db), ("wal", Path(str(db) + "-wal"))):
        try:
            m.db_bytes.labels(name).set(path.stat().st_size)
        except OSError:
            m.db_bytes.labels(name).set(0)
    return generate_latest(m.registry)


@router.get("/metrics", summary="Prometheus metrics (console session or bearer token)", include_in_schema=True)
async def metrics(request: Request) -> Response:
    if not await _allowed(request):
        raise DomainError(
            "login_required",
            "log in to the console, or send Authorization: Bearer <token from metrics.token>",
            status=401,
        )
    body = await collect(request.app)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
