"""Trial42: after the upgrade of a year's database (the rules caught up on the first start), one resident got
"已在智能柜 B-26 格口存放24小时" and "…存放48小时" for the same parcel in the same second: a catch-up round owing a
parcel both reminders, before its overdue, sent both. Only the last one it owes is sent; the earlier is recorded
(its stage, timeline line and HQ event) as a late one is."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_round_owing_both_reminders_sends_the_second_only(make_site: Any, lang: str) -> None:
    site = make_site(lang=lang)
    pid = site.add_parcel()
    site.advance(50)  # the 24 h and 48 h reminders in one round, the overdue (72 h) still ahead
    site.sweep()
    texts = [(n["kind"], n["text"]) for n in site.q("SELECT kind, text FROM notifications ORDER BY rowid")]
    assert [k for k, _t in texts] == ["reminder"], texts
    assert ("48小时" if lang == "zh-CN" else "48 h") in texts[0][1] or "48" in texts[0][1], texts
    done = site.q("SELECT action FROM rule_actions WHERE parcel_id = ? ORDER BY action", (pid,))
    assert [r["action"] for r in done] == ["reminder:1", "reminder:2"]
    late = site.q("SELECT kind FROM parcel_log WHERE parcel_id = ? AND kind LIKE 'rules.reminder%' ORDER BY id", (pid,))
    assert [r["kind"] for r in late] == ["rules.reminder_late", "rules.reminder"]


def test_reminders_in_their_own_rounds_are_both_sent(make_site: Any) -> None:
    site = make_site(lang="en")
    site.add_parcel()
    site.advance(25)
    site.sweep()
    site.advance(24)
    site.sweep()
    assert [n["kind"] for n in site.q("SELECT kind FROM notifications ORDER BY rowid")] == ["reminder", "reminder"]
