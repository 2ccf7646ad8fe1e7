"""The optional learned fallback: a character n-gram naive Bayes model shipped as a data file.

Used only on texts the tables and packs leave `unknown`; it can never answer `delivered` (nor `unknown`):
the class is not in the model. Its answer carries confidence 0.55, below `LOW_CONFIDENCE`, so the text
still goes to the staff queue. Kept because it measurably helps on held-out sources (docs/tracking.md,
leave-one-source-out with and without it); `Classifier(learned=None)` runs without it.

    .venv/bin/python -m edge.tracking.learned     # retrain data/model/ngram_nb.json from the dev corpus
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

MODEL_FILE = Path(__file__).resolve().parent / "data" / "model" / "ngram_nb.json"
THRESHOLD = 0.7  # posterior the top class needs
CONFIDENCE = 0.55
NEVER = frozenset({"delivered", "unknown"})
_LETTERS = re.compile(r"[^\W\d_]")


def grams(text: str) -> list[str]:
    t = f" {text} "
    return [t[i:i + n] for n in (2, 3, 4) for i in range(len(t) - n + 1)]


@dataclass
class Model:
    log_prior: dict[str, float]
    log_prob: dict[str, dict[str, float]]  # class -> gram -> log P(gram | class)
    log_unseen: dict[str, float]  # class -> log P(unseen gram | class)

    def predict(self, template: str) -> tuple[str, float] | None:
        if len(_LETTERS.findall(template)) < 3:  # too little text to say anything
            return None
        gs = grams(template)
        scores = {}
        for c, lp in self.log_prior.items():
            table, unseen = self.log_prob[c], self.log_unseen[c]
            scores[c] = lp + sum(table.get(g, unseen) for g in gs)
        top = max(scores, key=lambda c: scores[c])
        z = sum(math.exp(v - scores[top]) for v in scores.values())
        return top, 1.0 / z

    def to_json(self) -> dict[str, object]:
        return {"kind": "char-ngram-nb", "n": [2, 3, 4], "log_prior": self.log_prior,
                "log_prob": self.log_prob, "log_unseen": self.log_unseen}


def train(items: Iterable[tuple[str, str]], min_count: int = 1) -> Model:
    """(template, milestone) pairs -> model; delivered/unknown examples are left out by design."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    prior: Counter[str] = Counter()
    for template, milestone in items:
        if milestone in NEVER or not template:
            continue
        prior[milestone] += 1
        counts[milestone].update(grams(template))
    vocab = {g for c in counts.values() for g, n in c.items() if n >= min_count}
    total = sum(prior.values()) or 1
    log_prob: dict[str, dict[str, float]] = {}
    log_unseen: dict[str, float] = {}
    for c, cnt in counts.items():
        denom = sum(cnt.values()) + len(vocab)
        log_prob[c] = {g: round(math.log((n + 1) / denom), 4) for g, n in cnt.items() if g in vocab}
        log_unseen[c] = math.log(1 / denom)
    return Model({c: math.log(n / total) for c, n in prior.items()}, log_prob, log_unseen)


def load(path: Path = MODEL_FILE) -> Model | None:
    if not path.exists():
        return None
    obj = json.loads(path.read_text(encoding="utf-8"))
    model = Model(obj["log_prior"], obj["log_prob"], obj["log_unseen"])
    if NEVER & set(model.log_prior):
        raise ValueError(f"{path.name}: the model must not know delivered/unknown")
    return model


def main() -> int:
    from edge.tracking import corpus_eval as ce
    from edge.tracking.classify import Classifier

    clf = Classifier(learned=None)
    model = train((clf.template_of(str(r["text"])), str(r["milestone"])) for r in ce.load(ce.DEV))
    MODEL_FILE.parent.mkdir(parents=True, exist_ok=True)
    MODEL_FILE.write_text(json.dumps(model.to_json(), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {MODEL_FILE} ({MODEL_FILE.stat().st_size // 1024} KiB, {len(model.log_prior)} classes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
