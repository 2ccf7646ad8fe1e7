"""The directory at the kiosk and over MQTT: unknown units refused with suggestions, consent to locker
delivery, categories kept out of lockers, couriers disabled at once (also from the CLI while the daemon
runs), the company in the site's language, and a resident's refusal of a damaged parcel."""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections.abc import AsyncIterator
from typing import Any

import httpx
import jsonschema
import pytest

from cloudsync.actions import Actions
from edge.errors import DomainError
from edge.services import directory as D
from edge.services.unit_rows import UnitIn
from edge.web.app import create_app
from tests.conftest import REPO, Site, lockerd_cmd


@pytest.fixture
async def client(site: Site) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(site.daemon)), base_url="http://t") as c:
        yield c


async def enrol(site: Site, *units: dict[str, Any]) -> None:
    def fn(tx: Any) -> None:
        for u in units:
            D.upsert_unit_tx(tx, UnitIn.model_validate(u), actor="test", source="test")

    await site.daemon.store.write(fn)


async def token(client: httpx.AsyncClient, code: str = "100001") -> dict[str, str]:
    r = await client.post("/api/v1/kiosk/courier/session", json={"courier_code": code})
    assert r.status_code == 200, r.text
    return {"Authorization": "Bearer " + r.json()["token"]}


async def test_demo_units_do_not_switch_the_check_on(client: httpx.AsyncClient) -> None:
    h = await token(client)
    r = await client.post("/api/v1/kiosk/deposits", json={"tracking_number": "SF1000000001", "unit": "5-8001",
                                                           "phone_tail": "1234"}, headers=h)
    assert r.status_code == 201, r.text  # without a real directory the kiosk behaves as before
    assert (await client.get("/api/v1/kiosk/units?q=5", headers=h)).json() == {"directory": False, "units": []}


async def test_unknown_unit_refused_with_suggestions(site: Site, client: httpx.AsyncClient) -> None:
    await enrol(site, {"unit": "5-801"}, {"unit": "5-802"}, {"unit": "15-801"}, {"unit": "2-1203"})
    h = await token(client)
    r = await client.post("/api/v1/kiosk/deposits", json={"tracking_number": "SF1000000002", "unit": "5-8001",
                                                           "phone_tail": "1234"}, headers=h)
    assert r.status_code == 422 and r.json()["error"] == "unit_unknown"
    assert "5-801" in r.json()["suggestions"] and "2-1203" not in r.json()["suggestions"]
    doors = (await client.get("/api/v1/sim/doors")).json()
    assert all(d["opens"] == 0 for d in doors)  # refused before any door opened
    auto = (await client.get("/api/v1/kiosk/units?q=5-8", headers=h)).json()
    assert auto["directory"] is True and auto["units"][:2] == ["5-801", "5-802"]
    assert (await client.get("/api/v1/kiosk/units?q=5-8")).status_code == 401  # couriers only
    r = await client.post("/api/v1/kiosk/deposits", json={"tracking_number": "SF1000000002", "unit": "5-801",
                                                           "phone_tail": "1234"}, headers=h)
    assert r.status_code == 201


async def test_no_consent_sends_the_courier_to_the_desk(site: Site, client: httpx.AsyncClient) -> None:
    await enrol(site, {"unit": "7-701", "locker_consent": False})
    h = await token(client)
    r = await client.post("/api/v1/kiosk/deposits", json={"tracking_number": "SF1000000003", "unit": "7-701",
                                                           "phone_tail": "1234"}, headers=h)
    assert r.status_code == 409 and r.json()["error"] == "locker_refused" and r.json()["way"] == "desk"
    assert "desk" in r.json()["message"]


async def test_valuables_stay_out_of_lockers(site: Site, client: httpx.AsyncClient) -> None:
    h = await token(client)
    r = await client.post("/api/v1/kiosk/deposits", json={"tracking_number": "SF1000000004", "unit": "1-101",
                                                           "phone_tail": "1234", "category": "valuable"}, headers=h)
    assert r.status_code == 409 and r.json()["error"] == "category_not_in_locker"
    r = await client.post("/api/v1/kiosk/deposits", json={"tracking_number": "SF1000000005", "unit": "1-101",
                                                           "phone_tail": "1234", "category": "fresh"}, headers=h)
    assert r.status_code == 201  # the default policy lets fresh food into a locker (its clocks are short)


async def test_company_shown_in_the_sites_language(site: Site, client: httpx.AsyncClient) -> None:
    r = await client.post("/api/v1/kiosk/courier/session", json={"courier_code": "100001"})
    assert r.json()["courier"]["company"] == "顺丰速运"  # "SF Express" on a zh-CN site
    assert D.company_label("SF Express", "en") == "SF Express" and D.company_label("某某快运", "en") == "某某快运"


async def test_disabled_courier_refused_at_once_even_from_the_cli(site: Site, client: httpx.AsyncClient) -> None:
    h = await token(client, "100002")
    assert (await client.get("/api/v1/kiosk/units", headers=h)).status_code == 200
    r = await _cli("courier", "disable", "100002", "--data-dir", str(site.data_dir))
    assert r.returncode == 0, r.stderr
    # the open session ends now, and the code no longer signs in
    assert (await client.get("/api/v1/kiosk/units", headers=h)).status_code == 401
    r2 = await client.post("/api/v1/kiosk/courier/session", json={"courier_code": "100002"})
    assert r2.status_code == 401
    listed = json.loads((await _cli("courier", "list", "--json", "--data-dir", str(site.data_dir))).stdout)
    zto = next(c for c in listed if c["company"] == "ZTO Express")
    assert zto["enabled"] is False and zto["last_used_at"]
    assert (await _cli("courier", "enable", "100002", "--data-dir", str(site.data_dir))).returncode == 0
    assert (await client.post("/api/v1/kiosk/courier/session", json={"courier_code": "100002"})).status_code == 200


