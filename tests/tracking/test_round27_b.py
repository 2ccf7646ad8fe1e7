"""Round 26 (packs26b, the round-27 test of the ja/de/en/zh packs): German customer-service wording (a Packstation or
locker compartment that failed or holds the wrong parcel, a parcel destroyed, a recipient who cannot be found), a
customer's question about a service read as no event (the guard's scene reading ``service_question``: de, en, ja,
zh), Chinese shop stages (goods packed, a shop preparing the goods) and a hand-over to a named courier company
(货物已交付京东物流, a first scan, never a delivery), and two in-sample families of spent slices 31 and 32 (a hand-over
to the recipient told "Übergeben an Empfänger" / "entgegengenommen von <name>", a delivery taken back 派送拉回).

Sentences written for this test, none a corpus line (checked below). Beside each family: what must not take it.
"""

from __future__ import annotations

from edge.tracking.classify import Classifier
from edge.tracking.packs import PACK_DIR
from tests.tracking.written import assert_each_cited_source_matches, phrase_checks, round_phrases

WANT = [
    # de: a locker or Packstation that failed, a parcel missing from it or put in wrongly
    ("de", "Mein Paket wurde falsch in die Packstation eingestellt", "available_for_pickup"),
    ("de", "Die Lieferung wurde fehlerhaft im Paketkasten eingestellt", "exception"),
    ("de", "Das Paket liegt nicht mehr in der Packstation", "exception"),
    ("de", "Das Fach der Packstation lässt sich nicht öffnen", "exception"),
    ("de", "Die Klappe ging nicht auf, ich habe es mehrfach versucht", "exception"),
    ("de", "Das Fach klemmt seit gestern", "exception"),
    ("de", "Leider konnte ich die Sendung nicht entnehmen", "exception"),
    # de: a parcel destroyed, a recipient or address that cannot be found
    ("de", "Die Ware ist völlig zerstört angekommen", "exception"),
    ("de", "Das Päckchen wurde beim Transport zerstört", "exception"),
    ("de", "Der Adressat ist nicht zu ermitteln", "exception"),
    ("de", "Anschrift nicht ermittelbar, bitte prüfen", "exception"),
    # de, in-sample from slice 32: a hand-over to the recipient
    ("de", "Paket übergeben an die Empfängerin", "delivered"),
    ("de", "Die Sendung wurde entgegengenommen von Hans Becker", "delivered"),
    # a question about a service reports no event, whatever it names
    ("de", "Kann ich mein Paket bei einem Nachbarn zustellen lassen?", "unknown"),
    ("de", "Darf der Bote das Paket in den Briefkasten legen?", "unknown"),
    ("de", "Wie kann ich eine Zustellung an die Packstation beauftragen?", "unknown"),
    ("de", "Was muss ich tun, um die Annahme zu verweigern?", "unknown"),
    ("de", "kann man die Abholfrist in der Filiale verlängern", "unknown"),
    ("en", "Can I have my parcel delivered to a neighbour?", "unknown"),
    ("en", "How can I refuse a delivery?", "unknown"),
    ("en", "Is it possible to collect my parcel from the locker later?", "unknown"),
    ("ja", "宅配ボックスに配達してもらうことはできますか？", "unknown"),
    ("zh", "可以把包裹放到快递柜吗？", "unknown"),
    ("zh", "请问如何拒收快递？", "unknown"),
    # a "why" question says what happened: it keeps its reading
    ("de", "Warum wurde meine Sendung heute nicht zugestellt?", "delivery_failed"),
    # zh: a hand-over to a named courier company is its first scan; a shop packing or preparing the goods
    ("zh", "您的包裹已交给顺丰速运", "picked_up"),
    ("zh", "货物已经交付中通快递", "picked_up"),
    ("zh", "宝贝已打包完毕", "label_created"),
    ("zh", "商品已打包，等待快递员揽收", "label_created"),
    ("zh", "卖家正在为您准备宝贝", "label_created"),
    ("zh", "店铺已准备好您的订单", "label_created"),
    # zh, in-sample from slice 31: a delivery taken back
    ("zh", "派件拉回，明日再派", "delivery_failed"),
]

NEVER_DELIVERED = [
    ("de", "Kann man die Zustellung beim Nachbarn verhindern?"),
    ("de", "Muss mein Name am Briefkasten stehen, damit zugestellt wird?"),
    ("de", "Wie kann ich einen Wunschnachbarn für die Zustellung angeben?"),
    ("de", "Packstation hat sich nicht geöffnet, das Paket wurde nicht ausgehändigt"),
    ("de", "Die Sendung wurde entgegengenommen von der Filiale am Markt"),
    ("de", "Sendung wurde an den falschen Empfänger zugestellt"),
    ("en", "Can my parcel be left with a neighbour?"),
    ("en", "How do I confirm that my parcel was delivered?"),
    ("ja", "置き配で玄関前に届けてもらうことはできますか？"),
    ("zh", "可以让邻居代收吗？"),
    ("zh", "货物已交付京东物流，等待配送"),
    ("zh", "商品已完成打包，即将发货"),
]

MARK = "# packs26b"
LANGS = ("zh", "de")

test_sentences_are_written_not_corpus, test_new_phrase_families, test_never_delivered = phrase_checks(WANT, NEVER_DELIVERED)


def test_every_round26b_phrase_matches_a_text_of_each_source_it_cites() -> None:
    phrases = [ph for ph in round_phrases(PACK_DIR, LANGS, MARK) if "packs26b" in ph.source or "index:" in ph.source]
    assert len(phrases) >= 8
    assert_each_cited_source_matches(phrases)


def test_a_service_question_is_read_without_the_packs() -> None:
    """The guard's scene reading ``service_question`` (guard.py) cites no source: a capability or how-to question
    is no event in every pack language it reads, whatever rule spoke; a statement with the same words keeps it."""
    clf = Classifier(packs=[], fallback=False)
    assert clf.classify("Could I get the parcel delivered to my neighbour instead?").milestone == "unknown"
    assert clf.classify("The parcel was delivered to your neighbour").milestone == "delivered"
    assert clf.classify("How do I refuse a delivery at the door?").milestone == "unknown"
    assert clf.classify("Delivery refused at the door").milestone == "delivery_failed"


def test_the_guard_reads_a_handover_to_a_named_courier_without_the_packs() -> None:
    """The delivered guard alone: goods handed to a named courier company are its first scan (`picked_up`), never a
    delivery; a signing told after it stands."""
    from edge.tracking.delivered_guard import guard_delivered
    from edge.tracking.fold import fold_chars

    def guard(text: str) -> str | None:
        return guard_delivered(fold_chars(text.lower()), "delivered")

    assert guard("货物已交付京东物流") == "picked_up"
    assert guard("包裹已交给韵达快递") == "picked_up"
    assert guard("已交付京东物流配送员签收") is None
