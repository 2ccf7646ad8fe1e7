"""Shared FastAPI dependencies."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from edge.errors import DomainError
from edge.services import Services
from edge.web.kiosk_identity import identify


def daemon(request: Request) -> Any:
    return request.app.state.daemon


def services(request: Request) -> Services:
    d = request.app.state.daemon
    if d.services is None or not d.ready:
        raise DomainError("not_ready", "the locker is starting; try again in a moment", status=503)
    return d.services


def kiosk_id(request: Request) -> str:
    """The kiosk behind a request, by how it connects (edge/web/kiosk_identity.py); 403 for anyone else."""
    kiosk = identify(request)
    if kiosk is None:
        raise DomainError("kiosk_unknown", "this device is not one of the site's kiosks", status=403)
    return kiosk
