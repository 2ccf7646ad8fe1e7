"""Round 18 (packs18b): de/en/zh/ja app and scan wording added to the packs; a German forecast is no courier out.

"Wird heute zugestellt" (UPS's German "Out For Delivery Today") and "Ihr Paket wird heute zugestellt" are forecasts
of the day: FROZEN.md (slice 13) labels them `in_transit`. The de pack's out_for_delivery phrase and the delivered
guard's under-way words both read "wird heute ... zugestellt" as the courier out; the phrase moved to `processing`
and the guard keeps only "wird zugestellt" / "wird gerade zugestellt" (delivered_not_done.UNDER_WAY).

"用户已提交退货物流，等待商家签收" read `returned` (rules.py's 商家签收): the merchant's signing is awaited, so the
returned pattern no longer matches after 等待/待, and the zh pack reads (等待|待)(商家|卖家|寄件人|发件人)签收/收货 as
`return_started` (above delivered, so an awaited sender's signing is never `delivered` either).

Sentences written for this test, none a corpus line (checked below). Beside each family: what must not take it (a
locker, point or failed text never `delivered`; a future or conditional never a past milestone).
"""

from __future__ import annotations

from tests.tracking.written import phrase_checks

WANT = [
    # de: a forecast of the day is in transit, a past delivery today stays delivered, the courier out stays out
    ("de", "Ihre Bestellung wird heute noch zugestellt", "in_transit"),
    ("de", "Die Lieferung wird heute von UPS zugestellt", "in_transit"),
    ("de", "Das Paket wurde heute um 11 Uhr zugestellt", "delivered"),
    ("de", "Ihr Paket wird jetzt zugestellt", "out_for_delivery"),
    # de: a label printed, a delivery exception
    ("de", "Versandetikett wurde erstellt", "label_created"),
    ("de", "Etikett erstellt, Paket noch beim Händler", "label_created"),
    ("de", "Zustellausnahme beim ersten Versuch", "delivery_failed"),
    # en: the bare announced status, a recipient not met
    ("en", "Package announced", "label_created"),
    ("en", "Parcel announced.", "label_created"),
    ("en", "Courier visit: recipient not found", "delivery_failed"),
    # zh: a courier assigned to fetch (not yet fetched), a transport-stage update
    ("zh", "已分配快递员上门揽件", "label_created"),
    ("zh", "系统已分配揽收员，请等待上门", "label_created"),
    ("zh", "运输阶段：更新轨迹", "in_transit"),
    # ja: the return finished
    ("ja", "お荷物の返品完了を確認しました", "returned"),
    # de: a shop's parcel packed, ready, shipped; an order received or confirmed; a label ready
    ("de", "Ihr Paket ist jetzt versandbereit", "label_created"),
    ("de", "Ware verpackt und versandfertig", "label_created"),
    ("de", "Deine Bestellung wurde heute verschickt", "label_created"),
    ("de", "Sendung verschickt mit Hermes: 0123", "label_created"),
    ("de", "Ihre Bestellung ist eingegangen und wurde bestätigt", "label_created"),
    ("de", "Der Händler bereitet euer Paket vor", "label_created"),
    ("de", "Versandetikett ist verfügbar", "label_created"),
    # en: a label ready, the bare seller drop-off
    ("en", "Shipping label is ready for the courier", "label_created"),
    ("en", "Label generated for your order", "label_created"),
    ("en", "Parcel dropped off", "picked_up"),
    # zh: a buyer's return travelling to the merchant (the merchant's signing awaited, not done)
    ("zh", "退货快递已寄出，等待商家签收", "return_started"),
    ("zh", "买家已发回商品，待卖家收货", "return_started"),
    ("zh", "退回包裹在途，等待寄件人签收", "return_started"),
    ("zh", "退货已由商家签收", "returned"),
]

NEVER_DELIVERED = [
    ("de", "Ihr Paket wird heute zugestellt, sofern jemand zu Hause ist"),
    ("de", "Ihr Paket wird heute in die Packstation zugestellt"),
    ("de", "Die Sendung wurde leider nicht zugestellt"),
    ("de", "Zustellausnahme: das Paket liegt in der Filiale zur Abholung bereit"),
    ("en", "Shipment announced, it will be delivered on Friday"),
    ("en", "Recipient not found, parcel taken to the pickup point"),
    ("zh", "已分配快递员，预计明天妥投"),
    ("zh", "快件未妥投，已分配快递员再次派送"),
    ("ja", "ご不在のため配達できませんでした"),
    ("ja", "返品完了後、改めてお届けします"),
    ("de", "Bestellung verschickt, sie wird morgen zugestellt"),
    ("de", "Paket versandbereit, Zustellung an die Packstation folgt"),
    ("en", "Parcel dropped off at the parcel locker"),
    ("en", "Label ready: your parcel will be delivered once we receive it"),
    ("zh", "退货物流在途，等待卖家签收"),
    ("zh", "包裹退回中，待发件人签收"),
]


test_sentences_are_written_not_corpus, test_new_phrase_families, test_never_delivered = phrase_checks(WANT, NEVER_DELIVERED)
