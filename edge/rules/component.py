"""The rules as a daemon part: RulesComponent (service, engine, policies), built by edge/daemon.py.

The sweep runs once at boot (in the background, so a long catch-up after a power cut never delays
readiness) and then every `policy.sweep_interval_s` of the injected clock; `clock.sleep` wakes early when
the simulator moves the clock, so the rules follow simulated time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, Protocol

from edge.clock import Clock, sleep_or_wake, utc_iso
from edge.config import SiteConfig
from edge.hub import Hub
from edge.money import site_currency
from edge.rules.calendar import WorkCalendar
from edge.rules.clockguard import ClockGuard, clock_trusted
from edge.rules.engine import RulesEngine, SweepResult
from edge.rules.policy_service import PolicyService, migrate_old_currency
from edge.rules.removal import RemovalHandler
from edge.rules.service import RulesService
from edge.services.notifier import Notifier
from edge.store.db import Store, Tx

log = logging.getLogger(__name__)


class DoorOpener(Protocol):
    """What the rules need of the door service: open a door for a removal (edge.services.doors.DoorService)."""

    handlers: dict[str, Any]

    async def open(self, compartment: str, *, actor: str, reason: str, purpose: str = ..., ref: str | None = ...
                   ) -> Any: ...


def undated_waiting(tx: Tx) -> bool:
    """A "stored" message is waiting without a date (queued while the clock was not trusted)."""
    return tx.scalar("SELECT 1 FROM messages m JOIN parcels p ON p.id = m.parcel_id WHERE m.state = 'pending'"
                     " AND m.kind = 'stored' AND m.deadline IS NULL AND p.state = 'stored' LIMIT 1") is not None


class RulesComponent:
    name = "rules"

    def __init__(self, cfg: SiteConfig, store: Store, clock: Clock, hub: Hub | None, notifier: Notifier,
                 doors: DoorOpener) -> None:
        self.clock = clock
        self.store = store
        self.doors = doors
        self.calendar = WorkCalendar.for_site(cfg.site)
        notifier.desk_deadline = self.calendar.desk_deadline
        self.policies = PolicyService(store, cfg.policy)
        self.engine = RulesEngine(store, self.policies.current, self.calendar, notifier, site_name=cfg.site.name,
                                  desk=(cfg.site.desk_place, cfg.site.desk_place_en, cfg.site.desk_hours,
                                        cfg.site.contact),
                                  policy_since=self.policies.since)
        self.service = RulesService(store, self.policies, self.engine, open_door=self._open_for_removal)
        # a locker parcel is moved or disposed of once its door has been seen open, not at the command
        doors.handlers["removal"] = RemovalHandler(self.service, doors.handlers["removal"])
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self.last_sweep: str | None = None
        self.last_result: SweepResult | None = None
        self.failures = 0
        #: no sweep on an unsynchronised clock; clock steps re-base stored_at and lockouts first
        self.guard = ClockGuard(clock, store, hub)
        self.skipped = 0

    async def _open_for_removal(self, compartment: str, actor: str, reason: str, parcel_id: str) -> None:
        await self.doors.open(compartment, actor=actor, reason=reason, purpose="removal", ref=parcel_id)

    async def start(self) -> None:
        country = site_currency("", self.calendar.code)  # a policy stored before fix40 said CNY everywhere
        await self.store.write(lambda tx: migrate_old_currency(tx, country))
        await self.policies.load()
        await self.guard.start()
        self.policies.listeners.append(lambda _p: self.wake())
        self._task = asyncio.create_task(self._loop(), name="rules-sweep")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.guard.stop()

    def wake(self) -> None:
        """Run a sweep now (after a policy change, or from the simulator)."""
        self._wake.set()

    async def sweep(self) -> SweepResult:
        await self.guard.check()  # a step is re-based before any deadline is looked at
        if not self.guard.rules_allowed():
            self.skipped += 1
            return SweepResult()
        if await self.store.read(undated_waiting):  # held for a date a template needs (notifier.date_pending)
            notifier = self.engine.notifier
            await self.store.write(lambda tx: notifier.date_pending(tx) if clock_trusted(tx) else 0)
        result = await self.engine.sweep()
        self.last_sweep = utc_iso(self.clock.now())
        self.last_result = result
        return result

    async def _loop(self) -> None:
        while True:
            try:
                await self.sweep()
                if self.failures:
                    log.info("rules sweep recovered after %s failure(s)", self.failures)
                self.failures = 0
            except asyncio.CancelledError:
                raise
            except Exception:
                self.failures += 1
                if self.failures == 1:
                    log.exception("rules sweep failed; retrying every interval")
            self._wake.clear()
            await sleep_or_wake(self.clock, self.policies.current().sweep_interval_s, self._wake)

    def status(self) -> dict[str, Any]:
        r = self.last_result
        year = self.calendar.local(self.clock.now()).year
        return {
            "calendar": self.calendar.code or "none",
            "calendar_covers": {str(y): self.calendar.covers(y) for y in (year, year + 1)},
            "last_sweep": self.last_sweep,
            "last_actions": dict(r.actions) if r else {},
            "failures": self.failures,
            "policy_version": self.policies.current().version,
            "clock": self.guard.status(),
            "sweeps_skipped": self.skipped,
        }
