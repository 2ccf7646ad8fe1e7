"""Every prediction of the tracking classifier on the sets we hold, one JSON line each, for a before/after diff of a
refactor that must not change an answer (issue 15, round 12: ADR 0037, one guard pass).

    .venv/bin/python benchmarks/dump_predictions.py --out /tmp/before.jsonl
    ... change the code ...
    .venv/bin/python benchmarks/dump_predictions.py --out /tmp/after.jsonl
    diff /tmp/before.jsonl /tmp/after.jsonl        # or: --diff /tmp/before.jsonl (exit 1 on a difference)

What is dumped (milestone, rule, confidence, signer, place of each answer):
- ``loso``: the dev part, leave-one-source-out, exactly as ``evaluate --corpus`` classifies it (one classifier per
  held-out repository, with its packs, code tables and keywords minus that source);
- ``dev``: the dev part with all packs; every labelled set of ``evaluate`` (shared, held-out, blind 1-3); the spent
  frozen slices 1-9 (every row, labelled or not; the file names are written out, so no later slice is read);
- each of those texts again under synthetic status codes (a specific and a coarse ``delivered``, a specific pickup
  point, a coarse in-transit) and with its code taken away, so the code paths and the guard over a delivered code
  are read on every text, not only on the rows that carry a code;
- ``keywords``: the keyword stage's own answer on every text's template (whatever the rules say), so a change of its
  abstain list shows even where a rule speaks first.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from edge.tracking import corpus_eval as ce
from edge.tracking.classify import Classification, Classifier
from edge.tracking.evaluate import BLIND_SETS, HELDOUT_SET, SHARED_SET
from edge.tracking.evaluate import load as load_set
from edge.tracking.keywords import KeywordStage, load_all

# written out: a frozen10.jsonl that lands is never read
SLICES = ("frozen.jsonl", "frozen2.jsonl", "frozen3.jsonl", "frozen4.jsonl", "frozen5.jsonl", "frozen6.jsonl",
          "frozen7.jsonl", "frozen8.jsonl", "frozen9.jsonl")
# (name, code, provider): a specific and a coarse delivered, a specific pickup point, a coarse in transit
CODES = (("code=Delivered_001", "aftership:Delivered_001", None), ("code=Delivered", "aftership:Delivered", None),
         ("code=k304", "304", "kuaidi100"), ("code=InTransit", "aftership:InTransit", None))


def _answer(c: Classification) -> list[object]:
    return [c.milestone, c.rule, round(c.confidence, 6), c.signer, c.place]


def _sets() -> list[tuple[str, list[dict[str, object]]]]:
    out: list[tuple[str, list[dict[str, object]]]] = [("dev", ce.load(ce.DEV, labelled_only=False))]
    for p in (SHARED_SET, HELDOUT_SET, *BLIND_SETS):
        if p.exists():
            out.append((p.name, load_set(p)))
    out += [(name, ce.load(ce.CORPUS / name, labelled_only=False)) for name in SLICES]
    return out


def dump(out: Path) -> int:
    lines: list[str] = []

    def put(where: str, i: int, variant: str, answer: object) -> None:
        lines.append(json.dumps([where, i, variant, answer], ensure_ascii=False))

    # leave-one-source-out, the classifier per held-out repository as corpus_eval builds it
    dev = ce.load(ce.DEV)
    packs, keyword_sets = ce.load_packs(), load_all()
    cache: dict[str, Classifier] = {}
    for i, r in enumerate(dev):
        repo = ce._repo(str(r["source"]))
        clf = cache.get(repo)
        if clf is None:
            clf = cache[repo] = Classifier(packs=ce._without(packs, str(r["source"])),
                                           code_tables=ce._tables_without(str(r["source"])),
                                           keywords=ce._keywords_without(keyword_sets, str(r["source"])))
        put("loso", i, "", _answer(clf.classify(str(r["text"]), r.get("carrier"), r.get("code"))))  # type: ignore[arg-type]
    clf = Classifier()
    stage = KeywordStage(load_all())
    for where, rows in _sets():
        for i, r in enumerate(rows):
            text, carrier = str(r.get("text", "")), r.get("carrier")
            put(where, i, "", _answer(clf.classify(text, carrier, r.get("code"))))  # type: ignore[arg-type]
            put(where, i, "no code", _answer(clf.classify(text, carrier)))  # type: ignore[arg-type]
            for name, code, provider in CODES:
                put(where, i, name, _answer(clf.classify(text, carrier, code, provider)))  # type: ignore[arg-type]
            put(where, i, "keywords", stage.answer(clf.template_of(text)))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} answers -> {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="dump every classifier answer on the held sets")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--diff", type=Path, help="an earlier dump: print the lines that differ, exit 1 if any")
    args = ap.parse_args(argv)
    dump(args.out)
    if args.diff is None:
        return 0
    old = args.diff.read_text(encoding="utf-8").splitlines()
    new = args.out.read_text(encoding="utf-8").splitlines()
    if len(old) != len(new):
        print(f"{len(old)} lines before, {len(new)} now")
        return 1
    changed = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    for a, b in changed:
        print(f"- {a}\n+ {b}")
    print(f"{len(changed)} answers differ")
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
