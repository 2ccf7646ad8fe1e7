"""Building blocks of the driver options models (``[banks.options]``): pydantic only, no hardware.

Each driver declares its options as one model (``class KerongOptions(DriverOptions)``) in its own
module; the registry (drivers/registry.py) names it, ``lockerd check-config`` validates a bank's
options against it (unknown keys refused, the key named) and the driver reads its ``known_options``
from the model's fields, so the list of keys is written once.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError


def _int0(value: Any) -> Any:
    """Numbers may be written as TOML integers or as strings in any base ("0x51")."""
    if isinstance(value, bool):
        raise ValueError("must be a number, not true/false")
    if isinstance(value, str):
        try:
            return int(value, 0)
        except ValueError:
            raise ValueError(f"must be a number, got {value!r}") from None
    return value


#: an integer option that also accepts "0x61"-style strings, never a boolean
IntOption = Annotated[int, BeforeValidator(_int0)]
#: a 0-or-1 option (a bit's meaning), written as 0/1 or "0"/"1"
BitOption = Annotated[Literal[0, 1], BeforeValidator(_int0)]


class DriverOptions(BaseModel):
    """Base of every driver's options model: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class AnyOptions(BaseModel):
    """Options of a driver that reads none (the in-process simulator keeps a profile's options)."""

    model_config = ConfigDict(extra="ignore", frozen=True)


def option_problems(model: type[BaseModel], options: dict[str, Any]) -> list[tuple[str, str]]:
    """(option key, reason) for every problem of `options` against `model`; [] when they fit."""
    try:
        model.model_validate(options)
    except ValidationError as exc:
        known = ", ".join(sorted(model.model_fields))
        out: list[tuple[str, str]] = []
        unknown = sorted(str(e["loc"][0]) for e in exc.errors() if e["type"] == "extra_forbidden" and e["loc"])
        if unknown:
            out.append((unknown[0], f"unknown option(s) {', '.join(unknown)}; known: {known}"))
        for e in exc.errors():
            if e["type"] == "extra_forbidden":
                continue
            key = ".".join(str(x) for x in e["loc"]) or ""
            out.append((key, f"option {key}: {e['msg'].removeprefix('Value error, ')}"))
        return out
    return []
