"""Cloud sync's extra settings: `[cloud.sync]` of the site config (`CloudConfig.sync`, edge/config.py)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from edge.alerts.settings import RobotConfig

#: `[[cloud.sync.webhooks]]`, read before `[[alerts.robots]]` existed: the same table, one model
WebhookConfig = RobotConfig


class CloudSyncExtras(BaseModel):
    model_config = ConfigDict(extra="forbid")

    events_retention_days: float = Field(30, gt=0, description="keep published events this long (for resync)")
    inbox_retention_days: float = Field(30, gt=0, description="remember command ids this long")
    snapshot_debounce_s: float = Field(0.5, ge=0, le=30, description="changes this close together share one snapshot")
    reconnect_min_s: float = Field(1.0, gt=0, description="first wait before reconnecting; doubles each try")
    reconnect_max_s: float = Field(60.0, gt=0, description="longest wait before reconnecting")
    keepalive_s: int = Field(30, ge=5, le=600, description="MQTT keep-alive")
    webhooks: list[WebhookConfig] = Field(default_factory=list, description="staff alert robots")
    alert_max_attempts: int = Field(8, ge=1, le=100, description="tries per staff alert before giving up")
