"""The labels queue names the waybills a text came from also when the text was queued under no carrier
(review26, issue 18): the ingest named none, the waybill's carrier is known from its number."""

from __future__ import annotations

from typing import Any

from edge.tracking.service import TrackingService


async def test_a_text_queued_without_a_carrier_names_its_waybill(env: Any) -> None:
    svc: TrackingService = env.service
    # no carrier given: queued under the no-carrier row, while `tracked` reads ZTO from the number
    await svc.ingest("73123456789012", None, [{"time": env.at(0), "text": "快件信息已同步至第3号系统"}])
    await svc.ingest("SF1234567890123", "SF", [{"time": env.at(1), "text": "快件信息已同步至第4号系统"}])
    queue = await svc.label_queue()
    by_carrier = {q["carrier"]: q for q in queue}
    assert set(by_carrier) == {"", "SF"}, queue
    assert [s["tracking_number"] for s in by_carrier[""]["sources"]] == ["73123456789012"]
    assert [s["tracking_number"] for s in by_carrier["SF"]["sources"]] == ["SF1234567890123"]
