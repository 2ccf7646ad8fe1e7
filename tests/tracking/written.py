"""The check every round's written sentences share: none of them is a corpus text (dev or a frozen slice), so a
round's tests test what the rules generalise to, not lines they were written from. Reads the corpus files' text
fields only; the classifier is not run on them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"


@cache
def corpus_texts() -> frozenset[str]:
    return frozenset(json.loads(line)["text"].casefold() for f in CORPUS.glob("*.jsonl")
                     for line in f.open(encoding="utf-8") if line.strip())


def assert_written(texts: Iterable[str]) -> None:
    """Fails naming every text of ``texts`` that is a corpus text (case-folded)."""
    found = sorted({t.casefold() for t in texts} & corpus_texts())
    assert not found, found
