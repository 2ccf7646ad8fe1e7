"""The guard pass (edge/tracking/guard.py, ``READINGS``; ADR 0037): one ordered table of named readings, walked by
``reread`` in the stages word -> scene -> final. Sentences written for this test, none a corpus line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edge.tracking.classify import Classifier
from edge.tracking.guard import READINGS, Seen, final_reading, reread
from edge.tracking.rules import MILESTONES

_STAGES = ("word", "scene", "final")


def test_the_table_is_in_stage_order_with_one_name_per_answer_kind() -> None:
    order = [_STAGES.index(r.stage) for r in READINGS]
    assert order == sorted(order)
    seen: set[tuple[str, str, str]] = set()
    for r in READINGS:
        assert r.origins and r.origins <= {"rule", "code", "final"}, r.name
        assert r.milestones is None or r.milestones <= set(MILESTONES), r.name
        assert r.name.isidentifier() and not any(ch.isdigit() for ch in r.name), r.name  # a meaning, not a round
        for origin in r.origins:
            assert (r.stage, origin, r.name) not in seen, r.name
            seen.add((r.stage, origin, r.name))
    names = {r.name for r in READINGS}
    assert {"counter_delivery", "collection_expired", "waiting_at_point", "recorded_request"} <= names


def _texts() -> list[str]:
    root = Path(__file__).resolve().parent / "corpus"
    clf = Classifier()
    return [clf.template_of(json.loads(line)["text"]) for line in (root / "dev.jsonl").read_text("utf-8").splitlines()
            if line.strip()]


def test_no_reading_ever_returns_delivered() -> None:
    texts = _texts() + ["delivered to the counter", "holding period expired", "awaiting collection", "delivered"]
    for r in READINGS:
        for milestone in sorted(r.milestones or MILESTONES):
            origin = sorted(r.origins)[0]
            seen = Seen(milestone, "x", origin, text_rule="available_for_pickup")  # type: ignore[arg-type]
            for text in texts:
                assert r.read(text, seen) != "delivered", (r.name, milestone, text)


def test_a_rule_answer_is_read_by_its_word_then_the_scene() -> None:
    # the word: "will be delivered" is no delivery; the scene then reads the announced point
    assert reread("will be delivered to the access point", Seen("delivered", "delivered", "rule")) \
        == ("in_transit", "guard")
    # a refusal going back keeps its own rule name
    assert reread("delivery refused. shipment being returned", Seen("delivery_failed", "refused", "rule")) \
        == ("return_started", "refused_returning")
    # nothing to re-read
    assert reread("departed from facility", Seen("departed_hub", "departed", "rule")) is None


def test_a_collected_rule_is_not_read_by_the_scene() -> None:
    text = "your request was recorded. delivered to the customer"
    assert reread(text, Seen("delivered", "delivered", "rule")) == ("unknown", "guard")
    assert reread(text, Seen("delivered", "collected", "rule", collected=True)) is None


def test_a_delivered_code_beside_a_collected_rule_still_reads_a_wait_at_a_point() -> None:
    text = "liegt in der packstation zur abholung bereit"
    assert reread(text, Seen("delivered", "code", "code", collected=True, text_rule="delivered")) \
        == ("available_for_pickup", "guard")
    # ...but not the other readings (the recipient collected it, says the text)
    assert reread("your request was recorded", Seen("delivered", "code", "code", collected=True)) is None
    assert reread("your request was recorded", Seen("delivered", "code", "code")) == ("unknown", "guard")


def test_a_code_the_word_stage_re_read_is_not_read_again_by_the_scene() -> None:
    # waiting at a point (word) wins; the scene's "awaiting collection by the courier" would say label_created
    text = "wartet auf abholung, awaiting collection by the courier"
    assert reread(text, Seen("delivered", "code", "code")) == ("available_for_pickup", "guard")


@pytest.mark.parametrize(("text", "milestone", "rule", "want"), [
    ("holding period expired", "available_for_pickup", "x", "exception"),
    ("holding period expired, returned to sender", "in_transit", "x", "return_started"),
    ("if the holding period has expired the parcel goes back", "unknown", "", None),
    ("delivered to the branch", "delivered", "delivered", "available_for_pickup"),
    ("delivered to the branch", "delivered", "collected", None),
    ("delivered to the branch", "in_transit", "x", None),
    ("delivered to the branch for collection", "in_transit", "x", "available_for_pickup"),
])
def test_the_final_readings(text: str, milestone: str, rule: str, want: str | None) -> None:
    assert final_reading(text, milestone, rule) == want
