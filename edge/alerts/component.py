"""Staff alerts as a daemon part (runs with cloud sync on or off), built by edge/daemon.py.

Robots come from `[alerts] robots` and, for configs written before, `cloud.sync.webhooks` (read even when
cloud sync is off).
"""

from __future__ import annotations

import contextlib
from typing import Any

from edge.alerts.service import StaffAlerts
from edge.clock import Clock
from edge.config import SiteConfig
from edge.store.db import Store


class AlertsComponent:
    name = "alerts"

    def __init__(self, cfg: SiteConfig, store: Store, clock: Clock) -> None:
        settings = cfg.alerts
        legacy = list(cfg.cloud.sync.webhooks)
        self.store = store
        self.service = StaffAlerts(store, clock, cfg.site.id, [*settings.robots, *legacy],
                                   settings=settings, lang=cfg.site.locale)

    async def start(self) -> None:
        self.store.event_listeners.append(self.service.on_events)
        await self.service.start()

    async def stop(self) -> None:
        with contextlib.suppress(ValueError):
            self.store.event_listeners.remove(self.service.on_events)
        await self.service.stop()

    def status(self) -> dict[str, Any]:
        return self.service.status()
