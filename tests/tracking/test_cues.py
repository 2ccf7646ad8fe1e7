"""The one list of condition, negation, future and request cues (edge/tracking/cues.py; ADR 0037), read by the
keyword stage (its abstain words) and by the guard pass (its conditions). Sentences written for this test."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from edge.tracking import cues
from edge.tracking.classify import Classifier
from edge.tracking.guard import conditional, final_reading
from edge.tracking.keywords import KEYWORD_DIR, KeywordStage, load_all, load_keywords

_CJK = re.compile(r"[\u3000-\u9fff]")
LANGS = ("en", "de", "fr", "es", "pt", "nl", "zh", "ja")


def test_every_pack_language_has_its_cues_and_every_guard_form_is_built_from_one() -> None:
    assert set(cues.CUES) == set(LANGS)
    for lang in LANGS:
        assert set(cues.CUES[lang]) == set(cues.KINDS), lang
        assert cues.CUES[lang]["condition"] and cues.CUES[lang]["negation"], lang
    conditions = {w for kinds in cues.CUES.values() for w in kinds["condition"]}
    for lang, forms in cues.CLAUSE.items():
        for form in forms:
            # a Latin form is a condition cue, or one before a determiner; a CJK form holds one
            ok = (any(c in form for c in conditions if _CJK.search(c)) if _CJK.search(form)
                  else form in conditions or form.split(" ")[0] in conditions)
            assert ok, (lang, form)
    for lang, words in cues.NOT_OPENERS.items():
        assert set(words) <= set(cues.CUES[lang]["condition"]), lang


def test_the_shipped_keyword_files_hold_keywords_only() -> None:
    for path in sorted(KEYWORD_DIR.glob("*.json")):
        assert "abstain" not in json.loads(path.read_text("utf-8")), path.name


def test_a_file_abstain_list_extends_its_language_cues(tmp_path: Path) -> None:
    path = tmp_path / "nl.json"
    path.write_text(json.dumps({"lang": "nl", "abstain": ["misschien"], "keywords": {
        "gesorteerd": {"milestone": "arrived_at_hub", "source": "test"}}}), encoding="utf-8")
    ks = load_keywords(path)
    assert ks.abstain[-1] == "misschien" and set(cues.words("nl")) <= set(ks.abstain)
    stage = KeywordStage([ks])
    assert stage.answer("pakket gesorteerd") == "arrived_at_hub"
    assert stage.answer("pakket misschien gesorteerd") is None  # the extension
    assert stage.answer("pakket niet gesorteerd") is None  # the shared cue


@pytest.mark.parametrize("lang", LANGS)
def test_the_keyword_stage_abstains_on_every_cue_of_every_language(lang: str) -> None:
    stage = KeywordStage(load_all())
    assert stage.answer("parcel loaded") == "departed_hub"
    clf = Classifier()
    for word in cues.words(lang):
        w = word.rstrip("*") + ("ing" if word.endswith("*") else "")
        text = clf.template_of(f"parcel loaded {w}" if not _CJK.search(w) else f"parcel loaded{w}")
        assert stage.answer(text) is None, (lang, word, text)


@pytest.mark.parametrize("text", [
    "if the holding period has expired the parcel goes back", "in case the storage period expired, call us",
    "wenn die Lagerfrist abgelaufen ist", "si le délai de retrait est dépassé", "si el plazo de retiro ha vencido",
    "caso o prazo de retirada tenha expirado", "indien de bewaartermijn verlopen is", "如果超期未取将退回",
    "保管期限切れの場合は返送します",
])
def test_a_condition_cue_stops_the_expiry_reading(text: str) -> None:
    clf = Classifier()
    assert final_reading(clf.template_of(text), "unknown", "") is None, text


@pytest.mark.parametrize("text", [
    "the holding period has expired, the parcel goes back", "the storage period expired, call us",
    "die Lagerfrist ist abgelaufen", "le délai de retrait est dépassé", "el plazo de retiro ha vencido",
    "o prazo de retirada expirou", "de bewaartermijn is verlopen", "超期未取将退回", "保管期限切れのため返送します",
])
def test_without_the_condition_the_expiry_is_read(text: str) -> None:
    assert final_reading(Classifier().template_of(text), "unknown", "") in ("exception", "return_started"), text


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "as soon as your parcel is delivered we will email you"), ("en", "in case the parcel is delivered late"),
    ("de", "sobald das Paket zugestellt ist"), ("de", "nachdem die Sendung zugestellt wurde"),
    ("fr", "dès que le colis sera livré"), ("es", "tan pronto como el paquete sea entregado"),
    ("pt", "assim que a encomenda for entregue"), ("nl", "zodra het pakket is bezorgd"),
    ("nl", "indien het pakket wordt bezorgd"),
])
def test_a_condition_or_time_clause_before_a_delivery_verb_is_no_delivery(lang: str, text: str) -> None:
    assert conditional(Classifier().template_of(text)), (lang, text)


def test_an_ambiguous_word_is_no_opener() -> None:
    clf = Classifier()
    assert not conditional(clf.template_of("Het pakket is als brievenbuspakje bezorgd"))
    assert clf.classify("Het pakket is als brievenbuspakje bezorgd").milestone != "unknown"
