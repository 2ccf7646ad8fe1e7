"""The trial of 2026-12-04 (docs/trial-2026-12-04.md), three parcels of one unit under one code: the English grouped
reminder said "Please collect it by 08 Dec 2026 20:00; after that it moves to the parcel room." for three parcels."""

from __future__ import annotations

from typing import Any


def _texts(site: Any, kind: str) -> list[str]:
    return [n["text"] for n in site.q("SELECT text FROM notifications WHERE kind = ? ORDER BY rowid", (kind,))]


def _three(site: Any) -> list[str]:
    pids = [site.add_parcel() for _ in range(3)]
    site.store.write_sync(lambda tx: tx.conn.executemany(
        "UPDATE parcels SET carrier = ? WHERE id = ?", list(zip(("SF", "ZTO", "JD"), pids, strict=True))))
    return pids


def test_the_english_grouped_reminder_speaks_of_them_not_it(make_site: Any) -> None:
    site = make_site(lang="en")
    _three(site)
    site.advance(24)
    site.sweep()
    (text,) = _texts(site, "reminder")
    assert "you have 3 parcels waiting" in text, text
    assert "Please collect them by 04 Jun 2026 09:00; after that they move to the parcel room." in text, text
    assert "collect it" not in text and "it moves" not in text, text


def test_a_single_english_reminder_keeps_it(make_site: Any) -> None:
    site = make_site(lang="en")
    site.add_parcel()
    site.advance(24)
    site.sweep()
    (text,) = _texts(site, "reminder")
    assert "Please collect it by 04 Jun 2026 09:00; after that it moves to the parcel room." in text, text
