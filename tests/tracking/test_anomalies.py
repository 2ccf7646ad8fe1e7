"""Each anomaly kind on the simulated clock: raised at its threshold (not before), cleared once resolved,
never raised twice. Real SQLite in tmp_path, the TrackingService directly."""

from __future__ import annotations

import pytest

from edge.errors import DomainError
from tests.tracking.conftest import Env

TN = "SF1234567890123"


def ev(env: Env, h: float, text: str, location: str | None = None) -> dict[str, str]:
    e = {"time": env.at(h), "text": text}
    if location:
        e["location"] = location
    return e


async def test_ingest_is_idempotent_and_classifies(env: Env) -> None:
    events = [ev(env, 0, "顺丰速运 已收取快件"), ev(env, 2, "快件到达 【深圳集散中心】")]
    r1 = await env.service.ingest(TN, "SF Express", events, "mqtt")
    r2 = await env.service.ingest(TN, "SF Express", events + [ev(env, 1, "快件离开 【深圳宝安】，发往【深圳集散中心】")], "mqtt")
    assert (r1["stored"], r1["duplicates"]) == (2, 0)
    assert (r2["stored"], r2["duplicates"]) == (1, 2)
    stored = await env.service.events(TN)
    assert [e["milestone"] for e in stored] == ["picked_up", "departed_hub", "arrived_at_hub"]


async def test_bad_events_are_rejected_not_fatal(env: Env) -> None:
    r = await env.service.ingest(TN, None, [{"time": "yesterday", "text": "x"}, {"text": ""}, "junk",
                                            ev(env, 0, "已揽收")], "mqtt")
    assert r["stored"] == 1
    assert [x["index"] for x in r["rejected"]] == [0, 1, 2]


async def test_naive_times_are_site_local(env: Env) -> None:
    await env.service.ingest(TN, "SF", [{"time": "2026-03-11 10:00:00", "text": "已揽收"}], "kuaidi100")
    stored = await env.service.events(TN)
    assert stored[0]["time"] == "2026-03-11T02:00:00.000Z"  # Asia/Shanghai is UTC+8


async def test_no_first_scan(env: Env) -> None:
    await env.service.ingest(TN, "SF", [ev(env, 0, "已下单，等待揽收")], "mqtt")
    assert env.open_kinds(TN) == {}
    await env.advance_h(23.9)
    assert env.open_kinds(TN) == {}
    await env.advance_h(0.1)
    assert env.open_kinds(TN) == {"no_first_scan": "yellow"}
    await env.advance_h(24)
    assert env.open_kinds(TN) == {"no_first_scan": "red"}
    await env.advance_h(1)
    assert env.raised(TN, "no_first_scan") == 1
    await env.service.ingest(TN, "SF", [ev(env, 49.5, "顺丰速运 已收取快件")], "mqtt")
    assert "no_first_scan" not in env.open_kinds(TN)
    assert env.cleared(TN, "no_first_scan") == 1
    await env.advance_h(1)
    assert env.cleared(TN, "no_first_scan") == 1


async def test_no_first_scan_cross_border_and_priority_clocks(env: Env) -> None:
    await env.service.follow("EA123456785CN", cross_border=True)
    await env.service.follow("YT1234567890123", category="fresh")
    await env.service.ingest("EA123456785CN", "EMS", [ev(env, 0, "Shipment information received")], "mqtt")
    await env.service.ingest("YT1234567890123", "YTO", [ev(env, 0, "已下单")], "mqtt")
    await env.advance_h(12)
    assert env.open_kinds("YT1234567890123") == {"no_first_scan": "red"}  # fresh food: 12 h, red at once
    await env.advance_h(35.9)
    assert env.open_kinds("EA123456785CN") == {}
    await env.advance_h(0.1)
    assert env.open_kinds("EA123456785CN") == {"no_first_scan": "yellow"}


async def test_stalled_domestic(env: Env) -> None:
    await env.service.ingest(TN, "SF", [ev(env, 0, "顺丰速运 已收取快件")], "mqtt")
    await env.advance_h(23.99)
    assert env.open_kinds(TN) == {}
    await env.advance_h(0.01)
    assert env.open_kinds(TN) == {"stalled": "yellow"}
    await env.advance_h(24)
    assert env.open_kinds(TN) == {"stalled": "red"}
    assert env.raised(TN, "stalled") == 1
    assert [e["type"] for e in env.events()] == ["parcel.anomaly_raised", "parcel.anomaly_escalated"]
    await env.service.ingest(TN, "SF", [ev(env, 48.5, "快件到达 【北京顺义集散中心】")], "mqtt")
    assert env.open_kinds(TN) == {}
    assert env.cleared(TN, "stalled") == 1


async def test_stalled_cross_border_waits_72h(env: Env) -> None:
    await env.service.follow(TN, cross_border=True)
    await env.service.ingest(TN, "SF", [ev(env, 0, "Picked up")], "mqtt")
    await env.advance_h(71.9)
    assert "stalled" not in env.open_kinds(TN)
    await env.advance_h(0.1)
    assert env.open_kinds(TN)["stalled"] == "yellow"


