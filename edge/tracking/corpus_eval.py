"""Accuracy on the public-source corpus (tests/tracking/corpus/): per milestone, language, carrier and
source, the non-deliveries read as `delivered`, leave-one-source-out, and the frozen slice.

    .venv/bin/python -m edge.tracking.evaluate --corpus            # the dev part, leave-one-source-out
    .venv/bin/python -m edge.tracking.evaluate --frozen            # the frozen slice (run once, at the end)
    .venv/bin/python -m edge.tracking.evaluate --frozen2           # frozen slice 2 (second round, run once)
    .venv/bin/python -m edge.tracking.evaluate --frozen3           # frozen slice 3 (third round, run once)
    .venv/bin/python -m edge.tracking.evaluate --frozen4           # frozen slice 4 (fourth round, run once)
    .venv/bin/python -m edge.tracking.evaluate --frozen5           # frozen slice 5 (fifth round, run once)
    .venv/bin/python -m edge.tracking.evaluate --frozen6           # frozen slice 6 (sixth round, run once)
    .venv/bin/python -m edge.tracking.evaluate --frozen7           # frozen slice 7 (seventh round, run once)

Leave-one-source-out: for each source, the classifier is rebuilt without the pack phrases and code-table entries that cite that
source and evaluated on that source's texts, so a source's figure never counts phrases written from it.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from edge.tracking.classify import Classifier
from edge.tracking.keywords import KeywordSet, load_all
from edge.tracking.packs import Pack, load_packs

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "tracking" / "corpus"
DEV = CORPUS / "dev.jsonl"
#: the sha256 of each frozen slice from 3 on, recorded when it was committed (slices 3-5 before their round's rules,
#: from slice 6 on collected while a round's rules were written, by someone who did not see the rules, packs or code
#: tables and never classified); `evaluate --frozenN` refuses a changed file. Slices 1 and 2 were pinned by their
#: tests only. A new slice is one line here.
PINNED: dict[int, str] = {
    3: "ad06eb50781f13be033d32347009855ab1a6c43bb2ed66fcc7f351dac1de3810",
    4: "6289fbe887c9ee1a8241f2c4505390df855758e00f51753cb89ef3459fb10c85",
    5: "caa4c7c8e4ecc4d030b7e32a00488883d011d0e370f40b5d09fdc3e98f64ac7b",
    6: "7de7dbf6bc77d00cffc001ff5b18759ca25cf876aa31f5d971bf3085c570fea6",
    7: "7306ce96f797b328f77e9416410149cceadf5c334a66587703e2e13fbcca3e0c",
    8: "1c4df2c7a3a28587b4cd56dcdde66204d107c17ea56d9d2d5e226046100abbcc",
    9: "d21a1633333bdc30b35321a1bcd7adf35a400b04be1a85fedc4a2dd225949e8f",
    10: "872e1fc2944e2798f971b06cfecfebd2d101143c221d99c1c6d170abd3dfd6e3",
    11: "a32f2bfaeb348d7ddc5980d5de141c52325bed44c2791ee6d0feec68f4f6f705",
    12: "fd7968cd56f9c185576ebca30faec0263b0e1aee8158150b002dd57a6c3c476e",
    13: "4ad6944d51ffcbdee915c7c3800b6602d5b93f5313c18d51740279e8c12ce648",
    14: "991b407f698680ec30dbf8a3c9675f2df723fda0802a7398661bb28221b27d66",
    15: "a3cf6f2978a74e66868e2405db28662516f7a7c937b700d94c73ad3d02276b7d",
    16: "17708e6228eb3402e407617c7471ca53cc969ff3e97c430b14576a9392ec257d",
    17: "0dbdc8eb792b2f4ce4224973b1a1f40422ea5e14c9a85436f57f8c2afcea8f71",
    18: "ea85f591a5f18082baaed65034195629a81a56de9443140ba98f57e188593f25",
    19: "aa7999f508f8113bceeb8075fce6ff7341564de6b3ac4b6407267e6f189d02e2",
    20: "22acf153f84c7d6a6b97e7af35fbab00cfe3f141fa608472181cb9936c397a13",
    21: "8566a4589b4f769677d618c88e342b34c9ebf0c9f01d95b376e128152a1ec9a1",
    22: "8101dc1953a6f51ca96ae054467598af69850653e5059049c6a236c7f748fcb0",
    23: "bb510fb6d4359ee93207e0a6c38ea0b8d9ae4a050d11bc81ad3340efa8a50374",
    24: "b9301798099fa0e1209217aa0737af8e8aeb6d5f790443df9e9a8febe7867703",
    25: "d213b5f98ff852656490b6f26ca0e4be9fb6e9e987fd8695842ad45cc20b0bde",
    26: "13fb49b3ae59d649de4a9196d5b1d482dae622569cc5f56907bffe6abf017ea0",
    # no slice 27: its collector stopped (2026-12-07) before committing anything; the number stays unused
    28: "1b0dbc8cb0b92eeddda588bfca89e467edd3675f38e764feacd1bde6493caccd",
    29: "364d2ab22b1081939543350de37514a49ea82c086d5d2ab4680559f8b9cab1b5",
    30: "0ba025a1ceea183dc80fff1dc8eb32078ad25bdc3173da75c590d702d813effb",
    31: "0956b49bbbee8e23757ac8e50d6590991d111d33e549cfd7ea4f1c07ab0a1ac1",
    32: "cfb220bfac660d08071c7ff5f9bd192c1abaf74aec682f4f5dce4b32f5eaf2ac",
    33: "9d3f2d1f685914c13e3a3993d112bd7bd2637084ac25b194303e9ce2b51e3c12",
    34: "f6d5d7bff65a61369d0491634f064e832aebf5c7c18ce685b1f2c3cf8f930114",
    35: "881479f3f2f4d27a8d7bf91cdce2e039ff40c7009ba29b7d0e9c2047d428dca5",
    36: "e30e465ae133e223be3a76e12ea1a7156b32c951007bffa3d7313fb0f72e3389",
    37: "f0aa846331ac21eb877f78a3009a9219e4af9c70da5b8c71b071e5e1a57a6c95",
    38: "a21e47604f805a31f8c6d1082069e8b65f3295ffdc6488adfcaca035782af361",
}
#: every frozen slice by its number: its file and pinned sha256 (None: slices 1 and 2; a number never collected is
#: not here)
SLICES: dict[int, tuple[Path, str | None]] = {
    n: (CORPUS / ("frozen.jsonl" if n == 1 else f"frozen{n}.jsonl"), PINNED.get(n))
    for n in range(1, max(PINNED) + 1) if n <= 2 or n in PINNED
}
#: the names older tests read the first slices by
FROZEN, FROZEN2, FROZEN3, FROZEN4, FROZEN5, FROZEN6, FROZEN7, FROZEN8 = (SLICES[n][0] for n in range(1, 9))
FROZEN3_SHA256 = PINNED[3]


@dataclass
class Tally:
    total: int = 0
    ok: int = 0
    false_delivered: int = 0
    by: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    misses: list[tuple[str, str, str, str, str]] = field(default_factory=list)

    def add(self, row: dict[str, object], got: str) -> None:
        label = str(row["milestone"])
        good = got == label
        self.total += 1
        self.ok += good
        if got == "delivered" and label != "delivered":
            self.false_delivered += 1
        for dim in ("milestone", "lang", "carrier", "source"):
            key = str(row.get(dim) or "?")
            self.by[dim][key + "\0n"] += 1
            self.by[dim][key + "\0ok"] += good
        if not good:
            self.misses.append((label, got, str(row.get("lang", "")), str(row.get("carrier", "")), str(row["text"])))

    def rate(self) -> float:
        return self.ok / self.total if self.total else 0.0


def load(path: Path, labelled_only: bool = True) -> list[dict[str, object]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if labelled_only:
        rows = [r for r in rows if r.get("milestone") not in (None, "drop")]
    return rows


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _repo(source: str) -> str:
    """The source's repository; an indexed file ("index:<id> (...)") or a page ("page:<url>") is its own source."""
    source = source.strip()
    if source.startswith(("index:", "page:")):
        return source.split(" ")[0]
    return source.split(":")[0].split(" ")[0]


