"""delivered_not_here and source_conflict on the simulated clock (service level), and the pure helpers."""

from __future__ import annotations

import json

from edge.tracking.handover import where_it_went
from edge.tracking.messages import eta_phrase, resident_text
from edge.tracking.settings import TrackingSettings
from edge.tracking.sources import SourceEvent, conflict, freshness

TN = "SF1400000000001"


async def test_raised_after_two_hours_with_the_place_and_cleared_by_the_deposit(env):
    await env.service.ingest(TN, "SF", [
        {"time": env.at(0), "text": "顺丰速运 已收取快件"},
        {"time": env.at(0), "text": "您的快件已由【阳光小区东门菜鸟驿站】代收，请及时取件"},
    ], source="mqtt")
    assert env.open_kinds(TN) == {}
    await env.advance_h(1.9)
    assert "delivered_not_here" not in env.open_kinds(TN)
    await env.advance_h(0.2)
    assert env.open_kinds(TN) == {"delivered_not_here": "red"}
    raised = [e for e in env.events("parcel.anomaly_raised") if e["kind"] == "delivered_not_here"]
    assert len(raised) == 1
    assert raised[0]["place"] == {"kind": "station", "name": "阳光小区东门菜鸟驿站"}
    assert "阳光小区东门菜鸟驿站" in raised[0]["next_action"]
    # the sweep again: raised once
    await env.advance_h(5)
    assert env.raised(TN, "delivered_not_here") == 1
    # the parcel reaches the site (a deposit or desk intake): cleared
    await env.service.parcel_reached_site(TN, None)
    assert env.open_kinds(TN) == {}
    assert env.cleared(TN, "delivered_not_here") == 1


async def test_not_raised_when_the_deposit_came_first(env):
    await env.service.follow(TN, carrier="SF")
    await env.service.parcel_reached_site(TN, None)
    await env.service.ingest(TN, "SF", [{"time": env.at(0), "text": "快件已投递至【幸福里3号楼丰巢柜】"}])
    await env.advance_h(10)
    assert env.open_kinds(TN) == {}


async def test_staff_resolution_is_final(env):
    await env.service.ingest(TN, "SF", [{"time": env.at(0), "text": "已签收，签收人是【门卫】"}])
    await env.advance_h(3)
    assert env.open_kinds(TN) == {"delivered_not_here": "red"}
    await env.service.resolve(TN, "delivered_not_here", actor="desk1", note="found at the guard house")
    await env.advance_h(48)
    assert env.open_kinds(TN) == {} and env.raised(TN, "delivered_not_here") == 1


async def test_hours_are_configurable_and_zero_turns_it_off(tmp_path):
    s = TrackingSettings.model_validate({"domestic": {"delivered_not_here_h": 0}})
    assert s.domestic.delivered_not_here_h == 0
    assert TrackingSettings().priority.delivered_not_here_h == 2


async def test_source_conflict_milestone(env):
    await env.service.ingest(TN, "SF", [{"time": env.at(0), "text": "已揽收"},
                                        {"time": env.at(10), "text": "快件已放入丰巢智能柜，请凭取件码取件"}],
                             source="kuaidi100")
    assert "source_conflict" not in env.open_kinds(TN)
    await env.service.ingest(TN, "SF", [{"time": env.at(11), "text": "快件派送不成功(因电话无人接听)"}],
                             source="kdniao")
    kinds = env.open_kinds(TN)
    assert kinds.get("source_conflict") == "yellow"
    raised = [e for e in env.events("parcel.anomaly_raised") if e["kind"] == "source_conflict"]
    assert raised[0]["conflict"]["reason"] == "milestone"
    assert set(raised[0]["conflict"]["sources"]) == {"kuaidi100", "kdniao"}


def test_source_conflict_silence_pure():
    evs = [SourceEvent(0, "picked_up", "kuaidi100"), SourceEvent(0, "picked_up", "17track"),
           SourceEvent(10 * 3600, "arrived_at_hub", "17track"), SourceEvent(30 * 3600, "departed_hub", "17track")]
    found = conflict(evs)
    assert found is not None and found["reason"] == "silent" and found["silent_source"] == "kuaidi100"
    assert conflict(evs[:3]) is None  # 10 h of silence is not long
    assert conflict([SourceEvent(0, "picked_up", "a")]) is None


def test_freshness_per_source():
    f = freshness([("kuaidi100", 0, 60), ("kuaidi100", 0, 120), ("", 100, 50)])
    assert f["kuaidi100"]["events"] == 2 and f["kuaidi100"]["avg_s"] == 90
    assert f["site"]["avg_s"] == 0


def test_where_it_went_table():
    table = {
        "您的快件已由【阳光小区东门菜鸟驿站】代收": ("station", "阳光小区东门菜鸟驿站"),
        "已签收，签收人是【门卫】": ("signer", "门卫"),
        "已签收,签收人:前台": ("signer", "前台"),
        "快件已投递至【幸福里3号楼丰巢柜】": ("locker", "幸福里3号楼丰巢柜"),
        "快件已放入丰巢智能柜，请凭取件码取件": ("locker", "丰巢快递柜"),
        "已由门卫代收": ("signer", "门卫"),
        "Delivered, signed for by: J SMITH": ("signer", "J SMITH"),
        "Delivered to parcel locker at Main St 5": ("locker", "parcel locker Main St 5"),
    }
    for text, want in table.items():
        got = where_it_went(text)
        assert got is not None and (got.kind, got.name) == want, text
    for text in ("快件派送不成功", "【北京市】 已签收，签收人凭取货码签收", "In transit", ""):
        assert where_it_went(text) is None, text


def test_resident_text_has_the_eta_and_the_place():
    s = TrackingSettings()
    eta = {"eta_from": "2026-03-12T02:00:00Z", "eta_to": "2026-03-14T02:00:00Z", "confidence": "medium"}
    assert eta_phrase(eta, "zh-CN") == "预计周四至周六送达"
    assert eta_phrase(eta, "en") == "expected Thursday to Saturday"
    text = resident_text(s, "stalled", TN, "en", eta=eta)
    assert text.endswith("It is expected Thursday to Saturday.")
    text = resident_text(s, "delivered_not_here", TN, "zh-CN", place={"kind": "signer", "name": "门卫"})
    assert "签收人：门卫" in text and "{" not in text
    assert json.dumps(text, ensure_ascii=False)