async def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return await asyncio.to_thread(subprocess.run, [*lockerd_cmd(), *args], capture_output=True, text=True,
                                   timeout=60, cwd=REPO)


async def test_rotate_code(site: Site) -> None:
    c = site.svc.directory.couriers
    row = await site.daemon.store.read(lambda tx: c.find(tx, "100003"))
    new = await site.daemon.store.write(lambda tx: c.rotate_tx(tx, row["id"], None, actor="t"))
    assert len(new) == 8 and new.isdigit()
    with pytest.raises(DomainError):
        await site.svc.couriers.login("100003", kiosk="t")
    assert (await site.svc.couriers.login(new, kiosk="t"))["courier"]["id"] == row["id"]


CMD_SCHEMA = json.loads((REPO / "docs" / "schemas" / "cmd.json").read_text())


def _cmd(type_: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"id": "c1", "site": "s", "type": type_, "issued_at": "2026-03-02T00:00:00Z",
            "expires_at": "2026-03-03T00:00:00Z", "kid": "k", "data": data, "sig": "x"}


async def test_mqtt_commands(site: Site) -> None:
    actions = Actions(site.daemon, resync=lambda n: None, telemetry_now=lambda: None)  # type: ignore[arg-type,return-value]
    for type_, data in [("courier.upsert", {"code": "200001", "company": "极兔速递", "name": "赵"}),
                        ("unit.upsert", {"unit": "9-901", "phone": "+8613912345678", "lang": "en", "low_door": True,
                                         "locker_consent": False}),
                        ("unit.remove", {"unit": "9-901"})]:
        jsonschema.validate(_cmd(type_, data), CMD_SCHEMA)
    out = await actions.run("courier.upsert", {"code": "200001", "company": "极兔速递", "name": "赵"}, _cmd("x", {}))
    assert out["company"] == "极兔速递" and out["enabled"] is True
    out = await actions.run("courier.upsert", {"code": "200001", "company": "极兔速递", "enabled": False}, _cmd("x", {}))
    assert out["enabled"] is False
    out = await actions.run("unit.upsert", {"unit": "9-901", "phone": "+8613912345678", "lang": "en"}, _cmd("x", {}))
    assert out["phone_tail"] == "5678" and out["phone"] is None and out["lang"] == "en"
    out = await actions.run("unit.upsert", {"unit": "9-901", "locker_consent": False}, _cmd("x", {}))
    assert out["locker_consent"] is False and out["lang"] == "en"  # fields left out keep their values
    for bad, why in [({"unit": "9-902", "colour": "red"}, "unknown field"), ({"unit": "9-902", "phone": "12"},
                                                                              "not a phone number"), ({}, "unit")]:
        with pytest.raises(DomainError) as exc:
            await actions.run("unit.upsert", bad, _cmd("x", {}))
        assert exc.value.code == "invalid" and why in exc.value.message
        if why != "not a phone number":  # the published schema refuses what it can express
            with pytest.raises(jsonschema.ValidationError):
                jsonschema.validate(_cmd("unit.upsert", bad), CMD_SCHEMA)
    assert await actions.run("unit.remove", {"unit": "9-901"}, _cmd("x", {})) == {"unit": "9-901", "removed": True}
    assert await site.daemon.store.read(lambda tx: D.unit_row(tx, "9-901")) is None
    with pytest.raises(DomainError) as exc:
        await actions.run("unit.remove", {"unit": "9-901"}, _cmd("x", {}))
    assert exc.value.code == "unit_unknown"


async def test_resident_refuses_a_damaged_parcel(site: Site, client: httpx.AsyncClient) -> None:
    dep = await site.deposit("SF1000000009")
    code = await site.code_of(dep["parcel_id"])
    r = await client.post("/api/v1/kiosk/pickup", json={"code": code})
    comp = r.json()["parcels"][0]["compartment"]
    await site.settle()
    r = await client.post("/api/v1/kiosk/pickup/refuse", json={"parcel_id": dep["parcel_id"], "code": "0" * 10,
                                                                "reason": "damaged"})
    assert r.status_code == 404
    r = await client.post("/api/v1/kiosk/pickup/refuse", json={"parcel_id": dep["parcel_id"], "code": code,
                                                                "reason": "damaged"})
    assert r.status_code == 200 and r.json()["already"] is False
    await site.close(comp)
    p = await site.parcel(dep["parcel_id"])
    assert p["state"] == "stored"  # the door closed on it: recorded and kept, not collected
    tasks = await site.daemon.store.read(lambda tx: tx.all("SELECT kind, title FROM tasks WHERE parcel_id = ?",
                                                           (dep["parcel_id"],)))
    assert tasks and tasks[0]["kind"] == "resident_refused" and "破损" in tasks[0]["title"]
    assert [e["data"]["reason"] for e in await site.events("parcel.refused")] == ["damaged"]
    assert not await site.events("parcel.collected")
