"""The deposit's 201 says what the edge knows as it answers: the open command went out (DESIGN.md section 3's
`"door": "open"`), and `"door_confirmed": false`: the sensor has not spoken yet. The trial of 2026-12-03b found the
answer read as the sensor's word, and "open" even when the command could not be sent (ADR 0040)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from drivers.locks.base import LockBankError
from edge.web.app import create_app
from tests.conftest import Site


@pytest.fixture
async def client(site: Site) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(site.daemon)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c


async def test_the_answer_says_opening_and_the_sensor_says_open_later(site: Site) -> None:
    dep = await site.svc.deposits.start(site.courier, tracking_number="SF1000000000401", unit="1-101", phone_tail="1234")
    # the simulated latch releases 50 ms after the command: as the answer is made the sensor still reads closed
    assert site.svc.doors.door_state(dep["compartment"]) != "open"
    assert dep["door"] == "open" and dep["door_confirmed"] is False
    await site.settle()
    status = await site.svc.deposits.status(dep["deposit_id"])
    assert status["door"] == "open" and status["state"] == "depositing"


async def test_a_command_that_could_not_be_sent_is_not_called_open(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    async def refuse(compartment: str) -> None:
        raise LockBankError("bank offline")

    for bank in {id(b): b for b in site.svc.doors.banks.values()}.values():
        monkeypatch.setattr(bank, "open", refuse)
    dep = await site.svc.deposits.start(site.courier, tracking_number="SF1000000000402", unit="1-101", phone_tail="1234")
    c = dep["compartment"]
    assert dep["door"] == "failed"
    await site.settle()
    assert site.svc.doors.door_state(c) != "open"


async def test_the_http_answer_and_the_openapi_schema_agree(client: httpx.AsyncClient, site: Site) -> None:
    r = await client.post("/api/v1/kiosk/courier/session", json={"courier_code": "100002"})
    h: dict[str, Any] = {"Authorization": "Bearer " + r.json()["token"]}
    r = await client.post("/api/v1/kiosk/deposits", headers=h,
                          json={"tracking_number": "SF1000000000403", "unit": "1-101", "phone_tail": "1234"})
    assert r.status_code == 201, r.text
    assert r.json()["door"] == "open" and r.json()["door_confirmed"] is False
    spec = (await client.get("/openapi.json")).json()
    props = spec["components"]["schemas"]["DepositOut"]["properties"]
    assert props["door"]["enum"] == ["open", "failed"] and "door_confirmed" in props
