"""Round 10, packs10b (issue 15): the keyword last-resort stage's de/es/fr/nl/pt data (edge/tracking/data/keywords/).

The sentences are written for the test (none is a corpus text: the last test checks dev and spent slices 1-8; the blind
slice is never opened). A keyword answers only where the codes, rules and packs leave a text `unknown`; a negation, a
condition or a future word of any pack language makes the stage abstain; it never says `delivered`.
"""

from __future__ import annotations

import json

import pytest

from edge.tracking import corpus_eval as ce
from edge.tracking.classify import Classifier
from edge.tracking.keywords import FORBIDDEN, KEYWORD_DIR, KeywordStage, load_all, load_keywords

LANGS = ("de", "es", "fr", "nl", "pt")

# texts the rules and packs leave unknown, that one keyword of the language reads
KEYWORD_CASES = [
    ("de", "Verbleib ungeklärt", "exception"),
    ("de", "Paket zum Händler zurückgeführt", "return_started"),
    ("de", "Identifikation beim Empfänger gescheitert", "delivery_failed"),
    ("de", "Paket im Lager vermessen", "in_transit"),
    ("de", "Übergabe an Spediteur in Polen", "in_transit"),
    ("fr", "Colis égaré à Marseille", "exception"),
    ("fr", "Remise programmée", "in_transit"),
    ("fr", "Reporté au lendemain", "delivery_failed"),
    ("es", "Clasificación en Zaragoza", "in_transit"),
    ("pt", "Mercadoria apreendida", "customs_held"),
    ("pt", "Pedido impresso", "label_created"),
    ("pt", "Pacote retornado", "returned"),
    ("nl", "Pakket ligt in de afhaallocatie", "available_for_pickup"),
]

# the same words beside a negation, a condition or a future of a pack language: the stage abstains
ABSTAIN_CASES = [
    ("de", "Paket wird vermessen"),
    ("de", "Verbleib ungeklärt, wenn es nicht ankommt"),
    ("fr", "Colis non égaré"),
    ("fr", "Si le colis est égaré"),
    ("nl", "Pakket niet in de afhaallocatie"),
    ("pt", "Mercadoria não apreendida"),
    ("es", "Clasificación no realizada en Zaragoza"),
]


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier()


@pytest.mark.parametrize("lang", LANGS)
def test_the_language_file_loads_with_sources_and_abstain_words(lang: str) -> None:
    path = KEYWORD_DIR / f"{lang}.json"
    ks = load_keywords(path)
    assert ks.lang == lang and len(ks.keywords) >= 5 and len(ks.abstain) >= 5
    assert all(k.milestone not in FORBIDDEN for k in ks.keywords)
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert all(str(e["source"]).strip() for e in raw["keywords"].values())


@pytest.mark.parametrize(("lang", "text", "want"), KEYWORD_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(KEYWORD_CASES)])
def test_a_keyword_reads_what_the_rules_leave_unknown(clf: Classifier, lang: str, text: str, want: str) -> None:
    got = clf.classify(text)
    assert (got.milestone, got.rule) == (want, "keywords"), f"{lang}: {text!r} -> {got.milestone} ({got.rule})"
    assert Classifier(keywords=[], fallback=False).classify(text).milestone == "unknown"  # the stage, not a rule, read it


@pytest.mark.parametrize(("lang", "text"), ABSTAIN_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(ABSTAIN_CASES)])
def test_a_negation_condition_or_future_word_makes_the_stage_abstain(clf: Classifier, lang: str, text: str) -> None:
    assert clf.classify(text).milestone == "unknown", text


def test_the_stage_never_says_delivered() -> None:
    stage = KeywordStage(load_all())
    assert "delivered" not in set(stage.milestone_of.values())
    assert stage.answer("paket zugestellt") is None  # no keyword of ours is a delivery word


def test_keywords_of_two_milestones_conflict_and_abstain() -> None:
    stage = KeywordStage([s for s in load_all() if s.lang in LANGS])
    assert stage.answer("paket im lager vermessen") == "in_transit"
    assert stage.answer("verbleib vermessen") is None  # exception and in_transit: no answer


def test_leave_one_source_out_drops_a_keyword_cited_by_the_held_out_source_only() -> None:
    sets = [s for s in load_all() if s.lang in LANGS]
    single = next(k for s in sets for k in s.keywords if " | " not in k.source and not k.source.startswith("word family"))
    kept = ce._keywords_without(sets, single.source)
    assert single.word not in {k.word for s in kept for k in s.keywords}
    assert sum(len(s.keywords) for s in kept) < sum(len(s.keywords) for s in sets)


def test_no_round10b_keyword_case_is_a_corpus_text() -> None:
    names = ["dev.jsonl", "frozen.jsonl"] + [f"frozen{i}.jsonl" for i in range(2, 9)]  # the blind slice stays unopened
    corpus: set[str] = set()
    for name in names:
        corpus |= {str(r["text"]).casefold() for r in ce.load(ce.CORPUS / name, labelled_only=False)}
    assert not {t.casefold() for _, t, _ in KEYWORD_CASES} & corpus
    assert not {t.casefold() for _, t in ABSTAIN_CASES} & corpus
