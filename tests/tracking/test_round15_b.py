"""Round 15 (packs14b): fr/es/nl shop and carrier wording added to the packs, and one false delivered fixed.

The nl delivered phrase "(?:is|werd|zijn) ... bezorgd" matched the start of "bezorgdienst" (delivery service), so
"Je pakket is onderweg met de bezorgdienst" read `delivered`; the phrase now ends at a word boundary.

Sentences written for this test, none a corpus line (checked below). Beside each family: what must not take it (a
neighbour, locker, point or return text never `delivered`; a future or conditional never a past milestone).
"""

from __future__ import annotations

from tests.tracking.written import phrase_checks

WANT = [
    # nl: a webshop still preparing the parcel
    ("nl", "Uw pakket wordt momenteel klaargemaakt door de webshop", "label_created"),
    ("nl", "Onze bestelling wordt nu klaargemaakt voor de verzending", "label_created"),
    # nl: a delivery service is no delivery
    ("nl", "Uw zending is onderweg met onze bezorgdienst", "in_transit"),
    # fr: a parcel created or to prepare, an order received
    ("fr", "Colis créé par l'expéditeur", "label_created"),
    ("fr", "À préparer par le vendeur", "label_created"),
    ("fr", "Commande reçue par le vendeur", "label_created"),
    ("fr", "Bonne nouvelle, le livreur est en route vers vous avec votre colis", "out_for_delivery"),
    # es: a shop preparing the order, a parcel waiting to be collected, the last leg
    ("es", "Ya estamos preparando tu pedido en el almacén", "label_created"),
    ("es", "Hemos comenzado a preparar tu pedido de libros", "label_created"),
    ("es", "Tu paquete sigue pendiente de retiro en la oficina", "available_for_pickup"),
    ("es", "Tu envío está en la última etapa de la entrega", "out_for_delivery"),
]

NEVER_DELIVERED = [
    ("nl", "Het pakket gaat vandaag met de bezorgdienst mee"),
    ("nl", "De bezorgdienst heeft je pakket opgehaald bij de webshop"),
    ("nl", "Je pakket ligt klaar in de pakketautomaat"),
    ("nl", "Je pakket wordt teruggestuurd naar de webshop"),
    ("fr", "Le livreur est en route vers vous, livraison prévue avant 18h"),
    ("fr", "Colis créé, il sera livré dès sa prise en charge"),
    ("es", "Tu pedido está pendiente de retiro en el punto de recogida"),
    ("es", "Si no estás en casa, lo entregará hoy a un vecino"),
    ("es", "Estamos preparando tu pedido: será entregado mañana"),
]


test_sentences_are_written_not_corpus, test_new_phrase_families, test_never_delivered = phrase_checks(WANT, NEVER_DELIVERED)
