"""Round 16 (packs15b): ja / de / en / zh phrases added to the packs from round 15's new dev lines.

Families: de a parcel at a facility (im Paketzentrum / Depot / Zustellbasis) `arrived_at_hub`, held at a depot for
instructions (aufbewahrt, lagert bis weitere Maßnahmen) `exception`, on the way into the destination country (wird
ins Zielland) `in_transit`; en an order being prepared, packed or "shipped" by the shop `label_created`; zh leaving a
customs office `customs_cleared`, a shop's order audited / printed / being picked `label_created`, an attempted
delivery `delivery_failed`, a JD station's 收货完成 `arrived_at_hub`; ja a parcel taken back to the branch (持ち帰り)
`delivery_failed`, a customer's visit planned (ご来店予定) `available_for_pickup`, a waybill made (送り状を作成)
`label_created`, an exception (例外) `exception`, a shop packing the order (梱包) `label_created` (damaged
packing stays an exception).

Sentences written for this test, none a corpus line (checked below). Beside the families: what must not take
them, and the never-delivered negatives of every language this round touched (not delivered, refused, a locker,
point, station or front desk, a third party, a return, a forecast, a condition).
"""

from __future__ import annotations

import pytest

from edge.tracking.classify import Classifier
from tests.tracking.written import phrase_checks

WANT = [
    # de: a parcel at a facility, with nothing more said, or registered / arrived there
    ("de", "Ihr Paket ist jetzt im Paketzentrum", "arrived_at_hub"),
    ("de", "Die Sendung ist im Verteilzentrum Hamburg", "arrived_at_hub"),
    ("de", "Paket im Zustelldepot", "arrived_at_hub"),
    ("de", "Die Sendung ist am Montag im Sortierzentrum Leipzig eingetroffen.", "arrived_at_hub"),
    ("de", "Ihre Sendung wurde im Logistikzentrum Köln registriert", "arrived_at_hub"),
    # de: held at the depot until someone decides (not a pickup point)
    ("de", "Die Sendung wird bis zur Klärung im Depot aufbewahrt.", "exception"),
    ("de", "Das Paket lagert bis auf weitere Anweisung des Absenders in der Zustellbasis.", "exception"),
    ("de", "Lagerung aufgrund einer Empfängerverfügung", "exception"),
    # de: on the way into the destination country; leaving a centre there or customs there stays what it was
    ("de", "Das Paket wird ins Zielland befördert", "in_transit"),
    ("de", "Die Sendung hat das Paketzentrum im Zielland verlassen", "departed_hub"),
    ("de", "Die Sendung wurde im Zielland dem Zoll vorgelegt", "customs_started"),
    # de: out on the delivery round
    ("de", "Ihr Paket ist heute früh auf Zustelltour gegangen", "out_for_delivery"),
    ("de", "Die Sendung ist auf Tour gegangen und kommt heute", "out_for_delivery"),
    # en: on the way to the destination country; an order being prepared (a return being prepared stays a return)
    ("en", "Your item is in transit to the destination country", "in_transit"),
    ("en", "Your order is being prepared by the seller", "label_created"),
    ("en", "The goods are being prepared for shipment", "label_created"),
    ("en", "The parcel is being prepared for return to the sender", "return_started"),
    # en: a shop's "shipped" mail, an order packed or being picked and packed (FROZEN.md: the shop's mail is
    # `label_created`, the carrier's first scan is `picked_up`)
    ("en", "Good news: your order has now shipped from our studio", "label_created"),
    ("en", "The items have been shipped by the seller today", "label_created"),
    ("en", "We are preparing your parcel for dispatch", "label_created"),
    ("en", "Your items were packed this morning", "label_created"),
    ("en", "The warehouse is picking and packing your order", "label_created"),
    # zh: cross-border steps
    ("zh", "包裹已到达目的国机场", "arrived_at_hub"),
    ("zh", "包裹已离开目的国海关", "customs_cleared"),
    ("zh", "货物离开出口海关", "customs_cleared"),
    ("zh", "包裹计划交航", "in_transit"),
    # zh: a shop's order still in the warehouse; an attempted delivery
    ("zh", "您的订单已审核，等待出库", "label_created"),
    ("zh", "仓库正在配货", "label_created"),
    ("zh", "您的订单已开始处理，请耐心等待", "label_created"),
    ("zh", "快递员尝试派送未成功，将再次派送", "delivery_failed"),
    ("zh", "[深圳南山营业部]您的快件在【深圳南山营业部】收货完成", "arrived_at_hub"),
    # ja
    ("ja", "ご不在のため営業所へ持ち帰りました", "delivery_failed"),
    ("ja", "ご来店予定のお荷物を営業所で保管しています", "available_for_pickup"),
    ("ja", "送り状を発行しました", "label_created"),
    ("ja", "配送中に例外が発生しました", "exception"),
    ("ja", "ご注文の商品を梱包しています", "label_created"),
    ("ja", "梱包作業が完了しました", "label_created"),
    ("ja", "梱包破損のため調査中です", "exception"),
]

