"""Shared FastAPI dependencies."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from edge.errors import DomainError
from edge.services import Services


def daemon(request: Request) -> Any:
    return request.app.state.daemon


def services(request: Request) -> Services:
    d = request.app.state.daemon
    if d.services is None or not d.ready:
        raise DomainError("not_ready", "the locker is starting; try again in a moment", status=503)
    return d.services


def kiosk_id(request: Request) -> str:
    raw = request.headers.get("x-kiosk-id", "kiosk-1")
    cleaned = "".join(ch for ch in raw if ch.isalnum() or ch in "-_")[:32]
    return cleaned or "kiosk-1"
