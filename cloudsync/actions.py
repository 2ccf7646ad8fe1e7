"""What each HQ command type does: validate its data, then call the same services the kiosk and the
console use. A service refusal (`DomainError`) becomes a result with ok false and the service's code."""

from __future__ import annotations

import dataclasses
import inspect
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from edge.clock import parse_iso
from edge.domain.vocab import CATEGORIES as CATEGORIES  # defined once (edge/domain/vocab.py)
from edge.errors import DomainError

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any], dict[str, Any]], Awaitable[Any]]



def invalid(message: str) -> DomainError:
    return DomainError("invalid", message)


def text(data: dict[str, Any], key: str, *, required: bool = True, max_len: int = 200) -> str | None:
    v = data.get(key)
    if v is None:
        if required:
            raise invalid(f"data.{key} is required")
        return None
    if not isinstance(v, str) or not v.strip() or len(v) > max_len:
        raise invalid(f"data.{key} must be a non-empty string of at most {max_len} characters")
    return v.strip()


def iso(data: dict[str, Any], key: str, *, required: bool = True) -> str | None:
    v = text(data, key, required=required, max_len=64)
    if v is None:
        return None
    try:
        parse_iso(v)
    except ValueError as exc:
        raise invalid(f"data.{key}: {exc}") from None
    return v


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


async def call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    out = fn(*args, **kwargs)
    if inspect.isawaitable(out):
        out = await out
    return out


class Actions:
    """The command table. `publisher` (resync) and `telemetry` (telemetry.now) come from cloudsync."""

    def __init__(self, daemon: Any, *, resync: Callable[..., Awaitable[dict[str, Any]]],
                 telemetry_now: Callable[[], Awaitable[dict[str, Any]]]) -> None:
        self.daemon = daemon
        self._resync = resync
        self._telemetry_now = telemetry_now
        self.table: dict[str, Handler] = {
            "door.open": self.door_open,
            "compartment.disable": self.compartment_disable,
            "compartment.enable": self.compartment_enable,
            "parcel.expect": self.parcel_expect,
            "parcel.hold": self.parcel_hold,
            "policy.set": self.policy_set,
            "resync": self.resync,
            "telemetry.now": self.telemetry_now,
        }
        from edge.services.directory_cmds import commands as directory_commands

        self.table.update(directory_commands(daemon))

    @property
    def services(self) -> Any:
        return self.daemon.services

    def _component_service(self, name: str) -> Any:
        comp = (getattr(self.daemon, "components", None) or {}).get(name)
        return getattr(comp, "service", None) if comp is not None else None

    @staticmethod
    def actor(data: dict[str, Any]) -> str:
        op = data.get("operator")
        return "hq:" + op.strip()[:64] if isinstance(op, str) and op.strip() else "hq"

    async def run(self, type_: str, data: dict[str, Any], cmd: dict[str, Any]) -> Any:
        handler = self.table[type_]
        return jsonable(await handler(data, cmd))

    # --- handlers -------------------------------------------------------------------------------
    async def door_open(self, data: dict[str, Any], cmd: dict[str, Any]) -> Any:
        compartment = text(data, "compartment", max_len=16)
        reason = text(data, "reason", max_len=500)
        operator = text(data, "operator", max_len=64)
        return await call(self.services.doors.open, compartment, actor="hq:" + str(operator),
                          reason=reason, purpose="remote")

    async def compartment_disable(self, data: dict[str, Any], cmd: dict[str, Any]) -> Any:
        compartment = text(data, "compartment", max_len=16)
        reason = text(data, "reason", max_len=500)
        return await call(self.services.compartments.disable, compartment, actor=self.actor(data), reason=reason)

    async def compartment_enable(self, data: dict[str, Any], cmd: dict[str, Any]) -> Any:
        compartment = text(data, "compartment", max_len=16)
        reason = text(data, "reason", max_len=500)
        return await call(self.services.compartments.enable, compartment, actor=self.actor(data), reason=reason)

    async def parcel_expect(self, data: dict[str, Any], cmd: dict[str, Any]) -> Any:
        category = text(data, "category", required=False, max_len=16) or "normal"
        if category not in CATEGORIES:
            raise invalid(f"data.category must be one of {', '.join(CATEGORIES)}")
        cross_border = data.get("cross_border", False)
        if not isinstance(cross_border, bool):
            raise invalid("data.cross_border must be true or false")
        return await call(
            self.services.parcels.expect,
            tracking_number=text(data, "tracking_number", max_len=64),
            unit=text(data, "unit", max_len=32),
            carrier=text(data, "carrier", required=False, max_len=32),
            phone_tail=text(data, "phone_tail", required=False, max_len=8),
            category=category,
            expected_by=iso(data, "expected_by", required=False),
            cross_border=cross_border,
            actor=self.actor(data),
            source="mqtt",
        )

    async def parcel_hold(self, data: dict[str, Any], cmd: dict[str, Any]) -> Any:
        ref = text(data, "parcel_id", required=False, max_len=64) or text(
            data, "tracking_number", required=False, max_len=64)
        if ref is None:
            raise invalid("data.parcel_id or data.tracking_number is required")
        until = iso(data, "until")
        # the one hold (edge/services/lifecycle.py, decision 0016), whether or not the rules part runs
        return await call(self.services.parcels.hold, ref, until, actor=self.actor(data))

    async def policy_set(self, data: dict[str, Any], cmd: dict[str, Any]) -> Any:
        if not isinstance(data.get("version"), int):
            raise invalid("data.version (an integer) is required: policy documents are versioned")
        rules = self._component_service("rules")
        if rules is None or not hasattr(rules, "set_policy"):
            raise DomainError("unavailable", "the rules component is not running on this site", status=503)
        return await call(rules.set_policy, data, self.actor(data))

    async def resync(self, data: dict[str, Any], cmd: dict[str, Any]) -> Any:
        from_seq, to_seq, stream = data.get("from_seq"), data.get("to_seq"), data.get("stream")
        if not isinstance(from_seq, int) or isinstance(from_seq, bool) or from_seq < 1:
            raise invalid("data.from_seq must be an integer >= 1")
        if to_seq is not None and (not isinstance(to_seq, int) or isinstance(to_seq, bool) or to_seq < from_seq):
            raise invalid("data.to_seq must be an integer >= from_seq")
        if stream is not None and (not isinstance(stream, str) or not stream or len(stream) > 64):
            raise invalid("data.stream must be a stream name")
        out = await self._resync(from_seq, to_seq, stream)
        if out.get("unknown_stream"):
            raise DomainError("unknown_stream", "this site has no events of that stream (a new database?)")
        return out

    async def telemetry_now(self, data: dict[str, Any], cmd: dict[str, Any]) -> Any:
        return await self._telemetry_now()
