"""Folded messages on SMS template channels (docs/notifications.md, "Folded messages on SMS templates").

Aliyun and Tencent send approved templates, never free text (domestic SMS in China), so a folded message can
only reach them as template values. Before this change the template got the first parcel's values: three
parcels under one code read "您的包裹（SF…0101）已存入…" with the other two left out. Now the template may name
`count`, `carriers`, `places`, and `tracking` lists every parcel's number, each cut at a whole item to the
provider's length limit. Against loopback servers speaking each provider's API (signatures checked)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from edge.config import ConfigError, parse_config
from edge.notify import merge
from edge.notify import queue as Q
from edge.notify.channels import tencent
from edge.notify.channels.base import Outgoing
from edge.notify.config import TencentSmsChannel
from tests.conftest import Site, start_site
from tests.notify.conftest import messages, wait_for
from tests.notify.receiver import Receiver
from tests.notify.test_config import _site
from tests.notify.test_merge_quiet import _deposit_three, _settled
from tests.notify.test_providers import MSG, _secret
from tests.notify.test_sms_template_link import _ok_aliyun, _ok_tencent

PHONE = "+8613812341234"


def _aliyun(tmp_path: Path, srv: Receiver, **extra: Any) -> dict[str, Any]:
    return {"kind": "sms-aliyun", "access_key_id": "LTAI-test", "access_key_secret_file": _secret(tmp_path, "ak", "s3cret"),
            "sign_name": "阳光花园", "templates": {"stored": "SMS_100001"}, "endpoint": srv.url + "/"} | extra


async def _with_phone(site: Site) -> None:
    from edge.services.directory import KEEP_PHONE_KEY, upsert_unit_tx
    from edge.services.unit_rows import UnitIn

    def put(tx: Any) -> None:
        tx.meta_set(KEEP_PHONE_KEY, "1")
        upsert_unit_tx(tx, UnitIn(unit="1-101", phone=PHONE), actor="staff:test", source="test")
    await site.daemon.store.write(put)


@pytest.fixture
async def aliyun_site(tmp_path: Path) -> AsyncIterator[tuple[Site, Receiver]]:
    srv = Receiver(_ok_aliyun).start()
    names = ["count", "carriers", "places", "tracking", "code", "deadline"]
    site = await start_site(tmp_path / "site", notify={
        "channels": [_aliyun(tmp_path, srv, template_params_by_kind={"stored": names})],
        "merge_window_s": 60, "quiet_hours": ""})
    await _with_phone(site)
    try:
        yield site, srv
    finally:
        await site.daemon.stop()
        srv.stop()


def _template_params(srv: Receiver) -> list[dict[str, str]]:
    return [json.loads(dict(parse_qsl(urlsplit(r["path"]).query))["TemplateParam"]) for r in srv.requests]


async def test_three_stored_under_one_code_fill_the_aliyun_template_with_all_three(aliyun_site: Any) -> None:
    site, srv = aliyun_site
    pids = await _deposit_three(site)
    site.clock.advance(61)
    await wait_for(lambda: srv.requests, what="the folded SMS")
    await _settled(site)
    (sent,) = _template_params(srv)
    doors = [(await site.parcel(p))["compartment_id"] for p in pids]
    assert sent["count"] == "3"
    assert sent["carriers"] == "顺丰速运、京东物流、圆通速递"
    assert sent["places"] == f"智能柜 {'、'.join(doors)} 格口"
    # 3 numbers of 15 characters do not fit Aliyun's 35: two whole ones and how many in all
    assert sent["tracking"] == "SF1234567890101、JD0012345678901等3件", sent
    assert sent["code"] == await site.code_of(pids[0]) and sent["deadline"]
    assert all(len(v) <= 35 for v in sent.values())
    rows = await messages(site)
    assert [r["state"] for r in rows] == ["sent", "merged", "merged"]


async def test_one_parcel_alone_fills_the_same_template(aliyun_site: Any) -> None:
    site, srv = aliyun_site
    await site.deposit("SF1234567890101")
    site.clock.advance(61)
    await wait_for(lambda: srv.requests, what="the SMS")
    (sent,) = _template_params(srv)
    assert (sent["count"], sent["carriers"], sent["tracking"]) == ("1", "顺丰速运", "SF1234567890101")


async def test_a_kind_without_a_names_list_keeps_the_values_it_always_had(tmp_path: Path) -> None:
    """No `template_params_by_kind`: TemplateParam carries code, tracking, unit and deadline, as before; a folded
    message's `tracking` lists its parcels (the template's own value, now every parcel's)."""
    srv = Receiver(_ok_aliyun).start()
    site = await start_site(tmp_path / "site", notify={"channels": [_aliyun(tmp_path, srv)], "merge_window_s": 60,
                                                       "quiet_hours": ""})
    try:
        await _with_phone(site)
        await _deposit_three(site)
        site.clock.advance(61)
        await wait_for(lambda: srv.requests, what="the folded SMS")
        (sent,) = _template_params(srv)
        assert set(sent) == {"code", "tracking", "unit", "deadline"}
        assert sent["tracking"] == "SF1234567890101、JD0012345678901等3件"
    finally:
        await site.daemon.stop()
        srv.stop()


