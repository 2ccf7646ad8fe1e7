"""Provider pushes at the callback route, on the simulated clock: delivered_not_here raised and cleared
through a Kuaidi100 push; Kdniao and 17TRACK signatures; bad signature, replay, unknown waybill and a
flood are refused or absorbed with a clear answer and nothing lost."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from edge.clock import utc_iso
from edge.tracking.providers import kdniao, kuaidi100, track17
from edge.web.app import create_app
from tests.conftest import start_site

SALT, APPKEY, KEY17 = "salt-123", "kdn-app-key", "17-key"
FORM = {"content-type": "application/x-www-form-urlencoded"}


def _providers(**over: Any) -> dict[str, Any]:
    return {"providers": {"kuaidi100": {"enabled": True, "salt": SALT},
                          "kdniao": {"enabled": True, "ebusiness_id": "1230000", "app_key": APPKEY},
                          "track17": {"enabled": True, "key": KEY17}, **over}}


@pytest.fixture
async def push_site(tmp_path):
    site = await start_site(tmp_path / "site", tracking=_providers())
    app = create_app(site.daemon)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://site.test")
    try:
        yield site, client
    finally:
        await client.aclose()
        await site.daemon.stop()


def k100_param(tn: str, events: list[tuple[str, str]], com: str = "shunfeng") -> str:
    data = [{"context": text, "time": t, "ftime": t, "areaName": "上海"} for t, text in events]
    return json.dumps({"status": "polling", "message": "", "lastResult": {
        "message": "ok", "state": "0", "status": "200", "ischeck": "0", "com": com, "nu": tn, "data": data}},
        ensure_ascii=False)


def k100_body(param: str, salt: str = SALT) -> str:
    return urlencode({"param": param, "sign": kuaidi100.sign(param, salt)})


async def settle(site: Any) -> None:
    comp = site.daemon.tracking
    for _ in range(100):
        await asyncio.sleep(0.02)
        waiting = await comp.push_inbox.waiting()
        if not waiting.get("queued") and not comp._pending:
            break
    await comp.service.sweep()


def open_kinds(site: Any, tn: str) -> dict[str, str]:
    rows = site.daemon.store.read_sync(lambda tx: tx.all(
        "SELECT kind, severity FROM anomalies WHERE tracking_number = ? AND cleared_at IS NULL", (tn,)))
    return {r["kind"]: r["severity"] for r in rows}


def local(site: Any, hours: float) -> str:
    """A Kuaidi100-style local time (no zone: read in the site's zone) `hours` from now."""
    from zoneinfo import ZoneInfo

    t = site.daemon.clock.now() + timedelta(hours=hours)
    return t.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M:%S")


async def test_delivered_not_here_raised_and_cleared_through_a_kuaidi100_push(push_site):
    site, client = push_site
    tn = "SF1600000000001"
    await site.svc.parcels.expect(tracking_number=tn, unit="1-101", actor="desk", source="console")
    await settle(site)
    param = k100_param(tn, [(local(site, -5), "顺丰速运 已收取快件"),
                            (local(site, -0.1), "您的快件已由【阳光小区东门菜鸟驿站】代收，请及时取件")])
    r = await client.post("/api/v1/tracking/push/kuaidi100", content=k100_body(param), headers=FORM)
    assert r.status_code == 200 and r.json() == {"result": True, "returnCode": "200", "message": "成功"}
    await settle(site)
    assert open_kinds(site, tn) == {}
    site.clock.advance(2.2 * 3600)
    await settle(site)
    assert open_kinds(site, tn) == {"delivered_not_here": "red"}
    ev = [e for e in await site.events("parcel.anomaly_raised") if e["data"]["kind"] == "delivered_not_here"]
    assert ev[0]["data"]["place"]["name"] == "阳光小区东门菜鸟驿站"
    # the resident's message names the station, in plain words
    texts = site.daemon.store.read_sync(lambda tx: tx.all(
        "SELECT text FROM notifications WHERE tracking_number = ? AND kind = 'anomaly.delivered_not_here'", (tn,)))
    assert texts and "阳光小区东门菜鸟驿站" in texts[0]["text"]
    # ... headed by the site and naming the parcel by its carrier, as every other message does
    assert texts[0]["text"].startswith("【") and f"顺丰速运 {tn}" in texts[0]["text"], texts[0]["text"]
    # the courier brings it after all: deposited here, cleared
    await site.deposit(tn, unit="1-101")
    await settle(site)
    assert open_kinds(site, tn) == {}


async def test_bad_signature_replay_and_unknown_waybill(push_site):
    site, client = push_site
    tn = "SF1600000000002"
    param = k100_param(tn, [(local(site, -1), "顺丰速运 已收取快件")])
    # bad signature: refused, nothing stored
    r = await client.post("/api/v1/tracking/push/kuaidi100", content=k100_body(param, salt="wrong"), headers=FORM)
    assert r.status_code == 401 and r.json()["error"] == "bad_signature" and r.json()["result"] is False
    assert (await site.daemon.tracking.push_inbox.waiting()) == {}
    # unknown waybill: taken (the provider stops retrying), kept, not ingested
    r = await client.post("/api/v1/tracking/push/kuaidi100", content=k100_body(param), headers=FORM)
    assert r.status_code == 200 and r.json()["result"] is True
    await settle(site)
    assert (await site.daemon.tracking.push_inbox.waiting()) == {"unknown": 1}
    assert site.daemon.store.read_sync(lambda tx: tx.scalar(
        "SELECT count(*) FROM tracking_events WHERE tracking_number = ?", (tn,))) == 0
    # replay: answered as received, changes nothing
    r = await client.post("/api/v1/tracking/push/kuaidi100", content=k100_body(param), headers=FORM)
    assert r.status_code == 200 and "重复" in r.json()["message"]
    assert (await site.daemon.tracking.push_inbox.waiting()) == {"unknown": 1}
    # the resident registers it: the kept push is ingested
    await site.svc.parcels.expect(tracking_number=tn, unit="1-101", actor="desk", source="console")
    await settle(site)
    await settle(site)
    assert site.daemon.store.read_sync(lambda tx: tx.scalar(
        "SELECT count(*) FROM tracking_events WHERE tracking_number = ? AND source = 'kuaidi100'", (tn,))) == 1
    # garbage: a clear 400, not a 5xx
    bad = "not json"
    r = await client.post("/api/v1/tracking/push/kuaidi100", content=k100_body(bad), headers=FORM)
    assert r.status_code == 400 and r.json()["error"] == "invalid_push"


async def test_flood_is_absorbed_and_nothing_is_lost(tmp_path):
    site = await start_site(tmp_path / "site", tracking=_providers(rate_per_s=50, burst=10))
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(site.daemon)), base_url="http://s.test")
    try:
        tns = [f"SF16000000001{i:02d}" for i in range(60)]
        for tn in tns:
            await site.svc.parcels.expect(tracking_number=tn, unit="1-101", actor="desk", source="console")
        bodies = {tn: k100_body(k100_param(tn, [(local(site, -1), "顺丰速运 已收取快件")])) for tn in tns}
        pending = dict(bodies)
        busy = 0
        for _round in range(200):
            results = await asyncio.gather(*(client.post("/api/v1/tracking/push/kuaidi100", content=b, headers=FORM)
                                             for b in pending.values()))
            for tn, r in zip(list(pending), results, strict=True):
                if r.status_code == 200:
                    del pending[tn]
                else:
                    assert r.status_code == 503 and r.json()["error"] == "busy" and r.headers["retry-after"]
                    busy += 1
            if not pending:
                break
            await asyncio.sleep(0.3)  # the provider pushes again later
        assert not pending and busy > 0
        await settle(site)
        await settle(site)
        stored = site.daemon.store.read_sync(lambda tx: tx.scalar(
            "SELECT count(DISTINCT tracking_number) FROM tracking_events WHERE source = 'kuaidi100'"))
        assert stored == 60
    finally:
        await client.aclose()
        await site.daemon.stop()


