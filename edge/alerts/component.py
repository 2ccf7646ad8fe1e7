"""Staff alerts as a daemon component (runs with cloud sync on or off): `create(daemon)`.

Robots come from `[alerts] robots` and, for configs written before, `cloud.sync.webhooks` (read even when
cloud sync is off).
"""

from __future__ import annotations

import contextlib
from typing import Any

from edge.alerts.service import StaffAlerts
from edge.alerts.settings import AlertSettings


def settings_of(config: Any) -> AlertSettings:
    value = getattr(config, "alerts", None)
    return value if isinstance(value, AlertSettings) else AlertSettings()


class AlertsComponent:
    name = "alerts"

    def __init__(self, daemon: Any) -> None:
        cfg = daemon.config
        settings = settings_of(cfg)
        legacy = list(getattr(getattr(cfg.cloud, "sync", None), "webhooks", []) or [])
        self.store = daemon.store
        self.service = StaffAlerts(daemon.store, daemon.clock, cfg.site.id, [*settings.robots, *legacy],
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


def create(daemon: Any) -> AlertsComponent:
    return AlertsComponent(daemon)
