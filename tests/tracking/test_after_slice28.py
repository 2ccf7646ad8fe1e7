"""After the run of slice 28 (in-sample, issue 15): the guard's readings of the families behind its three false
`delivered` (edge/tracking/delivered_guard.py).

- what happened instead of a delivery ("anstatt ... zugestellt zu werden", "instead of being delivered", "au lieu
  d'être livré", "en lugar de / en vez de ser entregado", "em vez de ser entregue", "in plaats van bezorgd te
  worden", 而不是送达, 配達される代わりに): `delivery_failed`; a delivery to a neighbour "instead of the front door"
  stays `delivered`;
- a delivery to come explained: the day of delivery and what the recipient receives then ("Op de dag van levering
  krijg je een tijdslot", "am Tag der Zustellung erhalten Sie"), a clause in the present or future "within which ...
  will be delivered" ("waarbinnen ... afgeleverd wordt", "innerhalb dessen ... zugestellt wird", "dans lequel ...
  sera livré"): `unknown`; a delivery told in the past on that day stays `delivered`;
- the progressive "in the process of (being) delivered" ("en proceso de ser entregado", "em processo de entrega",
  "wordt op dit moment bezorgd", "wird gerade zugestellt"): `out_for_delivery`;
- slice 28's real deliveries missed: a drop at the door ("bij de (achter)deur neergezet", "voor de deur achtergelaten",
  nl pack) and a shop's 納品済み (ja pack) read `delivered`; a drop that did not happen ("niet ... bij de voordeur
  neergezet") is `delivery_failed`. Left: the portaria's "registra a retirada" (a doorman is a third party, never
  delivered: DESIGN.md section 5 rule 2) and the hearsay "zou bij iemand in de buurt zijn afgegeven" (not a fact).

Sentences written for this test, none a corpus line (checked below).
"""

from __future__ import annotations

from tests.tracking.written import delivered_code_check, phrase_checks

WANT = [
    # instead of a delivery
    ("de", "Das Paket fuhr wieder durch die Stadt, anstatt bei mir zugestellt zu werden.", "delivery_failed"),
    ("de", "Statt zugestellt zu werden, liegt die Sendung wieder im Depot.", "delivery_failed"),
    ("en", "The parcel went back to the depot instead of being delivered.", "delivery_failed"),
    ("en", "My order toured the country instead of finally getting delivered.", "delivery_failed"),
    ("fr", "Le colis est reparti au dépôt au lieu d'être livré.", "delivery_failed"),
    ("es", "El paquete volvió al almacén en lugar de ser entregado.", "delivery_failed"),
    ("es", "El pedido se quedó en la furgoneta en vez de ser entregado.", "delivery_failed"),
    ("pt", "O pacote voltou ao centro em vez de ser entregue.", "delivery_failed"),
    ("nl", "Het pakket ging terug naar het depot in plaats van bezorgd te worden.", "delivery_failed"),
    # ... while a real delivery, also one "instead of" another place, stays delivered
    ("en", "The parcel was delivered to your neighbour instead of the front door.", "delivered"),
    ("de", "Ihr Paket wurde statt an der Haustür bei Ihrem Nachbarn abgegeben.", "delivered"),
    ("en", "Your parcel has been delivered to your front door.", "delivered"),
    ("de", "Ihr Paket wurde an der Haustür zugestellt.", "delivered"),
    # a delivery to come explained
    ("nl", "Op de dag van levering krijg je een tijdslot van twee uur.", "unknown"),
    ("en", "On the day of delivery you will receive a one-hour window within which your parcel will be delivered.", "unknown"),
    ("de", "Am Tag der Zustellung erhalten Sie ein Zeitfenster, innerhalb dessen Ihr Paket zugestellt wird.", "unknown"),
    ("fr", "Le jour de la livraison, vous recevez un créneau dans lequel votre colis sera livré.", "unknown"),
    ("es", "El día de la entrega recibirá una franja horaria en la que su paquete será entregado.", "unknown"),
    ("pt", "No dia da entrega receberá uma janela horária na qual a sua encomenda será entregue.", "unknown"),
    ("nl", "Je krijgt een tijdvak waarbinnen het pakket afgeleverd wordt.", "unknown"),
    ("zh", "派送当天您将收到一个时间段通知，包裹会在该时间段内送达。", "unknown"),
    # ... while a delivery told in the past on that day stays delivered
    ("en", "On the day of delivery your parcel was left with your neighbour.", "delivered"),
    ("nl", "Op de dag van bezorging is je pakket bij de buren afgeleverd.", "delivered"),
    ("es", "El paquete fue entregado a su vecino.", "delivered"),
    # in the process of being delivered
    ("en", "Your parcel is in the process of being delivered.", "out_for_delivery"),
    ("es", "El paquete está en proceso de ser entregado a su domicilio.", "out_for_delivery"),
    ("es", "Su pedido en proceso de entrega.", "out_for_delivery"),
    ("fr", "Votre commande est en ce moment en cours de livraison chez vous.", "out_for_delivery"),
    ("nl", "Je pakket wordt op dit moment bezorgd.", "out_for_delivery"),
    ("de", "Ihre Sendung wird gerade zugestellt.", "out_for_delivery"),
    ("de", "Ihre Sendung wird derzeit zugestellt.", "out_for_delivery"),
    # slice 28's real deliveries missed: a drop at the door (nl) and a shop's 納品済み (ja); a drop that did not happen
    ("nl", "Het pakket werd door de koerier bij de achterdeur neergezet.", "delivered"),
    ("nl", "Je pakket is voor de deur achtergelaten.", "delivered"),
    ("ja", "ご注文の商品は納品済みです。", "delivered"),
    ("nl", "Het pakket is niet bij de voordeur neergezet.", "delivery_failed"),
    ("nl", "De bezorger heeft het pakket gisteren niet door de brievenbus of bij de deur achtergelaten.", "delivery_failed"),
    ("ja", "商品はまだ納品されていません。", "unknown"),
]
NEVER_DELIVERED = [
    ("zh", "快递又被拉回了网点，而不是送达我家。"),
    ("ja", "荷物は配達される代わりに営業所に戻されました。"),
    ("pt", "A encomenda está em processo de entrega."),
    ("en", "Instead of being delivered, my parcel sat in the van all day."),
    ("nl", "Op de dag van bezorging ontvangt u een bericht met het tijdvak."),
]
# the same families under a `delivered` status code: the guard reads the code's delivered
UNDER_CODE = [
    ("快递又被拉回了网点，而不是送达我家。", "delivery_failed"),
    ("荷物は配達される代わりに営業所に戻されました。", "delivery_failed"),
    ("Statt zugestellt zu werden, liegt die Sendung wieder im Depot.", "delivery_failed"),
    ("Je krijgt een tijdvak waarbinnen het pakket afgeleverd wordt.", "unknown"),
    ("A encomenda está em processo de entrega.", "out_for_delivery"),
    ("Your parcel is in the process of being delivered.", "out_for_delivery"),
    ("Your parcel has been delivered to your front door.", "delivered"),
    ("On the day of delivery your parcel was left with your neighbour.", "delivered"),
]

test_sentences_are_written_not_corpus, test_new_phrase_families, test_never_delivered = phrase_checks(
    WANT, NEVER_DELIVERED, also_written=[t for t, _ in UNDER_CODE])


test_under_a_delivered_code = delivered_code_check(UNDER_CODE)
