"""Round 24 (packs24b): shop order stages (a partial shipment, a partial return, warehouse stages before the carrier),
a handover to the carrier, an order collected by the customer, a driver out with the order, a failed delivery, code-list
exceptions (uncollected by the customer, disposed of, under investigation), reminders of items waiting at a mail centre
or a parcel station and pickup numbers, and Japanese and Chinese shop stages learned from spent slice 28 (発送の手配,
ピッキング, 納品済み, 配達されませんでした, 发货中, 未发货, 收货确认, 取消).

Sentences written for this test, none a corpus line (checked below). Beside each family: what must not take it.
"""

from __future__ import annotations

from edge.tracking.packs import PACK_DIR
from tests.tracking.written import assert_each_cited_source_matches, phrase_checks, round_phrases

WANT = [
    # zh: a partial shipment and a partial return; a seller or warehouse preparing the order
    ("zh", "部分商品已发货，其余稍后发出", "label_created"),
    ("zh", "已发货（部分）", "label_created"),
    ("zh", "部分退货，退款处理中", "returned"),
    ("zh", "卖家正在为您备货", "label_created"),
    ("zh", "仓库正在配货", "label_created"),
    ("zh", "已确认收货，交易完成", "delivered"),
    # zh: items waiting for the recipient (a reminder, a pickup number, a wait at a locker)
    ("zh", "您有2个未领取的包裹，请到驿站领取", "available_for_pickup"),
    ("zh", "您的包裹已在快递柜等待超过两天", "available_for_pickup"),
    ("zh", "包裹已到东门驿站，取件编号：8-1-203", "available_for_pickup"),
    # en: a partial shipment and return, code-list exceptions, a mail centre's notices, a driver, a collection
    ("en", "Order partially shipped", "label_created"),
    ("en", "Your order has been partially dispatched", "label_created"),
    ("en", "Order partially returned", "returned"),
    ("en", "Item uncollected by the addressee", "exception"),
    ("en", "The package was disposed of", "exception"),
    ("en", "Shipment under investigation by the carrier", "exception"),
    ("en", "You have 3 parcels waiting for you at the mailroom", "available_for_pickup"),
    ("en", "Your package has been waiting for you at the front desk since Monday", "available_for_pickup"),
    ("en", "The delivery guy has your package", "out_for_delivery"),
    ("en", "Thank you for collecting your order from our shop", "delivered"),
    # de: a partial shipment, warehouse stages, a handover, a collection, a driver under way, a failed attempt
    ("de", "Ihre Bestellung wurde teilweise versandt", "label_created"),
    ("de", "Teilversand Ihrer Bestellung", "label_created"),
    ("de", "Ihre Bestellung wird gerade verpackt", "label_created"),
    ("de", "Artikel noch nicht verschickt", "label_created"),
    ("de", "Die Sendung wurde an den Paketdienst übergeben", "picked_up"),
    ("de", "Deine Bestellung wurde erfolgreich abgeholt", "delivered"),
    ("de", "Der Fahrer ist mit deinem Paket unterwegs", "out_for_delivery"),
    ("de", "Lieferversuch fehlgeschlagen", "delivery_failed"),
    # ja: a partial shipment and return, picking and its delay, a shop's dispatch step, a stock delivery, a failure
    ("ja", "一部出荷済み", "label_created"),
    ("ja", "一部返品済", "returned"),
    ("ja", "ピッキング中", "label_created"),
    ("ja", "ピッキングの遅延", "exception"),
    ("ja", "発送の準備", "label_created"),
    ("ja", "納品済", "delivered"),
    ("ja", "商品は配達されませんでした", "delivery_failed"),
]

NEVER_DELIVERED = [
    ("zh", "您有1个未领取的包裹在快递柜"),
    ("zh", "包裹已在驿站等待超过三天，请尽快取件"),
    ("zh", "快件已放入丰巢柜，身份码【B2-1001】"),
    ("zh", "部分退货，商品已寄回商家"),
    ("zh", "您的包裹未领取，已退回"),
    ("en", "Parcel uncollected by the customer and returned to sender"),
    ("en", "Partially shipped, the rest will follow"),
    ("en", "You have uncollected parcels at the post office counter"),
    ("en", "Delivered to the returns centre"),
    ("de", "Ihre Bestellung wurde nicht abgeholt"),
    ("de", "Die Sendung wurde an den Paketdienst übergeben"),
    ("de", "Ihre Bestellung liegt zur Abholung in der Filiale bereit"),
    ("ja", "一部返品済み"),
    ("ja", "ピッキングが遅れています"),
]

MARK = "# packs24b"
LANGS = ("ja", "zh", "en", "de")

test_sentences_are_written_not_corpus, test_new_phrase_families, test_never_delivered = phrase_checks(WANT, NEVER_DELIVERED)


def test_every_round24_phrase_matches_a_text_of_each_source_it_cites() -> None:
    phrases = round_phrases(PACK_DIR, LANGS, MARK)
    assert len(phrases) >= 25
    assert_each_cited_source_matches(phrases)
