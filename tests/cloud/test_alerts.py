"""Staff alerts to WeCom / DingTalk robots and a JSON webhook, against a local HTTP server."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from cloudsync.alerts import Alerts
from cloudsync.config import WebhookConfig
from edge.clock import SimClock
from edge.store.db import Store
from tests.tracking.robot import Robot  # the one robot receiver of the tests


@pytest.fixture
def robot():
    r = Robot(fail=2)
    yield r
    r.close()


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "db.sqlite", SimClock(), "site-a")
    s.open()
    yield s
    s.close()


async def test_alerts_with_retry_and_no_pickup_codes(store, robot):
    await store.write(lambda tx: tx.emit("door.jammed", {"compartment": "A-00"}))  # history: not alerted
    hooks = [WebhookConfig(kind="wecom", url=robot.url + "/cgi-bin/webhook/send?key=abc"),
             WebhookConfig(kind="dingtalk", url=robot.url + "/robot/send?access_token=t", secret="SEC123"),
             WebhookConfig(kind="json", url=robot.url + "/hook")]
    alerts = Alerts(store, store.clock, "site-a", hooks, max_attempts=5, backoff_s=0.05)
    store.event_listeners.append(alerts.on_events)
    await alerts.start()
    try:
        await store.write(lambda tx: [
            tx.emit("door.jammed", {"compartment": "A-07"}),
            tx.emit("door.opened", {"compartment": "A-07"}),  # not an alert
            tx.emit("parcel.anomaly_raised", {"tracking_number": "SF1", "kind": "stalled", "severity": "yellow"}),
            tx.emit("parcel.anomaly_raised", {"tracking_number": "SF2", "kind": "customs_held", "severity": "red",
                                              "next_action": "call the carrier"}),
            tx.emit("parcel.overdue", {"tracking_number": "YT3", "compartment": "B-02", "pickup_code": "123456"}),
        ])
        last = await store.read(lambda tx: tx.scalar("SELECT max(seq) FROM events"))
        for _ in range(200):
            if await store.read(lambda tx: tx.meta_get("cloud.alerts.cursor")) == str(last) and not await store.read(
                    lambda tx: tx.scalar("SELECT count(*) FROM staff_alerts WHERE state = 'pending'")):
                break
            await asyncio.sleep(0.05)
    finally:
        await alerts.stop()
    assert len(robot.posts) == 9, robot.posts  # 3 alerts x 3 hooks, after 2 failed attempts
    wecom = [b for p, b in robot.posts if p.startswith("/cgi-bin")]
    assert [b["msgtype"] for b in wecom] == ["text"] * 3
    contents = " ".join(b["text"]["content"] for b in wecom)
    assert "A-07" in contents and "海关扣留" in contents
    ding = [p for p, _ in robot.posts if p.startswith("/robot")]
    q = parse_qs(urlsplit(ding[0]).query)
    assert q["access_token"] == ["t"] and q["timestamp"] and q["sign"]
    generic = [b for p, b in robot.posts if p == "/hook"]
    assert sorted(g["type"] for g in generic) == ["door.jammed", "parcel.anomaly_raised", "parcel.overdue"]
    assert all("123456" not in json.dumps(b) for _, b in robot.posts), "pickup codes are never sent"


async def test_alert_given_up_after_max_attempts(store):
    dead = Robot(fail=100)
    try:
        alerts = Alerts(store, store.clock, "site-a", [WebhookConfig(kind="json", url=dead.url + "/x")],
                        max_attempts=3, backoff_s=0.01)
        await alerts.start()
        await store.write(lambda tx: tx.emit("door.forced_open", {"compartment": "A-01"}))
        alerts.on_events([{"type": "door.forced_open"}])
        for _ in range(100):
            if alerts.failed:
                break
            await asyncio.sleep(0.05)
        await alerts.stop()
        assert alerts.failed == 1 and dead.fail == 97
    finally:
        dead.close()
