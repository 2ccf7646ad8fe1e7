"""The trial of 2026-12-04 (docs/trial-2026-12-04.md): the public-notice message of a parcel on a parcel-room shelf
said "请于12月31日 20:00前领取" without saying where or when the desk is open, though only the desk can give it
(the moved message before it says so). A parcel still in a locker is collected at the kiosk: no desk words."""

from __future__ import annotations

from typing import Any

import pytest

DESK = ("1号楼大堂", "Building 1 lobby", "08:00-20:00", "010-5555-0100")


def _notice(site: Any) -> list[str]:
    return [n["text"] for n in site.q("SELECT text FROM notifications WHERE kind = 'notice' ORDER BY rowid")]


def _shelved(site: Any) -> str:
    pid = site.add_parcel(compartment=None)
    site.store.write_sync(lambda tx: tx.execute("UPDATE parcels SET shelf_slot = 'R1' WHERE id = ?", (pid,)))
    return str(pid)


@pytest.mark.parametrize(("lang", "want"), [
    ("zh-CN", "前领取（地点：1号楼大堂；时间：工作日 08:00-20:00；电话：010-5555-0100），逾期将按规定处理"),
    ("en", " (Building 1 lobby; open 08:00-20:00 on working days; phone 010-5555-0100), or it will be"),
])
def test_a_shelf_parcels_notice_says_where_the_desk_is(make_site: Any, lang: str, want: str) -> None:
    site = make_site(lang=lang)
    site.notifier.desk = site.engine.desk = DESK
    _shelved(site)
    site.advance(days=22)
    site.sweep()
    (text,) = _notice(site)
    assert want in text, text


def test_three_shelf_parcels_get_one_notice_with_the_desk(make_site: Any) -> None:
    site = make_site(lang="en")
    site.notifier.desk = site.engine.desk = DESK
    for _ in range(3):
        _shelved(site)
    site.advance(days=22)
    site.sweep()
    (text,) = _notice(site)
    assert "3 of your parcels" in text and "(Building 1 lobby; open 08:00-20:00 on working days; phone 010-5555-0100), or they" in text, text


def test_a_locker_parcels_notice_has_no_desk_words(make_site: Any) -> None:
    site = make_site()
    site.notifier.desk = site.engine.desk = DESK
    site.add_parcel()
    site.advance(days=22)
    site.sweep()
    (text,) = _notice(site)
    assert "地点" not in text and "请于" in text, text
