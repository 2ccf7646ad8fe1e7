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
from edge.tracking.packs import Phrase, load_pack

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
def _classifier(fallback: bool = True) -> Classifier:
    return Classifier(fallback=fallback)


def phrase_checks(want: Sequence[tuple[str, str, str]], never_delivered: Sequence[tuple[str, str]], *,
                  also_written: Sequence[str] = ()) -> tuple[Callable[..., None], ...]:
    """The three checks every round's table of written sentences gets, bound to a round's module as
    ``test_sentences_are_written_not_corpus, test_new_phrase_families, test_never_delivered = phrase_checks(...)``:
    none of them is a corpus text; each `(lang, text, milestone)` of `want` reads its milestone; no
    `(lang, text)` of `never_delivered` reads `delivered`. The milestones are the rules' and packs' reading (the
    learned fallback off: a round tests what its phrases generalise to); never-delivered holds with it on."""

    def test_sentences_are_written_not_corpus() -> None:
        assert_written([t for _, t, _ in want] + [t for _, t in never_delivered] + list(also_written))

    @pytest.mark.parametrize(("lang", "text", "milestone"), want)
    def test_new_phrase_families(lang: str, text: str, milestone: str) -> None:
        got = _classifier(fallback=False).classify(text)
        assert got.milestone == milestone, (lang, text, got)

    @pytest.mark.parametrize(("lang", "text"), never_delivered)
    def test_never_delivered(lang: str, text: str) -> None:
        got = _classifier().classify(text)
        assert got.milestone != "delivered", (lang, text, got)

    return test_sentences_are_written_not_corpus, test_new_phrase_families, test_never_delivered


def delivered_code_check(cases: Sequence[tuple[str, str]]) -> Callable[..., None]:
    """The after-the-run check that a written `(text, milestone)` keeps its reading under a specific delivered
    status code (a code decides, except where the guard reads the text as no delivery), bound as
    ``test_under_a_delivered_code = delivered_code_check(UNDER_CODE)``; each text must not be a corpus text."""

    @pytest.mark.parametrize(("text", "milestone"), cases)
    def test_under_a_delivered_code(text: str, milestone: str) -> None:
        assert_written([text])
        got = _classifier().classify(text, "OTHER", "Delivered")
        assert got.milestone == milestone, (text, got)

    return test_under_a_delivered_code


def round_phrases(pack_dir: Path, langs: Iterable[str], mark: str) -> list[Phrase]:
    """The phrases a round added: every phrase below the round's `mark` comment line in each language's pack."""
    out: list[Phrase] = []
    for lang in langs:
        path = pack_dir / f"{lang}.jsonl"
        lines = path.read_text(encoding="utf-8").splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith(mark))
        wheres = {f"{path.name}:{n}" for n in range(start + 1, len(lines) + 1)}
        out += [ph for ph in load_pack(path).phrases if ph.where in wheres]
    return out


def assert_each_cited_source_matches(phrases: Iterable[Phrase]) -> None:
    """Each phrase matches (folded as the classifier folds) a text of every source it cites: a dev source's own
    lines, or, for an in-sample phrase citing "word family (...) learned from spent slice N's misses", a text of
    that spent slice."""
    import re

    from edge.tracking import corpus_eval as ce
    from edge.tracking.fold import fold_chars

    clf = _classifier()
    rows = ce.load(ce.DEV)
    for ph in phrases:
        rx = re.compile(fold_chars(ph.pattern.lower()))
        for src in ph.source.split(" | "):
            spent = re.search(r"^word family \(.*learned from spent slices? (\d+)", src)
            if spent:
                slice_rows = ce.load(ce.SLICES[int(spent.group(1))][0], labelled_only=False)
                texts = [clf.template_of(str(r["text"])) for r in slice_rows]
                assert any(rx.search(t) for t in texts), f"{ph.where}: no text of spent slice {spent.group(1)} matches"
                continue
            texts = [clf.template_of(str(r["text"])) for r in rows if ce._repo(str(r["source"])) == ce._repo(src)]
            assert texts, f"{ph.where} cites {src!r}, which has no dev line"
            assert any(rx.search(t) for t in texts), f"{ph.where}: no dev text of {src!r} matches"
