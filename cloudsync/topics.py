"""Topic names of the MQTT contract (DESIGN.md section 4) and the broker URL parser."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

ROOT = "lockerd/v1"
#: HQ's own retained presence {"online", "ts"} (section 4); its Will says offline
HQ_STATUS = ROOT + "/hq/status"


@dataclass(frozen=True)
class Topics:
    site: str

    @property
    def base(self) -> str:
        return f"{ROOT}/{self.site}"

    @property
    def status(self) -> str:
        return self.base + "/status"

    @property
    def events(self) -> str:
        return self.base + "/events"

    @property
    def compartments(self) -> str:
        return self.base + "/state/compartments"

    @property
    def telemetry(self) -> str:
        return self.base + "/telemetry"

    @property
    def cmd(self) -> str:
        return self.base + "/cmd"

    @property
    def cmd_result(self) -> str:
        return self.base + "/cmd/result"

    @property
    def tracking(self) -> str:
        return self.base + "/tracking"


@dataclass(frozen=True)
class BrokerUrl:
    host: str
    port: int
    tls: bool
    username: str | None = None
    password: str | None = None


def parse_broker_url(url: str) -> BrokerUrl:
    """`mqtt://host[:1883]` or `mqtts://host[:8883]`, optionally with user:password@."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("mqtt", "mqtts"):
        raise ValueError(f"broker URL {url!r}: scheme must be mqtt:// or mqtts://")
    if not parts.hostname:
        raise ValueError(f"broker URL {url!r} has no host")
    tls = parts.scheme == "mqtts"
    try:
        port = parts.port or (8883 if tls else 1883)
    except ValueError as exc:
        raise ValueError(f"broker URL {url!r}: bad port") from exc
    return BrokerUrl(parts.hostname, port, tls, parts.username, parts.password)
