"""Telemetry (QoS 0, every `telemetry_interval_s` on the injected clock) and the retained compartment
snapshot (published on change, debounced)."""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from cloudsync.publisher import OutboxPublisher, Sender
from cloudsync.topics import Topics
from edge.aio import cancel_and_wait
from edge.clock import Clock, utc_iso
from edge.notify.queue import counts as message_counts
from edge.services import site_counts
from edge.store.db import Store, Tx
from edge.store.streams import current_stream, last_pseq
from edge.tracking.desk import open_anomaly_counts

log = logging.getLogger(__name__)

KPI_EVERY_S = 900.0

SNAPSHOT_PREFIXES = ("door.", "compartment.", "parcel.")
THERMAL = Path("/sys/class/thermal")


def cpu_temperature_c(root: Path = THERMAL) -> float | None:
    """The first CPU-ish thermal zone in degrees Celsius, or None where there is none."""
    try:
        zones = sorted(root.glob("thermal_zone*"))
    except OSError:
        return None
    for z in zones:
        try:
            kind = (z / "type").read_text().strip().lower()
            if kind and not any(k in kind for k in ("cpu", "soc", "x86_pkg", "acpitz")):
                continue
            return round(int((z / "temp").read_text().strip()) / 1000.0, 1)
        except (OSError, ValueError):
            continue
    return None


def gather_state(tx: Tx) -> dict[str, Any]:
    counts = site_counts.read(tx)  # the one read model of the site's counts (metrics and console share it)
    occupancy, doors_open, faults, parcels = counts.occupancy, counts.doors_open, counts.faults, counts.parcels
    anomalies, _ = open_anomaly_counts(tx)  # the tracking part's table (migrated with the core schema)
    messages = message_counts(tx)
    return {"occupancy": occupancy, "doors_open": doors_open, "faults": faults, "parcels": parcels,
            "anomalies": anomalies, "messages": messages}


def snapshot_rows(tx: Tx) -> list[dict[str, Any]]:
    return tx.all(
        "SELECT id, bank, size, height_cm, state, door, door_changed_at, updated_at FROM compartments "
        "WHERE configured = 1 ORDER BY id"
    )


def as_of(fn: Callable[[Tx], Any]) -> Callable[[Tx], tuple[Any, dict[str, Any]]]:
    """Run `fn` and read which event it is as of, in the same read transaction (section 4)."""
    def _read(tx: Tx) -> tuple[Any, dict[str, Any]]:
        return fn(tx), {"stream": current_stream(tx.conn)[0], "as_of_seq": last_pseq(tx.conn)}

    return _read


class Telemetry:
    def __init__(self, *, store: Store, clock: Clock, topics: Topics, publisher: OutboxPublisher,
                 version: str, data_dir: str | Path, interval_s: float, debounce_s: float,
                 mqtt_state: Callable[[], dict[str, Any]],
                 tracking_kpis: Callable[[], Awaitable[dict[str, Any]]] | None = None) -> None:
        self.store = store
        self.clock = clock
        self.topics = topics
        self.publisher = publisher
        self.version = version
        self.data_dir = Path(data_dir)
        self.interval_s = interval_s
        self.debounce_s = debounce_s
        self.mqtt_state = mqtt_state
        self.sender: Sender | None = None
        self._started_mono = clock.monotonic()
        self._tasks: list[asyncio.Task[None]] = []
        self._snapshot_due = asyncio.Event()
        self.last_snapshot: str | None = None
        self.sent = 0
        # carrier KPIs and per-source freshness (issue 16): recomputed at most every KPI_EVERY_S
        self.tracking_kpis = tracking_kpis
        self._kpis: dict[str, Any] | None = None
        self._kpis_at = float("-inf")

    async def start(self) -> None:
        self._started_mono = self.clock.monotonic()
        self._tasks = [asyncio.create_task(self._periodic(), name="cloud-telemetry"),
                       asyncio.create_task(self._snapshots(), name="cloud-snapshot")]

    async def stop(self) -> None:
        await cancel_and_wait(self._tasks)
        self._tasks = []

    def on_events(self, events: list[dict[str, Any]]) -> None:
        if any(str(e.get("type", "")).startswith(SNAPSHOT_PREFIXES) for e in events):
            self._snapshot_due.set()

    def on_connected(self) -> None:
        self.last_snapshot = None  # retained state: publish it again on every connection
        self._snapshot_due.set()

    # --- telemetry --------------------------------------------------------------------------------
    async def gather(self) -> dict[str, Any]:
        state, seq_as_of = await self.store.read(as_of(gather_state))
        try:
            disk_free = shutil.disk_usage(self.data_dir).free
        except OSError:
            disk_free = None
        pub = self.publisher
        return {
            "site": self.topics.site,
            "ts": utc_iso(self.clock.now()),
            **state,
            "outbox": {"depth": pub.depth, "oldest_unsent_age_s": pub.oldest_unsent_age_s(),
                       "inflight": pub.inflight, "dropped_telemetry": pub.dropped, "over_cap": pub.over_cap},
            "uptime_s": round(self.clock.monotonic() - self._started_mono, 1),
            "disk_free_bytes": disk_free,
            "store": self.store.space(),  # free_mb, low_space, writable: as /healthz `store`
            "cpu_temp_c": cpu_temperature_c(),
            "version": self.version,
            "mqtt": self.mqtt_state(),
            **({"tracking_kpis": kpis} if (kpis := await self._tracking_kpis()) is not None else {}),
            **seq_as_of,
        }

    async def _tracking_kpis(self) -> dict[str, Any] | None:
        if self.tracking_kpis is None:
            return None
        now = self.clock.monotonic()
        if self._kpis is None or now - self._kpis_at >= KPI_EVERY_S:
            try:
                self._kpis = await self.tracking_kpis()
                self._kpis_at = now
            except Exception:
                log.warning("tracking KPIs unavailable for telemetry", exc_info=True)
        return self._kpis

    async def publish_now(self) -> dict[str, Any]:
        await self.publisher.refresh_figures()
        doc = await self.gather()
        if self.sender is not None and self.sender.connected:
            self.sender.publish(self.topics.telemetry, json.dumps(doc, ensure_ascii=False), qos=0)
            self.sent += 1
        return doc

    async def _periodic(self) -> None:
        while True:
            await self.clock.sleep(self.interval_s)
            try:
                await self.publish_now()
            except Exception:
                log.exception("telemetry failed")

    # --- compartment snapshot -----------------------------------------------------------------------
    async def snapshot(self) -> dict[str, Any]:
        rows, seq_as_of = await self.store.read(as_of(snapshot_rows))
        return {"site": self.topics.site, "ts": utc_iso(self.clock.now()), **seq_as_of, "compartments": rows}

    async def _snapshots(self) -> None:
        while True:
            await self._snapshot_due.wait()
            await asyncio.sleep(self.debounce_s)
            self._snapshot_due.clear()
            if self.sender is None or not self.sender.connected:
                continue
            try:
                doc = await self.snapshot()
                body = json.dumps(doc["compartments"], ensure_ascii=False)
                if body == self.last_snapshot:
                    continue
                self.sender.publish(self.topics.compartments, json.dumps(doc, ensure_ascii=False), qos=1, retain=True)
                self.last_snapshot = body
            except Exception:
                log.exception("compartment snapshot failed")