def _without(packs: list[Pack], source: str) -> list[Pack]:
    """The packs minus every phrase whose only sources are the held-out source's repository (a phrase that
    cites several sources, " | " between them, stays when another source attests it)."""
    held = _repo(source)
    return [Pack(p.lang, [ph for ph in p.phrases if any(_repo(s) != held for s in ph.source.split(" | "))])
            for p in packs]


def _keywords_without(sets: list[KeywordSet], source: str) -> list[KeywordSet]:
    """The keyword sets minus every keyword whose only sources are the held-out source's repository."""
    held = _repo(source)
    return [KeywordSet(s.lang, [k for k in s.keywords if any(_repo(c) != held for c in k.source.split(" | "))],
                       list(s.abstain)) for s in sets]


def _tables_without(source: str) -> dict[str, dict[str, tuple[str, bool]]]:
    """The code tables minus every entry whose source (its own, else its table's) is the held-out repository,
    so a source's rows are never scored by a table written from that source."""
    from edge.tracking.packs import CODE_DIR, load_code_tables, table_carriers

    held = _repo(source)
    tables = load_code_tables()
    for f in sorted(CODE_DIR.glob("*.json")):
        obj = json.loads(f.read_text(encoding="utf-8"))
        default = str(obj.get("source", ""))
        for code, entry in obj["codes"].items():
            cited = str(entry.get("source") or default).split(" | ")
            if all(_repo(c) == held for c in cited):
                for carrier in table_carriers(obj):
                    tables.get(carrier, {}).pop(str(code).upper(), None)
    return tables


