"""Round 17 (packs17b): zh/de/en phrases from the seventeenth round's new dev sources (issue 15).

New families: zh a parcel handed to a named carrier (`picked_up`), a return parcel under way (`return_started`), an
incomplete address (`exception`), a warehouse's dispatch and a shop still preparing (`label_created`); de "für die
Zustellung vorbereitet" (`in_transit`), "durch den Zoll ... freigegeben" (`customs_cleared`), a Hauspoststelle (a
mail room: a third party, `available_for_pickup`), "Sendung wurde zurückgestellt" and "leeres Fach" (`exception`),
"Adresse nicht angefahren" (`delivery_failed`); en "an attempt at delivery is being made" (`in_transit`).

Sentences written for this test, none a corpus line (checked below). Beside each family: what must not take it (a
locker, point, third-party or return text never `delivered`; a future or conditional never a past milestone).
"""

from __future__ import annotations

import pytest

from edge.tracking.classify import Classifier
from tests.tracking.written import phrase_checks

WANT = [
    # zh: handed to a named carrier; a return on its way back; an address that cannot be used; sender-side stages
    ("zh", "您的快件已交给中通快递，感谢您的耐心", "picked_up"),
    ("zh", "包裹已交予极兔速递", "picked_up"),
    ("zh", "退货快件正在运送中，请耐心等待", "return_started"),
    ("zh", "收件地址不详细，快递员无法派送", "exception"),
    ("zh", "地址信息不全，请联系客服补充", "exception"),
    ("zh", "您的订单仓库已出库，等待快递员揽收", "label_created"),
    ("zh", "仓库正在拣货，预计明天发出", "label_created"),
    # de: a hand-over still being prepared, a customs release, a mail room, holds and faults
    ("de", "Ihr Paket wird gerade für die Zustellung vorbereitet", "in_transit"),
    ("de", "Das Paket wurde vom Zoll in Frankfurt freigegeben", "customs_cleared"),
    ("de", "Die Sendung wurde an eine Hauspoststelle weitergeleitet und liegt dort bereit", "available_for_pickup"),
    ("de", "Die Sendung wurde zurückgestellt, weil die Tour voll war", "exception"),
    ("de", "Die Lieferadresse nicht angefahren (Baustelle)", "delivery_failed"),
    ("de", "Bei der Abholung wurde ein leeres Fach vorgefunden", "exception"),
    # en: another attempt under way is no delivery yet
    ("en", "A second attempt at delivery is being made today", "in_transit"),
]

NEVER_DELIVERED = [
    # a third party, a point, a locker, a return, a failure, a future: never `delivered`
    ("de", "Die Sendung wurde an die Hauspoststelle Ihrer Firma weitergeleitet"),
    ("de", "Ihr Paket wurde nicht zugestellt, die Adresse wurde nicht angefahren"),
    ("de", "Ihr Paket wird übermorgen an der Haustür zugestellt"),
    ("en", "A further attempt at delivery is being made tomorrow"),
    ("ja", "お荷物を配達できませんでした（地址不明）"),
    ("zh", "退货快件正在运输中，商家尚未签收"),
    ("zh", "包裹未妥投：收件地址不完整"),
    ("zh", "快件已交给菜鸟驿站，请凭取件码取件"),
]


test_sentences_are_written_not_corpus, test_new_phrase_families, test_never_delivered = phrase_checks(WANT, NEVER_DELIVERED)


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier()




@pytest.mark.parametrize(("lang", "text"), NEVER_DELIVERED)
def test_never_delivered_under_a_delivered_code(clf: Classifier, lang: str, text: str) -> None:
    got = clf.classify(text, None, "aftership:Delivered_001")
    assert got.milestone != "delivered", (lang, text, got)


def test_a_locker_hand_over_is_not_a_carrier_pick_up(clf: Classifier) -> None:
    # the picked_up phrase names carriers only; a 驿站 hand-over stays a collection point
    assert clf.classify("快件已交给菜鸟驿站，请凭取件码取件").milestone == "available_for_pickup"
