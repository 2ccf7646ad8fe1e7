"""GET /healthz: 200 once ready, 503 before or while a required part is down."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Readiness and the state of each part")
async def healthz(request: Request) -> JSONResponse:
    d = request.app.state.daemon
    body = d.health()
    return JSONResponse(body, status_code=200 if body["status"] == "ok" else 503)
