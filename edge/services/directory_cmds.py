"""The directory's MQTT commands (`courier.upsert`, `unit.upsert`, `unit.remove`): typed inputs (the
pydantic models of edge/services/unit_rows.py, unknown fields refused) calling the directory service.
cloudsync/actions.py adds these to its command table; docs/schemas/cmd.json is generated from the models."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from edge.errors import DomainError
from edge.services.unit_rows import CourierUpsert, UnitIn, UnitRemove, describe_errors

if TYPE_CHECKING:
    from edge.daemon import Daemon
    from edge.services.directory import DirectoryService

MODELS: dict[str, type[BaseModel]] = {"courier.upsert": CourierUpsert, "unit.upsert": UnitIn, "unit.remove": UnitRemove}


def parse(type_: str, data: dict[str, Any]) -> Any:
    try:
        return MODELS[type_].model_validate(data)
    except ValidationError as exc:
        raise DomainError("invalid", "data: " + describe_errors(exc)) from None


def _actor(cmd: dict[str, Any]) -> str:
    return "hq:" + str(cmd.get("id") or "")[:64]


def commands(daemon: Daemon) -> dict[str, Callable[[dict[str, Any], dict[str, Any]], Awaitable[Any]]]:
    def svc() -> DirectoryService:
        return daemon.require_services().directory

    async def courier_upsert(data: dict[str, Any], cmd: dict[str, Any]) -> Any:
        return await svc().courier_upsert(parse("courier.upsert", data), _actor(cmd))

    async def unit_upsert(data: dict[str, Any], cmd: dict[str, Any]) -> Any:
        return await svc().unit_upsert(parse("unit.upsert", data), _actor(cmd), source="mqtt")

    async def unit_remove(data: dict[str, Any], cmd: dict[str, Any]) -> Any:
        return await svc().unit_remove(parse("unit.remove", data).unit, _actor(cmd))

    return {"courier.upsert": courier_upsert, "unit.upsert": unit_upsert, "unit.remove": unit_remove}


def schemas() -> dict[str, dict[str, Any]]:
    """JSON Schema of each command's data (for docs/schemas/cmd.json)."""
    return {name: model.model_json_schema() for name, model in MODELS.items()}
