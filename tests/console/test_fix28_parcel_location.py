"""After a handover the parcel page showed an empty 位置 / Location row (trial of 2026-12-07, item 12): a parcel
that has left has no place now. The page says where it was collected from, door or shelf, in both languages."""

from __future__ import annotations

import html
import re

from tests.console.conftest import HTML


def _facts(page: str) -> dict[str, str]:
    rows = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>\s*<td[^>]*>(.*?)</td>", page, re.S)
    return {html.unescape(re.sub(r"<[^>]+>", "", k)).strip(): html.unescape(re.sub(r"<[^>]+>", "", v)).strip()
            for k, v in rows}


async def test_a_handed_over_locker_parcel_names_its_door(console) -> None:
    dep = await console.site.deposit("YT7700000000401", unit="3-203", tail="0203")
    pid, door = str(dep["parcel_id"]), str(dep["compartment"])
    client, csrf = await console.as_user("admin")
    before = _facts((await client.get(f"/parcels/{pid}", headers=HTML)).text)
    assert before.get("位置") == door, before
    r = await client.post(f"/parcels/{pid}/handed-over", data={"_csrf": csrf, "reason": "柜门卡住，用钥匙取出"})
    assert r.status_code == 303, r.text
    zh = _facts((await client.get(f"/parcels/{pid}", headers=HTML)).text)
    assert zh.get("状态", "").startswith("已取"), zh
    assert "位置" not in zh or zh["位置"], zh  # before: "位置" with nothing beside it
    assert zh.get("取件位置") == f"格口 {door}", zh
    en = _facts((await client.get(f"/parcels/{pid}?lang=en", headers=HTML)).text)
    assert en.get("Collected from") == f"door {door}", en
    assert "Location" not in en or en["Location"], en


async def test_a_collected_shelf_parcel_names_its_shelf(console) -> None:
    dep = await console.site.deposit("YT7700000000402", unit="3-201", tail="0201")
    pid = str(dep["parcel_id"])
    await console.daemon.store.write(lambda tx: tx.execute(
        "UPDATE parcels SET state = 'collected', compartment_id = NULL, shelf_slot = 'R1', closed_at = ? WHERE id = ?",
        (tx.ts, pid)))
    client, _ = await console.as_user("admin")
    zh = _facts((await client.get(f"/parcels/{pid}", headers=HTML)).text)
    assert zh.get("取件位置", "").endswith("R1") and "位置" not in zh, zh
    en = _facts((await client.get(f"/parcels/{pid}?lang=en", headers=HTML)).text)
    assert en.get("Collected from", "").endswith("R1") and "Location" not in en, en
