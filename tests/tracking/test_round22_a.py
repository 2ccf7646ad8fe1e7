"""Round 21 (packs21a): es/nl/pt/fr phrase families added to the packs, and one guard reading (the 22nd test file).

New phrase families: es Colombian/Ecuadorian carrier states: prepared for the carrier / to be collected `label_created`,
handed to the carrier `picked_up`, waiting for a route / re-forwarding / national or regional transit `in_transit`, an
indemnity process, a seizure, an audit, custody, a missing physical parcel, a phone confirmation, a cancelled waybill
`exception`, entering a warehouse / a logistics centre / a terminal `arrived_at_hub`, waiting at an agency or office
`available_for_pickup`, a visit without delivery, a new attempt, a later date `delivery_failed`, a refusal to receive
`delivery_failed`, an address not found / unknown recipient / another address asked `exception`, "en zona de
distribución" `out_for_delivery`, left for the destination city `departed_hub`, "para devolver al remitente"
`return_started`; nl "info ontvangen" `label_created`, a failed attempt `delivery_failed`, available for collection
`available_for_pickup`, refused by customs `customs_held`; pt not collected in time `return_started`, recipient did not
come / not delivered for operational reasons `delivery_failed`, ICMS payment needed `customs_held`; fr being prepared by
the sender `label_created`, could not be handed over, a tried or unfinished delivery `delivery_failed`, not found in the
network or suspended `exception`, back at the seller's `returned` ("retourné à l'expéditeur" stays `return_started` in every tense, round 15's convention), handed to the carrier
(above a "suivi disponible") `picked_up`, "le destinataire a reçu son colis" `delivered`; pt "encomenda foi registada"
`label_created`. The guard:
a text opening on a condition of failure ("Als dit niet lukt, ...") is no delivery.

Sentences written for this test, none a corpus line (checked below). Beside each family: what must not take it (a
hand-over to a carrier, a point, a return, a condition or a negated text never `delivered`).
"""

from __future__ import annotations

from tests.tracking.written import phrase_checks

WANT = [
    # es: Colombian / Ecuadorian carrier states
    ("es", "Pedido preparado para la transportadora en Cali", "label_created"),
    ("es", "Guía por recolectar en bodega del vendedor", "label_created"),
    ("es", "Paquete entregado a la transportadora en Medellín", "picked_up"),
    ("es", "Envío en espera de ruta hacia Pasto", "in_transit"),
    ("es", "Paquete viajando en ruta regional", "in_transit"),
    ("es", "Caso en proceso de indemnización por pérdida", "exception"),
    ("es", "Mercancía incautada en el control de carretera", "exception"),
    ("es", "El paquete ingresó y quedó ingresado a bodega principal", "arrived_at_hub"),
    ("es", "Guía en terminal de destino Barranquilla", "arrived_at_hub"),
    ("es", "Envío para retiro en la agencia del centro", "available_for_pickup"),
    ("es", "Se visitó la dirección pero no se logró la entrega", "delivery_failed"),
    ("es", "El titular se negó a recibir la caja", "delivery_failed"),
    ("es", "No se localiza la dirección indicada en la guía", "exception"),
    ("es", "El envío se encuentra en zona de distribución de Bogotá", "out_for_delivery"),
    ("es", "El camión salió hacia la ciudad de destino", "departed_hub"),
    ("es", "Paquete marcado para devolver al remitente tras tres intentos", "return_started"),
    # nl
    ("nl", "Mislukte bezorgpoging om 14:05", "delivery_failed"),
    ("nl", "Het pakket kan worden opgehaald bij de balie", "available_for_pickup"),
    ("nl", "Pakket afgewezen door de douane in Schiphol", "customs_held"),
    # pt
    ("pt", "O destinatário não retirou o objeto no prazo estabelecido", "return_started"),
    ("pt", "Cliente não se apresentou para receber a encomenda", "delivery_failed"),
    ("pt", "Para liberar é necessário o pagamento do ICMS da remessa", "customs_held"),
    # fr
    ("fr", "Commande en préparation chez l'expéditeur depuis lundi", "label_created"),
    ("fr", "Votre paquet n'a pas pu être livré ce matin", "delivery_failed"),
    ("fr", "Envoi introuvable dans le réseau du transporteur", "exception"),
    ("fr", "Nous avons tenté de vous livrer hier soir", "delivery_failed"),
    ("fr", "Livraison non aboutie, nouvel essai demain", "delivery_failed"),
    ("fr", "Envoi suspendu par l'administration douanière", "exception"),
    ("fr", "Votre envoi a été retourné à l'expéditeur lundi", "return_started"),
    ("fr", "Le paquet a été remis au transporteur ce matin, suivi disponible", "picked_up"),
    ("fr", "Le destinataire a bien reçu son colis", "delivered"),
    ("fr", "Le paquet est revenu chez l'expéditeur hier", "returned"),
    ("pt", "A encomenda foi registada no sistema da loja", "label_created"),
]

NEVER_DELIVERED = [
    # hand-overs to a carrier, points, returns, conditions and negations
    ("es", "Caja entregada a la transportadora para su despacho"),
    ("es", "Paquete entregado en la agencia, para retiro en la agencia"),
    ("es", "Entregado al remitente: para devolver al remitente"),
    ("es", "No se logró la entrega, el paquete no fue entregado"),
    ("nl", "Als dit niet lukt, laten we een kaartje achter en wordt het pakket later bezorgd"),
    ("nl", "Als het bezorgen niet lukt, kan het pakket worden opgehaald bij het afhaalpunt"),
    ("en", "If this fails, the parcel will be delivered to a neighbour"),
    ("fr", "Si ce n'est pas possible, votre colis sera livré en point relais"),
    ("pt", "Se não for possível, o pacote será entregue na agência"),
    ("fr", "Le colis n'a pas pu être livré, il vous attend au point relais"),
    ("fr", "Le client n'a pas reçu le colis annoncé"),
    ("fr", "Le paquet a été remis au transporteur à Lyon"),
    ("fr", "Nous avons tenté de livrer votre paquet, avis de passage déposé"),
]


test_sentences_are_written_not_corpus, test_new_phrase_families, test_never_delivered = phrase_checks(WANT, NEVER_DELIVERED)
