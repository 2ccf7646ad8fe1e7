"""The learned fallback: a character n-gram model for texts every table, rule and keyword leaves `unknown`.

Issue 15 allows "a small model shipped as a file ..., used only on texts the tables leave `unknown`, never able to
output `delivered`, with a confidence threshold", kept only if it helps on held-out sources. Round 7 removed the
first one (it lost 2.5 points leave-one-source-out on 2,109 texts); decision 0047 brings a new one back on 12,000
labelled texts because, measured the same way on the spent frozen slices, it now gains (docs/tracking.md, "The
learned fallback").

The model is a naive Bayes over the set of character 2-, 3- and 4-grams of the folded template (the classifier's
cache key, so the model never sees a raw digit, name or phone number), trained on every labelled corpus line we
hold (dev.jsonl and the spent frozen slices; never a slice not yet measured). Only n-grams seen in at least two
texts are kept. A class's score is

    log prior(m) - |grams| * log(total(m) + V) + sum over the text's grams g of log(count(m, g) + 1)

(Laplace smoothing, so grams a class never saw add nothing but the shared denominator: the stored counts can be
sparse). It answers only when the text holds at least MIN_KNOWN of its 4-grams, no question mark, no cue of a condition, a
negation or a future (the keyword stage's abstain words), and its best class is a step of the chain (ANSWERS: never `delivered`, a
pickup point, a failure, an exception or a return, which need a rule, a code and the guard, DESIGN.md section 5)
holding at least ``THRESHOLD`` of the probability; the answer has confidence
0.4, below LOW_CONFIDENCE, so the text still lands in the staff queue for a label, and the guard pass re-reads it
like any answer.

File: ``edge/tracking/data/fallback.json.gz`` (``python -m edge.tracking.fallback train`` writes it; ``check``
says whether it matches the corpus). A bad file is refused at load with the file and what is wrong
(FallbackError), never half loaded.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import gzip
import json
import math
import sys
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from edge.tracking.fold import template
from edge.tracking.rules import MILESTONES

MODEL_FILE = Path(__file__).resolve().parent / "data" / "fallback.json.gz"
CORPUS_DIR = Path(__file__).resolve().parents[2] / "tests" / "tracking" / "corpus"
THRESHOLD = 0.7
CONFIDENCE = 0.4
RULE_NAME = "model"
#: the only milestones it answers: the steps of the chain, none of which raises an anomaly, ends the parcel's watch or
#: tells anyone anything (never delivered, a pickup point, a failure, an exception, customs held or a return: those
#: need a rule or a code, and the model's guesses of them were mostly wrong on the spent slices, decision 0047)
ANSWERS = frozenset({"label_created", "picked_up", "in_transit", "arrived_at_hub", "departed_hub", "customs_started",
                     "customs_cleared", "out_for_delivery"})
MIN_KNOWN = 4  # a text holding fewer of the model's 4-grams is too short or too strange to guess from
MIN_TEXTS = 5  # a gram kept only when at least this many texts hold it (2: 40,635 grams, 6.0 MB; 5: 20,298, 2.9 MB)
SIZES = (2, 3, 4)
FORMAT = 2  # 1 held the grams as a JSON list: 21,000 strings at every load (mem39)
_HASH_MASK = (1 << 47) - 1  # a compact model's keys: 47 bits of the gram's hash above its 16-bit row
_GRAM_SEP = "\n"  # the file's grams are one string, one gram a line (a template never holds a line break)


class FallbackError(ValueError):
    """A model file that cannot be loaded; the message names the file and what is wrong."""


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` one at a time (str.split would make them all at once)."""
    i = 0
    while (j := text.find(_GRAM_SEP, i)) >= 0:
        yield text[i:j]
        i = j + 1
    yield text[i:]


def grams(template: str) -> set[str]:
    """The set of character 2-4-grams of a template, padded with a space at each end."""
    t = f" {template} "
    return {t[i:i + n] for n in SIZES for i in range(len(t) - n + 1)}


