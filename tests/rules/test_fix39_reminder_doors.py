"""A grouped reminder names the doors (trial 2026-12-07c, point 8): "您有2件包裹待取（顺丰速运、京东物流），取件码 …"
said neither where the parcels were nor that the one code opens them all, where the first message said "已存入智能柜
A-01、A-05 格口". The reminder and the overdue message of several parcels now name every door, as the first
message does, in both languages."""

from __future__ import annotations

from typing import Any

import pytest


def _texts(site: Any, kind: str) -> list[str]:
    return [n["text"] for n in site.q("SELECT text FROM notifications WHERE kind = ? ORDER BY rowid", (kind,))]


def _parcels(site: Any, n: int, code: str = "8804558696") -> list[str]:
    return [site.add_parcel(code=code) for _ in range(n)]


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_reminder_of_three_parcels_names_their_three_doors(make_site: Any, lang: str) -> None:
    site = make_site(lang=lang)
    pids = _parcels(site, 3)
    doors = [site.parcel(p)["compartment_id"] for p in pids]
    site.advance(24)
    site.sweep()
    (text,) = _texts(site, "reminder")
    if lang == "zh-CN":
        assert (f"您有3件包裹待取（顺丰速运），存放在智能柜 {'、'.join(doors)} 格口，取件码 8804558696，"
                "输入一次即可打开全部柜门。") in text, text
    else:
        assert (f"you have 3 parcels waiting (SF Express) in lockers {doors[0]}, {doors[1]} and {doors[2]}. "
                "Pickup code 8804558696 opens all of them.") in text, text


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_overdue_message_of_two_parcels_names_their_doors(make_site: Any, lang: str) -> None:
    site = make_site(lang=lang)
    pids = _parcels(site, 2)
    doors = [site.parcel(p)["compartment_id"] for p in pids]
    for _ in range(10):
        site.advance(24)
        site.sweep()
        if _texts(site, "overdue"):
            break
    (text,) = _texts(site, "overdue")
    if lang == "zh-CN":
        assert f"您有2件包裹（顺丰速运）已超期未取，存放在智能柜 {doors[0]}、{doors[1]} 格口，请凭取件码" in text, text
    else:
        assert f"You have 2 overdue parcels (SF Express) in lockers {doors[0]} and {doors[1]}. Please collect" in text


def test_one_parcel_keeps_its_own_reminder(make_site: Any) -> None:
    site = make_site()
    _parcels(site, 1)
    site.advance(24)
    site.sweep()
    (text,) = _texts(site, "reminder")
    assert "提醒：您的包裹（顺丰速运 SF" in text and "全部柜门" not in text, text
