"""Trial 2026-12-07b (issue 15, "Staff teach it", across two sites through HQ), against real PostgreSQL:

- HQ's site page showed a site's staff label as "其他 · 圆通速递" (English "tracking: label added"): not the text,
  not what it was read as, not who. It now says all three, in words, in both languages.
- HQ stored every `tracking.label_added` and had no way to make the pack docs said it ships back to every site;
  `GET /api/v1/tracking/labels/pack.jsonl` now writes the fleet's newest label of each wording in the pack format a
  site loads from `<data dir>/tracking_packs/` (the site's own loader reads it here, and the label then decides).
"""

from __future__ import annotations

import html as htmllib
import json
import re
from pathlib import Path

import psycopg
from fastapi.testclient import TestClient

from cloudsync.hq.api import create_app
from edge.tracking.classify import Classifier
from edge.tracking.labels import load_shipped

LABEL_A = {"template": "包裹已进入【】等待分配", "carrier": "YTO", "milestone": "arrived_at_hub",
           "example": "包裹已进入【末端配送站】等待分配", "actor": "staff:desk", "relabelled_events": 1}


def seed(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("INSERT INTO sites (site, name, online, since, version, last_seen) VALUES "
                  "('site-a', '梅园', true, now(), '0.1.0', now()), ('site-b', '竹园', true, now(), '0.1.0', now())")
        c.execute("INSERT INTO streams (site, stream, next_seq) VALUES ('site-a', 'sa', 4), ('site-b', 'sb', 3)")
        ev = [("site-a", "sa", 1, "2026-12-07T08:30:00Z", {"compartment": "A-01", "tracking_number": "YT7300000000011",
                                                            "carrier": "YTO"}, "parcel.stored"),
              ("site-a", "sa", 2, "2026-12-07T08:37:59Z", LABEL_A, "tracking.label_added"),
              # the same wording read otherwise at site B first, then a label for every carrier
              ("site-b", "sb", 1, "2026-12-07T08:20:00Z", LABEL_A | {"milestone": "in_transit", "actor": "staff:li"},
               "tracking.label_added"),
              ("site-b", "sb", 2, "2026-12-07T08:40:00Z",
               {"template": "快件已完成清点，待派", "carrier": None, "milestone": "out_for_delivery",
                "example": "快件已完成清点，待派", "actor": "staff:li", "relabelled_events": 0}, "tracking.label_added"),
              # a malformed one (an unknown milestone) is not shipped
              ("site-a", "sa", 3, "2026-12-07T08:41:00Z", LABEL_A | {"milestone": "teleported"}, "tracking.label_added")]
        for site, stream, seq, ts, data, type_ in ev:
            c.execute("INSERT INTO events (site, stream, seq, id, type, ts, clock_synced, data) "
                      "VALUES (%s, %s, %s, %s, %s, %s, true, %s)", (site, stream, seq, f"{site}-{seq}", type_, ts,
                                                                     json.dumps(data)))


def _text(html: str) -> str:
    body = re.sub(r"(?s)<style>.*?</style>|<[^>]+>", " ", html.split("<body>", 1)[1])
    return htmllib.unescape(re.sub(r"\s+", " ", body))


def test_site_page_says_what_staff_labelled(db_url):
    seed(db_url)
    client = TestClient(create_app(db_url, token="tok"))
    client.cookies.set("lockerd_hq", "tok")
    zh = _text(client.get("/sites/site-a?lang=zh").text)
    assert "其他" not in zh, zh
    for words in ("员工标注了物流描述", "“包裹已进入【末端配送站】等待分配”", "含义：到达转运中心", "员工 desk",
                  "已收到的 1 条同类描述已按此重读"):
        assert words in zh, (words, zh)
    en = _text(client.get("/sites/site-a?lang=en").text)
    assert "tracking: label added" not in en
    for words in ("carrier wording labelled by staff", "read as arrived at hub", "staff desk", "1 received text(s) re-read"):
        assert words in en, (words, en)
    b = _text(client.get("/sites/site-b?lang=zh").text)
    assert "用于所有快递公司" in b  # a label with no carrier covers every carrier, and says so


def test_hq_makes_the_fleet_pack_a_site_loads(db_url, tmp_path: Path):
    seed(db_url)
    client = TestClient(create_app(db_url, token="tok"))
    assert client.get("/api/v1/tracking/labels/pack.jsonl").status_code == 401  # the API's token, as every call
    r = client.get("/api/v1/tracking/labels/pack.jsonl", headers={"Authorization": "Bearer tok"})
    assert r.status_code == 200, r.text
    assert "staff-labels.jsonl" in r.headers["content-disposition"]
    body = r.text
    assert "teleported" not in body
    # the newest reading of a wording wins (site A's at 08:37 over site B's at 08:20); the other is named
    line = next(json.loads(x) for x in body.splitlines() if x.startswith("{") and "等待分配" in x)
    assert line["label"] == "arrived_at_hub" and "site-a" in line["source"] and "in_transit at site-b" in line["source"]
    one = client.get("/api/v1/tracking/labels/pack.jsonl?site=site-b", headers={"Authorization": "Bearer tok"}).text
    assert "site-a" not in one and "快件已完成清点" in one
    # a site loads it with the same checks as a shipped language pack, and its labels then decide
    packs = tmp_path / "tracking_packs"
    packs.mkdir()
    (packs / "staff-labels.jsonl").write_text(body, encoding="utf-8")
    got = load_shipped(packs)
    assert got == {("包裹已进入【】等待分配", "YTO"): "arrived_at_hub", ("快件已完成清点，待派", ""): "out_for_delivery"}
    clf = Classifier()
    assert clf.classify("包裹已进入【余杭良渚站】等待分配", "YTO", None).milestone == "unknown"
    for (template, carrier), milestone in got.items():
        clf.set_local(template, carrier or None, milestone)
    assert clf.classify("包裹已进入【余杭良渚站】等待分配", "YTO", None).milestone == "arrived_at_hub"
    assert clf.classify("快件已完成清点，待派", "ZTO", None).milestone == "out_for_delivery"
