"""After the runs of slices 25 and 26 (in-sample, issue 15): the guard's readings of the families behind their twelve
false `delivered` (edge/tracking/delivered_guard.py).

- a locker word in a delivery sentence ("armoire à colis", "armário de autoatendimento", "taquilla", "casillero",
  Packstation, "pakketkluis", "parcel locker"), also when the recipient's own box is only one alternative beside it
  ("boîte postale, casier à colis ou boîte aux lettres"): `available_for_pickup`; the resident's own Paketkasten, a
  mailbox alone and "au gardien ou voisin" stay `delivered`;
- delivered to a store or convenience store with a request to collect (門市/门市, 超商, 請前往取貨): `available_for_pickup`;
  the recipient's collection there (消费者已成功取货) stays `delivered`;
- a delivery record cancelled (注销/撤销/作废 + 投递成功/签收, "delivery scan voided"): never delivered;
- a choice or a hypothetical ("You have elected to have your parcel delivered to", "vous avez choisi", 在某些情况下 ...
  可能会 ... 签收, "in some cases ... may"): `unknown`;
- signed without the recipient asked (快递员未与收件人沟通直接签收, "the driver signed ... without contacting me") and
  left with a neighbour without notice or at another address ("a un vecino sin notificación", "no a tu domicilio sino
  a otro"): `exception`.

Left as it reads: spree's shop labels "Ausgeliefert" and 配送済み (slice 26 `label_created`) stay `delivered` (dev reads
every "Ausgeliefert" line as delivered, FROZEN.md E-POST too, and 配送済み says delivery done); Toll's "has been delivered
to ${name}, ${address}" (slice 26 `available_for_pickup`) stays `delivered`: its words name the recipient and an address,
the collection point is only the source's context, and dev reads "has been delivered to the recipient" as delivered.

Sentences written for this test, none a corpus line (checked below).
"""

from __future__ import annotations

from tests.tracking.written import delivered_code_check, phrase_checks

