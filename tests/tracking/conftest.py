from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from edge.clock import SimClock, utc_iso
from edge.store.db import Store
from edge.tracking.service import TrackingService
from edge.tracking.settings import TrackingSettings
from tests.cloud.conftest import broker, daemon_factory, hq_factory  # noqa: F401  (fixtures for the MQTT tests)
from tests.console.conftest import console  # noqa: F401  (fixture for the page tests)

# a Wednesday in a normal working week (no Chinese holiday near it)
T0 = datetime(2026, 3, 11, 2, 0, tzinfo=UTC)


class Env:
    def __init__(self, store: Store, clock: SimClock, service: TrackingService) -> None:
        self.store = store
        self.clock = clock
        self.service = service

    def at(self, hours: float = 0.0) -> str:
        """An event time `hours` after T0."""
        return utc_iso(T0 + timedelta(hours=hours))

    async def advance_h(self, hours: float) -> dict[str, int]:
        self.clock.advance(hours * 3600)
        return await self.service.sweep()

    def open_kinds(self, tn: str) -> dict[str, str]:
        rows = self.store.read_sync(lambda tx: tx.all(
            "SELECT kind, severity FROM anomalies WHERE tracking_number = ? AND cleared_at IS NULL", (tn,)))
        return {r["kind"]: r["severity"] for r in rows}

    def events(self, type_prefix: str = "parcel.anomaly") -> list[dict[str, Any]]:
        rows = self.store.read_sync(lambda tx: tx.all(
            "SELECT type, data FROM events WHERE type LIKE ? ORDER BY seq", (type_prefix + "%",)))
        return [{"type": r["type"], **json.loads(r["data"])} for r in rows]

    def raised(self, tn: str, kind: str) -> int:
        return sum(1 for e in self.events("parcel.anomaly_raised") if e["tracking_number"] == tn and e["kind"] == kind)

    def cleared(self, tn: str, kind: str) -> int:
        return sum(1 for e in self.events("parcel.anomaly_cleared") if e["tracking_number"] == tn and e["kind"] == kind)


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[Env]:
    clock = SimClock(T0, frozen=True)
    store = Store(tmp_path / "lockerd.db", clock, "site-test")
    store.open()
    service = TrackingService(store, clock, TrackingSettings())
    try:
        yield Env(store, clock, service)
    finally:
        store.close()