async def test_tencent_gets_the_folded_values_in_its_templates_order(tmp_path: Path) -> None:
    parts = tuple(json.loads(merge.data(name=n, compartment=c, shelf=None, site="阳光花园", code="1234567890",
                                        desk="", phone="", deadline_at=None, tracking=t))
                  for n, c, t in (("顺丰速运", "A-01", "SF1"), ("京东物流", "A-03", "JD2"), ("顺丰速运", "B-02", "SF3")))
    srv = Receiver(_ok_tencent).start()
    try:
        cfg = TencentSmsChannel(kind="sms-tencent", secret_id="AKIDtest", secret_key_file=_secret(tmp_path, "k", "tk3y"),
                                sdk_app_id="1400000000", sign_name="阳光花园", templates={"stored": "449739"},
                                template_params_by_kind={"stored": ["count", "carriers", "places", "code"]},
                                param_max_chars=14, endpoint=srv.url + "/")
        ch = tencent.TencentSms(cfg)
        await ch.start()
        try:
            await ch.send(Outgoing(**{**MSG.__dict__, "parts": parts}))
        finally:
            await ch.stop()
        (body,) = [json.loads(r["body"]) for r in srv.requests]
        # 14 characters at most: "智能柜 A-01、A-03、B-02 格口" (22) becomes its first door and how many in all
        assert body["TemplateParamSet"] == ["3", "顺丰速运、京东物流", "智能柜 A-01 格口等3处", "1234567890"], body
    finally:
        srv.stop()


async def test_a_second_fold_keeps_the_parcels_of_the_first(tmp_path: Path, receiver: Receiver) -> None:
    """A restart between the fold and the send, then another message of the key: the second fold named only the
    kept parcel and the new one (the kept row's words were its first parcel's); the middle parcel was lost."""
    site = await start_site(tmp_path / "site", notify={"channels": [{"kind": "webhook", "url": receiver.url + "/hook"}],
                                                       "merge_window_s": 60, "quiet_hours": ""})
    try:
        await site.deposit("SF1234567890101")
        site.clock.advance(5)
        await site.deposit("JD0012345678901")
        first = (await messages(site))[0]["id"]
        await site.daemon.store.write(lambda tx: Q.fold(tx, first))  # the fold, committed; no send yet
        await site.deposit("YT1234567890123")
        row = await site.daemon.store.write(lambda tx: Q.fold(tx, first))
        assert "您的3件包裹（顺丰速运、京东物流、圆通速递）" in row["text"], row["text"]
        assert [p["tracking"] for p in merge.parts(row["merge_data"])] == [
            "SF1234567890101", "JD0012345678901", "YT1234567890123"]
    finally:
        await site.daemon.stop()


def test_fit_cuts_at_a_whole_item() -> None:
    items = ["SF1234567890101", "JD0012345678901", "YT1234567890123"]
    assert merge.fit(items, "zh-CN", 50) == "、".join(items)
    assert merge.fit(items, "en", 43) == "SF1234567890101, JD0012345678901 and 1 more"
    assert merge.fit(items, "en", 30) == "SF1234567890101 and 2 more"
    assert len(merge.fit(items, "zh-CN", 6)) == 6  # nothing whole fits: the first, cut


@pytest.mark.parametrize("kind", ["sms-aliyun", "sms-tencent"])
def test_an_unknown_template_value_is_refused_naming_it(kind: str) -> None:
    ch: dict[str, Any] = {"kind": kind, "sign_name": "s", "templates": {"stored": "1"},
                          "template_params_by_kind": {"stored": ["code", "parcels"]}}
    ch |= ({"access_key_id": "a", "access_key_secret_file": "/k"} if kind == "sms-aliyun" else
           {"secret_id": "a", "secret_key_file": "/k", "sdk_app_id": "1"})
    with pytest.raises(ConfigError) as exc:
        parse_config(_site({"channels": [ch]}), "site.toml")
    text = exc.value.explain()
    assert "'parcels'" in text and "count, carriers, places" in text, text


def test_a_cut_places_value_counts_places_not_parcels() -> None:
    """Six parcels on three parcel-room shelves, two on each: "等N处" said 等6处 (the parcels), for 3 places."""
    parts = [json.loads(merge.data(name="顺丰速运", compartment=None, shelf=s, site="阳光花园", code="1234567890",
                                   desk="", phone="", deadline_at=None, tracking=f"SF12345678901{i:02d}"))
             for i, s in enumerate(["R1", "R1", "R2", "R2", "R3", "R3"])]
    assert merge.template_values(parts, "zh-CN", 15, "")["places"] == "包裹室 R1、R2、R3 货架"
    assert merge.template_values(parts, "zh-CN", 14, "")["places"] == "包裹室 R1 货架等3处"  # 3 places in all
    assert merge.template_values(parts, "en", 38, "")["places"] == "the parcel room, shelves R1, R2 and R3"
    assert merge.template_values(parts, "en", 37, "")["places"] == "the parcel room, shelf R1 and 2 more"
    # four shelves: the first two named, four in all
    four = parts + [parts[0] | {"shelf": "R4"}]
    assert merge.template_values(four, "zh-CN", 16, "")["places"] == "包裹室 R1、R2 货架等4处"
    # a locker door and two shelves, parcels sharing them: three places in all
    mixed = [parts[0], parts[1], parts[2]] + [json.loads(merge.data(
        name="京东物流", compartment="A-01", shelf=None, site="阳光花园", code="1234567890", desk="", phone="",
        deadline_at=None, tracking="JD0012345678901"))]
    assert merge.template_values(mixed, "zh-CN", 14, "")["places"] == "包裹室 R1 货架等3处"
