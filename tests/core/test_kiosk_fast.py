"""The kiosk pickup's own ASGI layer (edge/web/kiosk_fast.py, decision 0039): a well-formed pickup is answered
there the way the FastAPI route answers it, and everything else still reaches the route."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import httpx
from starlette.requests import Request

from edge.web import kiosk_fast
from edge.web.app import create_app
from edge.web.kiosk_identity import KioskTokens, identify, identify_scope
from edge.web.metrics import get_metrics
from tests.conftest import Site

PATH = "/api/v1/kiosk/pickup"
OUTSIDER = ("192.0.2.7", 5000)


def _client(app: Any, peer: tuple[str, int] = ("127.0.0.1", 5000)) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=peer), base_url="http://locker.test")


def _apps(site: Site) -> tuple[Any, Any]:
    fast = create_app(site.daemon)
    kiosk_fast.ENABLED = False
    try:
        route = create_app(site.daemon)
    finally:
        kiosk_fast.ENABLED = True
    return fast, route


def _layer(app: Any) -> kiosk_fast.KioskPickupFast | None:
    node = app.build_middleware_stack() if app.middleware_stack is None else app.middleware_stack
    app.middleware_stack = node
    while node is not None:
        if isinstance(node, kiosk_fast.KioskPickupFast):
            return node
        node = getattr(node, "app", None)
    return None


async def test_a_pickup_is_answered_by_the_layer_exactly_as_by_the_route(site: Site) -> None:
    fast, route = _apps(site)
    assert _layer(route) is None
    got: dict[str, bytes] = {}
    for name, app in (("fast", fast), ("route", route)):
        dep = await site.deposit(f"YT10000000{len(got)}")
        code = await site.code_of(dep["parcel_id"])
        async with _client(app) as c:
            r = await c.post(PATH, json={"code": code})
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "application/json"
        assert int(r.headers["content-length"]) == len(r.content)
        # the same bytes but for the parcel and its compartment
        got[name] = r.content.replace(dep["parcel_id"].encode(), b"P").replace(dep["compartment"].encode(), b"C")
        await site.settle()
        await site.close(dep["compartment"])
        assert (await site.parcel(dep["parcel_id"]))["state"] == "collected"
    assert got["fast"] == got["route"] == b'{"parcels":[{"parcel_id":"P","compartment":"C","door":"opening"}],' \
                                          b'"at_desk":0,"message":null}'
    layer = _layer(fast)
    assert layer is not None and (layer.handled, layer.passed) == (1, 0)


async def test_wrong_codes_lockout_and_retry_after_from_the_layer(site: Site) -> None:
    fast, route = _apps(site)
    answers: dict[str, list[tuple[int, Any, str | None]]] = {}
    for name, app, kiosk_peer in (("fast", fast, ("127.0.0.1", 1)), ("route", route, ("127.0.0.1", 2))):
        # each app its own kiosk token-less loopback "local" kiosk: reset the lockout between them
        await site.daemon.store.write(lambda tx: tx.execute("DELETE FROM code_attempts"))
        async with _client(app, kiosk_peer) as c:
            answers[name] = []
            for _ in range(6):
                r = await c.post(PATH, json={"code": "2222222222"})
                answers[name].append((r.status_code, r.json(), r.headers.get("retry-after")))
    assert answers["fast"] == answers["route"]
    assert [s for s, _, _ in answers["fast"]] == [404] * 5 + [429]
    assert answers["fast"][0][1]["error"] == "code_invalid" and "attempts_left" in answers["fast"][0][1]
    assert answers["fast"][-1][2] and answers["fast"][-1][1]["retry_after"] > 0
    layer = _layer(fast)
    assert layer is not None and layer.handled == 6


BAD = [
    ({"content-type": "application/json"}, b"not json"),
    ({"content-type": "application/json"}, b'{"code": 5}'),
    ({"content-type": "application/json"}, b'["1234567890"]'),
    ({"content-type": "application/json"}, b'{"code": ""}'),
    ({"content-type": "application/json"}, b"{}"),
    ({"content-type": "application/json"}, json.dumps({"code": "1" * 129}).encode()),
    ({"content-type": "application/json"}, b""),
    ({"content-type": "text/plain"}, b'{"code": "1234567890"}'),
    ({}, b'{"code": "1234567890"}'),
]


async def test_bad_bodies_are_left_to_the_route_and_get_its_clear_422(site: Site) -> None:
    fast, route = _apps(site)
    for headers, body in BAD:
        got = []
        for app in (fast, route):
            async with _client(app) as c:
                r = await c.post(PATH, content=body, headers=headers)
            got.append((r.status_code, r.json()))
        assert got[0] == got[1], (headers, body)
        assert got[0][0] == 422 and got[0][1]["error"] == "invalid_request" and got[0][1]["message"], (headers, body)
    layer = _layer(fast)
    assert layer is not None and (layer.handled, layer.passed) == (0, len(BAD))


async def test_a_code_over_the_operations_limit_is_refused_by_the_layer_as_by_the_route(site: Site) -> None:
    fast, route = _apps(site)
    got = []
    for app in (fast, route):
        async with _client(app) as c:
            r = await c.post(PATH, json={"code": "9" * 100})
        got.append((r.status_code, r.json()))
    assert got[0] == got[1] and got[0][0] == 422 and got[0][1]["error"] == "invalid_request"


async def test_not_a_kiosk_and_not_ready_are_refused_first(site: Site) -> None:
    fast, route = _apps(site)
    for app in (fast, route):
        async with _client(app, OUTSIDER) as c:
            r = await c.post(PATH, json={"code": "1234567890"}, headers={"X-Kiosk-Id": "kiosk-1"})
            assert r.status_code == 403 and r.json()["error"] == "kiosk_unknown"
            r = await c.post(PATH, json={"code": "1234567890"}, headers={"X-Kiosk-Token": "guess" * 6})
            assert r.status_code == 403
        site.daemon.ready = False
        try:
            async with _client(app) as c:
                r = await c.post(PATH, json={"code": "1234567890"})
            assert r.status_code == 503 and r.json()["error"] == "not_ready"
        finally:
            site.daemon.ready = True
    attempts = await site.daemon.store.read(lambda tx: tx.scalar("SELECT COUNT(*) FROM code_attempts WHERE scope LIKE 'pickup:%'"))
    assert attempts == 0, "a refused request counted as a wrong code"


async def test_the_latency_recorder_still_labels_the_pickup_by_its_route(site: Site) -> None:
    fast, _ = _apps(site)
    async with _client(fast) as c:
        await c.post(PATH, json={"code": "2222222222"})
    samples = [s for m in get_metrics(fast).requests.collect() for s in m.samples if s.name.endswith("_count")]
    assert any(s.labels["route"] == PATH and s.labels["status"] == "4xx" and s.value == 1 for s in samples), samples


def _scope(client: tuple[str, int] | None, headers: list[tuple[bytes, bytes]], query: bytes = b"",
           proxied: bool = False) -> dict[str, Any]:
    scope: dict[str, Any] = {"type": "http", "method": "POST", "path": PATH, "headers": headers,
                             "query_string": query, "client": client}
    if proxied:
        scope["lockerd_proxy"] = "127.0.0.1"
    return scope


def test_identify_scope_decides_as_identify_does() -> None:
    token = "t" * 30
    app = SimpleNamespace(state=SimpleNamespace(kiosk_tokens=KioskTokens([("k1", token.encode())])))
    cases = [
        (("127.0.0.1", 1), [], b"", False, "local"),
        (("::1", 1), [], b"", False, "local"),
        (("127.0.0.1", 1), [], b"", True, None),  # through the proxy: the forwarded client, not the Pi
        (OUTSIDER, [], b"", False, None),
        (OUTSIDER, [(b"x-kiosk-token", token.encode())], b"", False, "k1"),
        (OUTSIDER, [(b"x-kiosk-token", b"wrong" * 6)], b"", False, None),
        (OUTSIDER, [(b"x-kiosk-token", b"wrong" * 6), (b"x-kiosk-token", token.encode())], b"", False, None),
        (OUTSIDER, [], b"kiosk_token=" + token.encode(), False, "k1"),
        (OUTSIDER, [], b"kiosk_token=" + token.encode() + b"&kiosk_token=x", False, None),
        (OUTSIDER, [], b"kiosk_token=x&kiosk_token=" + token.encode(), False, "k1"),
        (OUTSIDER, [(b"x-kiosk-id", b"local")], b"", False, None),
        (None, [], b"", False, None),
    ]
    for client, headers, query, proxied, want in cases:
        scope = _scope(client, headers, query, proxied)
        scope["app"] = app
        assert identify_scope(scope, app) == want, (client, headers, query)
        assert identify(Request(scope)) == want, (client, headers, query)


async def test_an_unexpected_failure_is_the_apps_500_from_the_layer_as_from_the_route(site: Site,
                                                                                     monkeypatch: Any) -> None:
    async def broken(*_a: Any, **_k: Any) -> dict[str, Any]:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(site.daemon.services.pickups, "submit", broken)
    fast, route = _apps(site)
    for app in (fast, route):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 5000), raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://locker.test") as c:
            r = await c.post(PATH, json={"code": "1234567890"})
        assert r.status_code == 500 and r.json()["error"] == "internal_error", r.text
