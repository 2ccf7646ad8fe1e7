"""Property: however often (or rarely) the sweep runs, each action is done once, at or after its due
time, with the same due times as a site that swept all along, and events come out in due order."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.rules.conftest import Site

CATS = st.sampled_from(["normal", "fresh", "medicine", "valuable", "oversize"])
parcels_st = st.lists(st.tuples(CATS, st.floats(0, 48), st.booleans()), min_size=1, max_size=6)
gaps_st = st.lists(st.floats(0.1, 24 * 9), min_size=1, max_size=8)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parcels=parcels_st, gaps=gaps_st)
def test_any_sweep_pattern_does_each_action_once(tmp_path_factory: Any, parcels: list[Any], gaps: list[float]) -> None:
    base = tmp_path_factory.mktemp("prop")
    total = sum(gaps)
    ref, odd = Site(base / "ref"), Site(base / "odd")
    try:
        for s in (ref, odd):
            t = 0.0
            for cat, offset, in_locker in sorted(parcels, key=lambda p: p[1]):
                s.advance(offset - t)
                t = offset
                s.add_parcel(category=cat, compartment="auto" if in_locker else None)
            s.sweep()
        for gap in gaps:
            odd.advance(gap)
            odd.sweep()
            odd.sweep()  # twice: never a repeat
        steps = int(total // 1) + 1
        for _ in range(steps):
            ref.advance(total / steps)
            ref.sweep()

        def acts(s: Site) -> list[tuple[str, str, str]]:
            rows = s.q("SELECT p.tracking_number, a.action, a.due_at, a.done_at FROM rule_actions a"
                       " JOIN parcels p ON p.id = a.parcel_id")
            for r in rows:
                assert r["done_at"] >= r["due_at"]
            return sorted((r["tracking_number"], r["action"], r["due_at"]) for r in rows
                          if r["action"] != "disposal_due")

        assert acts(odd) == acts(ref)
        due = [e["data"]["due_at"] for e in odd.events()]
        assert due == sorted(due)
        keys = [(e["data"]["parcel_id"], e["type"], e["data"].get("reminder")) for e in odd.events()]
        assert len(keys) == len(set(keys))
    finally:
        ref.close()
        odd.close()
