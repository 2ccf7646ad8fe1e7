"""Round 14: "not collected" beside a return or an exception rule's answer (the guard's word reading
``collection_not_done``). A collection by the courier that did not happen ("Not picked up: shipper closed") is an
exception, not a return; a parcel not collected that the text sends back to the sender is a return started, in every
language the corpus carries it in. Sentences written for this test, none a corpus line (checked below)."""

from __future__ import annotations

import pytest

from edge.tracking.classify import Classifier
from tests.tracking.written import assert_written

CASES = [
    ("en", "Not picked up: shipper closed", "exception"),
    ("en", "Not picked up: parcel not ready for collection", "exception"),
    ("en", "Parcel not collected, it is being sent back to the sender", "return_started"),
    ("de", "Paket nicht abgeholt, es geht an den Absender zurück", "return_started"),
    ("de", "Der Empfänger hat die Sendung nicht abgeholt", "exception"),
    ("fr", "Colis non retiré, renvoyé à l'expéditeur", "return_started"),
    ("nl", "Pakket niet opgehaald, gaat terug naar de afzender", "return_started"),
]


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier()


@pytest.mark.parametrize(("lang", "text", "want"), CASES)
def test_not_collected(clf: Classifier, lang: str, text: str, want: str) -> None:
    got = clf.classify(text)
    assert got.milestone == want, (lang, text, got)
    assert got.milestone != "delivered"


def test_no_case_is_a_corpus_text() -> None:
    assert_written(t for _, t, _ in CASES)
