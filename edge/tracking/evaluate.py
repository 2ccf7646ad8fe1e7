"""Accuracy of the milestone classifier on labelled sets, per milestone, with every miss listed.

    .venv/bin/python -m edge.tracking.evaluate [--write docs/tracking.md]
    .venv/bin/python -m edge.tracking.evaluate --taught [--write docs/tracking.md]   # what staff labels buy a site

Sets: the shared labelled sample (../shared/data/tracking_events.jsonl beside the checkout, or $LOCKERD_TRACKING_SET),
our own held-out cases (tests/tracking/data/heldout_events.jsonl) and three blind sets, each written after
the rules were frozen (tests/tracking/data/blind_events.jsonl, blind2_..., blind3_...). Each line: {"text", "carrier"?, "code"?, "milestone"}.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from edge.tracking.classify import Classifier
from edge.tracking.rules import MILESTONES

ROOT = Path(__file__).resolve().parents[2]
# the project's shared data sit beside the checkout (../shared), as in CI
_BESIDE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "tracking_events.jsonl"
SHARED_SET = Path(os.environ.get("LOCKERD_TRACKING_SET") or _BESIDE)
HELDOUT_SET = ROOT / "tests" / "tracking" / "data" / "heldout_events.jsonl"
BLIND_SET = ROOT / "tests" / "tracking" / "data" / "blind_events.jsonl"
BLIND2_SET = ROOT / "tests" / "tracking" / "data" / "blind2_events.jsonl"
BLIND3_SET = ROOT / "tests" / "tracking" / "data" / "blind3_events.jsonl"
BLIND_SETS = (BLIND_SET, BLIND2_SET, BLIND3_SET)
MARK_BEGIN = "<!-- evaluate:begin -->"
MARK_END = "<!-- evaluate:end -->"


@dataclass
class Result:
    name: str
    total: int = 0
    correct: int = 0
    per_label: Counter[str] = field(default_factory=Counter)
    per_label_ok: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    misses: list[tuple[str, str, str, str]] = field(default_factory=list)  # label, got, carrier, text

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


def load(path: Path) -> list[dict[str, object]]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def evaluate(name: str, rows: list[dict[str, object]], classifier: Classifier | None = None) -> Result:
    clf = classifier or Classifier()
    res = Result(name)
    for row in rows:
        label = str(row["milestone"])
        got = clf.classify(str(row.get("text", "")), row.get("carrier"), row.get("code")).milestone  # type: ignore[arg-type]
        res.total += 1
        res.per_label[label] += 1
        res.predicted[got] += 1
        if got == label:
            res.correct += 1
            res.per_label_ok[label] += 1
        else:
            res.misses.append((label, got, str(row.get("carrier", "")), str(row.get("text", ""))))
    return res


def to_markdown(results: list[Result]) -> str:
    out: list[str] = []
    for res in results:
        out.append(f"### {res.name}: {res.correct}/{res.total} = {res.accuracy:.1%}\n")
        out.append("| milestone | labelled | correct | recall | precision |")
        out.append("|---|---:|---:|---:|---:|")
        for m in MILESTONES:
            n = res.per_label[m]
            if not n and not res.predicted[m]:
                continue
            ok = res.per_label_ok[m]
            recall = f"{ok / n:.0%}" if n else "-"
            precision = f"{ok / res.predicted[m]:.0%}" if res.predicted[m] else "-"
            out.append(f"| {m} | {n} | {ok} | {recall} | {precision} |")
        out.append("")
        if res.misses:
            out.append("Misses:\n")
            out.append("| labelled | classified | carrier | text |")
            out.append("|---|---|---|---|")
            for label, got, carrier, text in res.misses:
                out.append(f"| {label} | {got} | {carrier} | {text.replace('|', '/')[:160]} |")
        else:
            out.append("Misses: none.")
        out.append("")
    return "\n".join(out)


def write_into(doc: Path, block: str) -> None:
    text = doc.read_text(encoding="utf-8") if doc.exists() else ""
    generated = f"{MARK_BEGIN}\n{block}\n{MARK_END}"
    if MARK_BEGIN in text and MARK_END in text:
        head, rest = text.split(MARK_BEGIN, 1)
        tail = rest.split(MARK_END, 1)[1]
        text = head + generated + tail
    else:
        text = text + ("\n" if text else "") + generated + "\n"
    doc.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    from edge.tracking import corpus_eval as ce

    ap = argparse.ArgumentParser(description="classifier accuracy per milestone")
    ap.add_argument("--write", type=Path, help="replace the generated block in this markdown file")
    ap.add_argument("--corpus", action="store_true", help="the public-source corpus (dev part): all and leave-one-source-out")
    for n in ce.SLICES:
        # slice 1 kept its original flag, --frozen; the others are --frozen2 ... --frozenN
        ap.add_argument("--frozen" if n == 1 else f"--frozen{n}", dest=f"frozen{n}", action="store_true",
                        help=f"frozen slice {n} of the corpus (issue 15; run once, at the end)")
    ap.add_argument("--fallback", action="store_true",
                    help="the learned fallback on each spent slice from 10 on, as if that slice were never trained on")
    ap.add_argument("--taught", action="store_true",
                    help="what staff labels buy a site: the test-then-train simulation (edge/tracking/taught.py)")
    ap.add_argument("sets", nargs="*", type=Path, help="labelled JSONL files (default: shared + held-out)")
    args = ap.parse_args(argv)
    if args.fallback:
        print(ce.fallback_by_slice())
        return 0
    if args.taught:
        from edge.tracking.taught import report

        block = report()
        if args.write:
            _write_block(args.write, block, "<!-- taught:begin -->", "<!-- taught:end -->")
        print(block)
        return 0
    if args.corpus or any(getattr(args, f"frozen{n}") for n in ce.SLICES):
        return _corpus(args)
    paths = args.sets or [p for p in (SHARED_SET, HELDOUT_SET, *BLIND_SETS) if p.exists()]
    if not paths:
        print("no labelled set found", file=sys.stderr)
        return 1
    clf = Classifier()
    results = []
    for p in paths:
        name = {SHARED_SET: "shared set", HELDOUT_SET: "held-out set", BLIND_SET: "blind set 1",
                BLIND2_SET: "blind set 2", BLIND3_SET: "blind set 3"}.get(p, p.name)
        results.append(evaluate(f"{name} ({p.name})", load(p), clf))
    block = to_markdown(results)
    if args.write:
        write_into(args.write, block)
    print(block)
    return 0


def _corpus(args: argparse.Namespace) -> int:
    from edge.tracking import corpus_eval as ce

    parts = []
    if args.corpus:
        rows = ce.load(ce.DEV)
        bare, no_model = ce.Tally(), ce.Tally()
        parts.append(ce.report("corpus dev part, leave-one-source-out (tests/tracking/corpus/dev.jsonl)",
                               ce.leave_one_source_out(rows, bare, no_model), misses=60))
        parts.append(f"The same without the learned fallback (edge/tracking/fallback.py): {no_model.ok}/"
                     f"{no_model.total} = {no_model.rate():.1%}; non-deliveries read as delivered: "
                     f"{no_model.false_delivered}.\n")
        parts.append(f"The same without the keyword stage (edge/tracking/keywords.py) and the fallback: {bare.ok}/"
                     f"{bare.total} = {bare.rate():.1%}; non-deliveries read as delivered: {bare.false_delivered}.\n")
        parts.append(ce.report("corpus dev part, all packs (the rules were written from these sources)",
                               ce.evaluate_rows(rows), misses=0))
    chosen = [n for n in ce.SLICES if getattr(args, f"frozen{n}")]
    for n in chosen:
        path, pinned = ce.SLICES[n]
        name = "frozen slice" if n == 1 else f"frozen slice {n}"
        if pinned is None:  # slices 1 and 2: pinned by their tests, reported as they were then
            parts.append(ce.report(f"{name} (tests/tracking/corpus/{path.name})", ce.evaluate_rows(ce.load(path)),
                                   misses=200, sources=True))
            continue
        digest = ce.sha256(path)
        if digest != pinned:
            print(f"{path.name} changed since it was frozen (sha256 {digest})", file=sys.stderr)
            return 2
        rows = ce.load(path)
        parts.append(ce.report(f"{name} (tests/tracking/corpus/{path.name})", ce.evaluate_rows(rows),
                               misses=400, sources=True))
        bare = ce.evaluate_rows([{k: v for k, v in r.items() if k != "code"} for r in rows])
        parts.append(f"The same slice with the status codes taken away (text only): {bare.ok}/{bare.total} = "
                     f"{bare.rate():.1%}; non-deliveries read as delivered: {bare.false_delivered}.\n")
        off = ce.evaluate_rows(rows, Classifier(fallback=False))
        parts.append(f"The same slice without the learned fallback (edge/tracking/fallback.py): {off.ok}/{off.total}"
                     f" = {off.rate():.1%}; non-deliveries read as delivered: {off.false_delivered}.\n")
    block = "\n".join(parts)
    if args.write:
        # the frozen slice's first run is kept as measured in its own block (slice 1's went to the rerun block)
        first = next((n for n in chosen if n > 1), None)
        marks = (("<!-- corpus:begin -->", "<!-- corpus:end -->") if args.corpus
                 else (f"<!-- frozen{first}:begin -->", f"<!-- frozen{first}:end -->") if first
                 else ("<!-- frozen-rerun:begin -->", "<!-- frozen-rerun:end -->"))
        _write_block(args.write, block, *marks)
    print(block)
    return 0


def _write_block(doc: Path, block: str, begin: str, end: str) -> None:
    text = doc.read_text(encoding="utf-8") if doc.exists() else ""
    generated = f"{begin}\n{block}\n{end}"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + generated + rest.split(end, 1)[1]
    else:
        text = text + ("\n" if text else "") + generated + "\n"
    doc.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
