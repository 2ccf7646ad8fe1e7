"""After the runs of slices 29 and 30 (in-sample, issue 15): the guard's readings of the families behind their five
false `delivered` (edge/tracking/delivered_guard.py).

- delivered *to* a sorting centre, a hub or a warehouse (nl "afgeleverd aan het sorteercentrum", verb-final "aan het
  sorteercentrum afgeleverd", "im Sortierzentrum zugestellt", 已送达上海转运中心 with a place name between): a link of
  the chain, `arrived_at_hub`; packed by the sender first ("ingepakt en afgeleverd aan", "packed and delivered to",
  "emballé et livré au centre de tri"): the sender's hand-over, `picked_up`; a delivery to the door or a neighbour
  stays `delivered`;
- too big for the letterbox (te groot voor de brievenbus, too big for the letterbox, did not fit through, zu groß für
  den Briefkasten, demasiado grande para el buzón, grande demais para a caixa de correio, 放不进信箱, 郵便受けに入らない):
  `unknown`, unless the rest of the text tells a drop that stands (at the neighbour's: `delivered`);
- "will (now / instead) be delivered on <day>" and "zal op <dag> worden bezorgd": a future, `in_transit` (de, fr, es,
  pt were read so already); "will not be delivered" stays `delivery_failed`, a past "was delivered on" `delivered`;
- 送达目的地 / 目的地城市 (and "delivered to the destination facility"): the destination area reached, `arrived_at_hub`
  as the dev corpus labels 已到达目的地; 已送达，本人签收 stays `delivered`;
- a definition of when a delivery counts as done ("…をもって配達完了とします", "is deemed complete once", "considered
  delivered as soon as", "gilt ... als zugestellt", "réputé livré dès", "se considera entregado cuando", "considera-se
  entregue", "geldt als bezorgd zodra", 即视为签收 with nothing done): `unknown`; 已放在门口，即视为签收 and ご指定の場所に配達
  しました stay `delivered`.

Sentences written for this test, none a corpus line (checked below).
"""

from __future__ import annotations

from tests.tracking.written import delivered_code_check, phrase_checks