async def test_kdniao_and_17track_pushes(push_site):
    site, client = push_site
    tn = "YT1600000000003"
    await site.svc.parcels.expect(tracking_number=tn, unit="1-101", actor="desk", source="console")
    data = json.dumps({"PushTime": local(site, 0), "EBusinessID": "1230000", "Count": "1", "Data": [{
        "EBusinessID": "1230000", "ShipperCode": "YTO", "LogisticCode": tn, "Success": True, "State": "2",
        "Traces": [{"AcceptTime": local(site, -2), "AcceptStation": "【杭州市】圆通速递 已揽收"}]}]},
        ensure_ascii=False)
    form = {"RequestData": data, "EBusinessID": "1230000", "RequestType": "101"}
    r = await client.post("/api/v1/tracking/push/kdniao", headers=FORM,
                          content=urlencode({**form, "DataSign": kdniao.data_sign(data, "wrong")}))
    assert r.status_code == 401 and r.json()["Success"] is False
    r = await client.post("/api/v1/tracking/push/kdniao", headers=FORM,
                          content=urlencode({**form, "DataSign": kdniao.data_sign(data, APPKEY)}))
    assert r.status_code == 200 and r.json()["Success"] is True and r.json()["EBusinessID"] == "1230000"
    body = json.dumps({"event": "TRACKING_UPDATED", "data": {"number": tn, "carrier": 190012, "track_info": {
        "tracking": {"providers": [{"events": [{"time_utc": utc_iso(site.clock.now() - timedelta(hours=1)),
                                                "description": "快件到达 【杭州转运中心】"}]}]}}}},
                      ensure_ascii=False).encode()
    r = await client.post("/api/v1/tracking/push/17track", content=body, headers={"sign": "00"})
    assert r.status_code == 401
    r = await client.post("/api/v1/tracking/push/17track", content=body, headers={"sign": track17.sign(body, KEY17)})
    assert r.status_code == 200
    await settle(site)
    sources = site.daemon.store.read_sync(lambda tx: [r["source"] for r in tx.all(
        "SELECT source FROM tracking_events WHERE tracking_number = ? ORDER BY time", (tn,))])
    assert sources == ["kdniao", "17track"]


def test_signatures_match_the_providers_documented_recipes():
    # Kuaidi100: upper-case hex MD5 of param + salt
    import base64
    import hashlib
    assert kuaidi100.sign("abc", "x") == hashlib.md5(b"abcx").hexdigest().upper()
    # Kdniao: base64 of the lower-case hex MD5 of RequestData + AppKey
    assert kdniao.data_sign("abc", "k") == base64.b64encode(hashlib.md5(b"abck").hexdigest().encode()).decode()
    # 17TRACK: hex SHA-256 of body + "/" + key
    assert track17.sign(b'{"a":1}', "k") == hashlib.sha256(b'{"a":1}/k').hexdigest()
