"""The learned fallback (edge/tracking/fallback.py, decision 0047): a character n-gram model behind the rules, the
codes and the keywords, that never says `delivered` or anything that raises, clears or ends a watch."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from edge.tracking import fallback as fb
from edge.tracking.classify import LOW_CONFIDENCE, Classifier
from edge.tracking.fold import template
from tests.tracking.written import corpus_texts

GUESSED = "Paket vom Absender an uns übergeben"  # written: no rule, code or keyword reads it; the model says picked_up


@pytest.fixture(scope="module")
def model() -> fb.NgramModel:
    m = fb.shipped()
    assert m is not None, "the shipped model file is missing: python -m edge.tracking.fallback train"
    return m


def test_the_shipped_model_is_the_one_the_corpus_trains() -> None:
    """A corpus line added or a slice pinned without retraining fails here (train right after a slice's first run,
    never before it: the slice under test is never in the model)."""
    assert fb.main(["check"]) == 0


def test_it_answers_only_steps_of_the_chain_on_every_text_we_hold(model: fb.NgramModel) -> None:
    answers = {model.answer(template(t)) for t in corpus_texts()}
    said = {a[0] for a in answers if a is not None}
    assert said and said <= fb.ANSWERS
    assert not said & {"delivered", "available_for_pickup", "exception", "delivery_failed", "customs_held",
                        "return_started", "returned", "unknown"}


def test_it_speaks_only_where_everything_else_is_silent() -> None:
    clf = Classifier()
    got = clf.classify(GUESSED)
    assert (got.milestone, got.rule, got.confidence) == ("picked_up", "model", fb.CONFIDENCE)
    assert got.confidence < LOW_CONFIDENCE  # the text still lands in the staff queue
    off = Classifier(fallback=False).classify(GUESSED)
    assert (off.milestone, off.rule) == ("unknown", "")
    ruled = clf.classify("Die Sendung wurde im Paketzentrum bearbeitet")  # a rule reads it: the model never runs
    assert ruled.rule not in ("model", "")
    coded = clf.classify("Bestätigt", "DHL_PAKET", "aftership:Delivered_001")
    assert coded.rule != "model"


def test_a_staff_label_beats_the_model() -> None:
    clf = Classifier(local={(template(GUESSED), ""): "label_created"})
    assert (clf.classify(GUESSED).milestone, clf.classify(GUESSED).rule) == ("label_created", "staff")


@pytest.mark.parametrize("text", [
    "Falls das Paket vom Absender an uns übergeben wird",  # a condition
    "Paket vom Absender an uns nicht übergeben",  # a negation
    "Paket vom Absender an uns übergeben?",  # a question (after slice 28's run: '¿Ha recibido su paquete?')
])
def test_it_abstains_on_a_condition_a_negation_or_a_question(model: fb.NgramModel, text: str) -> None:
    assert model.answer(template(text)) is not None  # the model alone would guess
    got = Classifier(keywords=[]).classify(text)
    assert (got.milestone, got.rule) == ("unknown", ""), got


@pytest.mark.parametrize("text", ["qwerty zxcv", "@@@", "", "x"])
def test_it_abstains_on_what_it_does_not_know(model: fb.NgramModel, text: str) -> None:
    assert model.answer(template(text)) is None
    assert Classifier(keywords=[]).classify(text).rule == ""


def test_below_the_threshold_it_abstains(model: fb.NgramModel) -> None:
    probs = model.scores(template(GUESSED))
    assert model.answer(template(GUESSED)) == ("picked_up", probs["picked_up"])
    strict = fb.NgramModel(model.classes, model.prior, model.total, model.vocab, model.index, model.table,
                           threshold=min(1.0, probs["picked_up"] + 1e-9))
    assert strict.answer(template(GUESSED)) is None
    assert abs(sum(probs.values()) - 1.0) < 1e-9


def test_minus_is_training_without_those_rows() -> None:
    a = [("paket im zentrum sortiert", "in_transit"), ("paket im zentrum angekommen", "arrived_at_hub"),
         ("sendung vom absender ubergeben", "picked_up")]
    b = [("paket im zentrum verladen", "departed_hub"), ("sendung im zentrum sortiert", "in_transit")]
    both = fb.NgramModel.train(a + b, min_texts=1)
    only_a = fb.NgramModel.train(a, min_texts=1)
    less = both.minus(b)
    assert less.prior == only_a.prior and less.total == only_a.total
    width = len(both.classes)
    for g, row in only_a.index.items():
        assert list(less.table[both.index[g] * width:(both.index[g] + 1) * width]) == \
            list(only_a.table[row * width:(row + 1) * width]), g
    for g in set(both.index) - set(only_a.index):  # grams only b held are left with no count
        assert not any(less.table[both.index[g] * width:(both.index[g] + 1) * width]), g
    assert list(both.table) != list(less.table)  # the original is not changed
    assert both.prior != less.prior


def test_the_file_round_trips(tmp_path: Path) -> None:
    model = fb.shipped_full()
    assert model is not None
    path = tmp_path / "m.json.gz"
    model.write(path)
    again = fb.NgramModel.load(path)
    assert again.to_json() == model.to_json()
    assert again.answer(template(GUESSED)) == model.answer(template(GUESSED))


def test_the_compact_model_the_classifier_keeps_answers_as_the_full_one(model: fb.NgramModel) -> None:
    """shipped() keeps the grams as a sorted array of hashes (mem39): the same answer on every third text we hold,
    and it refuses what needs the gram names or the count table instead of answering from an empty one."""
    full = fb.shipped_full()
    assert full is not None and model.compacted and not full.compacted
    assert not model.index and not model.table
    texts = sorted({template(t) for t in corpus_texts()})[::3]
    assert [model.answer(t) for t in texts] == [full.answer(t) for t in texts]
    assert model.answer(template(GUESSED)) == ("picked_up", pytest.approx(full.scores(template(GUESSED))["picked_up"]))
    with pytest.raises(fb.FallbackError, match="compact"):
        model.minus([(template(GUESSED), "picked_up")])
    with pytest.raises(fb.FallbackError, match="compact"):
        model.to_json()


def _write(tmp_path: Path, obj: Any) -> Path:
    path = tmp_path / "bad.json.gz"
    path.write_bytes(gzip.compress(json.dumps(obj).encode()))
    return path


@pytest.mark.parametrize(("change", "says"), [
    (lambda o: o.update(format=9), "not a fallback model of format 2"),
    (lambda o: o.update(format=1, grams=o["grams"].split("\n")), "not a fallback model of format 2"),
    (lambda o: o.update(sizes=[1, 2]), "gram sizes"),
    (lambda o: o["classes"].__setitem__(0, "teleported"), "classes must be milestones, not ['teleported']"),
    (lambda o: o["prior"].pop(), "prior must be 16 non-negative integers"),
    (lambda o: o.update(vocab=0), "vocab must be a positive integer"),
    (lambda o: o.update(grams=o["grams"].rsplit("\n", 1)[0]), "table holds"),
    (lambda o: o.update(grams=["ab", "ab"]), "grams must be one string"),
    (lambda o: o.update(grams=o["grams"].replace("\n", "\n\n", 1)), "grams must be one string"),
    (lambda o: o.update(grams="\n".join([o["grams"].split("\n")[0]] * 2 + o["grams"].split("\n")[2:])),
     "grams must be one string of distinct"),
    (lambda o: o.update(table="not base64!"), "table is not base64"),
])
@pytest.mark.parametrize("compact", [False, True], ids=["full", "compact"])
def test_a_bad_model_file_is_refused_with_the_file_and_why(tmp_path: Path, change: Any, says: str,
                                                          compact: bool) -> None:
    small = fb.NgramModel.train([("paket sortiert", "in_transit"), ("paket sortiert heute", "in_transit"),
                                 ("paket zugestellt", "delivered")], min_texts=1)
    obj = small.to_json()
    change(obj)
    path = _write(tmp_path, obj)
    with pytest.raises(fb.FallbackError) as err:
        fb.NgramModel.load(path, compact=compact)
    assert str(path) in str(err.value) and says in str(err.value), str(err.value)


def test_a_file_that_is_not_gzipped_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.json.gz"
    path.write_bytes(b"PK\x03\x04 not a model")
    with pytest.raises(fb.FallbackError, match="not a gzipped JSON model"):
        fb.NgramModel.load(path)
    path.write_bytes(gzip.compress(base64.b64encode(b"{")))
    with pytest.raises(fb.FallbackError, match="not a gzipped JSON model"):
        fb.NgramModel.load(path)


def test_a_training_row_with_an_unknown_milestone_is_refused() -> None:
    with pytest.raises(fb.FallbackError, match="unknown milestone 'teleported'"):
        fb.NgramModel.train([("paket", "teleported")])


async def test_a_guess_never_clears_a_watch(env: Any) -> None:
    """An exception stays open when the model guesses a scan after it: a guess shows on the timeline, the desk's
    watch reads only rules, codes, keywords and staff labels."""
    svc = env.service
    tn = "JJD000390007786999"
    await svc.ingest(tn, "DHL Paket", [{"time": env.at(0), "text": "Paket beschädigt, Klärung erforderlich"}])
    assert env.raised(tn, "exception") == 1
    await svc.ingest(tn, "DHL Paket", [{"time": env.at(1), "text": GUESSED}])
    stored = env.store.read_sync(lambda tx: tx.one(
        "SELECT milestone, rule FROM tracking_events WHERE tracking_number = ? AND text = ?", (tn, GUESSED)))
    assert stored == {"milestone": "picked_up", "rule": "model"}
    assert "exception" in env.open_kinds(tn)
    assert env.cleared(tn, "exception") == 0


def test_the_leave_one_slice_out_report_covers_every_collected_slice() -> None:
    """`evaluate --fallback` from slice 26 on: one row per collected slice (no 27: never committed), then the sum."""
    from edge.tracking import corpus_eval as ce

    out = ce.fallback_by_slice(first=26)
    rows = [line.split("|")[1].strip() for line in out.splitlines()[2:]]
    assert rows == [str(n) for n in sorted(ce.SLICES) if n >= 26] + ["**all**"]
