"""The delivered guard in every language of the packs: a locker, station, pickup point, third party who keeps the
parcel, or a return to the sender is never `delivered`, with or without a carrier's delivered code; a collection
by the recipient or a delivery to a neighbour stays `delivered`."""

from __future__ import annotations

import pytest

from edge.tracking.classify import Classifier

# (lang, text): none of these is a delivery to the resident
NEVER_DELIVERED = [
    ("zh", "您的快件已签收，签收人：丰巢快递柜"), ("zh", "快件已被菜鸟驿站代收，请及时取件"), ("zh", "已签收，签收人：门卫"),
    ("zh", "已签收，他人代签"), ("zh", "退件签收，寄件人已签收"), ("zh", "投递并签收，签收人：单位收发章"),
    ("en", "Delivered to parcel locker"), ("en", "Delivered to a UPS Access Point"), ("en", "Delivered to agent for pickup"),
    ("en", "Delivered to the reception desk"), ("en", "Delivered back to sender"), ("en", "Not delivered, recipient absent"),
    ("fr", "Votre colis a été livré en point relais"), ("fr", "Colis livré en consigne Pickup Station"),
    ("fr", "Votre colis a été livré au gardien"), ("fr", "Le colis est livré à l'expéditeur suite à un retour"),
    ("fr", "Colis non livré au destinataire"),
    ("de", "Die Sendung wurde in die Packstation zugestellt"), ("de", "Zugestellt in der Filiale"),
    ("de", "Zustellung im PaketShop"), ("de", "Die Sendung wurde an den Absender zugestellt"), ("de", "Sendung konnte nicht zugestellt werden"),
    ("nl", "Bezorgd bij PostNL-punt"), ("nl", "Afgeleverd in pakketautomaat"), ("nl", "Bezorgd bij afhaalpunt"),
    ("nl", "Retour afzender: bezorgd"), ("nl", "Zending is niet afgeleverd"),
    ("es", "Entregado en oficina de Correos para su recogida"), ("es", "Entregado en punto de recogida"),
    ("es", "Entregado en taquilla Citypaq"), ("es", "Entregado al remitente"), ("es", "No se ha podido entregar"),
    ("pt", "Objeto entregue na Caixa de Correios Inteligente"), ("pt", "Entregue no ponto de retirada"),
    ("pt", "Entregue no cacifo"), ("pt", "Objeto entregue ao remetente"), ("pt", "Objeto não entregue"),
    ("ja", "宅配ボックスに配達完了"), ("ja", "コンビニに配達完了"), ("ja", "郵便局でお届け済み（保管中）"),
    ("ja", "差出人に返送 お届け済み"), ("ja", "お届けできませんでした"),
    # round 4: a collection that did not happen, in every language (the sender's courier or the recipient)
    ("nl", "Zending niet afgehaald"), ("nl", "Pakket is niet opgehaald bij het PostNL-punt"),
    ("de", "Die Sendung wurde nicht abgeholt und wird zurückgesandt"), ("de", "Sendung wurde vom Empfänger nicht abgeholt"),
    ("fr", "Colis non retiré par le destinataire"), ("fr", "Votre colis n'a pas été retiré au bureau de poste"),
    ("es", "El envío no ha sido recogido por el destinatario"), ("pt", "Objeto não retirado no prazo"),
    ("pt", "Destinatário não retirou objeto na Unidade dos Correios"), ("zh", "快件超时未取，已退回"),
    ("zh", "包裹未被领取"), ("en", "Parcel not collected by the recipient"), ("en", "Shipment has not been picked up"),
    ("ja", "お荷物が受取られませんでした"),
    # round 4: a coarse delivered code from the new tables never beats a point, return or refusal text
    ("nl", "Zending afgeleverd bij PostNL-punt"), ("fr", "Distribué en point retrait"), ("en", "Delivered to Post Office for collection"),
    # a false delivery of the frozen slice 4 run (fixed after it, the measured figure stays)
    ("zh", "快件长时间没有派件或签收"), ("zh", "包裹尚未签收"),
]

