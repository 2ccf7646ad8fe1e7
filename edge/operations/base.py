"""An operation: a name, a strict pydantic input model, the service call, and its flags.

Each operation is defined once (edge/operations/registry.py); the MQTT command table, the kiosk routes
and the console forms are adapters that parse their input into `op.model` and call `op.run`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from edge.errors import DomainError
from edge.operations.targets import Targets

Channel = Literal["mqtt", "kiosk", "console"]
Role = Literal["admin", "staff"]
#: at most this many field errors are named in one refusal
MAX_ERRORS = 5


class OpModel(BaseModel):
    """Base of every operation's input: strict types (no "1" for 1, no 1 for true), text trimmed.
    Unknown fields are ignored unless a model forbids them (the commands before the directory ignored
    them, and the contract keeps that)."""

    model_config = ConfigDict(strict=True, str_strip_whitespace=True, extra="ignore")


@dataclass(frozen=True)
class Caller:
    """Who runs an operation, through which adapter. `courier` and `kiosk` only for kiosk operations."""

    actor: str
    source: Channel
    courier: dict[str, Any] | None = None
    kiosk: str | None = None


M = TypeVar("M", bound=BaseModel)
Run = Callable[[Targets, M, Caller], Awaitable[Any]]


def explain(exc: ValidationError, prefix: str = "data") -> str:
    """A pydantic error as one line for a refusal: `data.until is required; data.category: ...`."""
    parts = []
    for err in exc.errors()[:MAX_ERRORS]:
        path = [str(x) for x in err.get("loc", ())]
        loc = ".".join([prefix, *path] if prefix else path) or "input"
        kind = err.get("type")
        if kind == "missing":
            parts.append(f"{loc} is required")
            continue
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        if not path and prefix and msg.startswith(prefix + "."):  # a model check that names its fields itself
            parts.append(msg)
            continue
        parts.append(f"{loc}: {'unknown field' if kind == 'extra_forbidden' else msg}")
    return "; ".join(parts) or f"{prefix}: invalid"


@dataclass(frozen=True)
class Operation(Generic[M]):
    name: str
    model: type[M]
    run: Run[M]
    summary: str
    #: refused while the site clock is not synchronised (MQTT: `clock_unsynchronised`)
    time_sensitive: bool = False
    #: a person confirms it on a second screen before it runs (console: doors)
    confirm: bool = False
    #: staff roles that may run it from the console
    roles: tuple[Role, ...] = ("admin", "staff")
    channels: frozenset[Channel] = field(default_factory=lambda: frozenset({"mqtt"}))
    #: what the result's `data` holds (documentation)
    result: str = ""
    #: a valid input (documentation: the AsyncAPI examples; tests parse it)
    example: Mapping[str, Any] = field(default_factory=dict)

    def parse(self, data: Mapping[str, Any] | BaseModel, prefix: str = "data") -> M:
        """The input as the operation's model; a bad input is a `DomainError("invalid")` naming the field
        (`data.until` for a command; the console passes `prefix=""`), never a crash."""
        try:
            if isinstance(data, BaseModel):
                data = data.model_dump(exclude_unset=True)
            return self.model.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors()
            loc = errors[0]["loc"] if errors else ()
            raise DomainError("invalid", explain(exc, prefix), field=str(loc[0]) if loc else "",
                              missing=bool(errors) and errors[0]["type"] == "missing") from None
        except (TypeError, ValueError, RecursionError) as exc:  # a validator's own error, malformed input
            raise DomainError("invalid", f"{prefix or 'input'}: {str(exc)[:200]}") from None

    async def __call__(self, targets: Targets, data: Mapping[str, Any], caller: Caller) -> Any:
        return await self.run(targets, self.parse(data), caller)
