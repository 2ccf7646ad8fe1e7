"""Round 25 (packs25b): code-list exceptions and scans in German (a failed delivery told "nicht erfolgreich" or
"erfolglos", prohibited items, poor packing, address problems, investigations, customs inspection holds, a parcel
box or compartment, a drop at an agreed place, data lodged by the sender), a drop at a neighbour after a failed attempt
(de/en/nl/fr alike, a rule of rules.py the guard still reads), English NDR reasons (a customer not reachable, out of station, asking for another day, another
address or an open delivery, an access problem, COD not ready), Japanese non-delivery reasons and carrier-side
exceptions (宛名不完全, 住所が見つからない, 受取人死亡, 配達中止, 誤発送, 車両トラブル, 応答なし, 未発送) and Chinese sub-status
stages (等待被揽件, a shop warehouse's dispatch, an address problem, 即将上门派送).

Sentences written for this test, none a corpus line (checked below). Beside each family: what must not take it.
"""

from __future__ import annotations

from edge.tracking.classify import Classifier
from edge.tracking.packs import PACK_DIR
from tests.tracking.written import assert_each_cited_source_matches, phrase_checks, round_phrases

WANT = [
    # de: a failed delivery told by its outcome word, and what is wrong instead
    ("de", "Zustellung war nicht erfolgreich", "delivery_failed"),
    ("de", "Nicht erfolgreicher Zustellversuch am Montag", "delivery_failed"),
    ("de", "Die Auslieferung war erfolglos", "delivery_failed"),
    ("de", "Sendung enthält verbotene Gegenstände", "exception"),
    ("de", "Ware unzureichend verpackt", "exception"),
    ("de", "Der Briefkasten ist nicht beschriftet", "exception"),
    ("de", "Fehlerhafte Postleitzahl, bitte Adresse prüfen", "exception"),
    ("de", "Empfänger ist unbekannt", "exception"),
    ("de", "Nachforschungsauftrag wurde erstellt", "exception"),
    # de: customs inspection and clearance, a box or compartment, a drop at an agreed place, the sender's stages
    ("de", "Das Paket wird vom Zoll festgehalten", "customs_held"),
    ("de", "Die Verzollung ist abgeschlossen", "customs_cleared"),
    ("de", "Paket liegt im Paketfach Ihres Hauses", "available_for_pickup"),
    ("de", "Die Abholfrist wurde auf Wunsch verlängert", "available_for_pickup"),
    ("de", "Die Sendung wurde an einem vereinbarten Ort hinterlegt", "delivered"),
    ("de", "Schriftliche Zustellbestätigung liegt vor", "delivered"),
    ("de", "Datenübermittlung durch den Absender erfolgt", "label_created"),
    ("de", "Paket in der Ausgangsniederlassung angenommen", "picked_up"),
    ("de", "Beginn der Rücksendung an den Händler", "return_started"),
    # a drop at a neighbour after a failed attempt is delivered
    ("de", "Empfänger nicht angetroffen, das Paket wurde beim Nachbarn abgegeben", "delivered"),
    ("de", "Wir haben Sie nicht angetroffen – Ihr Paket wurde bei Ihrem Nachbarn hinterlegt", "delivered"),
    ("en", "Recipient was not at home, so the parcel was handed to your neighbour", "delivered"),
    ("nl", "Niet thuis aangetroffen, het pakket is bij de buren afgeleverd", "delivered"),
    ("fr", "Destinataire absent, colis remis à un voisin", "delivered"),
    # en: NDR reasons, an address that cannot be verified, an unsuccessful delivery
    ("en", "Consignee not reachable on phone", "delivery_failed"),
    ("en", "Receiver out of town", "delivery_failed"),
    ("en", "Customer asked for a later delivery date", "delivery_failed"),
    ("en", "Recipient wants to inspect the package before paying", "delivery_failed"),
    ("en", "Access restriction at the gate", "delivery_failed"),
    ("en", "COD amount not arranged by the buyer", "delivery_failed"),
    ("en", "The shipping address could not be verified", "exception"),
    ("en", "Delivery of your parcel has been unsuccessful", "delivery_failed"),
    # ja: address problems, carrier-side exceptions, no answer or no access at the door, not shipped yet
    ("ja", "宛名が不完全です", "exception"),
    ("ja", "宛先不備", "exception"),
    ("ja", "お届け先が見つかりません", "exception"),
    ("ja", "受取人様がご逝去", "exception"),
    ("ja", "暗証番号の不一致", "exception"),
    ("ja", "配送を中止しました", "exception"),
    ("ja", "誤出荷が判明しました", "exception"),
    ("ja", "車両事故による遅延", "exception"),
    ("ja", "顧客都合によるキャンセル", "exception"),
    ("ja", "インターホンに応答なし", "delivery_failed"),
    ("ja", "オートロックで建物に入れない", "delivery_failed"),
    ("ja", "まだ発送されていません", "label_created"),
    # zh: waiting for the courier, a shop warehouse's dispatch, an address problem, the courier coming
    ("zh", "快件正在等待快递员揽收", "label_created"),
    ("zh", "包裹已从深圳仓发出", "label_created"),
    ("zh", "武汉仓已出库", "label_created"),
    ("zh", "因收件地址不详，派送失败", "exception"),
    ("zh", "订单在揽收前已取消", "exception"),
    ("zh", "快递员马上上门派送，请保持电话畅通", "out_for_delivery"),
]

