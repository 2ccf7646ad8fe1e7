"""Tracking as a daemon part: TrackingComponent with `.service` (TrackingService), built by edge/daemon.py.

At start it follows the expected parcels already registered, then sweeps due waybills every
`settings.tick_seconds` of the injected clock (`clock.sleep` wakes early when the simulator moves the
clock). It listens to committed parcel events: `parcel.expected` starts following a waybill; a parcel
stored, collected or returned at the site ends the carrier's part (its anomalies clear).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edge.clock import Clock, sleep_or_wake, utc_iso
from edge.config import SiteConfig, SiteInfo
from edge.errors import DomainError
from edge.services.notifier import Notifier
from edge.store.db import Store
from edge.tracking.poller import Poller, build_poller
from edge.tracking.providers.push import PushInbox
from edge.tracking.service import TrackingService
from edge.tracking.settings import TrackingSettings

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)


def load_settings(config: SiteConfig, data_dir: Path) -> TrackingSettings:
    """From `config.tracking` when the site config has such a section, else `<data_dir>/tracking.json`,
    else the defaults."""
    if config.tracking is not None:
        return TrackingSettings.model_validate(config.tracking.model_dump())
    path = data_dir / "tracking.json"
    if path.exists():
        return TrackingSettings.model_validate_json(path.read_text(encoding="utf-8"))
    return TrackingSettings()


#: what tracking needs of the parcel service: register an expected parcel (ParcelService.expect)
ExpectParcel = Callable[..., Awaitable[dict[str, Any]]]


class TrackingComponent:
    name = "tracking"

    def __init__(self, site: SiteInfo, store: Store, clock: Clock, settings: TrackingSettings,
                 expect: ExpectParcel | None, data_dir: Path, notifier: Notifier | None = None) -> None:
        self.clock = clock
        self.store = store
        self.data_dir = data_dir
        self.settings = settings
        self.service = TrackingService(
            store, clock, self.settings, timezone=site.timezone,
            holiday_calendar=site.holiday_calendar, locale=site.locale,
            expect=expect, notifier=notifier,
        )
        self._task: asyncio.Task[None] | None = None
        self._pending: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self.last_sweep: str | None = None
        self.last_result: dict[str, int] = {}
        self.failures = 0
        self._next_purge: datetime | None = None
        self._loop_ref: asyncio.AbstractEventLoop | None = None
        self.poller: Poller | None = None
        self._poll_task: asyncio.Task[None] | None = None
        self._http: httpx.AsyncClient | None = None
        self.push_inbox = PushInbox(store, clock, self.service, self.settings.providers)

    async def start(self) -> None:
        # the start-up catch-up (expected parcels, parcels already here) runs in the loop task, so a large
        # backlog never delays readiness
        self._loop_ref = asyncio.get_running_loop()
        try:
            await self.service.load_labels(self.data_dir / "tracking_packs")
        except Exception:  # labels are an aid: a failure to load them must not stop the daemon
            log.warning("tracking: staff labels could not be loaded", exc_info=True)
        self.store.event_listeners.append(self._on_events)
        self._task = asyncio.create_task(self._loop(), name="tracking-sweep")
        await self.push_inbox.start()
        if self.settings.poller.enabled:
            self.poller, self._http = build_poller(self.service, self.store, self.clock, self.settings.poller)
            self._poll_task = asyncio.create_task(self._poll_loop(), name="tracking-poll")

    async def stop(self) -> None:
        with contextlib.suppress(ValueError):
            self.store.event_listeners.remove(self._on_events)
        for task in (self._poll_task, self._task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._task = self._poll_task = None
        await self.push_inbox.stop()
        if self._http is not None:
            await self._http.aclose()
            self._http = None
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)

    def wake(self) -> None:
        self._wake.set()

    async def _catch_up(self) -> None:
        rows = await self.store.read(lambda tx: tx.all(
            "SELECT p.id AS parcel_id, p.tracking_number, p.carrier, p.category, p.cross_border, p.expected_by"
            " FROM parcels p WHERE p.state = 'expected' AND NOT EXISTS"
            " (SELECT 1 FROM tracked t WHERE t.tracking_number = p.tracking_number)"))
        for i in range(0, len(rows), 500):
            await self.service.follow_many(rows[i:i + 500])
        await self.service.reconcile_sites()

    async def _follow(self, tn: str, parcel_id: str | None, p: dict[str, Any]) -> None:
        try:
            await self.service.follow(tn, carrier=p.get("carrier"), parcel_id=parcel_id,
                                      category=p.get("category") or "normal",
                                      cross_border=bool(p.get("cross_border")), expected_by=p.get("expected_by"))
        except DomainError as exc:
            log.info("not following %s: %s", tn, exc.message)
            return
        await self.push_inbox.adopt(tn)

    def _on_events(self, events: list[dict[str, Any]]) -> None:
        """Store listener: runs on the loop after an async write, or on another thread after write_sync."""
        work = [(t, d) for t, d in self.service.on_store_events(events) if isinstance(d.get("tracking_number"), str)]
        if not work or self._loop_ref is None:
            return
        try:
            on_loop = asyncio.get_running_loop() is self._loop_ref
        except RuntimeError:
            on_loop = False
        if on_loop:
            self._schedule(work)
        else:
            self._loop_ref.call_soon_threadsafe(self._schedule, work)

    def _schedule(self, work: list[tuple[str, dict[str, Any]]]) -> None:
        for type_, data in work:
            tn = data["tracking_number"]
            if type_ == "parcel.expected":
                coro = self._follow(tn, data.get("parcel_id"), data)
            else:
                coro = self._reached(tn, data.get("parcel_id"))
            task = asyncio.get_running_loop().create_task(self._guard(coro, type_))
            self._pending.add(task)
            task.add_done_callback(self._pending.discard)

    async def _reached(self, tn: str, parcel_id: str | None) -> None:
        await self.service.parcel_reached_site(tn, parcel_id)
        await self.push_inbox.adopt(tn)

    async def _guard(self, coro: Any, what: str) -> None:
        try:
            await coro
        except Exception:
            log.exception("tracking update after %s failed", what)

    async def _loop(self) -> None:
        caught_up = False
        while True:
            try:
                if not caught_up:
                    await self._catch_up()
                    caught_up = True
                self.last_result = await self.service.sweep()
                self.last_sweep = utc_iso(self.clock.now())
                if self._next_purge is None or self.clock.now() >= self._next_purge:
                    self._next_purge = self.clock.now() + timedelta(days=1)
                    purged = await self.service.purge(self.settings.retention_days)
                    if purged["waybills"]:
                        log.info("tracking retention: forgot %s finished waybills", purged["waybills"])
                if self.failures:
                    log.info("tracking sweep recovered after %s failure(s)", self.failures)
                self.failures = 0
            except asyncio.CancelledError:
                raise
            except Exception:
                self.failures += 1
                if self.failures == 1:
                    log.exception("tracking sweep failed; retrying every tick")
            self._wake.clear()
            await sleep_or_wake(self.clock, self.settings.tick_seconds, self._wake)

    async def _poll_loop(self) -> None:
        poller = self.poller
        assert poller is not None  # started only after build_poller
        while True:
            try:
                await poller.poll_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("tracking poll failed")
            await self.clock.sleep(self.settings.poller.interval_s)

    def status(self) -> dict[str, Any]:
        return {"last_sweep": self.last_sweep, "last_result": self.last_result, "failures": self.failures}
