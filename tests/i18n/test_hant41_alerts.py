"""Staff alerts in 繁體 at a Hong Kong site (helper hant41; ADR 0050): the robots (WeCom, DingTalk, JSON) get the
alert's Chinese converted when the site's languages put zh-HK before zh-CN; a Shanghai site and a Hong Kong site
that still lists 简体 first keep 简体; an English-locale site keeps English. Real HTTP robot on loopback."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from edge.alerts.component import AlertsComponent, alert_lang
from edge.clock import SimClock
from edge.config import parse_config
from edge.store.db import Store
from tests.i18n.test_hant_table import assert_traditional
from tests.tracking.robot import Robot  # the one robot receiver of the tests (read only)


def _cfg(tmp_path: Path, robot_url: str, **site: Any) -> Any:
    return parse_config({
        "data_dir": str(tmp_path), "site": {"id": "hk-1", **site},
        "banks": [{"id": "A", "driver": "sim", "compartments": [{"id": "A-01", "size": "S"}]}],
        "alerts": {"robots": [{"kind": "wecom", "url": robot_url + "/cgi-bin/webhook/send?key=k"},
                              {"kind": "json", "url": robot_url + "/hook"}], "backoff_s": 0.05},
    })


HK_SITE = {"timezone": "Asia/Hong_Kong", "holiday_calendar": "HK", "languages": ["zh-HK", "en", "zh-CN"]}


@pytest.mark.parametrize(("site", "lang"), [
    (HK_SITE, "zh-HK"),
    ({"languages": ["en", "zh-HK"]}, "zh-HK"),  # the site's only Chinese is 繁體
    ({"timezone": "Asia/Hong_Kong", "holiday_calendar": "HK"}, "zh-CN"),  # 繁體 offered, 简体 still first
    ({}, "zh-CN"),
    ({**HK_SITE, "locale": "en"}, "en"),
])
def test_the_alert_language_follows_the_site(tmp_path: Path, site: dict[str, Any], lang: str) -> None:
    assert alert_lang(_cfg(tmp_path, "http://127.0.0.1:9", **site)) == lang


async def test_a_hong_kong_sites_alerts_reach_the_robots_in_traditional_chinese(tmp_path: Path) -> None:
    robot = Robot()
    cfg = _cfg(tmp_path, robot.url, **HK_SITE)
    store = Store(tmp_path / "db.sqlite", SimClock(), "hk-1")
    store.open()
    part = AlertsComponent(cfg, store, store.clock)
    await part.start()
    try:
        await store.write(lambda tx: [
            tx.emit("door.jammed", {"compartment": "A-07"}),
            tx.emit("door.forced_open", {"compartment": "A-03"}),
            tx.emit("parcel.overdue", {"tracking_number": "SF1234567890", "compartment": "A-02"}),
            tx.emit("parcel.anomaly_raised", {"tracking_number": "SF2", "kind": "customs_held", "severity": "red"}),
        ])
        for _ in range(200):
            if len(robot.posts) >= 8:
                break
            await asyncio.sleep(0.05)
    finally:
        await part.stop()
        store.close()
        robot.close()
    assert len(robot.posts) == 8, robot.posts
    texts = [b["text"]["content"] if "msgtype" in b else b["text"] for _, b in robot.posts]
    joined = "\n".join(texts)
    for words in ("櫃門 A-07 卡住了（沒有打開），請到現場檢查。", "包裹 SF1234567890 在 A-02 超期未取，請移至包裹室。",
                  "【緊急】包裹 SF2：海關扣留"):
        assert words in joined, joined
    assert_traditional(joined)