WANT = [
    # a locker word in a delivery sentence, every pack language
    ("fr", "Votre colis a été livré dans une armoire à colis de votre immeuble.", "available_for_pickup"),
    ("fr", "Colis livré dans votre boîte aux lettres, votre casier à colis ou votre boîte postale.", "available_for_pickup"),
    ("pt", "Sua encomenda foi entregue no armário inteligente do condomínio.", "available_for_pickup"),
    ("es", "Tu pedido ha sido entregado en una taquilla de la estación de tren.", "available_for_pickup"),
    ("es", "El paquete fue entregado en el casillero del centro comercial.", "available_for_pickup"),
    ("de", "Ihre Sendung wurde in die Packstation am Bahnhof geliefert.", "available_for_pickup"),
    ("nl", "Je pakket is bezorgd in de pakketkluis bij de supermarkt.", "available_for_pickup"),
    ("en", "Your order was delivered to a parcel locker at the station.", "available_for_pickup"),
    ("en", "Delivered to your letterbox or the nearest parcel locker.", "available_for_pickup"),
    # ... while the resident's own box, a mailbox alone and a person who hands it over stay delivered
    ("de", "Ihr Paket wurde in Ihren Paketkasten zugestellt.", "delivered"),
    ("fr", "Votre colis a été livré dans votre boîte aux lettres ce matin.", "delivered"),
    ("fr", "Le colis a été livré à votre voisin ou au gardien de la résidence.", "delivered"),
    ("en", "Your parcel was delivered to your porch this morning.", "delivered"),
    # delivered to a store with a request to collect (Simplified; the Traditional one below, under a delivered code)
    ("zh", "您的商品已送达超商，请于七日内取货。", "available_for_pickup"),
    ("zh", "订单已送达取货门店，请凭取件码领取。", "available_for_pickup"),
    ("zh", "包裹已送达门市，消费者已成功取货。", "delivered"),
    ("zh", "您的快递已送达，本人签收。", "delivered"),
    # a delivery record cancelled
    ("zh", "已撤销该快件的签收记录", "unknown"),
    ("zh", "系统已注销投递成功信息", "unknown"),
    ("zh", "投递成功记录已作废", "unknown"),
    ("zh", "快件已投递成功，签收人为本人。", "delivered"),
    # a choice or a hypothetical
    ("en", "You have chosen to have your parcel delivered to the Main Street shop.", "unknown"),
    ("en", "You elected to have the order delivered to your office.", "unknown"),
    ("en", "In some cases your parcel may be delivered to a neighbour.", "unknown"),
    ("fr", "Vous avez choisi d'être livré à votre bureau.", "unknown"),
    ("fr", "Dans certains cas, le livreur peut déposer le colis chez un voisin.", "unknown"),
    ("es", "Has elegido que tu pedido sea entregado en tu oficina.", "unknown"),
    ("pt", "Você escolheu que o pacote fosse entregue no trabalho.", "unknown"),
    ("de", "Sie haben sich entschieden, das Paket an Ihre Arbeitsstelle zustellen zu lassen.", "unknown"),
    ("nl", "Je hebt ervoor gekozen om je pakket op je werk te laten bezorgen.", "unknown"),
    ("zh", "在个别情况下，网点可能会替收件人签收快件。", "unknown"),
    ("zh", "快递员有时会帮忙签收包裹。", "unknown"),
    ("zh", "快递员已将包裹送达，收件人本人签收。", "delivered"),
    # signed without the recipient asked
    ("zh", "快递员没有联系我就擅自签收了", "exception"),
    ("zh", "未经本人同意，快递员直接签收了包裹", "exception"),
    ("en", "The driver signed for the parcel himself without contacting me.", "exception"),
    ("en", "The courier marked it as delivered without asking anyone.", "exception"),
    ("zh", "快递员联系收件人后，包裹由本人签收。", "delivered"),
    ("en", "The delivery driver signed for it on your doorstep.", "delivered"),
    ("en", "Delivered without contact to your front door.", "delivered"),
    # left with a neighbour without notice, or at another address
    ("es", "Fue entregado a un vecino sin avisar.", "exception"),
    ("en", "My parcel was delivered to a neighbour without any notice.", "exception"),
    ("de", "Die Sendung wurde ohne Benachrichtigung beim Nachbarn zugestellt.", "exception"),
    ("fr", "Colis livré chez un voisin sans me prévenir.", "exception"),
    ("pt", "A encomenda foi entregue a um vizinho sem aviso.", "exception"),
    ("nl", "Het pakket is zonder bericht bij de buren bezorgd.", "exception"),
    ("en", "It was delivered, but not to my home but to another street.", "exception"),
    ("es", "El pedido fue entregado, pero no en mi casa sino en otra dirección.", "exception"),
    ("fr", "Livré, mais pas à mon adresse mais à une autre.", "exception"),
    ("de", "Zugestellt, aber nicht an meine Adresse, sondern an eine andere.", "exception"),
    ("pt", "Foi entregue, mas não no meu endereço mas em outro.", "exception"),
    ("nl", "Bezorgd, maar niet op mijn adres maar op een ander adres.", "exception"),
    # a real delivery to a neighbour or to the door stays delivered
    ("es", "Entregado a su vecino del segundo piso.", "delivered"),
    ("es", "Entregado en su domicilio.", "delivered"),
    ("de", "Ihr Paket wurde bei Ihrem Nachbarn abgegeben. Eine Karte liegt in Ihrem Briefkasten.", "delivered"),
]
NEVER_DELIVERED = [
    ("zh", "您的包裹已送達門市，請儘快前往取貨。"),
    ("en", "Delivery record cancelled by the depot."),
    ("en", "The delivery scan was voided by the carrier."),
    ("de", "Der Zustellnachweis wurde storniert."),
    ("en", "In some cases the driver may leave the parcel with a neighbour."),
    ("de", "Das Paket wurde ohne Benachrichtigung bei einem Nachbarn abgegeben."),
    ("fr", "Le livreur a signé à ma place sans me prévenir."),
    ("es", "El repartidor firmó el acuse sin avisar a nadie."),
]
# the same families under a `delivered` status code (slices 25/26 carried codes: the guard reads the code's delivered)
UNDER_CODE = [
    ("您的包裹已送達門市，請儘快前往取貨。", "available_for_pickup"),
    ("您的商品已送达超商，请于七日内取货。", "available_for_pickup"),
    ("Votre colis a été livré dans une armoire à colis de votre immeuble.", "available_for_pickup"),
    ("Sua encomenda foi entregue no armário inteligente do condomínio.", "available_for_pickup"),
    ("The delivery scan was voided by the carrier.", "unknown"),
    ("投递成功记录已作废", "unknown"),
    ("You have chosen to have your parcel delivered to the Main Street shop.", "unknown"),
    ("Ihr Paket wurde in Ihren Paketkasten zugestellt.", "delivered"),
    ("包裹已送达门市，消费者已成功取货。", "delivered"),
]

test_sentences_are_written_not_corpus, test_new_phrase_families, test_never_delivered = phrase_checks(
    WANT, NEVER_DELIVERED, also_written=[t for t, _ in UNDER_CODE])


test_under_a_delivered_code = delivered_code_check(UNDER_CODE)
