"""The in-transit board, the dossier (page, ZIP, complaint filed + escalation clock) and the ETA on the
parcel page and the expected register, in Chinese and English, with no raw codes shown."""

from __future__ import annotations

import contextlib
import io
import json
import re
import zipfile
from collections.abc import AsyncIterator

import httpx

from tests.console.conftest import HTML, Console
from tests.tracking.seed import seed_board


@contextlib.asynccontextmanager
async def _closing(client: httpx.AsyncClient) -> AsyncIterator[None]:
    try:
        yield
    finally:
        await client.aclose()


RAW = ("delivered_not_here", "delivery_failed", "front_desk", "available_for_pickup", "source_conflict",
       "arrived_at_hub", "out_for_delivery", "kuaidi100:", "None", "{due}")


def _no_raw(html: str) -> None:
    text = re.sub(r"<[^>]+>", " ", html)
    for raw in RAW:
        assert raw not in text, raw


async def test_board_grades_order_and_languages(console: Console):
    tns = await seed_board(console.daemon)
    client, _csrf = await console.as_user("staff")
    async with _closing(client):
        zh = (await client.get("/transit?lang=zh", headers=HTML)).text
        en = (await client.get("/transit?lang=en", headers=HTML)).text
    for html in (zh, en):
        _no_raw(html)
        order = [m for m in re.findall(r'<article class="tcard g-(\w+)">.*?<a href="[^"]+">([A-Z0-9]+)</a>', html)]
        grades = [g for g, _ in order]
        assert grades == sorted(grades, key=["red", "yellow", "green"].index)
        assert {tn for _, tn in order} >= set(tns.values())
    assert "阳光小区东门菜鸟驿站" in zh and "显示已送达但未到本小区" in zh and "需立即处理" in zh
    assert "Delivered, but not here" in en and "Act now" in en and "Owner" in en
    # fresh food first among the yellows/greens of its grade
    assert "预计" in zh or "暂无预计" in zh


async def test_dossier_page_zip_and_complaint_clock(console: Console):
    tns = await seed_board(console.daemon)
    tn = tns["dnh"]
    client, csrf = await console.as_user("staff")
    async with _closing(client):
        page = (await client.get(f"/dossier/{tn}?lang=en", headers=HTML)).text
        _no_raw(page)
        assert "No complaint filed yet." in page and "Anomaly history" in page
        r = await client.post(f"/dossier/{tn}/complaint", data={"_csrf": csrf, "channel": "carrier_complaint",
                                                                 "reference": "SF-TS-20260311-77", "said": "no answer"})
        assert r.status_code == 303
        page = (await client.get(f"/dossier/{tn}?lang=en", headers=HTML)).text
        assert "SF-TS-20260311-77" in page and "7 days left" in page and "postal authority" in page
        zh = (await client.get(f"/dossier/{tn}?lang=zh", headers=HTML)).text
        assert "投诉编号" in zh and "剩余 7 天" in zh
        r = await client.post(f"/dossier/{tn}/complaint", data={"_csrf": csrf, "channel": "carrier_complaint",
                                                                 "reference": ""})
        assert r.status_code == 303  # refused with a flash, nothing recorded
        z = await client.get(f"/dossier/{tn}.zip")
        assert z.status_code == 200 and z.headers["content-type"] == "application/zip"
        with zipfile.ZipFile(io.BytesIO(z.content)) as f:
            doc = json.loads(f.read("dossier.json"))
            assert "dossier.html" in f.namelist()
        assert doc["tracking_number"] == tn and doc["complaints"][0]["ticket"] == "SF-TS-20260311-77"
        assert doc["escalation"]["days_left"] == 7.0 and doc["anomalies"][0]["kind"] == "delivered_not_here"
        assert "1234" not in json.dumps(doc) and "pickup_code" not in json.dumps(doc["parcel"])
        tasks = console.daemon.store.read_sync(lambda tx: tx.all(
            "SELECT due_at, owner FROM tasks WHERE kind = 'tracking_escalation' AND state = 'open'"))
        assert tasks and tasks[0]["owner"] == "front_desk"
        missing = await client.get("/dossier/SF0000000000000", headers=HTML)
        assert missing.status_code == 404


async def test_eta_on_parcel_page_and_register(console: Console):
    tns = await seed_board(console.daemon)
    client, _csrf = await console.as_user("staff")
    async with _closing(client):
        reg = (await client.get("/expected?lang=en", headers=HTML)).text
        assert "ETA" in reg
        pid = console.daemon.store.read_sync(lambda tx: tx.scalar(
            "SELECT id FROM parcels WHERE tracking_number = ?", (tns["moving"],)))
        page = (await client.get(f"/parcels/{pid}?lang=en", headers=HTML)).text
        assert "Expected arrival" in page and f"/dossier/{tns['moving']}" in page


async def test_assign_a_named_owner(console: Console):
    tns = await seed_board(console.daemon)
    client, csrf = await console.as_user("staff")
    async with _closing(client):
        html = (await client.get("/transit?lang=en", headers=HTML)).text
        assert 'action="/transit/assign"' in html
        r = await client.post("/transit/assign", data={"_csrf": csrf, "tracking_number": tns["failed"],
                                                       "kind": "delivery_failed", "owner": "staff"})
        assert r.status_code == 303
        html = (await client.get("/transit?lang=en", headers=HTML)).text
    row = console.daemon.store.read_sync(lambda tx: tx.one(
        "SELECT assignee FROM anomalies WHERE tracking_number = ? AND cleared_at IS NULL", (tns["failed"],)))
    assert row["assignee"] == "staff"
    owners = console.daemon.store.read_sync(lambda tx: {r["owner"] for r in tx.all(
        "SELECT t.owner FROM tasks t JOIN tracking_tasks x ON x.task_id = t.id WHERE x.tracking_number = ?"
        " AND t.state = 'open'", (tns["failed"],))})
    assert owners == {"staff"}
    svc = console.daemon.tracking.service
    import pytest

    from edge.errors import DomainError
    with pytest.raises(DomainError):
        await svc.assign(tns["failed"], "delivery_failed", "nobody-here", actor="t")


async def test_desk_alerts_in_the_dashboard_alarm_area(console: Console):
    await seed_board(console.daemon)
    alerts = console.daemon.alerts.service
    await alerts.collect_events()
    client, _csrf = await console.as_user("staff")
    async with _closing(client):
        grid = (await client.get("/api/v1/console/grid?lang=zh")).json()
        html = (await client.get("/?lang=zh", headers=HTML)).text
    kinds = [a["type"] for a in grid["alarms"]]
    assert any("显示已送达但未到本小区" in k for k in kinds), kinds
    assert "显示已送达但未到本小区" in html
