"""The trial of 2026-12-04 (docs/trial-2026-12-04.md): the "moved to the parcel room" and disposal messages gave the
bare number where the stored, reminder and overdue messages name the carrier ("顺丰速运 SF…"), the moved message
put the pickup code in brackets ("请凭取件码（9118288975）到前台领取") and gave no desk place, hours or phone though it
sends the resident to the desk."""

from __future__ import annotations

from typing import Any

import pytest

from tests.rules.test_disposal import door_seen, to_disposal_due

DESK = ("1号楼大堂", "Building 1 lobby", "08:00-20:00", "010-5555-0100")


def _texts(site: Any, kind: str) -> list[str]:
    return [n["text"] for n in site.q("SELECT text FROM notifications WHERE kind = ? ORDER BY rowid", (kind,))]


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
async def test_the_moved_message_names_the_carrier_and_the_desk(make_site: Any, lang: str) -> None:
    site = make_site(lang=lang)
    site.notifier.desk = site.engine.desk = DESK
    pid = site.add_parcel()
    site.advance(73)
    site.sweep()
    await site.service.move_to_parcel_room(pid, "R1", actor="staff:bo")
    door_seen(site, pid, "A-01", "opened", actor="staff:bo")
    (text,) = _texts(site, "moved")
    tn = site.parcel(pid)["tracking_number"]
    if lang == "zh-CN":
        assert f"您的包裹（顺丰速运 {tn}）已移至包裹室 R1 货架" in text, text
        assert "请凭取件码 1234567890 到前台领取（地点：1号楼大堂；时间：工作日 08:00-20:00；电话：010-5555-0100）。" in text, text
        assert "取件码（" not in text, text
    else:
        assert f"Your parcel (SF Express {tn}) has been moved to the parcel room, shelf R1." in text, text
        assert ("Collect it at the desk (Building 1 lobby; open 08:00-20:00 on working days; phone 010-5555-0100) with pickup code"
                " 1234567890.") in text, text


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
async def test_the_disposal_message_names_the_carrier(make_site: Any, lang: str) -> None:
    site = make_site(lang=lang)
    site.notifier.desk = site.engine.desk = DESK
    pid = site.add_parcel(compartment=None)
    site.store.write_sync(lambda tx: tx.execute("UPDATE parcels SET shelf_slot = 'R1' WHERE id = ?", (pid,)))
    to_disposal_due(site, pid)
    await site.service.dispose(pid, "return_to_sender", actor="staff:bo")
    (text,) = _texts(site, "disposal")
    tn = site.parcel(pid)["tracking_number"]
    want = f"（顺丰速运 {tn}）公示期已满" if lang == "zh-CN" else f"your parcel (SF Express {tn}) has ended"
    assert want in text, text
