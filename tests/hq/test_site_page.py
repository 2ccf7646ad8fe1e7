"""HQ's page of one site (`/sites/{site}`, issue 18): its data query against real PostgreSQL, and the page in both
languages in words (no raw codes, no English on the Chinese page), the 404 page, and the fleet page's links."""

from __future__ import annotations

import html as htmllib
import json
import re

import psycopg
from fastapi.testclient import TestClient

from cloudsync.hq import fleet
from cloudsync.hq import tracking as tracking_down
from cloudsync.hq.api import create_app

TELEMETRY = {"occupancy": {"S": {"total": 2, "free": 1, "occupied": 1, "fault": 0, "disabled": 0},
                           "M": {"total": 1, "free": 0, "occupied": 0, "fault": 1, "disabled": 0}},
             "doors_open": 1, "faults": ["A-02"], "outbox": {"depth": 3, "oldest_unsent_age_s": 600}}


def seed(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("INSERT INTO sites (site, name, online, since, version, last_seen, last_telemetry_at, telemetry, "
                  "outbox_depth) VALUES ('gardens-east', '东园小区', true, now() - interval '2 hours', '1.4.0', now(), "
                  "now(), %s, 3), ('other-site', NULL, false, now(), '1.4.0', now(), NULL, NULL, 0)",
                  (json.dumps(TELEMETRY),))
        c.execute("INSERT INTO streams (site, stream, next_seq) VALUES ('gardens-east', 's1', 6)")
        ev = [(1, "parcel.stored", "2026-12-03T06:00:00Z", True,
               {"compartment": "A-01", "tracking_number": "SF1234567890", "carrier": "SF"}),
              (2, "parcel.anomaly_raised", "2026-12-03T06:05:00Z", True,
               {"tracking_number": "SF1234567890", "kind": "stalled", "severity": "red", "carrier": "SF",
                "next_action": "call the carrier's customer service with the tracking number and ask where it is",
                "next_step": "call the carrier's customer service with the tracking number and ask where it is"}),
              (3, "parcel.anomaly_raised", "2026-12-03T06:06:00Z", True,
               {"tracking_number": "YT000111", "kind": "late", "severity": "yellow"}),
              (4, "parcel.anomaly_cleared", "2026-12-03T06:07:00Z", True,
               {"tracking_number": "YT000111", "kind": "late", "severity": "yellow"}),
              (5, "door.jammed", "2026-12-03T06:08:00Z", False, {"compartment": "A-02"})]
        for seq, type_, ts, synced, data in ev:
            c.execute("INSERT INTO events (site, stream, seq, id, type, ts, clock_synced, data) "
                      "VALUES ('gardens-east', 's1', %s, %s, %s, %s, %s, %s)",
                      (seq, f"e{seq}", type_, ts, synced, json.dumps(data)))
        c.execute("INSERT INTO commands (id, site, type, data, issued_at, expires_at, state, result) VALUES "
                  "('c1', 'gardens-east', 'door.open', '{\"compartment\": \"A-02\"}', now(), now() + interval '5 min', "
                  "'failed', '{\"code\": \"clock_unsynchronised\"}'), "
                  "('c2', 'other-site', 'resync', '{}', now(), now() + interval '5 min', 'queued', NULL)")
        doc = tracking_down.canonical({"tracking_number": "SF1234567890", "carrier": "SF",
                                       "events": [{"time": "2026-12-03T05:00:00Z", "text": "已揽收"}]})
        tracking_down.queue_update(c, "gardens-east", doc)
        # residents' messages HQ sends (ADR 0049): one sent, one waiting to retry, one expired; a gateway is up
        msgs = [("m1", "stored", "sent", 1, None, "阿里云短信（总部）", "now() + interval '3 days'"),
                ("m2", "reminder", "pending", 2, "阿里云短信（总部）: no answer in time",
                 None, "now() + interval '3 days'"),
                ("m3", "collected", "failed", 0, "expired before HQ could send it", None, "now() - interval '1 hour'")]
        for mid, kind, state, tries, err, channel, expires in msgs:
            c.execute("INSERT INTO resident_messages (site, id, kind, lang, unit, phone_tail, data, state, attempts, "
                      f"last_error, channel, event_ts, stream, seq, expires_at) VALUES ('gardens-east', %s, %s, "
                      f"'zh-CN', '3-1202', '1234', %s, %s, %s, %s, %s, now(), 's1', 9, {expires})",
                      (mid, kind, json.dumps({"message_id": mid, "phone": "+8613800001234", "text": "取件码 482913"}),
                       state, tries, err, channel))
        c.execute("INSERT INTO notify_senders (instance, channels) VALUES ('hq-a', '阿里云短信（总部）')")


def test_site_detail_reads_one_site_from_postgres(db_url):
    seed(db_url)
    with psycopg.connect(db_url, autocommit=True) as c:
        d = fleet.site_detail(c, "gardens-east", 180.0)
        assert fleet.site_detail(c, "nowhere", 180.0) is None
    assert d is not None
    assert d["site"]["name"] == "东园小区" and d["site"]["clock_synced"] is False  # the newest event's clock
    # the cleared anomaly is not open; the raised one is
    assert [(a["tracking_number"], a["kind"]) for a in d["anomalies"]] == [("SF1234567890", "stalled")]
    assert [e["type"] for e in d["events"]][:2] == ["door.jammed", "parcel.anomaly_cleared"]
    assert [c["id"] for c in d["commands"]] == ["c1"]  # only this site's commands
    assert [u["tracking_number"] for u in d["tracking"]] == ["SF1234567890"]


RAW = re.compile(r"\b[a-z]+[._][a-z_.]+\b|clock_unsynchronised|\{|\}")
ASCII_WORD = re.compile(r"\b[A-Za-z]{3,}\b")


def _text(html: str) -> str:
    body = re.sub(r"(?s)<style>.*?</style>|<[^>]+>", " ", html.split("<body>", 1)[1])
    return htmllib.unescape(re.sub(r"\s+", " ", body))


def test_site_page_in_words_both_languages_and_404(db_url):
    seed(db_url)
    client = TestClient(create_app(db_url, token="tok"))
    assert client.get("/sites/gardens-east", follow_redirects=False).status_code == 303  # same auth as `/`
    client.cookies.set("lockerd_hq", "tok")
    zh = client.get("/sites/gardens-east?lang=zh")
    assert zh.status_code == 200
    text = _text(zh.text)
    for words in ("东园小区（gardens-east）", "在线", "顺丰", "物流长时间未更新", "SF1234567890", "A-02",
                  "打电话给快递公司客服，报运单号询问包裹位置",
                  "站点拒绝：站点时钟未同步", "2026-12-03 14:00", "未同步", "等待发送"):
        assert words in text, words
    for words in ("住户消息（由总部发送）", "等待发送 1 条 · 已发送 1 条 · 发送失败 1 条", "到件通知（含取件码）",
                  "已发送（阿里云短信（总部））", "等待重试（上次：阿里云短信（总部）：在限定时间内没有回应）",
                  "发送失败：已过期，一直没有发出", "尾号 1234"):
        assert words in text, words
    assert "13800001234" not in zh.text and "482913" not in zh.text  # never a full number or a code
    assert not RAW.search(text), RAW.search(text)
    # no English on the Chinese page beyond the site id, tracking numbers, door labels and the language switch
    allowed = {"gardens", "east", "English"}
    assert {w for w in ASCII_WORD.findall(text) if w not in allowed} == set(), text
    en = _text(client.get("/sites/gardens-east?lang=en").text)
    for words in ("Online", "no tracking update", "Refused: the site's clock is not synchronised", "Doors open",
                  "Residents' messages (sent by HQ)", "Waiting to retry (last try: 阿里云短信（总部）: no answer in time)",
                  "Failed: expired before HQ could send it", "ending 1234"):
        assert words in en, words
    assert "其他" not in en
    missing = client.get("/sites/nowhere?lang=zh")
    assert missing.status_code == 404 and "总部从未收到过这个站点的消息" in missing.text
    fleet_zh = client.get("/?lang=zh").text
    assert 'href="/sites/gardens-east?lang=zh"' in fleet_zh and 'href="/sites/other-site?lang=zh"' in fleet_zh


def test_event_times_in_the_site_own_time_zone(db_url):
    """A site whose birth named its time zone (Europe/Berlin) shows its events in Berlin time; a birth naming a
    zone HQ does not know keeps the one known."""
    from cloudsync.hq.ingest import site_timezone

    seed(db_url)
    assert site_timezone("Europe/Berlin") == "Europe/Berlin"
    assert site_timezone("Mars/Olympus") is None and site_timezone("") is None and site_timezone(3) is None
    with psycopg.connect(db_url, autocommit=True) as c:
        c.execute("UPDATE sites SET timezone = 'Europe/Berlin' WHERE site = 'gardens-east'")
    client = TestClient(create_app(db_url, token="tok"))
    client.cookies.set("lockerd_hq", "tok")
    text = _text(client.get("/sites/gardens-east?lang=en").text)
    assert "2026-12-03 07:00" in text and "2026-12-03 14:00" not in text  # 06:00 UTC, stored in Berlin
