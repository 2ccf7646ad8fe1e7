"""/metrics against a real daemon (simulated doors, real SQLite): content, access, latencies."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from edge.clock import SimClock
from edge.config import parse_config
from edge.daemon import Daemon
from edge.store.db import Tx
from edge.web import metrics as metrics_mod

CONFIG = {
    "site": {"id": "metrics-site"},
    "banks": [{"id": "A", "driver": "sim", "compartments": [{"id": f"A-{i:02d}", "size": "M"} for i in range(1, 7)]}],
}


@pytest.fixture
async def daemon(tmp_path: Path) -> AsyncIterator[Daemon]:
    clock = SimClock(datetime(2026, 3, 2, 2, 0, tzinfo=UTC), frozen=True)
    d = Daemon(parse_config(CONFIG), clock=clock, data_dir=tmp_path / "data", simulated=True)
    await d.start()
    try:
        yield d
    finally:
        await d.stop()


def _bare_app(daemon: Daemon) -> FastAPI:
    """Only the metrics router and its latency wrapper (no console guard in front)."""
    from fastapi.responses import JSONResponse

    from edge.errors import DomainError

    app = FastAPI()
    app.state.daemon = daemon

    @app.exception_handler(DomainError)
    async def _domain(_: Any, exc: DomainError) -> JSONResponse:
        return JSONResponse(exc.as_dict(), status_code=exc.status)

    @app.get("/items/{item_id}")
    async def item(item_id: int) -> dict[str, int]:
        return {"id": item_id}

    metrics_mod.setup(app)
    app.include_router(metrics_mod.router)
    return app


def _client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://locker.test")


def _value(text: str, name: str, labels: str = "") -> float:
    pattern = re.escape(name + (("{" + labels + "}") if labels else "")) + r" ([0-9.e+-]+)"
    m = re.search(r"^" + pattern + "$", text, re.M)
    assert m, f"{name}{{{labels}}} not in metrics"
    return float(m.group(1))


def _seed(tx: Tx) -> None:
    tx.execute("UPDATE compartments SET state = 'fault' WHERE id = 'A-01'")
    tx.execute("UPDATE compartments SET door = 'open' WHERE id IN ('A-02', 'A-03')")
    for i, state in enumerate(["stored", "stored", "collected", "expected"]):
        tx.execute(
            "INSERT INTO parcels (id, tracking_number, state, stage, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (f"m{i}", f"T{i}", state, "overdue" if i == 1 else None, tx.ts, tx.ts),
        )
    tx.execute(
        "INSERT INTO door_commands (id, compartment_id, actor, reason, purpose, state, created_at)"
        " VALUES ('c1', 'A-04', 'test', 'x', 'remote', 'jammed', ?)",
        (tx.ts,),
    )
    tx.execute(
        "INSERT INTO anomalies (tracking_number, kind, severity, raised_at) VALUES ('T1', 'stuck', 'red', ?)",
        (tx.ts,),
    )
    for i, (type_, state, ok, code) in enumerate(
        [("door.open", "done", 1, None), ("door.open", "done", 0, "expired"), ("x'); DROP", "done", 0, "bad_signature"),
         ("telemetry.now", "received", None, None)]
    ):
        tx.execute(
            "INSERT INTO cloud_inbox (id, type, received_at, payload, state, ok, code) VALUES (?, ?, ?, '{}', ?, ?, ?)",
            (f"c{i}", type_, tx.ts, state, ok, code),
        )
    tx.execute("INSERT INTO tracking_events (tracking_number, time, text, milestone, confidence, source, received_at)"
               " VALUES ('T1', '2026-03-02T00:00:00Z', 'x', 'in_transit', 1, 'kuaidi100', '2026-03-02T00:10:00.000Z')")
    tx.execute("INSERT INTO events (id, type, ts, data) VALUES ('e-old', 'x', '2026-03-02T01:00:00.000Z', '{}')")
    tx.execute("INSERT INTO outbox (seq) SELECT seq FROM events WHERE id = 'e-old'")


async def test_metrics_content_with_bearer_token(daemon: Daemon) -> None:
    app = _bare_app(daemon)
    token = metrics_mod.create_token(daemon.data_dir)
    assert os.stat(daemon.data_dir / metrics_mod.TOKEN_FILE).st_mode & 0o777 == 0o600
    await daemon.store.write(_seed)
    async with _client(app) as c:
        assert (await c.get("/items/7")).status_code == 200
        assert (await c.get("/items/8")).status_code == 200
        r = await c.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    t = r.text
    assert _value(t, "lockerd_compartment_faults") == 1
    assert _value(t, "lockerd_doors_open") == 2
    assert _value(t, "lockerd_compartments", 'state="fault"') == 1
    assert _value(t, "lockerd_parcels", 'state="stored"') == 2
    assert _value(t, "lockerd_parcels", 'state="depositing"') == 0
    assert _value(t, "lockerd_parcels_stored_stage", 'stage="overdue"') == 1
    assert _value(t, "lockerd_door_commands", 'state="jammed"') == 1
    assert _value(t, "lockerd_anomalies_open", 'severity="red"') == 1
    assert _value(t, "lockerd_anomalies_open", 'severity="yellow"') == 0
    assert _value(t, "lockerd_tracking_source_delay_seconds", 'source="kuaidi100"') == 600
    assert _value(t, "lockerd_cloud_commands", 'result="ok",type="door.open"') == 1
    assert _value(t, "lockerd_cloud_commands", 'result="expired",type="door.open"') == 1
    assert _value(t, "lockerd_cloud_commands", 'result="bad_signature",type="other"') == 1
    assert _value(t, "lockerd_cloud_commands", 'result="pending",type="telemetry.now"') == 1
    assert _value(t, "lockerd_outbox_depth") >= 1
    assert _value(t, "lockerd_outbox_oldest_age_seconds") == pytest.approx(3600, abs=1)
    assert _value(t, "lockerd_clock_synchronised") == 1
    assert _value(t, "lockerd_ready") == 1
    assert _value(t, "lockerd_bank_online", 'bank="A"') == 1
    assert _value(t, "lockerd_db_bytes", 'file="db"') > 0
    assert "process_resident_memory_bytes" in t
    # latencies labelled by route template, never by raw path
    assert _value(
        t, "lockerd_http_request_duration_seconds_count", 'method="GET",route="/items/{item_id}",status="2xx"'
    ) == 2
    assert "/items/7" not in t


async def test_metrics_refuses_without_credentials(daemon: Daemon) -> None:
    app = _bare_app(daemon)
    async with _client(app) as c:
        r = await c.get("/metrics")
        assert r.status_code == 401 and r.json()["error"] == "login_required"
        # no token file: bearer access is off
        assert (await c.get("/metrics", headers={"Authorization": "Bearer " + "x" * 40})).status_code == 401
        token = metrics_mod.create_token(daemon.data_dir)
        assert (await c.get("/metrics", headers={"Authorization": "Bearer wrong-token-123456"})).status_code == 401
        os.chmod(daemon.data_dir / metrics_mod.TOKEN_FILE, 0o644)  # readable by others: refused
        assert (await c.get("/metrics", headers={"Authorization": f"Bearer {token}"})).status_code == 401
        r = await c.get("/metrics", headers={"Authorization": "Bearer x"})
        assert "Traceback" not in r.text


async def test_metrics_with_console_session_in_full_app(daemon: Daemon) -> None:
    pytest.importorskip("edge.web.console.auth")
    from edge.services import staff as users
    from edge.web.app import create_app
    from edge.web.console.auth import SESSION_COOKIE, get_auth

    await daemon.store.write(lambda tx: users.ensure_user(tx, "ops", "ops-password-1", "staff"))
    app = create_app(daemon)
    async with _client(app) as c:
        assert (await c.get("/metrics")).status_code == 401
        user = await daemon.store.read(lambda tx: users.get_user(tx, "ops"))
        assert user is not None
        c.cookies.set(SESSION_COOKIE, get_auth(app).issue(user))
        r = await c.get("/metrics")
    assert r.status_code == 200
    assert "lockerd_parcels" in r.text
    assert 'route="/metrics"' in r.text or "lockerd_http_request_duration_seconds" in r.text
