"""The checks every round's written sentences share: none of them is a corpus text (dev or a frozen slice), so a
round's tests test what the rules generalise to, not lines they were written from (the corpus files' text fields
are read only; the classifier is not run on them); and `phrase_checks`, the tests of a round's table."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path

import pytest

from edge.tracking.classify import Classifier

CORPUS = Path(__file__).resolve().parent / "corpus"


@cache
def corpus_texts() -> frozenset[str]:
    return frozenset(json.loads(line)["text"].casefold() for f in CORPUS.glob("*.jsonl")
                     for line in f.open(encoding="utf-8") if line.strip())


def assert_written(texts: Iterable[str]) -> None:
    """Fails naming every text of ``texts`` that is a corpus text (case-folded)."""
    found = sorted({t.casefold() for t in texts} & corpus_texts())
    assert not found, found


@cache
def _classifier() -> Classifier:
    return Classifier()


def phrase_checks(want: Sequence[tuple[str, str, str]], never_delivered: Sequence[tuple[str, str]], *,
                  also_written: Sequence[str] = ()) -> tuple[Callable[..., None], ...]:
    """The three checks every round's table of written sentences gets, bound to a round's module as
    ``test_sentences_are_written_not_corpus, test_new_phrase_families, test_never_delivered = phrase_checks(...)``:
    none of them is a corpus text; each `(lang, text, milestone)` of `want` reads its milestone; no
    `(lang, text)` of `never_delivered` reads `delivered`."""

    def test_sentences_are_written_not_corpus() -> None:
        assert_written([t for _, t, _ in want] + [t for _, t in never_delivered] + list(also_written))

    @pytest.mark.parametrize(("lang", "text", "milestone"), want)
    def test_new_phrase_families(lang: str, text: str, milestone: str) -> None:
        got = _classifier().classify(text)
        assert got.milestone == milestone, (lang, text, got)

    @pytest.mark.parametrize(("lang", "text"), never_delivered)
    def test_never_delivered(lang: str, text: str) -> None:
        got = _classifier().classify(text)
        assert got.milestone != "delivered", (lang, text, got)

    return test_sentences_are_written_not_corpus, test_new_phrase_families, test_never_delivered
