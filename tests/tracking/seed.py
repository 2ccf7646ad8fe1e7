"""Sample waybills for the in-transit board, the dossier and their screenshots (simulated clock)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from edge.clock import utc_iso


async def seed_board(d: Any) -> dict[str, str]:
    """A few parcels in every grade; returns {name: tracking number}. Advances the clock by 3 h."""
    svc = d.tracking.service
    p = d.services.parcels
    t0 = d.clock.now()

    def at(h: float) -> str:
        return utc_iso(t0 + timedelta(hours=h))

    # history so the ETA has samples: SF parcels took 30-50 h first scan to arrival
    for i in range(8):
        tn = f"SF90000000{i:05d}"
        await svc.follow(tn, carrier="SF")
        await svc.parcel_reached_site(tn)
        await svc.ingest(tn, "SF", [{"time": at(-300 + i), "text": "顺丰速运 已收取快件"},
                                    {"time": at(-300 + i + 30 + 3 * i), "text": "快件已放入丰巢智能柜，请凭取件码取件"}])
    tns = {"dnh": "SF1801000000001", "fresh": "SF1801000000002", "failed": "YT1801000000003",
           "moving": "SF1801000000004", "medicine": "JD1801000000005", "waiting": "ZTO180100000006"}
    await p.expect(tracking_number=tns["dnh"], unit="3-502", carrier="SF", actor="desk", source="console")
    await p.expect(tracking_number=tns["fresh"], unit="2-1101", carrier="SF", category="fresh", actor="desk",
                   source="console")
    await p.expect(tracking_number=tns["failed"], unit="1-302", carrier="YTO", actor="desk", source="console")
    await p.expect(tracking_number=tns["moving"], unit="5-201", carrier="SF", actor="desk", source="console")
    await p.expect(tracking_number=tns["medicine"], unit="1-101", carrier="JD", category="medicine",
                   actor="desk", source="console")
    await p.expect(tracking_number=tns["waiting"], unit="6-601", carrier="ZTO", actor="desk", source="console")
    await svc.ingest(tns["dnh"], "SF", [{"time": at(-30), "text": "顺丰速运 已收取快件", "location": "深圳"},
                                        {"time": at(-1), "text": "您的快件已由【阳光小区东门菜鸟驿站】代收，请及时取件",
                                         "location": "上海浦东"}], source="kuaidi100")
    await svc.ingest(tns["fresh"], "SF", [{"time": at(-8), "text": "顺丰速运 已收取快件", "location": "嘉兴"},
                                          {"time": at(-6), "text": "快件到达 【上海虹桥集散中心】", "location": "上海"}])
    await svc.ingest(tns["failed"], "YTO", [{"time": at(-20), "text": "【杭州市】圆通速递 已揽收", "location": "杭州"},
                                            {"time": at(-2), "text": "快件派送不成功(因电话无人接听)", "location": "上海浦东"}])
    await svc.ingest(tns["moving"], "SF", [{"time": at(-10), "text": "顺丰速运 已收取快件", "location": "广州"},
                                           {"time": at(-2), "text": "快件到达 【上海虹桥集散中心】", "location": "上海"}])
    await svc.ingest(tns["medicine"], "JD", [{"time": at(-2), "text": "您的订单已由京东快递揽收", "location": "北京"}])
    await svc.ingest(tns["moving"], "SF", [{"time": at(-1.5), "text": "Departed facility Shanghai Hongqiao"}],
                     source="17track")
    d.clock.advance(3 * 3600)
    await svc.sweep()
    return tns