@dataclass
class NgramModel:
    classes: list[str]
    prior: list[int]  # texts per class
    total: list[int]  # gram occurrences per class (every gram, before pruning)
    vocab: int  # distinct grams seen (every gram, before pruning)
    index: dict[str, int]  # kept gram -> its row in ``table``
    table: array  # row-major, len(classes) counts a gram (texts of that class holding it), capped at 65,535
    threshold: float = THRESHOLD

    def __post_init__(self) -> None:
        # the table's non-zero counts row by row (a gram is in 6 of 16 classes on average): what scoring reads
        # (counts as 16-bit and their logs from one table: 0.3 MB instead of 1.1 for doubles, mem38)
        width = len(self.classes)
        start, cls, cnt = array("I", [0]), array("B"), array("H")
        for row in range(len(self.table) // width if width else 0):
            for k in range(width):
                c = self.table[row * width + k]
                if c:
                    cls.append(k)
                    cnt.append(c)
            start.append(len(cls))
        self._start, self._cls, self._cnt = start, cls, cnt
        self._log = [math.log(c + 1) for c in range(max(cnt, default=0) + 1)]
        #: the kept grams of a set with their rows; _compact() swaps in the hashed lookup
        self._rows_of: Callable[[Iterable[str]], list[tuple[str, int]]] = self._dict_rows
        self.compacted = False

    def _compact(self, grams_text: str) -> bool:
        """Keep this model as the classifier does (mem39): no gram -> row dict and no dense count table, only the
        sparse rows scoring reads and one sorted array of 64-bit keys, each a gram's hash (47 bits) above its row
        (16 bits). The answers are the same: a gram outside the kept ones shares a kept one's 47-bit hash with odds
        of about 1 in 6 x 10^9. ``grams_text`` is the file's kept grams, one a line in row order, read one at a time,
        so the 21,000 strings a dict would hold are never alive together. False, with nothing changed, when the
        model keeps 65,536 grams or more or two of its keys collide (the caller builds the full model). A compact
        model refuses ``minus`` and ``to_json``: they need the full one (``NgramModel.load()``)."""
        if grams_text.count(_GRAM_SEP) + 1 >= 1 << 16:
            return False
        keys = array("q", sorted((hash(g) & _HASH_MASK) << 16 | row for row, g in enumerate(_lines(grams_text))))
        n = len(keys)
        if any(keys[i] >> 16 == keys[i + 1] >> 16 for i in range(n - 1)):
            return False

        def rows_of(gs: Iterable[str]) -> list[tuple[str, int]]:
            found = []
            for g in gs:
                h = (hash(g) & _HASH_MASK) << 16
                i = bisect_left(keys, h)
                if i < n and keys[i] >> 16 == h >> 16:
                    found.append((g, keys[i] & 0xFFFF))
            return found

        self._rows_of = rows_of
        self.index, self.table, self.compacted = {}, array("H"), True
        return True

    def _dict_rows(self, gs: Iterable[str]) -> list[tuple[str, int]]:
        get = self.index.get
        return [(g, row) for g in gs if (row := get(g)) is not None]

    @classmethod
    def train(cls, rows: Iterable[tuple[str, str]], min_texts: int = MIN_TEXTS) -> NgramModel:
        """From (template, milestone) pairs; a pair whose milestone is not one of MILESTONES is an error."""
        classes = sorted(MILESTONES)
        at = {m: i for i, m in enumerate(classes)}
        prior = [0] * len(classes)
        total = [0] * len(classes)
        counts: dict[str, Counter[int]] = {}
        for text, milestone in rows:
            if milestone not in at:
                raise FallbackError(f"training row with unknown milestone {milestone!r}: {text[:60]!r}")
            k = at[milestone]
            prior[k] += 1
            gs = grams(text)
            total[k] += len(gs)
            for g in gs:
                counts.setdefault(g, Counter())[k] += 1
        kept = sorted(g for g, per in counts.items() if sum(per.values()) >= min_texts)
        table = array("H", bytes(2 * len(kept) * len(classes)))
        for row, g in enumerate(kept):
            for k, c in counts[g].items():
                table[row * len(classes) + k] = min(c, 65535)
        return cls(classes, prior, total, len(counts), {g: i for i, g in enumerate(kept)}, table)

    def minus(self, rows: Iterable[tuple[str, str]]) -> NgramModel:
        """The model as if trained without these rows (leave-one-source-out). A gram a removed row pushed under
        MIN_TEXTS keeps its other texts' counts: a small difference from retraining, and no count of the rows."""
        if self.compacted:
            raise FallbackError("a compact model keeps no count table: subtract from NgramModel.load()")
        at = {m: i for i, m in enumerate(self.classes)}
        width = len(self.classes)
        prior, total, table = list(self.prior), list(self.total), array("H", self.table)
        for text, milestone in rows:
            k = at[milestone]
            prior[k] -= 1
            gs = grams(text)
            total[k] -= len(gs)
            for g in gs:
                row = self.index.get(g)
                if row is not None and table[row * width + k] > 0:
                    table[row * width + k] -= 1
        return NgramModel(self.classes, prior, total, self.vocab, self.index, table, self.threshold)

    def scores(self, template: str) -> dict[str, float]:
        """Each class's probability for the template (softmax of the naive Bayes log scores)."""
        return self._scores(grams(template))

    def _scores(self, gs: set[str], known: list[tuple[str, int]] | None = None) -> dict[str, float]:
        n = sum(self.prior)
        logs = [math.log(p / n) - len(gs) * math.log(t + self.vocab) if p > 0 else -math.inf
                for p, t in zip(self.prior, self.total, strict=True)]
        start, cls, cnt, log = self._start, self._cls, self._cnt, self._log
        for _g, row in self._rows_of(gs) if known is None else known:
            for j in range(start[row], start[row + 1]):
                logs[cls[j]] += log[cnt[j]]
        top = max(logs)
        exp = [math.exp(v - top) if v != -math.inf else 0.0 for v in logs]
        z = sum(exp)
        return {m: e / z for m, e in zip(self.classes, exp, strict=True)}

    def answer(self, template: str) -> tuple[str, float] | None:
        """The milestone and its probability, or None when the model abstains: too few known grams (MIN_KNOWN of
        its 4-grams), a best class outside ANSWERS (unknown, delivered, a failure ...), or below the threshold."""
        gs = grams(template)
        known = self._rows_of(gs)  # once: the known-gram count and the scores read the same rows
        if sum(1 for g, _ in known if len(g) == SIZES[-1]) < MIN_KNOWN:
            return None
        sc = self._scores(gs, known)
        best = max(sc, key=sc.__getitem__)
        if best not in ANSWERS or sc[best] < self.threshold:
            return None
        return best, sc[best]

    # -- the file ------------------------------------------------------------------------------------------
    def to_json(self) -> dict[str, object]:
        if self.compacted:
            raise FallbackError("a compact model keeps no gram names or count table: write from NgramModel.load()")
        table = array("H", self.table)
        if sys.byteorder != "little":
            table.byteswap()
        return {"format": FORMAT, "sizes": list(SIZES), "min_texts": MIN_TEXTS, "classes": self.classes,
                "prior": self.prior, "total": self.total, "vocab": self.vocab,
                "grams": _GRAM_SEP.join(sorted(self.index, key=self.index.__getitem__)),
                "table": base64.b64encode(table.tobytes()).decode("ascii")}

    def write(self, path: Path = MODEL_FILE) -> None:
        data = json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        path.write_bytes(gzip.compress(data.encode("utf-8"), mtime=0))

    @classmethod
    def load(cls, path: Path = MODEL_FILE, threshold: float = THRESHOLD, compact: bool = False) -> NgramModel:
        try:
            obj = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
        except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise FallbackError(f"{path}: not a gzipped JSON model ({exc})") from exc
        return cls.from_json(obj, str(path), threshold, compact)

    @classmethod
    def from_json(cls, obj: object, where: str, threshold: float = THRESHOLD, compact: bool = False) -> NgramModel:
        if not isinstance(obj, dict) or obj.get("format") != FORMAT:
            raise FallbackError(f"{where}: not a fallback model of format {FORMAT}")
        if obj.get("sizes") != list(SIZES):
            raise FallbackError(f"{where}: gram sizes {obj.get('sizes')!r}, this code reads {list(SIZES)}")
        classes, prior, total = obj.get("classes"), obj.get("prior"), obj.get("total")
        if not isinstance(classes, list) or not classes or any(c not in MILESTONES for c in classes):
            bad = [c for c in classes if c not in MILESTONES] if isinstance(classes, list) else classes
            raise FallbackError(f"{where}: classes must be milestones, not {bad!r}")
        for name, seq in (("prior", prior), ("total", total)):
            if not isinstance(seq, list) or len(seq) != len(classes) or \
                    any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in seq):
                raise FallbackError(f"{where}: {name} must be {len(classes)} non-negative integers")
        vocab, names = obj.get("vocab"), obj.get("grams")
        if not isinstance(vocab, int) or isinstance(vocab, bool) or vocab <= 0:
            raise FallbackError(f"{where}: vocab must be a positive integer")
        if not isinstance(names, str) or not names or names.startswith(_GRAM_SEP) or names.endswith(_GRAM_SEP) \
                or _GRAM_SEP * 2 in names:
            raise FallbackError(f"{where}: grams must be one string of distinct non-empty grams, one a line")
        count = names.count(_GRAM_SEP) + 1
        try:
            table = array("H", base64.b64decode(str(obj.get("table", "")), validate=True))
        except (ValueError, binascii.Error) as exc:
            raise FallbackError(f"{where}: table is not base64 of 16-bit counts ({exc})") from exc
        if sys.byteorder != "little":
            table.byteswap()
        if len(table) != count * len(classes):
            raise FallbackError(f"{where}: table holds {len(table)} counts, {count} grams x {len(classes)} "
                                f"classes need {count * len(classes)}")
        assert isinstance(prior, list) and isinstance(total, list)  # checked above
        if compact:
            model = cls(list(classes), list(prior), list(total), vocab, {}, table, threshold)
            if model._compact(names):  # distinct keys: distinct grams
                return model
        index = {g: i for i, g in enumerate(names.split(_GRAM_SEP))}
        if len(index) != count:
            raise FallbackError(f"{where}: grams must be one string of distinct non-empty grams, one a line")
        return cls(list(classes), list(prior), list(total), vocab, index, table, threshold)



