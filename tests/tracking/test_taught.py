"""The staff-taught simulation (edge/tracking/taught.py, decision 0053): seeded streams, labels that act only after
the day they were given, and figures on tiny hand-made streams that match the arithmetic done by hand."""

from __future__ import annotations

import asyncio

from edge.tracking import taught as T
from edge.tracking.classify import Classifier

KNOWN = "Package picked up"  # the rules: picked_up, with confidence
ODD = "【杭州萧山】 快件已被 兔兔星球 暂扣 请联系 13812345678"  # nothing knows it
ODD2 = "【深圳宝安】 快件已被 兔兔星球 暂扣 请联系 13900001111"  # the same template
NEVER = "zzqx wobble fnord"  # nothing knows it either
ROWS = [
    {"text": KNOWN, "carrier": "SF", "milestone": "picked_up"},  # 0
    {"text": ODD, "carrier": "SF", "milestone": "exception"},  # 1
    {"text": NEVER, "carrier": "SF", "milestone": "customs_held"},  # 2
    {"text": ODD2, "carrier": "SF", "milestone": "exception"},  # 3: a folded variant of 1
]


def _rules_only() -> Classifier:
    """The rules and code tables without the keyword stage and the learned fallback: ODD and NEVER stay unknown."""
    return Classifier(keywords=[], fallback=False)


def _run(order: list[int], per_day: int, labels_per_day: int, rows: list[dict[str, str]] = ROWS) -> T.StreamRun:
    return asyncio.run(T.run_stream("hand", rows, order, _rules_only(), per_day, labels_per_day, keep_answers=True))


def test_the_stream_is_seeded_and_brings_new_texts_in_file_order() -> None:
    a = T.simon_order(40, 500, 0.1, seed=7)
    assert a == T.simon_order(40, 500, 0.1, seed=7)
    assert a != T.simon_order(40, 500, 0.1, seed=8)
    assert len(a) == 500 and a[0] == 0 and max(a) < 40
    firsts = list(dict.fromkeys(a))
    assert firsts == list(range(len(firsts)))  # each text first comes after every text before it in the file
    assert T.simon_order(3, 100, 0.9, seed=1).count(0) > 1  # a source runs out of new texts: repeats only
    assert T.stream_seed("karrioapi/karrio") == T.stream_seed("karrioapi/karrio") != T.stream_seed("other/repo")


def test_a_whole_simulation_gives_the_same_figures_twice() -> None:
    rows = [{"text": f"zzqx wobble {w}", "carrier": "SF", "milestone": "exception"} for w in
            ("alpha", "beta", "gamma", "delta", "epsilon")] + ROWS
    streams = [("one", rows), ("two", rows[::-1])]
    first = T.simulate(streams, lambda _n: _rules_only(), [(6, 1)], days=5, new_text=0.3)
    again = T.simulate(streams, lambda _n: _rules_only(), [(6, 1)], days=5, new_text=0.3)
    assert [(r.days, r.label_days, r.labels, r.corrected) for r in first[(6, 1)]] == \
        [(r.days, r.label_days, r.labels, r.corrected) for r in again[(6, 1)]]
    assert all(len(r.days) == 5 and r.total[0] == 30 for r in first[(6, 1)])


def test_a_label_given_on_day_d_first_acts_on_day_d_plus_one() -> None:
    # day 1: KNOWN, ODD, ODD; the staff label the top row (ODD, seen twice) at its end; day 2: ODD2, KNOWN, ODD
    run = _run([0, 1, 1, 3, 0, 1], per_day=3, labels_per_day=1)
    assert run.label_days == [1]
    by_day = {d: [(m, rule) for day, _t, m, rule in run.answers if day == d] for d in (1, 2)}
    assert by_day[1] == [("picked_up", "picked_up"), ("unknown", ""), ("unknown", "")]  # the teaching events: as read
    assert by_day[2] == [("exception", "staff"), ("picked_up", "picked_up"), ("exception", "staff")]  # a folded variant too
    assert run.days == [(3, 1), (3, 3)]


def test_the_figures_of_a_hand_made_stream_are_the_hand_computed_ones() -> None:
    # K = 5, M = 1. Day 1: ODD, NEVER, ODD, KNOWN, ODD2 -> only KNOWN right (1/5); the queue: ODD's template seen 3,
    # NEVER 1 -> ODD's template labelled `exception`.
    # Day 2: NEVER, ODD, NEVER, KNOWN, NEVER -> ODD and KNOWN right (2/5); NEVER now seen 4 -> labelled.
    # Day 3: ODD2, NEVER, KNOWN, NEVER, ODD -> all right (5/5). No labels after the last day.
    order = [1, 2, 1, 0, 3, 2, 1, 2, 0, 2, 3, 2, 0, 2, 1]
    run = _run(order, per_day=5, labels_per_day=1)
    assert run.days == [(5, 1), (5, 2), (5, 5)]
    assert (run.labels, run.corrected, run.label_days) == (2, 2, [1, 2])
    assert run.total == (15, 8)
    assert (run.wrong_queued, run.wrong_confident) == (7, 0)
    p = T.pool([run])
    assert p.per_day[1] == [5, 1] and p.per_day[2] == [5, 2] and p.per_day[8] == [0, 0]
    assert T.row("hand", p, 5, 1) == ("| hand (1 streams, 4 texts) | 5 | 1 | 20.0% | 40.0% | - | - | 53.3% | 2 (2) "
                                      "| 0 / 0 |")


def test_a_delivered_label_is_the_staffs_word_and_its_false_deliveries_are_counted_apart() -> None:
    # two texts of one template, one a collection, the other (the same words) a locker drop-off: the staff label the
    # first `delivered`; the second is then read `delivered` through the label, counted by_staff, not by_rules
    rows = [{"text": "qqv parcel gizmo 12", "carrier": "SF", "milestone": "delivered"},
            {"text": "qqv parcel gizmo 34", "carrier": "SF", "milestone": "available_for_pickup"}]
    run = _run([0, 0, 1, 1], per_day=2, labels_per_day=1, rows=rows)
    assert run.days == [(2, 0), (2, 0)]
    assert (run.false_by_rules, run.false_by_staff) == (0, 2)


def test_a_queue_row_whose_gold_is_unknown_is_passed_over_for_the_next() -> None:
    rows = [{"text": NEVER, "carrier": "SF", "milestone": "unknown"}, {"text": ODD, "carrier": "SF", "milestone": "exception"}]
    # day 1: NEVER twice (right: its gold is `unknown`), ODD once; NEVER tops the queue, ODD is labelled; day 2: all right
    run = _run([0, 0, 1, 0, 1, 1], per_day=3, labels_per_day=1, rows=rows)
    assert run.skipped == {(NEVER, "SF")}
    assert run.labels == 1 and run.days == [(3, 2), (3, 3)]
