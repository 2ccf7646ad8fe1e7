"""Round 23 (packs23b): a Hong Kong courier platform's order states (Traditional Chinese and English: order created or
accepted, a failed pickup, a failed drop-off, back with the merchant, a cancelled order), a delivery sub-status code
list (no safe place, a facility closed, restricted or oversized items), Taiwanese store-logistics states learned from
spent slice 25 (配達取件門市, 消費者成功取件, 物流中心驗收, 退至寄件門市, 門市關轉), German, Japanese and English families
learned from spent slices 24-26, and the Traditional third parties the guard did not know (門衛, 警衛, 管理室, 管理員).

Sentences written for this test, none a corpus line (checked below). Beside each family: what must not take it.
"""

from __future__ import annotations

from edge.tracking.packs import PACK_DIR
from tests.tracking.written import assert_each_cited_source_matches, phrase_checks, round_phrases

WANT = [
    # zh: a courier platform's order states (Traditional and simplified)
    ("zh", "您的訂單已經建立，稍後安排送貨", "label_created"),
    ("zh", "司機已接受訂單，尚未取件", "label_created"),
    ("zh", "配送員未能成功取件，請重新下單", "exception"),
    ("zh", "寄件人尚未為取件準備好貨品", "exception"),
    ("zh", "送貨員未能送件，明天再試", "delivery_failed"),
    ("zh", "司機到達後無法完成配送", "delivery_failed"),
    ("zh", "貨品已回件給商戶", "returned"),
    ("zh", "物品已歸還給寄件人", "returned"),
    ("zh", "您的包裹已被取消", "exception"),
    ("zh", "運單已取消，如有疑問請聯繫客服", "exception"),
    ("zh", "司機正在前往收件人途中", "out_for_delivery"),
    # zh: Taiwanese store logistics (spent slice 25's kinds)
    ("zh", "您的包裹已配達門市，請於七日內取件", "available_for_pickup"),
    ("zh", "買家已成功取件", "delivered"),
    ("zh", "寄件人已至門市寄件", "picked_up"),
    ("zh", "物流中心驗收成功，準備配送", "arrived_at_hub"),
    ("zh", "包裹已退至寄件門市，請賣家取回", "return_started"),
    ("zh", "取件門市關轉，請重新選擇門市", "exception"),
    ("zh", "包裝異常，客服處理中", "exception"),
    ("zh", "收件人逾期未取，請聯繫客服", "exception"),
    # en: a courier platform's order states, a sub-status list, spent slices 24-26's kinds
    ("en", "The courier failed to pick up the parcel at the agreed time", "exception"),
    ("en", "Our driver failed to drop off the package at the address", "delivery_failed"),
    ("en", "No safe place to leave the parcel", "delivery_failed"),
    ("en", "The pickup address is wrong, so the driver could not find the sender", "exception"),
    ("en", "Please bring your ID and collect your parcel from our depot counter", "available_for_pickup"),
    ("en", "Your parcel is en route back to the sender", "return_started"),
    ("en", "The shipment was received by Royal Mail after the cut-off time", "picked_up"),
    ("en", "There was an issue with your shipment, please contact us", "exception"),
    ("en", "The courier driver has your package and is en route to your home", "out_for_delivery"),
    # de: nobody home, a parcel lying in a shop, the sender's instruction awaited, a shipment released
    ("de", "Leider war niemand zu Hause, wir versuchen es morgen erneut", "delivery_failed"),
    ("de", "Ihr Paket liegt jetzt im Kiosk am Bahnhof", "available_for_pickup"),
    ("de", "Das Paket lagert im Depot und wartet auf Weisung des Absenders", "exception"),
    ("de", "Der Versand Ihrer Bestellung 4711 wurde freigegeben", "label_created"),
    # ja: a shop's order stages, a cancellation, a return by the customer, a courier carrying it
    ("ja", "注文は発送中です。しばらくお待ちください", "label_created"),
    ("ja", "お客様のご注文をキャンセルしました", "exception"),
    ("ja", "商品はお客様によって返品されました", "returned"),
    ("ja", "配達員がお客様の荷物を持って向かっています", "out_for_delivery"),
]

NEVER_DELIVERED = [
    ("zh", "包裹已送達門衛，請盡快領取"),
    ("zh", "快件已送達大樓管理室"),
    ("zh", "包裹已交由警衛代收"),
    ("zh", "已簽收，簽收人：管理員"),
    ("zh", "您的訂單已送達指定門市，請前往取貨"),
    ("zh", "包裹未送達，已退回寄件人"),
    ("zh", "貨品已回件給商戶"),
    ("zh", "買家未成功取件"),
    ("en", "Please collect your parcel from the locker at the station"),
    ("en", "The driver failed to drop off the parcel; it is at the pickup point"),
    ("en", "Your parcel is en route back to the sender after it was not collected"),
    ("de", "Ihr Paket liegt in der Filiale zur Abholung bereit"),
    ("de", "Das Paket wurde nicht abgeholt und geht an den Absender zurück"),
    ("ja", "お荷物は守衛室にお預けしました"),
    ("ja", "商品はお客様によって返品されました"),
]

MARK = "# packs23b"
LANGS = ("ja", "zh", "en", "de")

test_sentences_are_written_not_corpus, test_new_phrase_families, test_never_delivered = phrase_checks(WANT, NEVER_DELIVERED)


def test_every_round23_phrase_matches_a_text_of_each_source_it_cites() -> None:
    phrases = round_phrases(PACK_DIR, LANGS, MARK)
    assert len(phrases) >= 25
    assert_each_cited_source_matches(phrases)
