"""Round 15 (packs14c): a pickup point named as a destination ahead is on the way (`in_transit`), never a parcel
already at the point and never `delivered` (DESIGN.md section 5: `available_for_pickup` is "at a point, ready").
The guard's ``point_announced`` reading covered en/zh/ja only, so the dev line "auf dem Weg zur PACKSTATION" read as
`available_for_pickup`; it now covers de, and fr/es/pt/nl where the phrasing has the same shape.

Sentences written for this test, none a corpus line (checked below). Beside them what must stay at the point: a
parcel put in the locker, ready for collection, or one that "can be collected" there now.
"""

from __future__ import annotations

import pytest

from edge.tracking.classify import Classifier
from tests.tracking.written import assert_written

ON_THE_WAY = [
    ("de", "Ihr Paket ist jetzt auf dem Weg zur Packstation"),
    ("de", "Die Sendung ist auf dem Weg zum Paketshop Ihrer Wahl"),
    ("de", "Ihre Sendung wird an die gewünschte Filiale weitergeleitet"),
    ("de", "Das Paket wird morgen zur Postfiliale gebracht"),
    ("fr", "Votre colis est en route vers le point relais choisi"),
    ("es", "Tu paquete va de camino al punto de recogida elegido"),
    ("pt", "A sua encomenda segue a caminho do ponto de recolha"),
    ("nl", "Uw pakket is onderweg naar het gekozen afhaalpunt"),
]

AT_THE_POINT = [
    ("de", "Ihr Paket wurde in die Packstation eingelegt"),
    ("de", "Die Sendung liegt jetzt in Ihrer Filiale zur Abholung bereit"),
    ("de", "Auf dem Weg zur Packstation gewesen, jetzt abholbereit"),
]


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier()


@pytest.mark.parametrize(("lang", "text"), ON_THE_WAY)
def test_a_point_ahead_is_in_transit(clf: Classifier, lang: str, text: str) -> None:
    got = clf.classify(text)
    assert got.milestone == "in_transit", (lang, text, got)


@pytest.mark.parametrize(("lang", "text"), ON_THE_WAY + AT_THE_POINT)
def test_a_point_is_never_delivered(clf: Classifier, lang: str, text: str) -> None:
    assert clf.classify(text).milestone != "delivered", (lang, text)


@pytest.mark.parametrize(("lang", "text"), AT_THE_POINT)
def test_a_parcel_at_the_point_stays_there(clf: Classifier, lang: str, text: str) -> None:
    got = clf.classify(text)
    assert got.milestone == "available_for_pickup", (lang, text, got)


def test_the_dev_line_reads_in_transit(clf: Classifier) -> None:
    # the DHL resolveStatus needle in dev.jsonl that read as available_for_pickup before this round
    assert clf.classify("auf dem Weg zur PACKSTATION").milestone == "in_transit"


def test_every_language_of_the_widening_has_a_case() -> None:
    assert {c[0] for c in ON_THE_WAY} == {"de", "fr", "es", "pt", "nl"}


# pack phrases of this round (ja/de/en): a shop's sender-stage wording, and its future or conditional never a past step
PHRASES = [
    ("ja", "ご注文品の発送準備が整いましたのでお知らせします", "label_created"),
    ("ja", "倉庫にて梱包中です", "label_created"),
    ("ja", "お荷物を配送業者に引き渡しました", "picked_up"),
    ("de", "Ihr Paket wurde soeben dem Kurier übergeben", "picked_up"),
    ("de", "Bestellung bestätigt, wartet auf Versand", "label_created"),
    ("en", "Our courier is delivering your order today", "out_for_delivery"),
    ("en", "Thanks, we have received your order #123 and will ship it soon", "label_created"),
]

NOT_YET = [
    ("ja", "明日、配送業者に引き渡し予定です"),
    ("de", "Das Paket wird morgen dem Kurier übergeben"),
]


@pytest.mark.parametrize(("lang", "text", "want"), PHRASES)
def test_the_round_phrases(clf: Classifier, lang: str, text: str, want: str) -> None:
    got = clf.classify(text)
    assert got.milestone == want, (lang, text, got)


@pytest.mark.parametrize(("lang", "text"), NOT_YET)
def test_a_future_handover_is_no_pickup(clf: Classifier, lang: str, text: str) -> None:
    assert clf.classify(text).milestone not in {"picked_up", "delivered"}, (lang, text)


def test_no_round15_c_case_is_a_corpus_text() -> None:
    assert_written([t for _, t in ON_THE_WAY + AT_THE_POINT + NOT_YET] + [t for _, t, _ in PHRASES])
