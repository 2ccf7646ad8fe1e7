"""After frozen slices 14-16's only runs (spent, so these families are in-sample): "RTO delivered" is the sender
having the parcel back (`returned`); a parcel handed to a colleague, an authorised person, an alternative drop-off
place, a building's parcel room or a drop box is held for the resident (`available_for_pickup`); handed to the
carrier (交付承运人) is its first scan (`picked_up`). None of them `delivered`."""

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
    "The parcel was delivered to the building's parcel room",
    "Order delivered to your condo's front office",
]
TO_CARRIER = ["您的包裹已交付给物流公司", "订单货物已交付承运商，等待揽收扫描"]
STILL_DELIVERED = ["Delivered to the recipient in person", "Ihre Sendung wurde Ihnen persönlich zugestellt"]


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier()


def test_written_sentences_are_no_corpus_texts() -> None:
    assert_written(RETURNED + THIRD_PARTY + TO_CARRIER + STILL_DELIVERED)


@pytest.mark.parametrize("text", RETURNED)
def test_rto_delivered_is_returned(clf: Classifier, text: str) -> None:
    assert clf.classify(text).milestone == "returned", text


@pytest.mark.parametrize("text", THIRD_PARTY)
def test_a_third_party_holding_it_is_no_delivery(clf: Classifier, text: str) -> None:
    assert clf.classify(text).milestone == "available_for_pickup", text
    assert clf.classify(text, carrier="AFTERSHIP", code="Delivered_001").milestone != "delivered", text


@pytest.mark.parametrize("text", TO_CARRIER)
def test_handed_to_the_carrier_is_picked_up(clf: Classifier, text: str) -> None:
    assert clf.classify(text).milestone == "picked_up", text


@pytest.mark.parametrize("text", STILL_DELIVERED)
def test_the_recipient_in_person_stays_delivered(clf: Classifier, text: str) -> None:
    assert clf.classify(text).milestone == "delivered", text
