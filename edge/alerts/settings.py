"""Settings of the staff alerts (`[alerts]` in the site config)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from edge.secret_files import SECRET_FILE, SECRET_INLINE


class RobotConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["wecom", "dingtalk", "json"] = Field(description="WeCom / DingTalk group robot, or plain JSON")
    url: str = Field(description="robot or endpoint URL (http:// or https://)")
    secret: str = Field("", repr=False, json_schema_extra=SECRET_INLINE,
                        description="DingTalk signing secret written inline (check-config warns: use secret_file)")
    secret_file: str = Field("", json_schema_extra=SECRET_FILE,
                             description="file holding the DingTalk signing secret (optional; mode 0600, wins over"
                                         " secret)")
    name: str = Field("", description="label used in logs")
    timeout_s: float = Field(5.0, gt=0, le=60, description="one request's time limit")


def _no_update() -> dict[str, float]:
    return {"normal": 48, "fresh": 12, "medicine": 12, "valuable": 24, "oversize": 48}


class AlertSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    robots: list[RobotConfig] = Field(default_factory=list, description="group robots; cloud.sync.webhooks too")
    no_update_h: dict[str, float] = Field(
        default_factory=_no_update, description="hours without a tracking update before an alert, per category")
    always_kinds: list[str] = Field(
        default_factory=lambda: ["delivery_failed", "delivered_not_here"],
        description="anomaly kinds that alert at any severity (red ones always do)")
    any_severity_categories: list[str] = Field(
        default_factory=lambda: ["fresh", "medicine"], description="categories whose yellow anomalies alert too")
    max_attempts: int = Field(8, ge=1, le=100, description="tries per alert before giving up")
    backoff_s: float = Field(1.0, gt=0, le=300, description="first wait between tries; doubles each try")
    tick_s: float = Field(60, gt=0, description="how often the no-update check runs (site clock)")