NEVER_DELIVERED = [
    ("de", "Nicht erfolgreiche Zustellung, Paket liegt in der Filiale"),
    ("de", "Zustellung erfolglos, bitte Adresse prüfen"),
    ("de", "Empfänger nicht angetroffen, Paket konnte nicht beim Nachbarn abgegeben werden"),
    ("de", "Nicht angetroffen, vielleicht wurde das Paket beim Nachbarn abgegeben"),
    ("de", "Zugestellt im Paketfach der Wohnanlage"),
    ("de", "Briefkasten nicht beschriftet, Zustellung nicht möglich"),
    ("de", "Nachforschung eingeleitet, Sendung nicht zugestellt"),
    ("en", "Customer not reachable, parcel kept at the depot"),
    ("en", "Recipient not home; we will leave it with a neighbour tomorrow"),
    ("en", "Attempted delivery, it could not be left with a neighbour"),
    ("en", "Not delivered - damaged parcel returned to sender"),
    ("nl", "Niet thuis, misschien bij de buren afgeleverd of morgen opnieuw"),
    ("ja", "置き場所がないため持ち戻りました"),
    ("ja", "受取否認の申告がありました"),
    ("ja", "配達を中止し、差出人へ返送します"),
    ("zh", "因地址有误，快件无法派送"),
    ("zh", "包裹长时间未签收，已退回"),
    ("zh", "快递员即将上门派件，请留意电话"),
]

MARK = "# packs25b"
LANGS = ("ja", "zh", "en", "de")

test_sentences_are_written_not_corpus, test_new_phrase_families, test_never_delivered = phrase_checks(WANT, NEVER_DELIVERED)


def test_every_round25_phrase_matches_a_text_of_each_source_it_cites() -> None:
    phrases = round_phrases(PACK_DIR, LANGS, MARK)
    assert len(phrases) >= 30
    assert_each_cited_source_matches(phrases)


def test_a_neighbour_drop_is_read_only_beside_a_failed_attempt() -> None:
    """The rule ``neighbour_drop`` (rules.py) reads a delivery only where a failed attempt is followed by a drop at a
    neighbour told done; with no neighbour the failure stands, and a refusal at the door stays a refusal."""
    clf = Classifier(fallback=False)
    assert clf.classify("Empfänger nicht angetroffen, Benachrichtigung eingeworfen").milestone == "delivery_failed"
    assert clf.classify("Recipient not at home, we will try again tomorrow").milestone == "delivery_failed"
    assert clf.classify("Annahme verweigert").milestone == "delivery_failed"


def test_the_guard_reads_an_unsuccessful_delivery_and_an_unlabelled_letterbox_without_the_packs() -> None:
    """The guard alone (the words a `delivered` reading is re-read by): a delivery told unsuccessful by its outcome
    word is a failed delivery, and a letterbox or bell without a name an address problem, whatever pack phrase read
    `delivered` in them ("erfolgreiche Zustellung", "Briefkasten")."""
    from edge.tracking.delivered_guard import guard_delivered
    from edge.tracking.fold import fold_chars

    def guard(text: str) -> str | None:
        return guard_delivered(fold_chars(text.lower()), "delivered")

    assert guard("Leider eine nicht erfolgreiche Zustellung heute") == "delivery_failed"
    assert guard("Auslieferung erfolglos, neuer Versuch morgen") == "delivery_failed"
    assert guard("Der Zustellversuch war nicht erfolgreich") == "delivery_failed"
    assert guard("Name am Briefkasten nicht angeschrieben") == "exception"
    assert guard("Letterbox unlabelled, parcel taken back") == "exception"
    assert guard("Erfolgreiche Zustellung an den Empfänger") is None
    assert guard("In den Briefkasten zugestellt") is None
