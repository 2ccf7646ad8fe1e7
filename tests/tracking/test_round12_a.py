"""Round 12, packs12a (issue 15): en/zh/ja/de sender-stage and app wordings, on sentences written for this test
(none is a corpus text: the last test checks dev and spent slices 1-9; the blind slice is never opened).

Families: a shop or JD warehouse step (picked, packed, printed, out of the warehouse: no carrier has it yet) is
`label_created`, above the departure reading of 出库; a waybill or shipment created, confirmed or its data
transmitted is `label_created`; heading to the destination or handed to a courier is `in_transit`; customs finished
is `customs_cleared`; the courier on tour is `out_for_delivery`. A request to come and collect (请您...领取) is never
`delivered`.
"""

from __future__ import annotations

import pytest

from edge.tracking import corpus_eval as ce
from edge.tracking.classify import Classifier

CASES = [
    # --- Chinese: warehouse and sender stage
    ("zh", "您的订单已出库，等待快递员揽收", "label_created"),
    ("zh", "商品已经出库", "label_created"),
    ("zh", "仓库正准备拣货，请耐心等待", "label_created"),
    ("zh", "订单拣货完成，正在打包", "label_created"),
    ("zh", "包裹打包完毕，即将出库", "label_created"),
    ("zh", "订单已审核通过", "label_created"),
    ("zh", "您的运单已创建，等待商家发货", "label_created"),
    ("zh", "货件已确认，等待揽收", "label_created"),
    # --- Chinese: movement, customs
    ("zh", "包裹正在运往目的地城市", "in_transit"),
    ("zh", "快件正在前往目的地网点", "in_transit"),
    ("zh", "【上海国际邮件互换局】已出口直封", "departed_hub"),
    ("zh", "包裹已通过进口海关审核", "customs_cleared"),
    ("zh", "海关审核已通过，发往下一站", "customs_cleared"),
    # --- Chinese: a request to collect is not a collection; a collection is
    ("zh", "请您尽快在驿站领取您的包裹", "available_for_pickup"),
    ("zh", "为了不占用格口，请您在今天下班后到快递柜领取包裹", "available_for_pickup"),
    ("zh", "请您在方便时从驿站取件", "available_for_pickup"),
    ("zh", "您已在驿站完成取件", "delivered"),
    ("zh", "收件人已从快递柜取出包裹", "delivered"),
    # --- German
    ("de", "Ihre Sendung wurde angelegt", "label_created"),
    ("de", "Neue Sendung erstellt", "label_created"),
    ("de", "Sendung bestätigt, der Versand folgt", "label_created"),
    ("de", "Ihre Sendung wurde erstellt, aber noch nicht übergeben", "label_created"),
    ("de", "Die Paketdaten des Händlers wurden elektronisch übermittelt", "label_created"),
    ("de", "Die Sendungsdaten wurden im System erfasst", "label_created"),
    ("de", "Die Einfuhrverzollung ist abgeschlossen", "customs_cleared"),
    ("de", "Zollabfertigung im Zielland erfolgreich abgeschlossen", "customs_cleared"),
    ("de", "Sendung abgereist aus Frankfurt", "departed_hub"),
    ("de", "Lieferung an den Kurier in Leipzig", "in_transit"),
    ("de", "Der Fahrer ist mit Ihrem Paket auf Tour gegangen", "out_for_delivery"),
    ("de", "Ihr Paket ist beim Zusteller", "out_for_delivery"),
    ("de", "Die Sendung ist beim Zusteller und wird heute zugestellt", "out_for_delivery"),
    # --- English
    ("en", "Batch delivery to the carrier at Hong Kong", "in_transit"),
    ("en", "Delivery to courier completed", "in_transit"),
    ("en", "Shipment details received by the carrier", "label_created"),
    ("en", "Order data transmitted to the courier", "label_created"),
    ("en", "Shipment data received by USPS, awaiting item", "label_created"),
    # --- Japanese
    ("ja", "発送情報が登録されました", "label_created"),
    ("ja", "ご注文の発送確認済みです", "label_created"),
    ("ja", "発送情報が作成されましたが、まだ集荷されていません", "label_created"),
]

# not yet right: a guard change (edge/tracking/guard.py) is needed, see the round-12 note in docs/tracking.md
GUARD_GAPS = [
    ("en", "Awaiting transit to the final delivery office", "arrived_at_hub"),
]


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier()


@pytest.mark.parametrize(("lang", "text", "want"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_round12a_family_reads_its_meaning(clf: Classifier, lang: str, text: str, want: str) -> None:
    got = clf.classify(text).milestone
    assert got == want, f"{lang}: {text!r} -> {got}"


def test_round12a_cases_cover_the_four_languages() -> None:
    assert {c[0] for c in CASES} == {"en", "zh", "ja", "de"}
    assert {c[2] for c in CASES if c[0] == "zh"} >= {"label_created", "in_transit", "available_for_pickup"}


def test_no_round12a_non_delivery_reads_delivered(clf: Classifier) -> None:
    wrong = [t for _, t, want in CASES + GUARD_GAPS if want != "delivered" and clf.classify(t).milestone == "delivered"]
    assert wrong == []


@pytest.mark.parametrize(("lang", "text", "want"), GUARD_GAPS)
def test_final_delivery_office_is_not_a_delivery(clf: Classifier, lang: str, text: str, want: str) -> None:
    assert clf.classify(text).milestone != "delivered"


def test_no_round12a_case_is_a_corpus_text() -> None:
    names = ["dev.jsonl", "frozen.jsonl"] + [f"frozen{i}.jsonl" for i in range(2, 10)]  # the blind slice stays unopened
    corpus: set[str] = set()
    for name in names:
        corpus |= {str(r["text"]).casefold() for r in ce.load(ce.CORPUS / name, labelled_only=False)}
    assert not {t.casefold() for _, t, _ in CASES + GUARD_GAPS} & corpus