async def test_stuck_at_node(env: Env) -> None:
    await env.service.ingest(TN, "SF", [ev(env, 0, "已揽收", "深圳"), ev(env, 2, "快件到达", "广州中转场")], "mqtt")
    for h in (12, 24, 36):
        await env.advance_h(12)
        await env.service.ingest(TN, "SF", [ev(env, h, "在分拣中心进行分拣", "广州中转场")], "mqtt")
    assert "stuck_at_node" not in env.open_kinds(TN)
    await env.advance_h(49.9 - 36)
    assert "stuck_at_node" not in env.open_kinds(TN)
    await env.advance_h(0.1)
    assert env.open_kinds(TN).get("stuck_at_node") == "yellow"
    await env.service.ingest(TN, "SF", [ev(env, 51, "快件离开 发往【北京】", "北京集散中心")], "mqtt")
    assert "stuck_at_node" not in env.open_kinds(TN)
    assert (env.raised(TN, "stuck_at_node"), env.cleared(TN, "stuck_at_node")) == (1, 1)


async def test_delivery_failed(env: Env) -> None:
    await env.service.ingest(TN, "SF", [ev(env, 0, "已揽收"), ev(env, 20, "正在派送途中")], "mqtt")
    await env.service.ingest(TN, "SF", [ev(env, 22, "快件派送不成功(因电话无人接听)")], "mqtt")
    assert env.open_kinds(TN) == {"delivery_failed": "yellow"}
    await env.service.ingest(TN, "SF", [ev(env, 30, "收件人不在家，预约再次派送")], "mqtt")
    assert env.open_kinds(TN) == {"delivery_failed": "red"}
    assert env.raised(TN, "delivery_failed") == 1
    await env.service.ingest(TN, "SF", [ev(env, 40, "快件已放入丰巢智能柜，请凭取件码取件")], "mqtt")
    assert env.open_kinds(TN) == {}
    assert env.cleared(TN, "delivery_failed") == 1


async def test_customs_held(env: Env) -> None:
    await env.service.follow(TN, cross_border=True)
    await env.service.ingest(TN, "DHL", [ev(env, 0, "Shipment picked up"), ev(env, 10, "Clearance delay - Import")], "mqtt")
    assert env.open_kinds(TN) == {"customs_held": "yellow"}
    await env.advance_h(10 + 71.9)
    assert env.open_kinds(TN)["customs_held"] == "yellow"
    await env.advance_h(0.1)
    assert env.open_kinds(TN)["customs_held"] == "red"
    await env.service.ingest(TN, "DHL", [ev(env, 83, "Cleared customs")], "mqtt")
    assert "customs_held" not in env.open_kinds(TN)
    assert (env.raised(TN, "customs_held"), env.cleared(TN, "customs_held")) == (1, 1)


async def test_returned(env: Env) -> None:
    await env.service.ingest(TN, "ZTO", [ev(env, 0, "收件"), ev(env, 30, "退件")], "mqtt")
    assert env.open_kinds(TN) == {"returned": "red"}
    await env.service.ingest(TN, "ZTO", [ev(env, 60, "退件签收")], "mqtt")
    assert env.open_kinds(TN) == {"returned": "red"}
    assert env.raised(TN, "returned") == 1
    await env.advance_h(24 * 30)
    assert env.raised(TN, "returned") == 1
    await env.service.resolve(TN, "returned", actor="desk", note="refund agreed")
    assert env.open_kinds(TN) == {}
    assert env.cleared(TN, "returned") == 1


async def test_carrier_exception(env: Env) -> None:
    await env.service.ingest(TN, "SF", [ev(env, 0, "已揽收"), ev(env, 5, "快件外包装破损，正在处理")], "mqtt")
    assert env.open_kinds(TN) == {"exception": "yellow"}
    await env.service.ingest(TN, "SF", [ev(env, 6, "快递员取出包裹")], "mqtt")  # another exception: no new raise
    await env.service.ingest(TN, "SF", [ev(env, 9, "快件离开 【深圳宝安】，发往【深圳集散中心】")], "mqtt")
    assert env.open_kinds(TN) == {}
    assert (env.raised(TN, "exception"), env.cleared(TN, "exception")) == (1, 1)


async def test_late(env: Env) -> None:
    await env.service.follow(TN, expected_by=env.at(30))
    await env.service.ingest(TN, "SF", [ev(env, 0, "已揽收")], "mqtt")
    await env.advance_h(20)
    await env.service.ingest(TN, "SF", [ev(env, 20, "快件到达 【北京顺义集散中心】")], "mqtt")
    await env.advance_h(9.9)
    assert "late" not in env.open_kinds(TN)
    await env.advance_h(0.1)
    assert env.open_kinds(TN)["late"] == "yellow"
    await env.advance_h(48)
    assert env.open_kinds(TN)["late"] == "red"
    await env.service.ingest(TN, "SF", [ev(env, 79, "已签收,感谢使用顺丰")], "mqtt")
    assert env.open_kinds(TN) == {}
    assert (env.raised(TN, "late"), env.cleared(TN, "late")) == (1, 1)


