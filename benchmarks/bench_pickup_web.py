"""The kiosk pickup's web layer alone, in process: ASGI call -> the service -> the answer's last byte.

The real app (``edge.web.app.create_app`` on a simulated daemon) is driven through its ASGI interface with
the same request the kiosk sends; ``PickupService.submit`` is replaced by a stub that returns a one-parcel
answer at once, so what is timed is everything the web layer does around the service (Shield, the latency
recorder, the console guard, routing, the body, validation, identity, the operation, the answer). The bare
FastAPI endpoint of ``bench_pickup.py`` is driven the same way. No sockets, no HTTP parsing (uvicorn's part is
the same for both), no disk: the figures are CPU on the loop thread and move little with the machine's load.

Per arm: ``before`` = ASGI call -> the service is called, ``after`` = the service returned -> the last body
byte sent, and the thread CPU per request. Arms are interleaved in blocks of 200 requests.

Run: .venv/bin/python benchmarks/bench_pickup_web.py [--n 4000] [--profile ARM]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "benchmarks"))

import bench_pickup  # noqa: E402  (the bare app's body model and the site config)

BODY = json.dumps({"code": "1234567890"}).encode()
STAMP: dict[str, float] = {}


def _scope(path: str = "/api/v1/kiosk/pickup") -> dict[str, Any]:
    return {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.4"}, "http_version": "1.1",
            "method": "POST", "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
            "root_path": "", "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8080),
            "headers": [(b"host", b"127.0.0.1:8080"), (b"x-kiosk-id", b"kiosk-1"),
                        (b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())],
            "state": {}}


async def _call(app: Any) -> tuple[int, bytes]:
    sent = False
    status = 0
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": BODY, "more_body": False}

    async def send(msg: dict[str, Any]) -> None:
        nonlocal status
        if msg["type"] == "http.response.start":
            status = msg["status"]
        elif msg["type"] == "http.response.body":
            chunks.append(msg.get("body", b""))
            if not msg.get("more_body"):
                STAMP["end"] = time.perf_counter()

    await app(_scope(), receive, send)
    return status, b"".join(chunks)


def _bare_app() -> Any:
    from fastapi import FastAPI

    app = FastAPI()

    @app.post("/api/v1/kiosk/pickup")
    async def pickup(body: bench_pickup.BarePickupIn) -> dict[str, Any]:
        STAMP["submit"] = time.perf_counter()
        out = {"parcels": [{"parcel_id": "0", "compartment": "A-001"}], "at_desk": 0, "message": None}
        STAMP["fired"] = time.perf_counter()
        return out

    return app


async def _measure(arms: dict[str, Any], n: int, profile: str | None) -> dict[str, dict[str, list[float]]]:
    out: dict[str, dict[str, list[float]]] = {a: {"before": [], "after": [], "cpu": [], "wall": []} for a in arms}
    for app in arms.values():  # warm-up
        for _ in range(200):
            await _call(app)
    prof = cProfile.Profile() if profile else None
    block = 200
    for _ in range(0, n, block):
        for name, app in arms.items():
            rec = out[name]
            if prof and name == profile:
                prof.enable()
            for _ in range(block):
                c0 = time.thread_time()
                t0 = time.perf_counter()
                status, raw = await _call(app)
                t1 = time.perf_counter()
                c1 = time.thread_time()
                if status != 200:
                    raise RuntimeError(f"{name}: {status} {raw[:200]!r}")
                rec["before"].append((STAMP["submit"] - t0) * 1e3)
                rec["after"].append((STAMP["end"] - STAMP["fired"]) * 1e3)
                rec["wall"].append((t1 - t0) * 1e3)
                rec["cpu"].append((c1 - c0) * 1e3)
            if prof and name == profile:
                prof.disable()
    if prof:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
    return out


def _pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))]


async def main_async(n: int, profile: str | None, arms_wanted: list[str]) -> None:
    from edge.clock import SimClock
    from edge.daemon import Daemon
    from edge.services.pickups import PickupService
    from edge.web.app import create_app

    with tempfile.TemporaryDirectory(prefix="lockerd-bench-web-") as tmp:
        data = Path(tmp)
        daemon = Daemon(bench_pickup._site_config(data), clock=SimClock(), data_dir=data, simulated=True)
        await daemon.start()
        try:
            async def submit(self: Any, code: str, *, kiosk: str = "kiosk") -> dict[str, Any]:
                STAMP["submit"] = time.perf_counter()
                out = {"parcels": [{"parcel_id": "0", "compartment": "A-001", "door": "opening"}], "at_desk": 0}
                STAMP["fired"] = time.perf_counter()
                return out

            PickupService.submit = submit  # type: ignore[method-assign]
            arms: dict[str, Any] = {"bare": _bare_app()}
            for name in arms_wanted:
                if name == "bare":
                    continue
                switch = bench_pickup.EXPERIMENTS.get(name)
                if switch is not None:
                    switch()
                arms[name] = create_app(daemon)
                if switch is not None and name in bench_pickup.UNDO:
                    bench_pickup.UNDO[name]()
            res = await _measure(arms, n, profile)
        finally:
            await daemon.stop()
    print(f"pickup web layer in process, {n} requests per arm, service stubbed; load average"
          f" {bench_pickup._loadavg()}")
    print(f"{'arm':<22}{'before p50':>11}{'p99':>8}{'after p50':>11}{'p99':>8}{'wall p50':>10}{'p99':>8}"
          f"{'CPU mean':>10}")
    for name, rec in res.items():
        print(f"{name:<22}{statistics.median(rec['before']):>11.3f}{_pct(rec['before'], 99):>8.3f}"
              f"{statistics.median(rec['after']):>11.3f}{_pct(rec['after'], 99):>8.3f}"
              f"{statistics.median(rec['wall']):>10.3f}{_pct(rec['wall'], 99):>8.3f}{statistics.mean(rec['cpu']):>10.3f}")
    print(json.dumps({"bench": "pickup_web", "n": n, "arms": {
        k: {m: round(statistics.median(v), 4) for m, v in rec.items()} for k, rec in res.items()}}))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=4000)
    ap.add_argument("--arms", default="bare,lockerd,route-pickup", help="bare, lockerd (this tree), or bench_pickup --ab names")
    ap.add_argument("--profile", help="cProfile this arm's requests (cumulative, top 45)")
    args = ap.parse_args()
    asyncio.run(main_async(args.n, args.profile, [a.strip() for a in args.arms.split(",") if a.strip()]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
