"""Calls on a simulator's API the browser tests share: an answer that must succeed, a simulated door's state, a
kiosk locked out by wrong codes, and waiting for a condition with a deadline."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def ok(server: Any, method: str, path: str, body: Any = None, **kw: Any) -> Any:
    """The answer's data; fails naming the call when its status is 400 or more."""
    status, data = server.api(method, path, body, **kw)
    assert status < 400, (method, path, status, data)
    return data


def door(server: Any, c: str) -> str:
    """Compartment ``c``'s simulated door: "open" or "closed"."""
    return str(next(d for d in ok(server, "GET", "/api/v1/sim/doors") if d["compartment"] == c)["door"])


def locked_kiosk(server: Any, kiosk_id: str) -> str:
    """A new simulated kiosk's token, its pickup locked after five wrong codes."""
    token = str(ok(server, "POST", "/api/v1/sim/kiosks", {"id": kiosk_id})["token"])
    for i in range(5):
        server.api("POST", "/api/v1/kiosk/pickup", {"code": f"00000000{i:02d}"}, headers={"X-Kiosk-Token": token})
    return token


def until(what: str, check: Callable[[], Any], timeout: float = 10) -> None:
    """Waits until ``check()`` is true; fails with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)
