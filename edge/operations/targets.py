"""What an operation may call: the services (always) and the optional parts, each by a small Protocol.

The adapters (MQTT command table, kiosk routes, console forms) build one `Targets` from what the
daemon has running; an operation reaches a service only through it, so the path from a command to the
service method it calls is typed end to end."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from edge.services import Services


class RulesPort(Protocol):
    """The rules part (edge/rules/service.py `RulesService`): the versioned policy document."""

    async def set_policy(self, doc: dict[str, Any], actor: str, source: str = ...) -> dict[str, Any]: ...


class FeedPort(Protocol):
    """Cloud sync's own operations (cloudsync/sync.py): events again, telemetry now."""

    async def resync(self, from_seq: int, to_seq: int | None, stream: str | None, /) -> dict[str, Any]: ...

    async def telemetry_now(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Targets:
    services: Services
    rules: RulesPort | None = None
    feed: FeedPort | None = None


if TYPE_CHECKING:  # mypy proves the rules part satisfies its port (a changed signature fails the build)
    from edge.rules.service import RulesService

    def _rules_port(r: RulesService) -> RulesPort:
        return r