WANT = [
    # a hand-over to a sorting centre, a hub or a warehouse: a link of the chain (packed by the sender: the first scan)
    ("nl", "Je bestelling is ingepakt en afgeleverd aan het distributiecentrum.", "picked_up"),
    ("nl", "Het pakket is gisteren aan het sorteercentrum afgeleverd.", "arrived_at_hub"),
    ("en", "Your order was packed and delivered to the sorting centre.", "picked_up"),
    ("en", "The parcel has been delivered to our regional sorting facility.", "arrived_at_hub"),
    ("de", "Die Sendung wurde verpackt und im Paketzentrum abgegeben.", "picked_up"),
    ("de", "Das Paket wurde heute im Sortierzentrum Hamburg zugestellt.", "arrived_at_hub"),
    ("fr", "Le colis a été emballé et livré au centre de tri régional.", "picked_up"),
    ("fr", "Votre envoi a été livré à la plate-forme de Lyon.", "arrived_at_hub"),
    ("es", "El pedido fue entregado al centro de clasificación de Madrid.", "arrived_at_hub"),
    ("pt", "O pacote foi entregue ao centro de triagem de Lisboa.", "arrived_at_hub"),
    ("zh", "您的包裹已送达上海转运中心。", "arrived_at_hub"),
    # ... while a delivery to the door or to a neighbour stays delivered
    ("nl", "Het pakket is afgeleverd bij de buren op nummer 12.", "delivered"),
    ("en", "Your parcel was delivered to your front door.", "delivered"),
    ("de", "Das Paket wurde bei Ihrem Nachbarn zugestellt.", "delivered"),
    # too big for the letterbox: the letterbox is where it did not go
    ("nl", "Let op: je pakket is te groot voor de brievenbus.", "unknown"),
    ("en", "Note: this item is too big for your letterbox.", "unknown"),
    ("en", "The parcel did not fit through the letterbox.", "unknown"),
    ("de", "Hinweis: Die Sendung ist zu groß für den Briefkasten.", "unknown"),
    ("es", "Aviso: el paquete es demasiado grande para el buzón.", "unknown"),
    ("pt", "O pacote é grande demais para a caixa de correio.", "unknown"),
    ("zh", "包裹太大，放不进信箱。", "unknown"),
    ("ja", "荷物が郵便受けに入らないサイズです。", "unknown"),
    # ... while what the rest of the text tells stands: a neighbour, a drop in the letterbox
    ("nl", "Het pakket was te groot voor de brievenbus en is bij de buren afgeleverd.", "delivered"),
    ("en", "Your parcel was too big for the letterbox, so we left it with your neighbour.", "delivered"),
    ("de", "Die Sendung war zu groß für den Briefkasten und wurde beim Nachbarn abgegeben.", "delivered"),
    ("nl", "Je pakket is in de brievenbus bezorgd.", "delivered"),
    ("en", "Your parcel has been delivered to your letterbox.", "delivered"),
    ("de", "Ihr Paket wurde heute im Briefkasten zugestellt.", "delivered"),
    ("en", "Your parcel was too big for the letterbox and could not be delivered.", "delivery_failed"),
    # a delivery announced for a day: "will (now) be delivered on"
    ("en", "Your parcel will now be delivered on Friday 14 March.", "in_transit"),
    ("en", "As you asked, your order will instead be delivered on Tuesday.", "in_transit"),
    ("nl", "Het pakket zal op vrijdag worden bezorgd.", "in_transit"),
    ("de", "Wie gewünscht wird Ihr Paket am Freitag zugestellt.", "in_transit"),
    ("fr", "Comme demandé, votre colis sera livré le vendredi 14 mars.", "in_transit"),
    ("es", "Como solicitó, su paquete será entregado el viernes.", "in_transit"),
    ("pt", "Conforme pedido, a sua encomenda será entregue na sexta-feira.", "in_transit"),
    # ... while a delivery on a day told in the past stays delivered, and one that will not happen failed
    ("en", "Your parcel was delivered on Friday 14 March to your neighbour.", "delivered"),
    ("en", "Your parcel will not be delivered today.", "delivery_failed"),
    # the destination area reached (送达目的地): arrived at a hub, never delivered
    ("zh", "您的快件已送达目的地城市。", "arrived_at_hub"),
    ("zh", "快递已送达目的地，请耐心等待派送。", "arrived_at_hub"),
    ("en", "The shipment was delivered to the destination facility.", "arrived_at_hub"),
    # ... while a delivery to the recipient stays delivered
    ("zh", "您的快件已送达，本人签收。", "delivered"),
    # when a delivery counts as done, defined: no event
    ("ja", "郵便受けへの投函をもって配達完了といたします。", "unknown"),
    ("ja", "玄関前に置いた時点をもってお届け完了とさせていただきます。", "unknown"),
    ("en", "Delivery is deemed complete once the parcel has been placed at the agreed spot.", "unknown"),
    ("en", "The order is considered delivered as soon as it is left at your door.", "unknown"),
    ("de", "Die Sendung gilt mit dem Einwurf in den Briefkasten als zugestellt.", "unknown"),
    ("fr", "Le colis est réputé livré dès son dépôt devant votre porte.", "unknown"),
    ("es", "El pedido se considera entregado cuando se deja en la puerta.", "unknown"),
    ("pt", "Considera-se entregue a encomenda deixada no local indicado.", "unknown"),
    ("nl", "Het pakket geldt als bezorgd zodra het bij de deur is neergezet.", "unknown"),
    ("zh", "包裹放入指定位置即视为签收。", "unknown"),
    # ... while a delivery done stays delivered
    ("ja", "ご指定の場所に配達しました。", "delivered"),
    ("zh", "包裹已放在门口，即视为签收。", "delivered"),
    ("en", "Your parcel was delivered and left at your door.", "delivered"),
]
NEVER_DELIVERED = [
    ("fr", "Remarque : le paquet est trop volumineux pour votre boîte aux lettres."),
    ("ja", "不在時は宅配ボックスへの投函をもって配達完了とします。"),
    ("pt", "O pedido foi embalado e entregue ao centro de distribuição."),
    ("en", "The parcel was too big for the letterbox and is waiting at the post office."),
    ("zh", "您的包裹已送达目的地，正在安排派送。"),
    ("en", "Your order will now be delivered on Monday 3 June."),
]
# the same families under a `delivered` status code: the guard reads the code's delivered
UNDER_CODE = [
    ("Het pakket is gisteren aan het sorteercentrum afgeleverd.", "arrived_at_hub"),
    ("Your order was packed and delivered to the sorting centre.", "picked_up"),
    ("Let op: je pakket is te groot voor de brievenbus.", "unknown"),
    ("Your parcel will now be delivered on Friday 14 March.", "in_transit"),
    ("您的快件已送达目的地城市。", "arrived_at_hub"),
    ("郵便受けへの投函をもって配達完了といたします。", "unknown"),
    ("Het pakket was te groot voor de brievenbus en is bij de buren afgeleverd.", "delivered"),
    ("Your parcel was delivered to your front door.", "delivered"),
]

test_sentences_are_written_not_corpus, test_new_phrase_families, test_never_delivered = phrase_checks(
    WANT, NEVER_DELIVERED, also_written=[t for t, _ in UNDER_CODE])


test_under_a_delivered_code = delivered_code_check(UNDER_CODE)