def evaluate_rows(rows: list[dict[str, object]], clf: Classifier | None = None) -> Tally:
    clf = clf or Classifier()
    t = Tally()
    for r in rows:
        t.add(r, clf.classify(str(r["text"]), r.get("carrier"), r.get("code")).milestone)  # type: ignore[arg-type]
    return t


class HeldOut:
    """The classifier that never saw one source: packs without a phrase, code tables without an entry and the
    keyword stage without a keyword citing that source's repository, and the shipped learned fallback minus that
    repository's texts (``rows`` are the corpus rows the model was trained on). Leave-one-source-out and the
    staff-taught simulation (edge/tracking/taught.py) build their classifiers here, so both hold out alike."""

    def __init__(self, rows: list[dict[str, object]]) -> None:
        from edge.tracking.fallback import shipped_full
        from edge.tracking.fold import template

        self.packs = load_packs()
        self.keyword_sets = load_all()
        self.model = shipped_full()
        self.by_repo: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for r in rows:
            self.by_repo[_repo(str(r["source"]))].append((template(str(r["text"])), str(r["milestone"])))

    def classifier(self, source: str) -> Classifier:
        return Classifier(packs=_without(self.packs, source), code_tables=_tables_without(source),
                          keywords=_keywords_without(self.keyword_sets, source),
                          fallback=self.model.minus(self.by_repo[_repo(source)]) if self.model is not None else False)


def leave_one_source_out(rows: list[dict[str, object]], bare: Tally | None = None,
                         no_model: Tally | None = None) -> Tally:
    """Each source scored by a classifier whose packs hold no phrase, whose code tables hold no entry, whose
    keyword stage holds no keyword citing that source's repository, and whose learned fallback is the shipped model
    minus that repository's texts. ``bare``, when given, is filled with the same run without the keyword stage and
    the fallback (their answers read as `unknown`: they only speak where all else is silent), ``no_model`` without
    the fallback only."""
    from edge.tracking.fallback import RULE_NAME as MODEL_RULE

    held_out = HeldOut(rows)
    by_source: dict[str, list[dict[str, object]]] = defaultdict(list)
    for r in rows:
        by_source[str(r["source"])].append(r)
    t = Tally()
    cache: dict[str, Classifier] = {}
    for source, items in by_source.items():
        repo = _repo(source)  # one classifier per held-out repository (an index file or page is its own)
        clf = cache.get(repo)
        if clf is None:
            clf = cache[repo] = held_out.classifier(source)
        for r in items:
            got = clf.classify(str(r["text"]), r.get("carrier"), r.get("code"))  # type: ignore[arg-type]
            t.add(r, got.milestone)
            if bare is not None:
                bare.add(r, "unknown" if got.rule in ("keywords", MODEL_RULE) else got.milestone)
            if no_model is not None:
                no_model.add(r, "unknown" if got.rule == MODEL_RULE else got.milestone)
    return t


