"""Cost of the outermost request checks (edge/web/shield.py) per request, against the same app without
them, measured in the same run: direct ASGI calls (no sockets), rounds interleaved to share the noise.

    .venv/bin/python benchmarks/bench_shield.py [--requests 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from edge.web.shield import Shield

BODY = json.dumps({"code": "1234567890"}).encode()


async def pickup(request: Request) -> JSONResponse:
    return JSONResponse({"got": len(await request.body())})


def scope() -> dict[str, Any]:
    return {"type": "http", "method": "POST", "path": "/api/v1/kiosk/pickup", "raw_path": b"/api/v1/kiosk/pickup",
            "query_string": b"", "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8080), "scheme": "http",
            "http_version": "1.1", "root_path": "",
            "headers": [(b"host", b"127.0.0.1:8080"), (b"content-type", b"application/json"),
                        (b"content-length", str(len(BODY)).encode())]}


async def run(app: Any, n: int) -> float:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": BODY, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        return None

    t0 = time.perf_counter()
    for _ in range(n):
        await app(scope(), receive, send)
    return (time.perf_counter() - t0) / n * 1e6


async def main(n: int, rounds: int) -> None:
    inner = Starlette(routes=[Route("/api/v1/kiosk/pickup", pickup, methods=["POST"])])
    shielded = Shield(inner)
    await run(inner, 500)
    await run(shielded, 500)
    base, guarded = [], []
    for _ in range(rounds):
        base.append(await run(inner, n // rounds))
        guarded.append(await run(shielded, n // rounds))
    b, g = statistics.median(base), statistics.median(guarded)
    print(f"request through the app alone: {b:.1f} us; with the shield: {g:.1f} us;"
          f" shield cost {g - b:.1f} us per request; ratio {g / b:.2f}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=10)
    args = ap.parse_args()
    asyncio.run(main(args.requests, args.rounds))