# (lang, text): these stay delivered (a collection by the recipient, a neighbour, the own mailbox)
STAYS_DELIVERED = [
    ("zh", "已签收，签收人凭取货码签收"), ("zh", "您已在菜鸟驿站完成取件"), ("en", "Collected by the recipient from the locker"),
    ("en", "Delivered to neighbour"), ("de", "Die Sendung wurde beim Nachbarn zugestellt"), ("fr", "Votre colis est livré"),
    ("nl", "Zending is afgehaald bij PostNL-punt"), ("ja", "窓口でお渡し"),
    ("nl", "Zending afgehaald van Postkantoor"), ("en", "Delivered and Signed"), ("fr", "Distribué"),
]


def test_the_new_code_tables_decide_with_an_empty_text(clf: Classifier) -> None:
    """A specific code from the round-4 tables decides on its own; a coarse delivered code alone stays delivered
    (nothing in the text says otherwise) and a coarse code never beats a text that says more."""
    assert clf.classify("", "POSTNL", "J02").milestone == "available_for_pickup"
    assert clf.classify("", "POSTNL", "H16").milestone == "return_started"
    assert clf.classify("", "COLISSIMO", "DI2").milestone == "returned"
    assert clf.classify("", "COLISSIMO", "AG1").milestone == "available_for_pickup"
    assert clf.classify("", "ROYALMAIL", "EVKNA").milestone == "delivery_failed"
    assert clf.classify("Bezorgd bij de buren", "POSTNL", "I01").milestone == "delivered"
    assert clf.classify("Retour afzender", "POSTNL", "I01").milestone != "delivered"


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier()


@pytest.mark.parametrize(("lang", "text"), NEVER_DELIVERED)
def test_point_third_party_return_or_negation_is_never_delivered(clf: Classifier, lang: str, text: str) -> None:
    assert clf.classify(text).milestone != "delivered", (lang, text)


@pytest.mark.parametrize(("lang", "text"), NEVER_DELIVERED)
def test_not_even_with_a_delivered_code(clf: Classifier, lang: str, text: str) -> None:
    for carrier, code in (("USPS", "01"), ("CAINIAO", "GTMS_SIGNED"), ("ZTO", "签收"), (None, "aftership:Delivered_001"),
                          ("POSTNL", "I01"), ("COLISSIMO", "DI1"), ("ROYALMAIL", "EVKSP")):
        assert clf.classify(text, carrier, code).milestone != "delivered", (lang, text, code)


@pytest.mark.parametrize(("lang", "text"), STAYS_DELIVERED)
def test_collection_neighbour_or_own_mailbox_stays_delivered(clf: Classifier, lang: str, text: str) -> None:
    assert clf.classify(text).milestone == "delivered", (lang, text)


def test_every_pack_language_is_covered() -> None:
    from edge.tracking.packs import LANGUAGES

    assert {lang for lang, _ in NEVER_DELIVERED} == set(LANGUAGES)


# Found by frozen slice 3's single run and fixed after it (so no longer blind texts): none is a delivery.
@pytest.mark.parametrize("text", [
    "DELIVERED_SENDER", "Zending wordt afgeleverd op een ander adres", "Zending wordt afgeleverd in de avond bij buren",
    "Pakket wordt vandaag toch nog via een koerier bij je bezorgd", "Zending kan worden afgehaald bij de pakketautomaat",
    "Retourzending afgeleverd",
])
def test_the_false_deliveries_of_the_frozen_3_run_are_not_delivered(clf: Classifier, text: str) -> None:
    assert clf.classify(text).milestone != "delivered"


def test_a_readiness_is_not_a_delivery(clf: Classifier) -> None:
    """The other false delivery of the frozen slice 4 run (fixed after it): "ready to be delivered"."""
    assert clf.classify("Votre colis est prêt à être livré").milestone == "in_transit"
    assert clf.classify("Your parcel is ready to be delivered").milestone != "delivered"
