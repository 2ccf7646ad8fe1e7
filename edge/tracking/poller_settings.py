"""Settings of the optional direct provider poller (edge/tracking/poller.py)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from edge.secret_files import SECRET_FILE, SECRET_INLINE, secret_value


class PollerSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = False
    provider: str = Field("kuaidi100", description="kuaidi100, kdniao or 17track")
    url: str = Field("https://poll.kuaidi100.com/poll/query.do",
                     description="the provider's query address (left at the default: each provider's own)")
    customer: str = Field("", description="Kuaidi100 customer, or the Kdniao EBusinessID")
    key: str = Field("", repr=False, json_schema_extra=SECRET_INLINE,
                     description="the aggregator's secret key written inline (check-config warns: use key_file)")
    key_file: str = Field("", json_schema_extra=SECRET_FILE,
                          description="file holding the aggregator's secret key (mode 0600, wins over key)")
    interval_s: float = Field(300, gt=0, description="how often the poller looks for waybills to ask about")
    min_interval_s: float = Field(1800, ge=1800, description="never the same waybill more often than this")
    max_per_tick: int = Field(50, gt=0, description="waybills asked about per pass at most")
    max_per_minute: float = Field(60, gt=0, description="requests to the provider per minute at most (its rate limit)")
    timeout_s: float = Field(10, gt=0, description="one request's time limit")

    def secret(self) -> str:
        """The secret key: from key_file when one is named, else the inline key (never logged)."""
        return secret_value(self.key, self.key_file, "tracking.poller.key_file")