def fallback_by_slice(first: int = 10) -> str:
    """Each spent slice from ``first`` on, classified without the learned fallback and with the shipped model minus
    that slice's texts (leave-one-slice-out: a slice's sources are in no other part), as a markdown table. The rules
    have read these slices (their in-sample mends), so the figure says what the fallback adds behind them on texts
    it never saw, not a first run."""
    from edge.tracking.fallback import RULE_NAME as MODEL_RULE
    from edge.tracking.fallback import shipped_full
    from edge.tracking.fold import template

    model = shipped_full()
    if model is None:
        return "no shipped model (python -m edge.tracking.fallback train)"
    plain = Classifier(fallback=False)
    lines = ["| slice | texts | without | with the fallback | gained | lost | its answers right / given | false delivered |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    total = [0] * 7
    for n in sorted(k for k in SLICES if k >= first):  # a number never collected (27) is not in SLICES
        path, _pinned = SLICES[n]
        rows = load(path)
        with_model = Classifier(fallback=model.minus((template(str(r["text"])), str(r["milestone"])) for r in rows))
        off = on = gained = lost = right = given = fd = 0
        for r in rows:
            args = (str(r["text"]), r.get("carrier"), r.get("code"))
            a = plain.classify(*args).milestone  # type: ignore[arg-type]
            got = with_model.classify(*args)  # type: ignore[arg-type]
            want = r["milestone"]
            off += a == want
            on += got.milestone == want
            gained += a != want and got.milestone == want
            lost += a == want and got.milestone != want
            if got.rule == MODEL_RULE:
                given += 1
                right += got.milestone == want
            fd += got.milestone == "delivered" and want != "delivered"
        for i, v in enumerate((len(rows), off, on, gained, lost, right, given)):
            total[i] += v
        lines.append(f"| {n} | {len(rows)} | {off} | {on} | {gained} | {lost} | {right}/{given} | {fd} |")
    rows_, off, on, gained, lost, right, given = total
    lines.append(f"| **all** | {rows_} | {off} = {off / rows_:.1%} | **{on} = {on / rows_:.1%}** | {gained} | {lost} "
                 f"| {right}/{given} | |")
    return "\n".join(lines) + "\n"


def table(t: Tally, dim: str, title: str) -> list[str]:
    keys = sorted({k.split("\0")[0] for k in t.by[dim]}, key=lambda k: -t.by[dim][k + "\0n"])
    out = [f"| {title} | texts | right | accuracy |", "|---|---:|---:|---:|"]
    for k in keys:
        n, ok = t.by[dim][k + "\0n"], t.by[dim][k + "\0ok"]
        out.append(f"| {k} | {n} | {ok} | {ok / n:.1%} |")
    return out


def report(name: str, t: Tally, misses: int = 40, sources: bool = False) -> str:
    out = [f"### {name}: {t.ok}/{t.total} = {t.rate():.1%}; non-deliveries read as delivered: {t.false_delivered}", ""]
    for dim, title in (("milestone", "milestone"), ("lang", "language"), ("carrier", "carrier")):
        out += table(t, dim, title) + [""]
    if sources:
        out += table(t, "source", "source") + [""]
    if t.misses and misses:
        out += [f"Misses (first {min(misses, len(t.misses))} of {len(t.misses)}):", "",
                "| labelled | classified | lang | carrier | text |", "|---|---|---|---|---|"]
        for label, got, lang, carrier, text in t.misses[:misses]:
            out.append(f"| {label} | {got} | {lang} | {carrier} | {text.replace('|', '/')[:120]} |")
        out.append("")
    return "\n".join(out)
