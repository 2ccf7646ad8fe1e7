"""Round 3 code tables (edge/tracking/data/codes/{usps,cainiao,ups,yamato,sagawa,japanpost}.json) against their
sources: each cites where its codes come from, a specific code decides before the text with the source's meaning,
a coarse code lets the text decide, and a `delivered` code never stands against a locker, station, agent,
third-party or return text."""

from __future__ import annotations

import json

import pytest

from edge.tracking.classify import Classifier
from edge.tracking.packs import CODE_DIR, load_code_table

# (carrier as a feed names it, code, milestone) as the source says it
CASES = [
    # USPS::WebTools::Tracking::Codes (index:15200146383)
    ("USPS", "01", "delivered"), ("usps", "02", "delivery_failed"), ("USPS", "03", "picked_up"),
    ("USPS", "04", "delivery_failed"), ("USPS", "07", "arrived_at_hub"), ("USPS", "09", "return_started"),
    ("USPS", "16", "available_for_pickup"), ("USPS", "27", "return_started"), ("USPS", "OF", "out_for_delivery"),
    ("USPS", "EF", "departed_hub"), ("USPS", "MA", "label_created"), ("USPS", "55", "delivery_failed"),
    # Cainiao action codes, Taobao TOP SDK Details (index:33055644629)
    ("菜鸟", "GTMS_SIGNED", "delivered"), ("CAINIAO", "GTMS_STA_SIGNED", "available_for_pickup"),
    ("CAINIAO", "GSTA_SIGN", "delivered"), ("CAINIAO", "GTMS_WAIT_SELF_PICK", "available_for_pickup"),
    ("CAINIAO", "CC_IM_SUCCESS", "customs_cleared"), ("CAINIAO", "CC_EX_FAILURE", "customs_held"),
    ("CAINIAO", "LH_DEPART", "departed_hub"), ("CAINIAO", "PU_PICKUP_SUCCESS", "picked_up"),
    ("CAINIAO", "GTMS_DELIVERING", "out_for_delivery"), ("CAINIAO", "RETURNED", "returned"),
    ("CAINIAO", "GWMS_ACCEPT", "label_created"),
    # karrio's UPS connector (karrioapi/karrio:modules/connectors/ups/.../units.py)
    ("UPS", "M", "label_created"), ("UPS", "OR", "picked_up"), ("UPS", "DP", "departed_hub"), ("UPS", "AR", "arrived_at_hub"),
    ("UPS", "OT", "out_for_delivery"), ("UPS", "RF", "delivery_failed"), ("UPS", "RS", "return_started"),
    # Yamato / Sagawa / Japan Post status words
    ("ヤマト運輸", "荷物受付", "picked_up"), ("YAMATO", "作業店通過", "in_transit"), ("YAMATO", "持戻（ご不在）", "delivery_failed"),
    ("YAMATO", "配達完了", "delivered"), ("佐川急便", "配達終了", "delivered"),
    ("日本郵便", "引受", "picked_up"), ("JAPANPOST", "差出人に返送", "return_started"),
]


@pytest.mark.parametrize(("carrier", "code", "milestone"), CASES)
def test_code_decides(carrier: str, code: str, milestone: str) -> None:
    got = Classifier().classify("status update", carrier, code)
    assert (got.milestone, got.rule) == (milestone, "code")


@pytest.mark.parametrize(("carrier", "code", "text", "milestone"), [
    ("USPS", "71", "Rescheduled to Next Delivery Day", "exception"),  # coarse: the text decides
    ("UPS", "I", "Arrival Scan", "arrived_at_hub"),
    ("CAINIAO", "GTMS_STATION_IN", "到达【东京站】", "arrived_at_hub"),
])
def test_a_coarse_code_lets_the_text_decide(carrier: str, code: str, text: str, milestone: str) -> None:
    assert Classifier().classify(text, carrier, code).milestone == milestone


@pytest.mark.parametrize(("text", "carrier", "code"), [
    ("Delivered, Parcel Locker", "USPS", "01"),
    ("Delivered to a UPS Access Point", "UPS", "D"),
    ("已签收，签收人：菜鸟驿站", "CAINIAO", "GTMS_SIGNED"),
    ("宅配ボックスに配達完了", "YAMATO", "配達完了"),
    ("Delivered to sender", "USPS", "01"),
    ("投递并签收，签收人：门卫", "CAINIAO", "SIGNED"),
])
def test_a_delivered_code_never_stands_against_a_point_third_party_or_return(text: str, carrier: str, code: str) -> None:
    assert Classifier().classify(text, carrier, code).milestone != "delivered"


def test_every_table_cites_a_source_and_every_code_has_a_meaning() -> None:
    for name in ("usps", "cainiao", "ups", "yamato", "sagawa", "japanpost"):
        path = CODE_DIR / f"{name}.json"
        obj = json.loads(path.read_text(encoding="utf-8"))
        assert obj["source"].strip() and obj["note"].strip(), name
        assert all(str(e.get("meaning", "")).strip() for e in obj["codes"].values()), name
        carrier, table = load_code_table(path)
        assert carrier == obj["carrier"] and len(table) == len(obj["codes"])
