"""The Chinese carriers' code tables (edge/tracking/data/codes/{sf,zto,sto,yto,yunda,jt,jd,best}.json) against
their source, fuzui/aggregatelogistics' scan-type constants: a specific code decides before the text, and a
`delivered` code never stands against a locker, station, agent or third-party text."""

from __future__ import annotations

import pytest

from edge.tracking.classify import Classifier

# (carrier as a feed names it, code, milestone) as the source's comments say
CASES = [
    ("顺丰速运", "50", "picked_up"), ("SF", "30", "departed_hub"), ("SF", "31", "arrived_at_hub"),
    ("SF", "44", "out_for_delivery"), ("SF", "70", "delivery_failed"), ("SF", "80", "delivered"),
    ("SF", "607", "available_for_pickup"), ("SF", "130", "arrived_at_hub"),
    ("中通快递", "到件", "arrived_at_hub"), ("ZTO", "发件", "departed_hub"), ("ZTO", "第三方签收", "available_for_pickup"),
    ("ZTO", "退件签收", "returned"), ("ZTO", "ARRIVAL", "available_for_pickup"), ("ZTO", "SIGNED", "delivered"),
    ("申通快递", "驿站代收", "available_for_pickup"), ("STO", "装袋", "in_transit"),
    ("圆通速递", "已收件", "picked_up"), ("YTO", "派件中", "out_for_delivery"),
    ("韵达快递", "INBOUND", "available_for_pickup"), ("YUNDA", "SIGNFAIL", "delivery_failed"),
    ("YUNDA", "CLEARANCE_FAIL", "customs_held"), ("YUNDA", "departure", "departed_hub"),
    ("极兔速递", "入库扫描", "available_for_pickup"), ("J&T", "出库扫描", "delivered"), ("JT", "问题件扫描", "exception"),
    ("京东物流", "420", "picked_up"), ("JD", "530", "delivery_failed"), ("JD", "100", "label_created"),
    ("百世快递", "用户提货", "delivered"), ("BEST", "入库/入柜", "available_for_pickup"), ("HTKY", "客户拒收", "delivery_failed"),
]


@pytest.mark.parametrize(("carrier", "code", "milestone"), CASES)
def test_code_decides(carrier: str, code: str, milestone: str) -> None:
    got = Classifier().classify("快件状态更新", carrier, code)
    assert (got.milestone, got.rule) == (milestone, "code")


@pytest.mark.parametrize(("text", "carrier", "code"), [
    ("快件已放入丰巢智能柜，请凭取件码取件", "SF", "80"),
    ("您的快件已由门卫代签", "ZTO", "签收"),
    ("已签收，签收人：驿站", "YTO", "已签收"),
    ("Delivered to parcel locker", "FEDEX", "DL"),
    ("签收失败，收件人不在", "YUNDA", "SIGNED"),
    ("退件签收，寄件人签收", "ZTO", "SIGNED"),
])
def test_a_delivered_code_is_still_guarded_by_the_text(text: str, carrier: str, code: str) -> None:
    assert Classifier().classify(text, carrier, code).milestone != "delivered"


def test_a_delivered_code_stands_on_a_collection_text() -> None:
    assert Classifier().classify("您的快件已从丰巢柜取出，取件人本人", "SF", "80").milestone == "delivered"


def test_unlisted_code_leaves_the_text_to_decide() -> None:
    assert Classifier().classify("快件已到达【杭州转运中心】", "SF", "8000").milestone == "arrived_at_hub"
