"""What HQ staff read on the fleet page (docs/trial-2026-12-03c.md): a remote action's outcome in words, with the
door it was about and what the site's door sensor said, the reason of a refusal; and HQ saying when it has lost
its own broker. Real Mosquitto, PostgreSQL, `lockerd hq serve` and a site daemon."""

from __future__ import annotations

import html
from typing import Any

import httpx

from tests.hq.conftest import until, wait_for


def _page(hq: Any, lang: str) -> str:
    return html.unescape(httpx.get(hq.url(f"/?lang={lang}"), cookies={"lockerd_hq": hq.token}, timeout=10).text)


async def _command(hq: Any, site: str, type_: str, data: dict[str, Any]) -> dict[str, Any]:
    r = hq.api("POST", f"/api/v1/sites/{site}/commands", json={"type": type_, "data": data, "ttl_s": 120})
    assert r.status_code == 202, r.text
    cmd_id = r.json()["id"]
    return await until(lambda: (s := hq.api("GET", f"/api/v1/commands/{cmd_id}").json())["state"]
                       in ("done", "failed") and s, what=f"{type_} result")


async def test_remote_actions_say_the_door_what_its_sensor_said_and_why_a_site_refused(
        hq_broker, hq_serve, hq_keys, sites):
    hq = hq_serve().start()
    site = "trial-c-east"
    d = await sites(site, hq_broker.url, pubkey=hq_keys[2])
    await until(lambda: any(r["site"] == site and r["online"] for r in hq.api("GET", "/api/v1/sites").json()),
                what="site online at HQ")

    opened = await _command(hq, site, "door.open", {"compartment": "A-01", "reason": "住户在柜前", "operator": "hq-li"})
    assert opened["state"] == "done" and opened["result"]["data"]["state"] == "fired", opened
    await until(lambda: any(e["type"] == "door.opened" and e["data"].get("purpose") == "remote"
                            for e in hq.api("GET", f"/api/v1/sites/{site}/events").json()), what="door.opened at HQ")

    bank = next(b for b in d.banks if "A-02" in b.compartments)
    bank.sim_jam("A-02")
    jammed = await _command(hq, site, "door.open", {"compartment": "A-02", "reason": "check", "operator": "hq-li"})
    assert jammed["state"] == "done", jammed
    await until(lambda: any(e["type"] == "door.jammed"
                            for e in hq.api("GET", f"/api/v1/sites/{site}/events").json()), what="door.jammed at HQ")

    d.clock.synchronised = False
    refused = await _command(hq, site, "door.open", {"compartment": "A-03", "reason": "x", "operator": "hq-li"})
    assert refused["state"] == "failed" and refused["result"]["code"] == "clock_unsynchronised", refused
    d.clock.synchronised = True
    unknown = await _command(hq, site, "door.open", {"compartment": "Z-99", "reason": "x", "operator": "hq-li"})
    assert unknown["state"] == "failed" and unknown["result"]["message"], unknown

    zh, en = _page(hq, "zh"), _page(hq, "en")
    assert "远程开门 A-01" in zh and "柜门已打开（站点门磁确认）" in zh
    assert "远程开门 A-02" in zh and "柜门没有打开（卡住）" in zh
    assert "远程开门 A-03" in zh and "站点时钟未同步" in zh
    assert "Open a door A-01" in en and "Door opened (the site's door sensor says so)" in en
    assert "The door did not open (jammed)" in en
    assert "the site's clock is not synchronised" in en
    # a service's own refusal gives the site's message, not a bare "refused or failed"
    assert "Refused or failed at the site: " + unknown["result"]["message"] in en
    for page in (zh, en):
        assert "clock_unsynchronised" not in page and "door.open" not in page


def test_hq_says_when_it_has_lost_its_broker(hq_broker, hq_serve):
    hq = hq_serve().start()
    wait_for(lambda: hq.api("GET", "/api/v1/summary").json().get("broker", {}).get("connected") is True,
             what="HQ connected")
    assert "消息服务器" not in _page(hq, "zh")

    hq_broker.stop()
    down = wait_for(lambda: (s := hq.api("GET", "/api/v1/summary").json())["broker"]["connected"] is False and s,
                    what="HQ's broker link down")
    assert down["broker"]["broker"] == f"127.0.0.1:{hq_broker.port}" and down["broker"]["since"]
    zh, en = _page(hq, "zh"), _page(hq, "en")
    assert f"总部与消息服务器 127.0.0.1:{hq_broker.port} 的连接已断开" in zh and "可能已过时" in zh
    assert "HQ has lost its connection to the broker" in en and "remote actions wait" in en

    hq_broker.start()
    wait_for(lambda: hq.api("GET", "/api/v1/summary").json()["broker"]["connected"] is True, within=40,
             what="HQ reconnected")
    assert "HQ has lost its connection" not in _page(hq, "en")
