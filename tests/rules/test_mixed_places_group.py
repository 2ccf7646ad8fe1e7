"""One pickup code, parcels in the locker and on a parcel-room shelf (trial 2026-12-05 item 15): the sweep's group
key held "locker"/"shelf", so the resident got two reminders the same morning ("您有2件包裹待取…" and "您的包裹…已在
包裹室 R1 货架存放24小时") and two overdue messages. Now one message names both places, zh and en."""

from __future__ import annotations

from typing import Any

import pytest


def _texts(site: Any, kind: str) -> list[str]:
    return [n["text"] for n in site.q("SELECT text FROM notifications WHERE kind = ? ORDER BY rowid", (kind,))]


def _mixed(site: Any) -> list[str]:
    pids = [site.add_parcel(), site.add_parcel(), site.add_parcel(compartment=None)]
    site.store.write_sync(lambda tx: tx.execute("UPDATE parcels SET shelf_slot = 'R1', carrier = 'JD' WHERE id = ?",
                                                (pids[2],)))
    return pids


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_parcels_in_the_locker_and_on_a_shelf_under_one_code_get_one_reminder_and_one_overdue(
        make_site: Any, lang: str) -> None:
    site = make_site(lang=lang)
    pids = _mixed(site)
    site.advance(24)
    site.sweep()
    reminders = _texts(site, "reminder")
    assert len(reminders) == 1, reminders
    (text,) = reminders
    if lang == "zh-CN":
        assert "您有3件包裹待取（顺丰速运、京东物流），分别在智能柜 A-01、A-02 格口和包裹室 R1 货架，取件码 1234567890。" in text, text
        assert "智能柜中的包裹在柜机取，包裹室的包裹到前台领取" in text, text
        assert "请于6月4日 09:00前取件，逾期柜中的包裹将移至包裹室保管。" in text, text
    else:
        assert ("you have 3 parcels waiting (SF Express, JD Logistics) in lockers A-01 and A-02 and the parcel room,"
                " shelf R1. Pickup code 1234567890.") in text, text
        assert "Collect the ones in the locker at the kiosk and the one in the parcel room at the desk" in text, text
        assert "after that, whatever is still in the locker moves to the parcel room." in text, text
    assert all(site.done(p) == ["reminder:1"] for p in pids)
    for _ in range(4):
        site.advance(24)
        site.sweep()
        if all("overdue" in site.done(p) for p in pids):
            break
    overdue = _texts(site, "overdue")
    assert len(overdue) == 1, overdue
    (text,) = overdue
    if lang == "zh-CN":
        assert "您有3件包裹（顺丰速运、京东物流）已超期未取，分别在智能柜 A-01、A-02 格口和包裹室 R1 货架。" in text, text
        assert "请凭取件码 1234567890 尽快取件" in text, text
    else:
        assert "You have 3 overdue parcels (SF Express, JD Logistics) in lockers A-01 and A-02 and the parcel room," in text
        assert "with pickup code 1234567890" in text, text


def test_a_door_that_failed_keeps_its_own_message_beside_the_mixed_group(make_site: Any) -> None:
    site = make_site()
    pids = _mixed(site)
    site.store.write_sync(lambda tx: tx.execute(
        "INSERT INTO tasks (kind, parcel_id, compartment_id, title, created_at) VALUES ('pickup_failed', ?, 'A-01',"
        " 'hand it over', ?)", (pids[0], tx.ts)))
    site.advance(24)
    site.sweep()
    texts = _texts(site, "reminder")
    assert len(texts) == 2, texts
    (desk,) = [t for t in texts if "柜门未能打开" in t]
    (group,) = [t for t in texts if "您有2件包裹待取" in t]
    assert "分别在智能柜 A-02 格口和包裹室 R1 货架" in group, group
    assert "A-01" not in group and "A-01" not in desk
