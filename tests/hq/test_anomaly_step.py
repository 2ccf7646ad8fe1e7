"""HQ's site page names each open anomaly's next step in words, from events of sites before ADR 0046 (the step
with the English place appended in `next_action`) and after it (`next_step` beside `place`), against PostgreSQL."""

from __future__ import annotations

import json

import psycopg
from fastapi.testclient import TestClient

from cloudsync.hq.api import create_app
from edge.tracking.settings import TrackingSettings
from tests.hq.test_site_page import ASCII_WORD, _text

STEP = TrackingSettings().playbook("delivered_not_here").next_action
STATION = {"kind": "station", "name": "阳光小区东门菜鸟驿站"}
ZH = "按快递记录的地点或签收人查找；致电快递员；查看柜机记录和包裹室；询问住户（快递记录：驿站/代收点：阳光小区东门菜鸟驿站）"


def test_open_anomalies_show_the_step_from_old_and_new_events(db_url: str) -> None:
    with psycopg.connect(db_url, autocommit=True) as c:
        c.execute("INSERT INTO sites (site, name, online, since, version, last_seen) VALUES "
                  "('gardens-east', '东园小区', true, now(), '1.4.0', now())")
        c.execute("INSERT INTO streams (site, stream, next_seq) VALUES ('gardens-east', 's1', 3)")
        old = {"tracking_number": "SF1801000000001", "kind": "delivered_not_here", "severity": "red",
               "next_action": f"{STEP} (carrier text: station 阳光小区东门菜鸟驿站)", "place": STATION}
        new = old | {"tracking_number": "SF1801000000002", "next_step": STEP}
        for seq, data in ((1, old), (2, new)):
            c.execute("INSERT INTO events (site, stream, seq, id, type, ts, clock_synced, data) VALUES "
                      "('gardens-east', 's1', %s, %s, 'parcel.anomaly_raised', now(), true, %s)",
                      (seq, f"e{seq}", json.dumps(data, ensure_ascii=False)))
    client = TestClient(create_app(db_url, token="tok"))
    client.cookies.set("lockerd_hq", "tok")
    zh = _text(client.get("/sites/gardens-east?lang=zh").text)
    assert zh.count(ZH) == 2, zh
    assert "carrier text" not in zh and "look where" not in zh
    assert {w for w in ASCII_WORD.findall(zh) if w not in {"gardens", "east", "English"}} == set(), zh
    en = _text(client.get("/sites/gardens-east?lang=en").text)
    assert en.count("ask the resident (carrier text: Pickup station: 阳光小区东门菜鸟驿站)") == 2, en
