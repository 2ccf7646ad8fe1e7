"""After frozen slices 14 and 15's only runs (spent, so these families are in-sample): "RTO delivered" is the
sender having the parcel back (`returned`); a parcel handed to a colleague, an authorised person or an alternative
drop-off place is held by a third party for the resident (`available_for_pickup`), never `delivered`."""

from __future__ import annotations

import pytest

from edge.tracking.classify import Classifier
from tests.tracking.written import assert_written

RETURNED = ["Shipment RTO delivered to the seller", "RTO-Delivered at origin hub"]
THIRD_PARTY = [
    "Parcel delivered to an authorised person",
    "Package delivered to a co-worker at reception",
    "Die Sendung wurde an einen Kollegen zugestellt",
    "Paket an die Ersatzabgabestelle übergeben",
]
STILL_DELIVERED = ["Delivered to the recipient in person", "Ihre Sendung wurde Ihnen persönlich zugestellt"]


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier()


def test_written_sentences_are_no_corpus_texts() -> None:
    assert_written(RETURNED + THIRD_PARTY + STILL_DELIVERED)


@pytest.mark.parametrize("text", RETURNED)
def test_rto_delivered_is_returned(clf: Classifier, text: str) -> None:
    assert clf.classify(text).milestone == "returned", text


@pytest.mark.parametrize("text", THIRD_PARTY)
def test_a_third_party_holding_it_is_no_delivery(clf: Classifier, text: str) -> None:
    assert clf.classify(text).milestone == "available_for_pickup", text
    assert clf.classify(text, carrier="AFTERSHIP", code="Delivered_001").milestone != "delivered", text


@pytest.mark.parametrize("text", STILL_DELIVERED)
def test_the_recipient_in_person_stays_delivered(clf: Classifier, text: str) -> None:
    assert clf.classify(text).milestone == "delivered", text
