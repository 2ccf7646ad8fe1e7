"""FastAPI app factory. Routes are thin: validate, call a service, shape the answer.

Every router is included here, by import, in this order (no discovery): a new router is one import and
one `include_router` line below.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from edge.errors import DomainError
from edge.tracking.providers import routes as tracking_push
from edge.web import apidocs, health, kiosk_api, kiosk_directory, kiosk_fast, metrics, sim_api
from edge.web.console import routes as console
from edge.web.console.page import refusal_page
from edge.web.shield import install as install_shield
from kiosk import pickup_page
from kiosk import web as kiosk_web

if TYPE_CHECKING:
    from edge.daemon import Daemon

log = logging.getLogger(__name__)


def _error(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    headers = {}
    if "retry_after" in extra:
        headers["Retry-After"] = str(extra["retry_after"])
    return JSONResponse({"error": code, "message": message, **extra}, status_code=status, headers=headers)


def _describe(errors: list[Any]) -> str:
    parts = []
    for e in errors[:5]:
        loc = ".".join(str(x) for x in e.get("loc", ()) if x != "body")
        parts.append(f"{loc or 'body'}: {e.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def create_app(daemon: Daemon) -> FastAPI:
    web = daemon.config.web
    docs_on = web.docs
    app = FastAPI(
        docs_url=None,  # FastAPI's Swagger UI loads from a CDN; edge.web.apidocs renders /docs itself
        redoc_url=None,
        openapi_url="/openapi.json" if docs_on else None,
        title="lockerd",
        version=daemon.version,
        description="Local HTTP API of a lockerd site: kiosk, staff console, simulator control.",
    )
    app.state.daemon = daemon

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        page = refusal_page(request, exc.code, exc.message, exc.status)  # a staff member's page view, in words
        return page or _error(exc.status, exc.code, exc.message, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, "invalid_request", _describe(list(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        codes = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized", 403: "forbidden"}
        detail = exc.detail if isinstance(exc.detail, str) else "request refused"
        code = codes.get(exc.status_code, "http_error")
        return refusal_page(request, code, detail, exc.status_code) or _error(exc.status_code, code, detail)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return _error(500, "internal_error", "something went wrong on the locker; staff have been told")

    app.include_router(health.router)
    app.include_router(kiosk_api.router)
    app.include_router(kiosk_directory.router)
    app.include_router(sim_api.router)
    app.include_router(kiosk_web.router)
    app.include_router(pickup_page.router)  # /p/<payload>: an SMS pickup link's QR page
    kiosk_fast.install(app, _error)  # the kiosk pickup without FastAPI's layers, inside the recorder (0039)
    metrics.setup(app)
    app.include_router(metrics.router)
    console.setup(app)
    app.include_router(console.router)
    app.include_router(tracking_push.router)
    if docs_on:
        app.include_router(apidocs.router)
    install_shield(app, web)  # outermost: added last
    return app


def end_live_streams(app: FastAPI) -> None:
    """End the kiosk's and the console's live streams (server-sent events) now. They never end by themselves,
    and the web server's shutdown waits for every open response: edge/runner.py calls this as it stops."""
    app.state.daemon.hub.close()
    feed = getattr(app.state, "console_feed", None)
    if feed is not None:
        feed.end_streams()
