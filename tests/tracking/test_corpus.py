"""The public-source corpus: every line names its source, carrier and language and is labelled with a
DESIGN.md milestone; the frozen slice shares no source with the dev part; no line comes from the shared set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edge.tracking import corpus_eval as ce
from edge.tracking.evaluate import SHARED_SET
from edge.tracking.rules import MILESTONES


def _repo(source: str) -> str:
    return source.split(":")[0].split(" ")[0]


def test_dev_lines_are_complete_and_distinct() -> None:
    rows = ce.load(ce.DEV)
    assert len(rows) >= 900
    assert len({r["text"] for r in rows}) == len(rows)
    for r in rows:
        assert r["milestone"] in MILESTONES and r["source"] and r["carrier"] and r["lang"], r
    assert {"zh", "en", "fr", "de", "nl", "es", "pt", "ja"} <= {r["lang"] for r in rows}
    assert len({r["carrier"] for r in rows}) >= 30


def test_frozen_slice_is_whole_sources_apart_from_dev() -> None:
    dev = {_repo(str(r["source"])) for r in ce.load(ce.DEV)}
    frozen = ce.load(ce.FROZEN, labelled_only=False)
    assert frozen and all(r["source"] for r in frozen)
    assert not dev & {_repo(str(r["source"])) for r in frozen}
    assert all(r["milestone"] is None or r["milestone"] == "drop" or r["milestone"] in MILESTONES for r in frozen)


@pytest.mark.skipif(not SHARED_SET.exists(), reason="the shared set sits beside the checkout")
def test_no_corpus_line_is_a_shared_set_text() -> None:
    shared = {json.loads(line)["text"] for line in SHARED_SET.read_text(encoding="utf-8").splitlines() if line.strip()}
    for path in (ce.DEV, ce.FROZEN):
        assert not shared & {str(r["text"]) for r in ce.load(path, labelled_only=False)}, path.name


def test_leave_one_source_out_drops_the_phrases_of_the_held_out_source() -> None:
    from edge.tracking.packs import load_packs

    packs = load_packs()
    src = "soult/libsendungsverfolgung:libsendungsverfolgung/gls.py"
    kept = [ph for p in ce._without(packs, src) for ph in p.phrases]
    assert all(any(_repo(s) != "soult/libsendungsverfolgung" for s in ph.source.split(" | ")) for ph in kept)
    assert len(kept) < sum(len(p.phrases) for p in packs)


def test_frozen_slice_2_is_whole_sources_apart_and_cited_by_no_phrase() -> None:
    from edge.tracking.packs import CODE_DIR, load_packs

    frozen2 = ce.load(ce.FROZEN2, labelled_only=False)
    assert len([r for r in frozen2 if r["milestone"] != "drop"]) >= 140
    def key(source: str) -> str:  # "index:<id> (...)" sources are told apart by their id
        return source.split(" ")[0] if source.startswith("index:") else _repo(source)

    repos = {key(str(r["source"])) for r in frozen2}
    assert len(repos) >= 5
    others = {key(str(r["source"])) for path in (ce.DEV, ce.FROZEN) for r in ce.load(path, labelled_only=False)}
    assert not repos & others
    cited = {key(s) for p in load_packs() for ph in p.phrases for s in ph.source.split(" | ")}
    cited |= {key(s) for f in CODE_DIR.glob("*.json") for s in json.loads(f.read_text(encoding="utf-8"))["source"].split(" | ")}
    assert not repos & cited
    assert all(r["milestone"] == "drop" or r["milestone"] in MILESTONES for r in frozen2)


def test_frozen_slice_3_is_unchanged_whole_sources_apart_and_cited_by_no_phrase_or_table() -> None:
    from edge.tracking.packs import CODE_DIR, load_packs

    assert ce.sha256(ce.FROZEN3) == ce.FROZEN3_SHA256  # frozen before any rule of round 3
    frozen3 = ce.load(ce.FROZEN3, labelled_only=False)
    counted = [r for r in frozen3 if r["milestone"] != "drop"]
    assert len(counted) >= 300 and {r["lang"] for r in counted} >= {"zh", "en", "fr", "de", "nl", "es", "pt", "ja"}

    def key(source: str) -> str:  # "index:<id> (...)" and "page:<url>" sources are told apart by their id/url
        return source.split(" ")[0] if source.startswith(("index:", "page:")) else _repo(source)

    repos = {key(str(r["source"])) for r in frozen3}
    others = {key(str(r["source"])) for path in (ce.DEV, ce.FROZEN, ce.FROZEN2) for r in ce.load(path, labelled_only=False)}
    assert not repos & others
    cited = {key(s) for p in load_packs() for ph in p.phrases for s in ph.source.split(" | ")}
    cited |= {key(s) for f in CODE_DIR.glob("*.json") for s in json.loads(f.read_text(encoding="utf-8"))["source"].split(" | ")}
    assert not repos & cited
    assert all(r["milestone"] == "drop" or r["milestone"] in MILESTONES for r in frozen3)


_ALL_LANGS = {"zh", "en", "fr", "de", "nl", "es", "pt", "ja"}


@pytest.mark.parametrize(("n", "min_counted", "langs"), [
    (4, 150, _ALL_LANGS),
    (5, 200, _ALL_LANGS),
    (6, 160, _ALL_LANGS - {"fr"}),  # slice 6 is thin (FROZEN.md): 5 counted Dutch lines, no French
    (7, 160, _ALL_LANGS),
    (8, 430, _ALL_LANGS),
    (9, 350, _ALL_LANGS),
    (10, 350, _ALL_LANGS),  # slice 10 is thin in Dutch (FROZEN.md): 9 counted lines, an app's wording
    (11, 350, _ALL_LANGS),  # slice 11: Dutch and Japanese only just pass 30, mostly app wording (FROZEN.md)
    (12, 450, _ALL_LANGS),  # slice 12: Dutch has 12 counted lines, none a carrier scan (FROZEN.md)
    (13, 300, _ALL_LANGS),  # slice 13: mostly app wording; no recorded Dutch or Japanese carrier scan (FROZEN.md)
    (14, 440, _ALL_LANGS),  # slice 14: Japanese all app wording; one Dutch carrier scan source (FROZEN.md)
    (15, 280, _ALL_LANGS),  # slice 15: carrier OTHER 58 %; no Dutch, German or Japanese carrier scan (FROZEN.md)
    (16, 240, _ALL_LANGS),  # slice 16: carrier OTHER 89 %; one Japanese carrier SMS, no Dutch scan (FROZEN.md)
    (17, 250, _ALL_LANGS),  # slice 17: scan texts and code lists; fr, es, ja, nl 6-10 counted lines each (FROZEN.md)
    (18, 230, _ALL_LANGS),  # slice 18: customer wording, carrier OTHER 77 %; no Dutch or Japanese scan (FROZEN.md)
    (19, 260, _ALL_LANGS - {"nl"}),  # slice 19: scan texts and code lists; no Dutch line, Japanese 2, es 108 (FROZEN.md)
    (20, 320, _ALL_LANGS),  # slice 20: customer wording, carrier OTHER 51 %; no Dutch or Japanese scan (FROZEN.md)
    (21, 320, _ALL_LANGS),  # slice 21: status lists and mocks; no Dutch or French carrier history (FROZEN.md)
    (22, 320, _ALL_LANGS),  # slice 22: customer wording, carrier OTHER 82 %; almost no carrier scan (FROZEN.md)
    (23, 260, _ALL_LANGS),  # slice 23: scan texts and status tables; Portuguese all from one demo shop (FROZEN.md)
    (24, 260, _ALL_LANGS),  # slice 24: customer wording, carrier OTHER 92 %, label_created 31 % (FROZEN.md)
    (25, 260, _ALL_LANGS),  # slice 25: code tables and fixtures; Dutch 6, German 12 counted lines (FROZEN.md)
    (26, 220, _ALL_LANGS),  # slice 26: customer wording, 225 counted, carrier OTHER 81 %; no customs (FROZEN.md)
    (28, 185, _ALL_LANGS),  # slice 28: customer wording, 187 counted (short of 260); no customs or hub (FROZEN.md)
    (29, 300, _ALL_LANGS),  # slice 29: scan texts and status lists, carrier OTHER 64 %; Japanese from one table (FROZEN.md)
    (30, 225, _ALL_LANGS),  # slice 30: customer wording, 227 counted (short of 260); label_created 30 % (FROZEN.md)
    (31, 265, _ALL_LANGS),  # slice 31: scan texts and code lists, carrier OTHER 56 %; Japanese 2 counted (FROZEN.md)
    (32, 280, _ALL_LANGS),  # slice 32: customer wording, carrier OTHER 92 %, label_created 29 % (FROZEN.md)
    (33, 105, _ALL_LANGS),  # slice 33: scan texts, 107 counted (short of 200): carriers' own texts spent, OTHER 84 % (FROZEN.md)
    (34, 205, _ALL_LANGS),  # slice 34: customer wording, 208 counted; ja 11, nl 7 (FROZEN.md)
    (35, 130, _ALL_LANGS),  # slice 35: scan texts, 133 counted (short of 200), carrier OTHER 93 %; de 6, en 10 (FROZEN.md)
    (36, 50, _ALL_LANGS),  # slice 36: customer wording, 54 counted (far short of 200); en 2, ja 3 (FROZEN.md)
    (37, 240, _ALL_LANGS),  # slice 37: scan texts and code tables, 245 counted, carrier OTHER 65 %; nl 5 (FROZEN.md)
    (38, 330, _ALL_LANGS),  # slice 38: customs, code tables and scans, 340 counted, carrier OTHER 79 %; de 11, nl 6 (FROZEN.md)
])
def test_frozen_slice_is_unchanged_whole_sources_apart_and_cited_by_no_phrase_or_table(
        n: int, min_counted: int, langs: set[str]) -> None:
    """Slices 4-38 (no 27): frozen before the round they measure (slices 6-38 collected while a round's rules
    were written, by someone who did not see them); sha256 pinned; no source shared with dev or an earlier slice;
    no pack phrase or code-table entry cites one."""
    from edge.tracking.packs import CODE_DIR, load_packs

    path, pinned = ce.SLICES[n]
    assert ce.sha256(path) == pinned
    rows = ce.load(path, labelled_only=False)
    counted = [r for r in rows if r["milestone"] != "drop"]
    assert len(counted) >= min_counted and {r["lang"] for r in counted} >= langs
    assert all(r.get("freeze") == f"f{n}" and r.get("source") and r.get("carrier") for r in rows)

    def key(source: str) -> str:  # "index:<id> (...)" and "page:<url>" sources are told apart by their id/url
        if source.startswith(("index:", "page:", "https://", "http://")):  # slice 18 wrote four pages without "page:"
            return source.split(" ")[0].removeprefix("page:")
        return _repo(source)

    repos = {key(str(r["source"])) for r in rows}
    # no dev row and no earlier slice comes from this slice's sources ...
    earlier = [ce.DEV] + [path for k, (path, _) in ce.SLICES.items() if k < n]
    others = {key(str(r["source"])) for p in earlier for r in ce.load(p, labelled_only=False)}
    assert not repos & others
    # ... and no pack phrase or code-table entry cites one
    cited = {key(s) for p in load_packs() for ph in p.phrases for s in ph.source.split(" | ")}
    for f in CODE_DIR.glob("*.json"):
        table = json.loads(f.read_text(encoding="utf-8"))
        cited |= {key(s) for s in str(table["source"]).split(" | ")}
        cited |= {key(s) for entry in table["codes"].values() for s in str(entry.get("source", "")).split(" | ") if s}
    assert not repos & cited
    assert all(r["milestone"] == "drop" or r["milestone"] in MILESTONES for r in rows)
    # a dropped line keeps the label it would have had, so the drop can be checked
    assert all(r.get("label") in MILESTONES for r in rows if r["milestone"] == "drop")


def test_every_frozen_file_is_a_slice_evaluate_measures_and_a_changed_one_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """corpus_eval.SLICES is the one list of slices: each frozen file is in it (slices from 3 on with their
    sha256), `evaluate --frozenN` follows from it, and a slice whose bytes changed is not measured."""
    from edge.tracking.evaluate import main

    assert {p.name for p in ce.CORPUS.glob("frozen*.jsonl")} == {path.name for path, _ in ce.SLICES.values()}
    assert all(pinned for n, (_, pinned) in ce.SLICES.items() if n > 2)
    changed = tmp_path / "frozen99.jsonl"
    changed.write_bytes(ce.SLICES[12][0].read_bytes() + b"\n")
    monkeypatch.setitem(ce.SLICES, 99, (changed, ce.SLICES[12][1]))
    doc = tmp_path / "t.md"
    assert main(["--frozen99", "--write", str(doc)]) == 2
    assert "frozen99.jsonl changed since it was frozen" in capsys.readouterr().err and not doc.exists()
