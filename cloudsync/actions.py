"""The MQTT command table: a thin adapter over the operation registry (edge/operations/registry.py).

A command's `data` is parsed into its operation's model (a bad one is refused `invalid`, naming the
field) and the operation calls the same service the kiosk and the console use; a service refusal
(`DomainError`) becomes a result with ok false and the service's code. The path from a command type to
the service method is followable by imports and types: `COMMANDS[type_]` -> `Operation.run` ->
`Targets.services.<service>.<method>`."""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from edge.errors import DomainError
from edge.operations import COMMANDS, Caller, Operation, Targets

if TYPE_CHECKING:
    from edge.daemon import Daemon

log = logging.getLogger(__name__)

Resync = Callable[[int, int | None, str | None], Awaitable[dict[str, Any]]]


def jsonable(value: Any) -> Any:
    """A service's return value as JSON data for the result."""
    if value is None:
        return None
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    try:
        return json.loads(json.dumps(value, ensure_ascii=False, default=str))
    except (TypeError, ValueError):
        return {"value": str(value)}


class Actions:
    """The command table. `resync` (the publisher) and `telemetry_now` come from cloudsync; they are the
    FeedPort of the `resync` and `telemetry.now` operations."""

    def __init__(self, daemon: Daemon, *, resync: Resync,
                 telemetry_now: Callable[[], Awaitable[dict[str, Any]]]) -> None:
        self.daemon = daemon
        self._resync = resync
        self._telemetry_now = telemetry_now
        self.table: dict[str, Operation[Any]] = dict(COMMANDS)

    # --- FeedPort ------------------------------------------------------------------------------------
    async def resync(self, from_seq: int, to_seq: int | None, stream: str | None, /) -> dict[str, Any]:
        return await self._resync(from_seq, to_seq, stream)

    async def telemetry_now(self) -> dict[str, Any]:
        return await self._telemetry_now()

    # --- the adapter ----------------------------------------------------------------------------------
    def targets(self) -> Targets:
        """The composition root's parts: the services, the rules part (required), and this table's feed."""
        if self.daemon.services is None:
            raise DomainError("unavailable", "the site's services are not running yet", status=503)
        return Targets(services=self.daemon.services, rules=self.daemon.rules.service, feed=self)

    @staticmethod
    def actor(data: dict[str, Any]) -> str:
        op = data.get("operator")
        return "hq:" + op.strip()[:64] if isinstance(op, str) and op.strip() else "hq"

    async def run(self, type_: str, data: dict[str, Any], cmd: dict[str, Any]) -> Any:
        op = self.table[type_]
        model = op.parse(data)  # before anything else: a bad payload is refused without touching a part
        return jsonable(await op.run(self.targets(), model, Caller(self.actor(data), "mqtt")))
