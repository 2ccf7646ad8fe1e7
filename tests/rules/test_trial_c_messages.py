"""The storage rules' messages as a resident reads them (docs/trial-2026-12-03c.md): a reminder names the carrier
as the stored message did and says by when to collect (the overdue time, moved by a hold), in both languages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any


def _texts(site: Any, kind: str) -> list[str]:
    return [n["text"] for n in site.q("SELECT text FROM notifications WHERE kind = ? ORDER BY rowid", (kind,))]


def test_a_reminder_names_the_carrier_and_says_by_when(make_site: Any) -> None:
    zh = make_site()
    zh.add_parcel()  # stored Monday 1 June 09:00 Shanghai: overdue at 72 h, Thursday 4 June 09:00
    zh.advance(24)
    zh.sweep()
    (text,) = _texts(zh, "reminder")
    assert "（顺丰速运 SF" in text, text
    assert "请于6月4日 09:00前取件，逾期将移至包裹室保管。" in text, text
    zh.advance(48)
    zh.sweep()
    (overdue,) = _texts(zh, "overdue")
    assert "（顺丰速运 SF" in overdue, overdue


async def test_a_reminder_deadline_follows_a_hold_and_the_language(make_site: Any) -> None:
    en = make_site(lang="en")
    pid = en.add_parcel()
    await en.service.hold(pid, en.clock.now() + timedelta(hours=48), actor="staff:amy")
    en.advance(48 + 24)
    en.sweep()
    (text,) = _texts(en, "reminder")
    assert "(SF Express SF" in text, text
    assert "Please collect it by 06 Jun 2026 09:00; after that it moves to the parcel room." in text, text
