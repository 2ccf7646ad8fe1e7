"""Shared FastAPI dependencies."""

from __future__ import annotations

from fastapi import Request

from edge.daemon import Daemon
from edge.errors import DomainError
from edge.services import Services
from edge.web.kiosk_identity import identify


def daemon(request: Request) -> Daemon:
    d: Daemon = request.app.state.daemon
    return d


def services(request: Request) -> Services:
    d = daemon(request)
    if d.services is None or not d.ready:
        raise DomainError("not_ready", "the locker is starting; try again in a moment", status=503)
    return d.services


async def services_dep(request: Request) -> Services:
    """``services`` as a FastAPI dependency: ``async`` so FastAPI calls it on the loop. A plain ``def``
    dependency runs in the threadpool, two thread hops per request on the pickup path (issue 18)."""
    return services(request)


async def kiosk_dep(request: Request) -> str:
    """``kiosk_id`` as a FastAPI dependency, on the loop (see ``services_dep``)."""
    return kiosk_id(request)


def kiosk_id(request: Request) -> str:
    """The kiosk behind a request, by how it connects (edge/web/kiosk_identity.py); 403 for anyone else."""
    kiosk = identify(request)
    if kiosk is None:
        raise DomainError("kiosk_unknown", "this device is not one of the site's kiosks", status=403)
    return kiosk
