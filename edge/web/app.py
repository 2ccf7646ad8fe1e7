"""FastAPI app factory. Routes are thin: validate, call a service, shape the answer."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from edge.errors import DomainError
from edge.plugins import import_optional
from edge.web import apidocs
from edge.web.shield import install as install_shield

log = logging.getLogger(__name__)

#: routers included in this order; a module that is not there is skipped
ROUTER_MODULES = [
    "edge.web.health",
    "edge.web.kiosk_api",
    "edge.web.kiosk_directory",
    "edge.web.sim_api",
    "kiosk.web",
    "edge.web.metrics",
    "edge.web.console.routes",
    "edge.tracking.providers.routes",
]


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


def create_app(daemon: Any) -> FastAPI:
    web = getattr(daemon.config, "web", None)
    docs_on = web is None or web.docs
    app = FastAPI(
        docs_url=None,  # FastAPI's Swagger UI loads from a CDN; edge.web.apidocs renders /docs itself
        redoc_url=None,
        openapi_url="/openapi.json" if docs_on else None,
        title="lockerd",
        version=getattr(daemon, "version", "0"),
        description="Local HTTP API of a lockerd site: kiosk, staff console, simulator control.",
    )
    app.state.daemon = daemon

    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, "invalid_request", _describe(list(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized", 403: "forbidden"}
        detail = exc.detail if isinstance(exc.detail, str) else "request refused"
        return _error(exc.status_code, codes.get(exc.status_code, "http_error"), detail)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return _error(500, "internal_error", "something went wrong on the locker; staff have been told")

    for name in ROUTER_MODULES:
        try:
            module = import_optional(name)
        except Exception:
            log.warning("web module %s failed to import", name, exc_info=True)
            continue
        if module is None:
            continue
        setup = getattr(module, "setup", None)
        if callable(setup):
            setup(app, daemon)
        router = getattr(module, "router", None)
        if router is not None:
            app.include_router(router)
    if docs_on:
        app.include_router(apidocs.router)
    install_shield(app, web)  # outermost: added last
    return app
