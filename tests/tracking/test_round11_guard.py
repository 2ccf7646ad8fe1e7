"""Round 11 (after frozen slice 9): two families in every pack language, sentences written for this test (none is a
corpus line; the two slice-9 lines themselves are not repeated here).

1. delivered to a counter, post office, branch, pickup desk or parcel shop: the parcel waits there for the recipient,
   `available_for_pickup`; a hand-over to the recipient at that place stays `delivered`.
2. the collection (holding) period or deadline ran out, not collected in time: `exception`, or `return_started` when
   the text says it goes back to the sender; never `delivered`, never `available_for_pickup`.
"""

from __future__ import annotations

import pytest

from edge.tracking.classify import Classifier
from edge.tracking.guard import final_reading

AT_A_COUNTER = [
    ("en", "Your parcel has been delivered to the branch"), ("en", "Parcel delivered to the pickup desk of the depot"),
    ("en", "Delivered at the collection counter"), ("en", "Item delivered to the post office counter"),
    ("zh", "快件已投递至网点待取"), ("zh", "您的快件已送达网点，待取"), ("zh", "包裹已投递至营业厅，请凭取件码领取"),
    ("de", "Die Sendung wurde in der Filiale zur Abholung zugestellt"), ("de", "Paket in die Filiale geliefert"),
    ("fr", "Colis livré au guichet du bureau de poste"), ("fr", "Votre envoi a été livré au bureau de poste"),
    ("es", "El paquete fue entregado en la ventanilla de la sucursal"), ("es", "Envío entregado en oficina de Correos"),
    ("pt", "Encomenda entregue no balcão da loja"), ("pt", "Objeto entregue na agência dos Correios"),
    ("nl", "Het pakket is afgeleverd bij het servicepunt"), ("nl", "Zending afgeleverd bij het postkantoor"),
    ("ja", "郵便局の窓口にお届けしました"), ("ja", "窓口でお預かりしています"),
]
# a hand-over to the recipient at the counter or branch: a delivery
HANDED_OVER = [
    ("en", "Delivered to the recipient at the counter"), ("en", "Picked up at the counter by the recipient"),
    ("en", "Collected by the addressee at the post office counter"), ("zh", "收件人已在营业厅领取"),
    ("de", "Die Sendung wurde in der Filiale vom Empfänger abgeholt"), ("fr", "Colis remis au destinataire au guichet"),
    ("es", "Entregado al destinatario en la ventanilla"), ("pt", "Objeto retirado pelo destinatário na agência"),
    ("nl", "Het pakket is bij het servicepunt door de ontvanger opgehaald"),
]
RAN_OUT = [
    ("en", "The holding period has expired"), ("en", "Parcel not collected within the holding period"),
    ("en", "Not collected within the pickup window"),
    ("zh", "超期未取"), ("zh", "包裹逾期未领取"),
    ("de", "Lagerfrist abgelaufen"), ("de", "Die Abholfrist ist abgelaufen"),
    ("fr", "Délai de retrait expiré"), ("fr", "Le délai de retrait est dépassé pour votre colis"),
    ("es", "Plazo de retiro vencido"), ("es", "Se venció el plazo para retirar el envío en la sucursal"),
    ("pt", "Prazo para retirada expirado"), ("pt", "O prazo de retirada na agência terminou"),
    ("nl", "De bewaartermijn is verlopen"), ("nl", "Bewaartermijn verstreken, pakket niet opgehaald"),
    ("ja", "保管期限切れ"), ("ja", "保管期間経過のため"),
]
RAN_OUT_GOING_BACK = [
    ("en", "Holding period expired, the item is being returned to the sender"), ("zh", "快件超期未取，正安排退还寄件人"),
    ("de", "Lagerfrist abgelaufen, Sendung wird an den Absender zurückgeschickt"),
    ("fr", "Délai de retrait dépassé, le colis est renvoyé à l'expéditeur"),
    ("es", "Plazo de retiro vencido, el envío será devuelto al remitente"),
    ("pt", "Prazo de retirada esgotado, objeto em devolução ao remetente"),
    ("nl", "Bewaartermijn verlopen, het pakket gaat terug naar de afzender"), ("ja", "保管期間経過のため差出人に返送します"),
]
# carriers' delivered codes: the text decides over them
DELIVERED_CODES = (("USPS", "01"), ("CAINIAO", "GTMS_SIGNED"), (None, "aftership:Delivered_001"), ("POSTNL", "I01"))


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier()


@pytest.mark.parametrize(("lang", "text"), AT_A_COUNTER)
def test_a_delivery_to_a_counter_or_branch_waits_there(clf: Classifier, lang: str, text: str) -> None:
    assert clf.classify(text).milestone == "available_for_pickup", (lang, text)


@pytest.mark.parametrize(("lang", "text"), AT_A_COUNTER)
def test_a_delivery_to_a_counter_is_not_delivered_with_a_delivered_code(clf: Classifier, lang: str, text: str) -> None:
    for carrier, code in DELIVERED_CODES:
        assert clf.classify(text, carrier, code).milestone != "delivered", (lang, text, code)


@pytest.mark.parametrize(("lang", "text"), HANDED_OVER)
def test_a_hand_over_to_the_recipient_at_the_counter_stays_delivered(clf: Classifier, lang: str, text: str) -> None:
    assert clf.classify(text).milestone == "delivered", (lang, text)


def test_the_recipient_named_as_the_one_to_collect_is_still_a_wait() -> None:
    assert final_reading("delivered to the counter for the recipient to collect", "delivered", "delivered") \
        == "available_for_pickup"
    assert final_reading("delivered to the recipient at the counter", "delivered", "delivered") is None
    assert final_reading("窓口にてご本人様にお渡ししました", "delivered", "delivered") is None
    assert final_reading("delivered to the counter", "delivered", "collected") is None  # the recipient collected it


@pytest.mark.parametrize(("lang", "text"), RAN_OUT)
def test_a_collection_period_run_out_is_an_exception(clf: Classifier, lang: str, text: str) -> None:
    assert clf.classify(text).milestone == "exception", (lang, text)
    for carrier, code in DELIVERED_CODES:
        assert clf.classify(text, carrier, code).milestone not in ("delivered", "available_for_pickup"), (lang, text, code)


@pytest.mark.parametrize(("lang", "text"), RAN_OUT_GOING_BACK)
def test_a_collection_period_run_out_and_going_back_is_a_return_started(clf: Classifier, lang: str, text: str) -> None:
    assert clf.classify(text).milestone == "return_started", (lang, text)


def test_a_period_named_without_running_out_is_no_exception(clf: Classifier) -> None:
    assert clf.classify("Votre colis vous attend en point de retrait, le délai de retrait est de 10 jours").milestone \
        == "available_for_pickup"
    assert final_reading("if the holding period has expired the parcel goes back", "unknown", "") is None
    assert final_reading("holding period expired", "returned", "returned") is None  # a return read stands


def test_every_pack_language_is_covered() -> None:
    langs = {"en", "zh", "de", "fr", "es", "pt", "nl", "ja"}
    for family in (AT_A_COUNTER, HANDED_OVER, RAN_OUT, RAN_OUT_GOING_BACK):
        assert langs - {"ja"} <= {lang for lang, _ in family}
    assert langs <= {lang for lang, _ in AT_A_COUNTER + RAN_OUT + RAN_OUT_GOING_BACK}
