"""Staff alerts as a daemon part (runs with cloud sync on or off), built by edge/daemon.py.

Robots come from `[alerts] robots` and, for configs written before, `cloud.sync.webhooks` (read even when
cloud sync is off). A robot's `secret_file` is read here, once (edge/secret_files.py).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from edge import hant
from edge.alerts.service import StaffAlerts
from edge.alerts.settings import RobotConfig
from edge.clock import Clock
from edge.config import SiteConfig
from edge.secret_files import secret_value
from edge.store.db import Store


def _with_secret(robot: RobotConfig, key: str, base: Path) -> RobotConfig:
    """The robot with its signing secret read from `secret_file` (an unreadable file: logged, unsigned)."""
    if not robot.secret_file:
        return robot
    return robot.model_copy(update={"secret": secret_value(robot.secret, robot.secret_file, key, base)})


def alert_lang(cfg: SiteConfig) -> str:
    """The staff's language for alerts: `site.locale` (zh-CN or en), and zh-HK (the Chinese converted at delivery,
    ADR 0050) at a Chinese-speaking site whose languages put 繁體 before 简体 (edge.hant.hk_first)."""
    locale = cfg.site.locale
    return hant.HK if locale.startswith("zh") and hant.hk_first(cfg.site.language_list()) else locale


class AlertsComponent:
    name = "alerts"

    def __init__(self, cfg: SiteConfig, store: Store, clock: Clock) -> None:
        settings = cfg.alerts
        base = Path(cfg.data_dir)
        robots = [_with_secret(r, f"alerts.robots[{r.name or i}].secret_file", base)
                  for i, r in enumerate(settings.robots)]
        robots += [_with_secret(w, f"cloud.sync.webhooks[{w.name or i}].secret_file", base)
                   for i, w in enumerate(cfg.cloud.sync.webhooks)]
        self.store = store
        self.service = StaffAlerts(store, clock, cfg.site.id, robots, settings=settings, lang=alert_lang(cfg))

    async def start(self) -> None:
        self.store.event_listeners.append(self.service.on_events)
        await self.service.start()

    async def stop(self) -> None:
        with contextlib.suppress(ValueError):
            self.store.event_listeners.remove(self.service.on_events)
        await self.service.stop()

    def status(self) -> dict[str, Any]:
        return self.service.status()
