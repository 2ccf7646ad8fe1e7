"""m003 on a database that already has stored parcels: they enter the rules on the first sweep."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from edge.clock import SimClock
from edge.policy import Policy
from edge.rules.calendar import WorkCalendar
from edge.rules.engine import RulesEngine
from edge.services.notifier import Notifier
from edge.store.db import Store, migrate


def test_upgrade_with_stored_parcels(tmp_path: Path) -> None:
    db = tmp_path / "lockerd.db"
    conn = sqlite3.connect(db, isolation_level=None)
    migrate(conn, db, target=2)
    ts = "2026-06-01T01:00:00.000Z"
    for i, state in enumerate(("stored", "collected", "stored")):
        conn.execute(
            "INSERT INTO parcels (id, tracking_number, unit, state, pickup_code, created_at, stored_at, updated_at)"
            " VALUES (?, ?, '1-101', ?, '1234567890', ?, ?, ?)",
            (f"p{i}", f"SF{i}", state, ts, ts, ts),
        )
    conn.close()
    clock = SimClock(datetime(2026, 6, 3, 2, 0, tzinfo=UTC), frozen=True)
    store = Store(db, clock, "site")
    store.open()  # migrates to the newest schema (and backs the v2 file up first)
    try:
        rows = store.read_sync(lambda tx: tx.all("SELECT parcel_id FROM rule_schedule ORDER BY parcel_id"))
        assert [r["parcel_id"] for r in rows] == ["p0", "p2"]
        policy = Policy()
        engine = RulesEngine(store, lambda: policy, WorkCalendar(), Notifier("Site", "zh-CN"))
        result = engine.sweep_sync()
        assert result.actions["reminder"] == 4  # 24 h and 48 h for both stored parcels
        assert (tmp_path / "lockerd.db.pre-v5.bak").exists() or any(tmp_path.glob("*.bak"))
    finally:
        store.close()
