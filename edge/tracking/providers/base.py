"""What every provider module gives the push inbox: the waybills and events in one push."""

from __future__ import annotations

from typing import Any, NamedTuple


class PushError(ValueError):
    """A push that cannot be read (bad form, bad JSON, missing fields): refused with a clear answer."""


class PushItem(NamedTuple):
    tracking_number: str
    carrier: str | None  # lockerd carrier code when known, else the provider's company code
    events: list[dict[str, Any]]  # {time, text, location?, code?} as TrackingService.ingest takes them


def text_of(value: Any, limit: int = 1000) -> str:
    return str(value).strip()[:limit] if value not in (None, "") else ""
