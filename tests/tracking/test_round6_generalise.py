"""Round 6 (issue 15): the forms behind frozen slice 5's seven false deliveries and its biggest miss families,
each in every pack language where the same form exists. Slice 5 is spent (measured once on the round-5 code);
these sentences are written in the carriers' general wording, not copied from it."""

from __future__ import annotations

import pytest

from edge.tracking.classify import Classifier
from edge.tracking.fold import fold_chars


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier()


def test_typographic_apostrophes_fold_like_the_ascii_one() -> None:
    assert fold_chars("n’a pas pu être livré") == fold_chars("n'a pas pu être livré") == "n'a pas pu etre livre"
    assert fold_chars("l‘expéditeur ʼ") == "l'expediteur '"


# a failed or postponed delivery, whatever the apostrophe and with or without "pas": never delivered
@pytest.mark.parametrize("text", [
    "Votre colis n’a pas pu être livré sur rendez-vous.",
    "Votre colis n'a pas pu être livré sur rendez-vous.",
    "Votre colis ne peut être livré ce jour. Il sera remis en livraison au plus tôt.",
    "Le colis ne peut être livré à l’adresse indiquée.",
    "Your parcel cannot be delivered today.",
    "Ihr Paket konnte heute nicht zugestellt werden.",
    "Uw pakket kon vandaag niet worden bezorgd.",
    "Su paquete no ha podido ser entregado hoy.",
    "A sua encomenda não foi entregue hoje.",
    "O objeto não pôde ser entregue.",
    "本日はお届けできませんでした。",
    "您的快件今日未能妥投",
])
def test_a_delivery_that_did_not_happen_is_never_delivered(clf: Classifier, text: str) -> None:
    assert clf.classify(text).milestone == "delivery_failed", text


@pytest.mark.parametrize("text", [
    "Il sera remis en livraison au plus tôt.",
    "Votre colis est livré sur rendez-vous.  Il sera remis en livraison demain.",
])
def test_a_new_attempt_announced_is_not_a_delivery(clf: Classifier, text: str) -> None:
    assert clf.classify(text).milestone != "delivered", text


# a post office box is a point the recipient empties: available_for_pickup, never delivered
@pytest.mark.parametrize("text", [
    "Your shipment was delivered to your PO Box.",
    "Delivered to P.O. Box",
    "Delivered to post office box",
    "Die Sendung wurde in das Postfach zugestellt.",
    "Objeto entregue na caixa postal",
    "Entregado en el apartado de correos",
    "Votre colis a été livré dans votre boîte postale.",
    "Uw pakket is bezorgd in uw postbus",
    "私書箱に配達しました",
])
def test_a_po_box_is_a_point(clf: Classifier, text: str) -> None:
    assert clf.classify(text).milestone == "available_for_pickup", text


# 已取件 alone is the sender's courier taking the parcel; a collection needs the recipient or a point beside it
@pytest.mark.parametrize("text", ["订单已取件", "推送已取件", "快递员已取件"])
def test_courier_pickup_from_sender_is_picked_up(clf: Classifier, text: str) -> None:
    assert clf.classify(text).milestone == "picked_up", text


@pytest.mark.parametrize("text", ["您的快件已从【丰巢智能柜】取出，收件人已取件", "收件人已取件", "凭取件码已取件"])
def test_recipient_collection_is_delivered(clf: Classifier, text: str) -> None:
    assert clf.classify(text).milestone == "delivered", text


# a habitual description of when parcels are delivered is not a delivery
@pytest.mark.parametrize("text", [
    "Pakketten worden doorgaans tussen 9.00 en 19.00 uur bezorgd bij woningen.",
    "Parcels are usually delivered between 9am and 7pm.",
    "Pakete werden normalerweise zwischen 9 und 19 Uhr zugestellt.",
    "Les colis sont généralement livrés entre 9h et 19h.",
    "Los paquetes normalmente se entregan entre las 9 y las 19 h.",
    "As encomendas são geralmente entregues entre as 9h e as 19h.",
    "通常は9時から19時の間に配達されます。",
])
def test_a_habitual_description_is_not_a_delivery(clf: Classifier, text: str) -> None:
    assert clf.classify(text).milestone != "delivered", text


@pytest.mark.parametrize(("text", "milestone"), [
    ("Your shipment is held in import customs.", "customs_held"),
    ("Your shipment is held by carrier due to customs issues.", "customs_held"),
    ("Votre colis est retenu en douane.", "customs_held"),
    ("Die Sendung wird vom Zoll zurückgehalten.", "customs_held"),
    ("De zending wordt door de douane vastgehouden.", "customs_held"),
    ("Paquete retenido en aduana", "customs_held"),
    ("Objeto retido na alfândega", "customs_held"),
    ("税関で保留されています", "customs_held"),
    ("Your shipment has passed customs clearance.", "customs_cleared"),
    ("Votre colis a été dédouané.", "customs_cleared"),
    ("Die Sendung hat die Zollabfertigung passiert.", "customs_cleared"),
    ("De zending is door de douane vrijgegeven.", "customs_cleared"),
    ("Paquete liberado por la aduana", "customs_cleared"),
    ("Objeto liberado pela alfândega", "customs_cleared"),
    ("アメリカの税関を通過しました", "customs_cleared"),
    ("Your shipment is going through customs.", "customs_started"),
])
def test_customs_held_and_cleared_are_told_from_started(clf: Classifier, text: str, milestone: str) -> None:
    assert clf.classify(text).milestone == milestone, text


@pytest.mark.parametrize(("text", "milestone"), [
    ("Your shipment is ready to go and is waiting for pickup.", "label_created"),
    ("Your shipment pickup has been scheduled.", "label_created"),
    ("Your shipment is now in the carrier's system.", "label_created"),
    ("Wij hebben de verzendgegevens van de afzender ontvangen.", "label_created"),
    ("La empresa ha recibido la información del envío.", "label_created"),
    ("ラベルが作成されました", "label_created"),
    # a failure at a locker or point is not a parcel waiting there
    ("La livraison de votre colis dans l'espace consigne est impossible.", "exception"),
    ("Colis trop volumineux pour le casier", "exception"),
    ("Colis en échec de livraison : plus de casier disponible dans la consigne choisie", "delivery_failed"),
    ("Delivery refused. Shipment being returned.", "return_started"),
    ("拒收退回", "return_started"),
    ("Die Sendung wird an den Versender zurückgeführt.", "return_started"),
    ("Your shipment has been left in your designated safe place.", "delivered"),
    ("Your package has been picked up from the collection point.", "delivered"),
    ("【上海市】您的快件已由快递员李四(13912345678)派出，请您注意查收", "out_for_delivery"),
    ("Die Sendung befindet sich im Verteilzentrum", "in_transit"),
    ("Abfahrts Scan", "departed_hub"),
])
def test_round6_families(clf: Classifier, text: str, milestone: str) -> None:
    assert clf.classify(text).milestone == milestone, text


def test_a_staff_label_stored_with_a_curly_apostrophe_still_applies() -> None:
    # a label written before the apostrophe folding keys on the old template; it is folded on load
    old = Classifier(local={("le colis est arrivé à l’agence", ""): "arrived_at_hub"})
    assert old.classify("Le colis est arrivé à l’agence").milestone == "arrived_at_hub"
    assert old.classify("Le colis est arrivé à l'agence").milestone == "arrived_at_hub"
