"""Carrier KPIs with the false-delivery rate and per-source freshness: in the carrier report, the
service's KPI summary and the telemetry HQ receives (validated against the contract's schema)."""

from __future__ import annotations

from tests.cloud.conftest import validate_published


async def _two_waybills(svc, at) -> None:
    # one handed over and never here (delivered_not_here), one handed over and deposited
    await svc.ingest("SF1900000000001", "SF", [{"time": at(-5), "text": "顺丰速运 已收取快件"},
                                               {"time": at(-3), "text": "已签收，签收人是【门卫】"}], source="kuaidi100")
    await svc.follow("SF1900000000002", carrier="SF")
    await svc.parcel_reached_site("SF1900000000002")
    await svc.ingest("SF1900000000002", "SF", [{"time": at(-5), "text": "顺丰速运 已收取快件"},
                                               {"time": at(-1), "text": "快件已放入丰巢智能柜，请凭取件码取件"}])


async def test_false_delivery_rate_and_freshness(env):
    await _two_waybills(env.service, lambda h: env.at(h))
    await env.advance_h(1)
    rows = await env.service.carrier_report(days=30)
    sf = next(r for r in rows if r["carrier"] == "SF")
    assert sf["false_delivery_rate"] == 0.5 and sf["scan_to_received_h"] is not None
    k = await env.service.kpis()
    assert k["kpis"]["SF"]["false_delivery_rate"] == 0.5
    assert set(k["freshness"]) == {"kuaidi100", "site"}
    assert k["freshness"]["kuaidi100"]["avg_s"] == 4 * 3600  # scanned at -5 h and -3 h, received at 0 h


async def test_kpis_reach_hq_in_telemetry(broker, hq_factory, daemon_factory):
    from datetime import timedelta

    from edge.clock import utc_iso

    hq = hq_factory()
    d = await daemon_factory(broker.url)
    await hq.online(d.boot_id)
    t0 = d.clock.now()
    await _two_waybills(d.tracking.service, lambda h: utc_iso(t0 + timedelta(hours=h)))
    doc = await d.cloud.telemetry_now()
    assert doc["tracking_kpis"]["kpis"]["SF"]["false_delivery_rate"] == 0.5
    await hq.wait_for(lambda: hq.on("/telemetry"))
    assert validate_published(hq) >= 1


async def test_sources_on_the_carrier_report_page(console):
    from tests.console.conftest import HTML

    svc = console.daemon.tracking.service
    from datetime import timedelta

    from edge.clock import utc_iso
    t0 = console.daemon.clock.now()
    await _two_waybills(svc, lambda h: utc_iso(t0 + timedelta(hours=h)))
    client, _ = await console.as_user("staff")
    try:
        en = (await client.get("/reports/carriers?lang=en", headers=HTML)).text
        zh = (await client.get("/reports/carriers?lang=zh", headers=HTML)).text
    finally:
        await client.aclose()
    assert "Tracking sources" in en and "Kuaidi100" in en and "False delivery" in en
    assert "物流信息来源" in zh and "快递100" in zh and "虚假签收率" in zh
