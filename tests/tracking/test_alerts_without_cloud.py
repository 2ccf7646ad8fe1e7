"""The desk's alerts reach a robot (a real HTTP server on loopback) with cloud sync OFF, on the simulated
clock: a failed delivery (yellow), 48 h without an update (12 h for medicine), a red anomaly; and they
are listed in the console's alarm area."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from tests.conftest import start_site
from tests.tracking.robot import Robot


async def _until(cond: Callable[[], bool], within_s: float = 5.0, what: Callable[[], object] = lambda: "") -> None:
    for _ in range(int(within_s / 0.05)):
        if cond():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"condition not reached: {what()}")


@pytest.fixture
def robot():
    r = Robot(fail=1)
    yield r
    r.close()


async def test_failed_delivery_silence_and_red_reach_the_robot_without_cloud(tmp_path, robot):
    site = await start_site(tmp_path / "site", alerts={
        "robots": [{"kind": "wecom", "url": robot.url + "/cgi-bin/webhook/send?key=k"}], "backoff_s": 0.05})
    d = site.daemon
    try:
        assert d.cloud is None and d.alerts is not None
        svc = d.tracking.service
        t0 = d.clock.now()

        def at(h: float) -> str:
            from datetime import timedelta

            from edge.clock import utc_iso
            return utc_iso(t0 + timedelta(hours=h))

        await svc.ingest("SF1500000000001", "SF", [{"time": at(-3), "text": "顺丰速运 已收取快件"},
                                                  {"time": at(-1), "text": "快件派送不成功(因电话无人接听)"}])
        await _until(lambda: any("派送失败" in t for t in robot.texts()))
        assert any("SF1500000000001" in t for t in robot.texts())

        # a red anomaly: the carrier says it was signed for by the guard, and it never reached the site
        await svc.ingest("SF1500000000009", "SF", [{"time": at(-1), "text": "已签收，签收人是【门卫】"}])
        d.clock.advance(1.1 * 3600)
        await _until(lambda: any("SF1500000000009" in t and "签收人：门卫" in t and "【紧急】" in t
                                 for t in robot.texts()), what=lambda: (robot.texts(), d.store.read_sync(lambda tx: tx.all("SELECT kind, state, attempts, last_error, next_try_at FROM staff_alerts")), d.store.read_sync(lambda tx: tx.all("SELECT kind, severity FROM anomalies")), d.clock.now()))

        # medicine: 12 h without an update alerts; a normal parcel waits for 48 h
        await d.services.parcels.expect(tracking_number="YT1500000000002", unit="1-101", category="medicine",
                                        actor="desk", source="console")
        await svc.ingest("YT1500000000002", "YTO", [{"time": at(0), "text": "【杭州市】圆通速递 已揽收"}])
        await svc.ingest("ZTO150000000003", "ZTO", [{"time": at(0), "text": "【上海市】中通快递 已揽收"}])
        d.clock.advance(12.1 * 3600)
        await _until(lambda: any("YT1500000000002" in t and "12 小时" in t for t in robot.texts()))
        # the carrier by its name, as the desk knows it, not its code
        assert any("YT1500000000002" in t and "（圆通速递）" in t for t in robot.texts())
        assert not any("（YTO）" in t for t in robot.texts())
        assert not any("ZTO150000000003" in t for t in robot.texts())
        d.clock.advance(36 * 3600)
        await _until(lambda: any("ZTO150000000003" in t and "48 小时" in t for t in robot.texts()))

        # the same silence never alerts twice; the alarm area lists them
        n = len(robot.posts)
        d.clock.advance(3600)
        await asyncio.sleep(0.3)
        silent_posts = [t for t in robot.texts() if "ZTO150000000003" in t and "小时没有物流更新" in t]
        assert len(silent_posts) == 1 and len(robot.posts) >= n
        listed = await d.alerts.service.recent()
        kinds = {a["kind"] for a in listed}
        assert {"anomaly.delivery_failed", "no_update"} <= kinds
        assert all(a["text_en"] and a["text_zh"] for a in listed)
    finally:
        await d.stop()


async def test_desk_intake_clears_delivered_not_here(tmp_path):
    """The parcel is found at the station and brought to the parcel room: the desk intake clears it."""
    site = await start_site(tmp_path / "site")
    d = site.daemon
    try:
        svc = d.tracking.service
        tn = "SF1500000000010"
        await d.services.parcels.expect(tracking_number=tn, unit="2-502", actor="desk", source="console")
        from edge.clock import utc_iso

        await svc.ingest(tn, "SF", [{"time": utc_iso(d.clock.now()), "text": "您的快件已由【阳光小区东门菜鸟驿站】代收"}])
        d.clock.advance(2.1 * 3600)
        await svc.sweep()
        assert await _open(d, tn) == {"delivered_not_here"}
        await site.svc.desk.intake(tracking_number=tn, shelf_slot="R1-03", unit="2-502", phone_tail="1234",
                                   actor="staff:desk")
        await _until(lambda: d.store.read_sync(lambda tx: tx.scalar(
            "SELECT count(*) FROM anomalies WHERE tracking_number = ? AND cleared_at IS NULL", (tn,))) == 0)
    finally:
        await d.stop()


async def _open(d, tn: str) -> set[str]:
    return set(await d.store.read(lambda tx: [r["kind"] for r in tx.all(
        "SELECT kind FROM anomalies WHERE tracking_number = ? AND cleared_at IS NULL", (tn,))]))