async def test_cross_border_stale_counts_working_days(env: Env) -> None:
    await env.service.follow(TN, cross_border=True)
    # Wednesday 10:00 local; 15 Chinese working days later is 3 calendar weeks later
    await env.service.ingest(TN, "EMS", [ev(env, 0, "Departed from departure country/region")], "mqtt")
    await env.advance_h(20 * 24)
    assert "cross_border_stale" not in env.open_kinds(TN)
    await env.advance_h(24)
    assert env.open_kinds(TN)["cross_border_stale"] == "red"
    await env.service.ingest(TN, "EMS", [ev(env, 21 * 24 + 1, "Arrival at destination country")], "mqtt")
    assert "cross_border_stale" not in env.open_kinds(TN)
    assert env.raised(TN, "cross_border_stale") == 1


async def test_parcel_reaching_the_site_clears_everything(env: Env) -> None:
    await env.service.ingest(TN, "SF", [ev(env, 0, "已揽收")], "mqtt")
    await env.advance_h(30)
    assert env.open_kinds(TN) == {"stalled": "yellow"}
    await env.service.parcel_reached_site(TN)
    assert env.open_kinds(TN) == {}
    await env.advance_h(100)
    assert env.raised(TN, "stalled") == 1


async def test_followup_task_and_escalation_after_7_days(env: Env) -> None:
    await env.service.ingest(TN, "ZTO", [ev(env, 0, "收件"), ev(env, 1, "客户拒收")], "mqtt")
    tasks = env.store.read_sync(lambda tx: tx.all("SELECT kind, state, due_at FROM tasks ORDER BY id"))
    assert [t["kind"] for t in tasks] == ["tracking_followup"]
    await env.advance_h(7 * 24 - 0.1)
    assert [t["kind"] for t in env.store.read_sync(lambda tx: tx.all("SELECT kind FROM tasks"))] == ["tracking_followup"]
    await env.advance_h(0.2)
    await env.advance_h(7 * 24)
    await env.advance_h(30 * 24)
    rows = env.store.read_sync(lambda tx: tx.all("SELECT kind, title FROM tasks ORDER BY id"))
    assert [r["kind"] for r in rows] == ["tracking_followup", "tracking_escalation", "tracking_escalation"]
    assert "carrier" in rows[1]["title"] and "postal authority" in rows[2]["title"]


@pytest.mark.parametrize("full", [False, True])
async def test_sweep_touches_only_due_waybills(env: Env, full: bool) -> None:
    for i in range(5):
        await env.service.ingest(f"SF12345678901{i:02d}", "SF", [ev(env, 0, "已揽收")], "mqtt")
    r = await env.service.sweep(full=full)
    assert r["checked"] == (5 if full else 0)
    env.clock.advance(24 * 3600)
    r = await env.service.sweep()
    assert (r["checked"], r["raised"]) == (5, 5)
    r = await env.service.sweep()
    assert r["raised"] == 0


async def test_sweep_in_batches_covers_everything_once(env: Env) -> None:
    for i in range(25):
        await env.service.ingest(f"SF12345678902{i:02d}", "SF", [ev(env, 0, "已揽收")], "mqtt")
    env.clock.advance(24 * 3600)
    r = await env.service.sweep(batch=4)
    assert (r["checked"], r["raised"]) == (25, 25)
    r = await env.service.sweep(full=True, batch=4)
    assert (r["checked"], r["raised"]) == (25, 0)


async def test_expected_date_means_end_of_the_local_day(env: Env) -> None:
    # T0 is 2026-03-11 10:00 in Shanghai; "2026-03-11" is late from 2026-03-12 00:00 local = 03-11 16:00Z
    await env.service.follow(TN, expected_by="2026-03-11")
    await env.service.ingest(TN, "SF", [ev(env, 0, "已揽收")], "mqtt")
    await env.advance_h(13.9)
    assert "late" not in env.open_kinds(TN)
    await env.advance_h(0.1)
    assert env.open_kinds(TN)["late"] == "yellow"
    with pytest.raises(DomainError):
        await env.service.follow(TN, expected_by="next week")
    with pytest.raises(DomainError):
        await env.service.follow(TN, category="chilled")


async def test_purge_forgets_old_finished_waybills_only(env: Env) -> None:
    await env.service.ingest(TN, "SF", [ev(env, 0, "已揽收"), ev(env, 5, "已放入丰巢柜")], "mqtt")
    await env.service.ingest("YT1234567890123", "YTO", [ev(env, 0, "已揽收")], "mqtt")
    env.clock.advance(200 * 86400)
    r = await env.service.purge(180)
    assert r == {"waybills": 1, "events": 2}
    assert await env.service.events(TN) == []
    assert len(await env.service.events("YT1234567890123")) == 1
