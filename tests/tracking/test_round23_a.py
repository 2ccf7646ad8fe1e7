"""Round 22 (packs22a): pt/fr/nl/es phrase families added to the packs (the 23rd round test file).

New phrase families: pt courier master data (Brazilian card and parcel couriers' status names): a shipment registered
or its data filed, prepared for or awaiting posting, a collection pending or booked `label_created`; a load
consolidated or deconsolidated, transferred, re-dispatched `in_transit`; a load received at a base or hub, a transfer
between bases completed `arrived_at_hub`; a delivery under way on the street `out_for_delivery`; the recipient
travelling or on holiday, a new attempt booked `delivery_failed`; a demolished site, a hard-to-reach address, outside
the service area, a wrong postcode, wrong or missing data, the recipient not found `exception`; theft, destruction,
a claim, a bankrupt addressee, an internal issue, waiting for the sender's instructions `exception`; a return under
way `return_started`, a return received `returned`; a delivery recorded `delivered` (never in a locker, agency or
point); to be collected at the post office or an agency `available_for_pickup`; extra documents asked
`customs_held`. fr: an order or shipment accepted, an order waiting to be processed, shipment data received
`label_created`; a parcel "en livraison", on its way for distribution `out_for_delivery`; grouping for dispatch
`in_transit`; an investigation opened `exception`; "votre colis vous attend" `available_for_pickup`; "a reçu
l'envoi" `picked_up`. nl: the delivery is near, on its way for delivery `out_for_delivery`; a delivery that
succeeded, confirmed at the end of the text, left in a safe place `delivered`; shipment data received, announced
`label_created`. es: ready to be claimed or collected `available_for_pickup`; created in the system `label_created`;
a failed attempt `delivery_failed`; the pickup period over `return_started`.

Sentences written for this test, none a corpus line (checked below). Beside each family: what must not take it (a
locker, agency or point, a return, a negation, a future or booked delivery never `delivered`).
"""

from __future__ import annotations

from edge.tracking.packs import PACK_DIR
from tests.tracking.written import assert_each_cited_source_matches, phrase_checks, round_phrases

WANT = [
    # pt: courier master data
    ("pt", "Remessa de cartões cadastrada pelo emissor", "label_created"),
    ("pt", "Pacote preparado para postagem pelo vendedor", "label_created"),
    ("pt", "Coleta agendada para amanhã de manhã", "label_created"),
    ("pt", "Lote consolidado no galpão de triagem", "in_transit"),
    ("pt", "Volume redespachado para a transportadora parceira", "in_transit"),
    ("pt", "Carga recebida no armazém regional", "arrived_at_hub"),
    ("pt", "Pacote recebido na base de Campinas", "arrived_at_hub"),
    ("pt", "Entrega em andamento pelo motoboy", "out_for_delivery"),
    ("pt", "Destinatário está viajando, entrega adiada", "delivery_failed"),
    ("pt", "Nova tentativa de entrega agendada para sexta", "delivery_failed"),
    ("pt", "Endereço de difícil acesso, sem entrada para veículos", "exception"),
    ("pt", "Fora da área de cobertura da transportadora", "exception"),
    ("pt", "CEP inválido informado na compra", "exception"),
    ("pt", "Mercadoria furtada durante o transporte", "exception"),
    ("pt", "Sinistro registrado junto à seguradora", "exception"),
    ("pt", "Pendência operacional na unidade de Guarulhos", "exception"),
    ("pt", "Aguardando instruções do remetente para prosseguir", "exception"),
    ("pt", "Dados incompletos do destinatário", "exception"),
    ("pt", "Em tratativa de devolução ao emissor", "return_started"),
    ("pt", "Devolução do cartão recebida pelo emissor", "returned"),
    ("pt", "Entrega registrada pelo entregador", "delivered"),
    ("pt", "Retirar na agência da transportadora com documento", "available_for_pickup"),
    ("pt", "Documentação adicional exigida pela Receita Federal", "customs_held"),
    # fr
    ("fr", "Commande acceptée par le vendeur", "label_created"),
    ("fr", "Paquet en livraison aujourd'hui", "out_for_delivery"),
    ("fr", "Colis en route pour la distribution ce matin", "out_for_delivery"),
    ("fr", "Colis en cours de groupage avant le départ du conteneur", "in_transit"),
    ("fr", "Une enquête a été ouverte auprès du transporteur", "exception"),
    ("fr", "Votre paquet vous attend au comptoir", "available_for_pickup"),
    ("fr", "Votre commande reste en attente de traitement", "label_created"),
    # nl
    ("nl", "Je bezorging nadert, nog twee stops", "out_for_delivery"),
    ("nl", "Pakket onderweg voor bezorging in Utrecht", "out_for_delivery"),
    ("nl", "Levering gelukt bij de voordeur", "delivered"),
    ("nl", "Pakket veilig neergelegd achter de schuur", "delivered"),
    ("nl", "Zending is aangekondigd door de webwinkel", "label_created"),
    # es
    ("es", "Pedido listo para ser retirado en tienda", "available_for_pickup"),
    ("es", "La guía fue creada en el sistema del operador", "label_created"),
    ("es", "Segundo intento fallido por ausencia", "delivery_failed"),
    ("es", "Plazo de recogida vencido, se devuelve al remitente", "return_started"),
    # in-sample families learned from spent slices 18, 20, 21, 22
    ("pt", "Volume fora do padrão de embalagem", "exception"),
    ("es", "El repartidor va rumbo a su domicilio", "out_for_delivery"),
    ("es", "Su caja está en ruta para su entrega", "out_for_delivery"),
    ("es", "Transbordando en el centro de Lima", "in_transit"),
    ("es", "La caja volvió a la tienda de origen", "returned"),
    ("es", "Información recibida del vendedor", "label_created"),
    ("nl", "Zending vastgehouden door de douane in Venlo", "customs_held"),
    ("nl", "De bezorging van je pakket is onderweg", "out_for_delivery"),
    ("fr", "Commande enregistrée !", "label_created"),
    ("fr", "Complément d'adresse manquant", "exception"),
    ("fr", "Départ du centre de Lyon", "departed_hub"),
]

NEVER_DELIVERED = [
    # lockers, agencies and points, returns, negations, a delivery only booked
    ("pt", "Entrega registrada no armário inteligente do condomínio"),
    ("pt", "Entrega registrada na agência, aguardando retirada"),
    ("pt", "Entrega não registrada: destinatário ausente"),
    ("pt", "Devolução registrada e recebida pelo remetente"),
    ("pt", "Retirar no ponto de coleta indicado"),
    ("nl", "Bezorging gelukt bij het PostNL-punt"),
    ("nl", "Bezorging is niet gelukt, we proberen het morgen opnieuw"),
    ("nl", "Veilig neergelegd in de pakketautomaat"),
    ("nl", "Bezorging bevestigd voor morgen tussen 9 en 12 uur"),
    ("nl", "Levering gelukt aan de afzender na retour"),
    ("fr", "Votre colis vous attend au point relais"),
    ("es", "Listo para ser retirado en el casillero"),
]

MARK = "# packs22a"
LANGS = ("pt", "fr", "nl", "es")

test_sentences_are_written_not_corpus, test_new_phrase_families, test_never_delivered = phrase_checks(WANT, NEVER_DELIVERED)


def test_every_round22_phrase_matches_a_text_of_each_source_it_cites() -> None:
    phrases = round_phrases(PACK_DIR, LANGS, MARK)
    assert len(phrases) >= 30
    assert_each_cited_source_matches(phrases)
