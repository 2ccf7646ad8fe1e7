"""Round 14: sent on to another address at someone's request is the chain going on (`in_transit`), not a return nor
an address exception -- the guard's word reading ``forwarded_on`` -- unless the text names the sender, a return, a
refusal, an unknown recipient or an error. Sentences written for this test, none a corpus line (checked below)."""

from __future__ import annotations

import pytest

from edge.tracking.classify import Classifier
from tests.tracking.written import assert_written

FORWARDED = [
    ("de", "Nachsendung / Rücksendung: Nachsendeauftrag des Empfängers"),
    ("de", "Nachsendung / Rücksendung: Zustellung an eine neue Anschrift gewünscht"),
    ("fr", "Colis réexpédié vers la nouvelle adresse"),
    ("fr", "Votre colis est réexpédié à la demande du destinataire vers une autre adresse"),
]

STAYS = [
    ("de", "Nachsendung / Rücksendung: Rücksendung an den Absender", "return_started"),
    ("de", "Nachsendung / Rücksendung: Empfänger unbekannt", "return_started"),
    ("en", "Shipment returned to sender after being forwarded to the new address", "returned"),
    ("en", "Parcel forwarded to the wrong address", "exception"),
]


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier()


@pytest.mark.parametrize(("lang", "text"), FORWARDED)
def test_forwarded_to_another_address_goes_on(clf: Classifier, lang: str, text: str) -> None:
    got = clf.classify(text)
    assert got.milestone == "in_transit", (lang, text, got)


@pytest.mark.parametrize(("lang", "text", "want"), STAYS)
def test_a_return_a_refusal_or_an_error_stays(clf: Classifier, lang: str, text: str, want: str) -> None:
    got = clf.classify(text)
    assert got.milestone == want, (lang, text, got)


def test_no_case_is_a_corpus_text() -> None:
    assert_written([t for _, t in FORWARDED] + [t for _, t, _ in STAYS])