_MODEL: NgramModel | None = None


def shipped() -> NgramModel | None:
    """The shipped model as the classifier keeps it (loaded once, compact), or None when the file is absent."""
    global _MODEL
    if _MODEL is None and MODEL_FILE.exists():
        _MODEL = NgramModel.load(compact=True)
    return _MODEL


def shipped_full() -> NgramModel | None:
    """The shipped model with its gram names and count table (a fresh copy each call: evaluation subtracts texts
    from it), or None when the file is absent."""
    return NgramModel.load() if MODEL_FILE.exists() else None


# -- training from the corpus ------------------------------------------------------------------------------
def corpus_files(directory: Path = CORPUS_DIR, spent: int | None = None) -> list[Path]:
    """dev.jsonl and the frozen slices up to ``spent`` (the last one measured: never a slice still to be run)."""
    from edge.tracking.corpus_eval import PINNED

    last = max(int(k) for k in PINNED) if spent is None else spent
    files = [directory / "dev.jsonl"]
    for f in sorted(directory.glob("frozen*.jsonl")):
        digits = f.stem.removeprefix("frozen")
        n = int(digits) if digits else 1
        if n <= last:
            files.append(f)
    return files


def training_rows(files: Iterable[Path]) -> list[tuple[str, str, str]]:
    """(template, milestone, source) of every labelled line of the files."""
    rows = []
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            r = json.loads(line)
            if r.get("milestone") in (None, "drop"):
                continue
            rows.append((template(str(r["text"])), str(r["milestone"]), str(r.get("source", ""))))
    return rows


def train_shipped(spent: int | None = None) -> NgramModel:
    return NgramModel.train((t, m) for t, m, _ in training_rows(corpus_files(spent=spent)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m edge.tracking.fallback",
                                 description="Train or check the learned fallback's shipped model.")
    ap.add_argument("action", choices=("train", "check"))
    ap.add_argument("--spent", type=int, default=None,
                    help="the last frozen slice already measured (default: the last pinned one)")
    args = ap.parse_args(argv)
    model = train_shipped(args.spent)
    if args.action == "train":
        model.write()
        print(f"wrote {MODEL_FILE} ({MODEL_FILE.stat().st_size} bytes): {sum(model.prior)} texts, "
              f"{len(model.index)} grams kept of {model.vocab}")
        return 0
    try:
        old = NgramModel.load()
    except (FallbackError, OSError) as exc:
        print(f"cannot read the shipped model: {exc}", file=sys.stderr)
        return 1
    same = old.to_json() == model.to_json()
    print("the shipped model matches the corpus" if same else
          "the shipped model does not match the corpus: run `python -m edge.tracking.fallback train`")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