NEVER_DELIVERED = [
    # de: not delivered, refused, a branch or Packstation, a forecast, a condition, a return
    ("de", "Die Sendung konnte heute nicht zugestellt werden."),
    ("de", "Die Annahme der Sendung wurde verweigert."),
    ("de", "Die Sendung wurde in die Filiale gebracht und liegt zur Abholung bereit."),
    ("de", "Die Sendung wurde in der Packstation zugestellt."),
    ("de", "Die Sendung wird morgen zugestellt."),
    ("de", "Falls Sie nicht zu Hause sind, wird die Sendung beim Nachbarn zugestellt."),
    ("de", "Die Sendung wurde an den Absender zurückgeschickt."),
    ("de", "Die Sendung wird bis zur Zustellung im Depot aufbewahrt."),
    # ja: not delivered, a missed-delivery card, a delivery box, a branch keeping it, a forecast, a return
    ("ja", "お荷物は本日配達できませんでした。"),
    ("ja", "ご不在連絡票を投函しました"),
    ("ja", "ご不在連絡票をお届けしました"),
    ("ja", "宅配ボックスにお届けしました"),
    ("ja", "宅急便センターでお預かりしています"),
    ("ja", "明日お届け予定です"),
    ("ja", "お届け先が不明のため、差出人に返送します"),
    # zh: not delivered, a locker, a doorman, a forecast, a return, a country reached
    ("zh", "包裹未妥投，将再次投递"),
    ("zh", "快件已放入丰巢快递柜，请凭取件码取件"),
    ("zh", "包裹已由门卫代签收"),
    ("zh", "预计明天送达"),
    ("zh", "包裹已退回寄件人"),
    ("zh", "包裹已到达目的国，等待派送"),
    # en: a forecast, a condition, a locker, a return, a failed attempt, not yet
    ("en", "Your parcel is due to be delivered on Thursday"),
    ("en", "If you are not home, the parcel will be delivered to a neighbour"),
    ("en", "Your parcel has been delivered to a parcel locker"),
    ("en", "The parcel was delivered back to the sender"),
    ("en", "Delivery attempt unsuccessful, nobody at home"),
    ("en", "The parcel has not been delivered yet"),
    ("en", "Your order has shipped and will be delivered on Friday"),
    ("en", "Your order has shipped to the pickup point"),
]


test_sentences_are_written_not_corpus, test_new_phrase_families, test_never_delivered = phrase_checks(WANT, NEVER_DELIVERED)


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier()


@pytest.mark.parametrize("code", ["aftership:Delivered", "aftership:InTransit"])
def test_a_missed_delivery_card_is_no_delivery_even_with_a_code(clf: Classifier, code: str) -> None:
    """ご不在連絡票 (the missed-delivery card) 'delivered' to the mailbox is a failed attempt, with or without a code."""
    got = clf.classify("ご不在連絡票をお届けしました", None, code)
    assert got.milestone != "delivered", got
