"""Staff teach the classifier: unknown texts queue by template, a label is a local rule at once, survives a
restart, goes to HQ in an event, and ships back as a pack; the console page lists and saves labels."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx

from edge.store.db import Store
from edge.tracking.classify import LOW_CONFIDENCE
from edge.tracking.labels import load_shipped
from edge.tracking.service import TrackingService
from edge.tracking.settings import TrackingSettings

ODD = "【杭州萧山】 快件已被 兔兔星球 暂扣 请联系 13812345678"  # nothing in the rules knows this
ODD2 = "【深圳宝安】 快件已被 兔兔星球 暂扣 请联系 13900001111"  # the same template
NEVER = "zzqx wobble fnord"


async def test_unknown_texts_queue_by_template_most_frequent_first(env: Any) -> None:
    svc: TrackingService = env.service
    await svc.ingest("SF1234567890123", "SF", [{"time": env.at(0), "text": ODD}, {"time": env.at(1), "text": ODD2},
                                               {"time": env.at(2), "text": NEVER}])
    await svc.ingest("SF1234567890123", "SF", [{"time": env.at(0), "text": ODD}])  # a duplicate: not counted again
    queue = await svc.label_queue()
    assert [q["seen"] for q in queue] == [2, 1]
    assert queue[0]["template"] == svc.classifier.template_of(ODD) == svc.classifier.template_of(ODD2)
    assert "<tel>" in queue[0]["template"] and "兔兔星球" in queue[0]["example"]


async def test_a_staff_label_changes_the_next_classification_and_survives_restart(env: Any, tmp_path: Path) -> None:
    svc: TrackingService = env.service
    await svc.ingest("SF1234567890123", "SF", [{"time": env.at(0), "text": ODD}])
    before = svc.classifier.classify(ODD2, "SF")
    assert before.rule in ("", "model") and before.confidence < LOW_CONFIDENCE  # unknown or a guess: queued
    template = (await svc.label_queue())[0]["template"]
    await svc.label_text(template, "exception", carrier="SF", actor="staff:alice")
    c = svc.classifier.classify(ODD2, "SF")
    assert (c.milestone, c.rule) == ("exception", "staff")
    assert await svc.label_queue() == []
    stored = env.store.read_sync(lambda tx: tx.one("SELECT milestone, rule FROM tracking_events WHERE text = ?", (ODD,)))
    assert stored == {"milestone": "exception", "rule": "staff"}  # the stored event was re-read too
    events = env.events("tracking.label")
    assert events and events[0]["milestone"] == "exception" and events[0]["actor"] == "staff:alice"
    # a restart: a new service over the same database
    again = TrackingService(env.store, env.clock, TrackingSettings())
    assert again.classifier.classify(ODD2, "SF").rule != "staff"
    assert await again.load_labels() == 1
    assert again.classifier.classify(ODD2, "SF").milestone == "exception"


async def test_labels_ship_back_as_a_pack(env: Any, tmp_path: Path) -> None:
    svc: TrackingService = env.service
    template = svc.classifier.template_of(ODD)
    await svc.label_text(template, "exception", actor="staff:bob")
    text = await svc.export_labels_pack("site-test")
    shipped = tmp_path / "tracking_packs"
    shipped.mkdir()
    (shipped / "hq.jsonl").write_text(text, encoding="utf-8")
    (shipped / "broken.jsonl").write_text('{"rule": "x"}\n', encoding="utf-8")  # refused, the rest still loads
    assert load_shipped(shipped) == {(template, ""): "exception"}
    other = Store(tmp_path / "other.db", env.clock, "site-other")
    other.open()
    try:
        svc2 = TrackingService(other, env.clock, TrackingSettings())
        assert await svc2.load_labels(shipped) == 1
        assert svc2.classifier.classify(ODD2).milestone == "exception"
    finally:
        other.close()


async def test_console_lists_the_queue_and_saves_a_label(site: Any) -> None:
    from edge.web.app import create_app

    tracking = site.daemon.tracking.service
    await tracking.ingest("SF1234567890123", "SF", [{"time": "2026-03-02T01:00:00Z", "text": ODD}])
    app = create_app(site.daemon)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=("127.0.0.1", 5000)),
                                 base_url="http://console.test") as client:
        page = await client.get("/login")
        token = re.search(r'name="_csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        assert (await client.post("/login", data={"_csrf": token, "username": "staff",
                                                  "password": "staff-demo-pass"})).status_code == 303
        resp = await client.get("/tracking/labels", headers={"accept": "text/html"})
        assert resp.status_code == 200 and "兔兔星球" in resp.text and "待标注" in resp.text
        form = re.search(r'<form method="post" action="/tracking/labels".*?</form>', resp.text, re.S).group(0)  # type: ignore[union-attr]
        csrf = re.search(r'name="_csrf" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
        template = re.search(r'name="template" value="([^"]*)"', form).group(1)  # type: ignore[union-attr]
        import html

        bad = await client.post("/tracking/labels", data={"_csrf": csrf, "template": html.unescape(template),
                                                          "carrier": "SF", "milestone": "teleported"})
        assert bad.status_code == 303
        ok = await client.post("/tracking/labels", data={"_csrf": csrf, "template": html.unescape(template),
                                                         "carrier": "SF", "milestone": "exception"})
        assert ok.status_code == 303
        assert tracking.classifier.classify(ODD2, "SF").milestone == "exception"
        en = await client.get("/tracking/labels?lang=en", headers={"accept": "text/html"})
        assert "Tracking texts to label" in en.text and "Nothing to label" in en.text
        pack = await client.get("/tracking/labels/pack.jsonl")
        assert pack.status_code == 200
        lines = [json.loads(x) for x in pack.text.splitlines() if x and not x.startswith("#")]
        assert lines[0]["label"] == "exception"
