"""The trial of 2026-12-04 (docs/trial-2026-12-04.md): the simulator's clock moved past the 48 h reminder and the
overdue of three parcels of one unit under one code in one go (as a power cut would): one overdue message, but
three separate "your parcel … has been in locker A-01 for 48 h" reminders. The round's groups were keyed by parcel
alone, so the overdue group hid each parcel's reminder group."""

from __future__ import annotations

import json
from typing import Any

import pytest


def _texts(site: Any) -> list[tuple[str, str]]:
    return [(n["kind"], n["text"]) for n in site.q("SELECT kind, text FROM notifications ORDER BY rowid")]


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_catch_up_round_groups_each_kind(make_site: Any, lang: str) -> None:
    site = make_site(lang=lang)
    pids = [site.add_parcel() for _ in range(3)]
    site.advance(25)
    site.sweep()
    site.advance(60)  # the second reminder (48 h) and the overdue (72 h) fall due in the same round
    site.sweep()
    kinds = [k for k, _t in _texts(site)]
    # the second reminder fell due with the overdue: it would say "collect by" a time already past, so it is
    # recorded for each parcel but not sent; the overdue message goes out once for the three
    assert kinds == ["reminder", "overdue"], _texts(site)
    first = _texts(site)[0][1]
    assert ("您有3件包裹待取" if lang == "zh-CN" else "you have 3 parcels waiting") in first, first
    assert len(site.q("SELECT id FROM messages WHERE kind = 'reminder'")) == 1
    late = site.q("SELECT parcel_id FROM rule_actions WHERE action = 'reminder:2'")
    assert sorted(r["parcel_id"] for r in late) == sorted(pids)
    # records stay per parcel, each naming the one message of its kind
    rows = site.q("SELECT parcel_id, detail FROM rule_actions WHERE action = 'overdue'")
    assert sorted(r["parcel_id"] for r in rows) == sorted(pids)
    assert len({json.loads(r["detail"])["message"] for r in rows}) == 1, rows


def test_a_week_off_gives_one_message_per_kind(make_site: Any) -> None:
    site = make_site(lang="en")
    for _ in range(3):
        site.add_parcel()
    site.advance(days=7)  # both reminders and the overdue in one round
    site.sweep()
    kinds = [k for k, _t in _texts(site)]
    # both reminders are past their "collect by" time: recorded, not sent; one overdue message for the three
    assert kinds == ["overdue"], _texts(site)
    assert all("3 parcels" in t or "3 overdue parcels" in t for _k, t in _texts(site)), _texts(site)
