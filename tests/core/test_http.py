"""The kiosk and simulator HTTP contract, in process, plus fuzzed bodies that must never 5xx."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edge.web.app import create_app
from tests.conftest import Site


@pytest.fixture
async def client(site: Site) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(site.daemon)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c


async def login(client: httpx.AsyncClient, code: str = "100002") -> dict[str, str]:
    r = await client.post("/api/v1/kiosk/courier/session", json={"courier_code": code})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) >= {"token", "courier", "expires_at"}
    return {"Authorization": "Bearer " + body["token"]}


async def test_contract_flow(client: httpx.AsyncClient, site: Site) -> None:
    assert (await client.get("/healthz")).json()["status"] == "ok"
    r = await client.post("/api/v1/kiosk/courier/session", json={"courier_code": "999999"})
    assert r.status_code == 401 and r.json()["error"] == "courier_code_invalid"
    h = await login(client)
    r = await client.post("/api/v1/kiosk/deposits", json={"tracking_number": "YT1234567890", "unit": "1-101",
                                                           "phone_tail": "1234"}, headers=h)
    assert r.status_code == 201, r.text
    dep = r.json()
    assert dep["door"] == "open" and dep["door_confirmed"] is False and set(dep) >= {"deposit_id", "compartment", "door"}
    await site.settle()
    doors = {d["compartment"]: d for d in (await client.get("/api/v1/sim/doors")).json()}
    assert doors[dep["compartment"]]["door"] == "open" and doors[dep["compartment"]]["opens"] == 1
    r = await client.get(f"/api/v1/kiosk/deposits/{dep['deposit_id']}", headers=h)
    assert r.json()["state"] == "depositing"
    assert (await client.post(f"/api/v1/sim/doors/{dep['compartment']}/close")).status_code == 200
    r = await client.get(f"/api/v1/kiosk/deposits/{dep['deposit_id']}", headers=h)
    assert r.json()["state"] == "stored" and r.json()["parcel_id"] == dep["parcel_id"]
    notes = (await client.get("/api/v1/sim/notifications")).json()
    code = next(n["pickup_code"] for n in notes if n["tracking_number"] == "YT1234567890")
    # the courier never sees the code
    assert code not in json.dumps(dep) and code not in r.text

    r = await client.post("/api/v1/kiosk/pickup", json={"code": "1" * 10})
    assert r.status_code == 404 and r.json()["error"] == "code_invalid" and "attempts_left" in r.json()
    r = await client.post("/api/v1/kiosk/pickup", json={"code": code})
    assert r.status_code == 200 and r.json()["parcels"][0]["compartment"] == dep["compartment"]
    await site.settle()
    doors = {d["compartment"]: d for d in (await client.get("/api/v1/sim/doors")).json()}
    assert doors[dep["compartment"]]["door"] == "open" and doors[dep["compartment"]]["opens"] == 2
    await client.post(f"/api/v1/sim/doors/{dep['compartment']}/close")
    assert (await site.parcel(dep["parcel_id"]))["state"] == "collected"


async def test_lockout_answers_429(client: httpx.AsyncClient) -> None:
    for _ in range(5):
        r = await client.post("/api/v1/kiosk/pickup", json={"code": "2222222222"}, headers={"X-Kiosk-Id": "k7"})
        assert r.status_code == 404
    r = await client.post("/api/v1/kiosk/pickup", json={"code": "2222222222"}, headers={"X-Kiosk-Id": "k7"})
    assert r.status_code == 429 and r.json()["retry_after"] > 0 and r.headers["Retry-After"]


async def test_sim_clock_and_scan(client: httpx.AsyncClient) -> None:
    before = (await client.get("/api/v1/sim/clock")).json()["now"]
    after = (await client.post("/api/v1/sim/clock", json={"advance_seconds": 86400})).json()["now"]
    assert after[:10] > before[:10]
    r = await client.post("/api/v1/sim/scan", json={"text": "SF1234567890123\r\n"})
    assert r.json() == {"text": "SF1234567890123"}
    r = await client.post("/api/v1/sim/scan", json={"text": "\x07\x08bad"})
    assert r.status_code == 422 and r.json()["error"] == "scan_rejected"
    demo = (await client.get("/api/v1/sim/demo")).json()
    assert demo["couriers"] and demo["units"] and {"username", "password", "role"} <= set(demo["staff"][0]) if demo["staff"] else True


async def test_errors_are_json(client: httpx.AsyncClient) -> None:
    for method, path, body in [
        ("post", "/api/v1/kiosk/deposits", {"tracking_number": "X"}),
        ("post", "/api/v1/kiosk/pickup", "not json"),
        ("post", "/api/v1/kiosk/courier/session", {}),
        ("get", "/api/v1/kiosk/deposits/nope", None),
        ("get", "/api/v1/nothing-here", None),
        ("post", "/api/v1/sim/doors/Z-99/close", None),
    ]:
        kw: dict[str, Any] = {"content": body} if isinstance(body, str) else {"json": body}
        r = await client.request(method, path, **kw)
        assert 400 <= r.status_code < 500, (path, r.status_code, r.text)
        assert set(r.json()) >= {"error", "message"}
        assert "Traceback" not in r.text


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=10,
)
bodies = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {},
        optional={
            "tracking_number": json_values | st.text(max_size=80),
            "size": st.sampled_from(["S", "M", "L", "XL", "XXL", ""]) | json_values,
            "unit": json_values | st.text(max_size=40),
            "phone_tail": json_values | st.text(max_size=6),
            "category": st.sampled_from(["fresh", "medicine", "bogus"]) | json_values,
            "code": json_values | st.text(alphabet="0123456789 -", max_size=20),
            "courier_code": json_values | st.text(max_size=20),
            "text": json_values | st.text(max_size=80),
            "advance_seconds": json_values,
        },
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies, path=st.sampled_from([
    "/api/v1/kiosk/courier/session", "/api/v1/kiosk/deposits", "/api/v1/kiosk/pickup",
    "/api/v1/sim/scan", "/api/v1/sim/clock", "/api/v1/kiosk/deposits/x/cancel",
]))
async def test_fuzzed_bodies_never_5xx(client: httpx.AsyncClient, body: Any, path: str) -> None:
    h = await login(client, "100003")
    r = await client.post(path, content=json.dumps(body), headers={**h, "Content-Type": "application/json"})
    assert r.status_code < 500, (path, body, r.text)
    if r.status_code >= 400:
        assert "error" in r.json()
