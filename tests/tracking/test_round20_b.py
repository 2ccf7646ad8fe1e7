"""Round 19 (packs19b): de/en/zh/ja scan, code-list and shop wording; three guard readings.

The round's dev lines (tests/tracking/corpus/dev.jsonl, sources cited nowhere before) are GLS's German event texts,
DPD's STATUSDATA scan and additional-code labels (English and German), Chinese mock traces and a status-detector
table, and Japanese shops' shipped/delivered mails; the families below are the kinds spent slices 17 and 18 missed
as well (DPD/GLS/LEMAN scans, German exceptions, Kdniao and XLC code lists, Yamato/Sagawa scans, shop mails).

Guard: "Paket Shop" / "Paket-Shop" is a point like "Paketshop" ("Zugestellt im GLS Paket Shop" read `delivered`);
非(收件人)本人 signing is somebody else, so 本人 after 非 is no recipient ("快件由非收件人本人代签" read `delivered`);
"配達完了のお知らせ" is the notice of a delivery (it read `unknown`, as "Nachricht zugestellt" does).

Sentences written for this test, none a corpus line (checked below). Beside each family: what must not take it (a
point, a third party, a return or a refusal never `delivered`).
"""

from __future__ import annotations

from tests.tracking.written import phrase_checks

WANT = [
    # de: carrier-side failures and problems are `exception`, the recipient's absence a failed delivery
    ("de", "Nicht zugestellt wegen falscher Anschrift", "exception"),
    ("de", "Zustellung heute aus Zeitmangel nicht möglich", "exception"),
    ("de", "Die Sendung ist in Klärung", "exception"),
    ("de", "Lieferung unvollständig, Rest folgt", "exception"),
    ("de", "Daten aus dem DPD-System gelöscht", "exception"),
    # de: back with the sender, data sent ahead of the parcel, depot steps of DPD
    ("de", "Paket an den Absender retourniert", "returned"),
    ("de", "Sendungsdaten an DPD übermittelt", "label_created"),
    ("de", "Konsolidierung im Hub", "in_transit"),
    ("de", "Export/Import abgefertigt in Leipzig", "customs_cleared"),
    ("de", "Ausrollretoure: Empfänger nicht erreicht", "delivery_failed"),
    ("de", "Verladung", "departed_hub"),
    ("de", "Paket entgegengenommen", "picked_up"),
    # en: DPD scan labels
    ("en", "Sorter pass-through at hub 3", "in_transit"),
    ("en", "Export/Import cleared at Leipzig", "customs_cleared"),
    ("en", "Driver return to depot", "delivery_failed"),
    ("en", "Parcel loaded into the truck to Vilnius", "departed_hub"),
    ("en", "Courier pick-up completed", "picked_up"),
    ("en", "Shipment data transferred to the carrier", "label_created"),
    ("en", "The carrier confirmed successful delivery", "delivered"),
    # en: code-list wording (pickups ahead, failed pickups and returns, investigations, collections from a shop)
    ("en", "Courier is out for pickup at the sender", "label_created"),
    ("en", "We have not yet received the package", "label_created"),
    ("en", "Collection attempt was not successful", "exception"),
    ("en", "The shipment was successfully returned to the shop", "returned"),
    ("en", "Your parcel is being investigated by our team", "exception"),
    ("en", "A delivery issue occurred at the depot", "exception"),
    ("en", "Collected by the recipient from the parcel locker", "delivered"),
    ("en", "Parcel going out for delivery to recipient", "out_for_delivery"),
    ("en", "Parcel is going out for delivery to sender", "return_started"),
    # zh: a city district reached (no facility), stale traces, cancellations, unreachable recipients, delays
    ("zh", "快件已到达广州市天河区", "in_transit"),
    ("zh", "快件已超过3天未更新", "exception"),
    ("zh", "商家已取消发货", "exception"),
    ("zh", "派送员无法联系到收件人", "delivery_failed"),
    ("zh", "因暴雨派送延误", "exception"),
    ("zh", "网点错误分拣，快件已重新发出", "exception"),
    ("zh", "快递员未上门揽件", "label_created"),
    ("zh", "退件后由发件人签收", "returned"),
    ("zh", "你的快件已发货", "label_created"),
    # ja: a shop's shipped mail is the label stage; carriers' delivery finished, arrival in the country,
    # passing an office, the parcel kept at an office; a cancellation
    ("ja", "商品発送のご案内", "label_created"),
    ("ja", "ご注文品の発送手続きが完了しました", "label_created"),
    ("ja", "ギフトが発送されました", "label_created"),
    ("ja", "佐川急便にて発送しました", "label_created"),
    ("ja", "配達は完了いたしました", "delivered"),
    ("ja", "ご注文のキャンセル完了", "exception"),
    ("ja", "日本国内に到着しました", "in_transit"),
    ("ja", "センター通過", "arrived_at_hub"),
    ("ja", "最寄りの営業所にてお預かりしております", "available_for_pickup"),
    ("ja", "配達完了のお知らせ（ご注文番号 0001）", "delivered"),
    # guard: a Paket Shop is a point, a non-recipient's signing a third party's
    ("de", "Zugestellt im Paket-Shop an der Ecke", "available_for_pickup"),
    ("zh", "快件已由非本人签收", "available_for_pickup"),
]

NEVER_DELIVERED = [
    ("de", "Zugestellt im DPD Paket Shop"),
    ("de", "Sendung im Paket Shop zugestellt, bitte abholen"),
    ("de", "Zum Absender retourniert"),
    ("de", "Ausrollretoure, Zustellung morgen"),
    ("zh", "已由非收件人本人代收"),
    ("zh", "非本人签收，已放门卫"),
    ("zh", "退件后由寄件人签收"),
    ("zh", "快件已到达小区超市"),
    ("en", "The return was collected from the pickup point"),
    ("en", "Driver return: nobody at home"),
    ("en", "Return attempt was not successful"),
    ("en", "Collected from the ParcelShop by the courier for return"),
    ("ja", "配達完了のお知らせ：宅配ボックスにお届けしました"),
    ("ja", "キャンセル完了：返金いたします"),
    ("ja", "営業所にてお預かりしております（ご不在のため）"),
    ("ja", "再配達受付完了のお知らせ"),
]


test_sentences_are_written_not_corpus, test_new_phrase_families, test_never_delivered = phrase_checks(WANT, NEVER_DELIVERED)
