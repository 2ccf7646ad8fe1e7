"""Resident messages that must match where the parcel really is (trial 2026-12-02b, "left").

A parcel whose door jammed at pickup can only be handed over at the desk: its reminder and overdue
message send the resident to the desk (with where, when and whom to call), not to the kiosk's code.
A parcel taken in at the desk is in the parcel room already: it is not told it will be moved there.
"""

from __future__ import annotations

from typing import Any

import pytest

from edge.store.db import Tx
from tests.rules.conftest import Site


def _jam(site: Site, pid: str) -> None:
    def fn(tx: Tx) -> None:
        tx.execute("INSERT INTO tasks (kind, parcel_id, compartment_id, title, created_at)"
                   " VALUES ('pickup_failed', ?, 'A-01', 'hand it over', ?)", (pid, tx.ts))
    site.store.write_sync(fn)


def _texts(site: Site, pid: str) -> dict[str, str]:
    return {n["kind"]: n["text"] for n in site.q("SELECT kind, text FROM notifications WHERE parcel_id = ?", (pid,))}


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_parcel_whose_door_jammed_is_sent_to_the_desk(make_site: Any, lang: str) -> None:
    s = make_site(lang=lang)
    s.engine.desk = ("1号楼大堂", "Building 1 lobby", "08:00-20:00", "021-5555 0100")
    jammed, fine = s.add_parcel(), s.add_parcel()
    _jam(s, jammed)
    s.advance(24)
    s.sweep()
    s.advance(48)  # a reminder caught up after the overdue time is not sent (it would name a past deadline)
    s.sweep()
    t = _texts(s, jammed)
    for kind in ("reminder", "overdue"):
        text = t[kind]
        assert "1234567890" in text and "08:00-20:00" in text and "021-5555 0100" in text, text
        if lang == "zh-CN":
            assert "前台" in text and "1号楼大堂" in text and "柜门未能打开" in text, text
            assert "尽快取件" not in text and "移至包裹室" not in text, text
        else:
            assert "desk" in text and "Building 1 lobby" in text and "did not open" in text, text
            assert "parcel room" not in text, text
    # a parcel whose door works is still told to use its code at the locker
    ok = _texts(s, fine)
    assert ("前取件" if lang == "zh-CN" else "Pickup code") in ok["reminder"]  # by when, since trial 20
    assert "前台" not in ok["reminder"] and "desk" not in ok["reminder"]


def test_no_desk_details_set_still_says_the_desk(site: Site) -> None:
    pid = site.add_parcel()
    _jam(site, pid)
    site.advance(24)
    site.sweep()
    text = _texts(site, pid)["reminder"]
    assert "请凭取件码 1234567890 到前台领取。" in text and "（" not in text.split("）", 1)[1], text


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_parcel_taken_in_at_the_desk_is_not_told_it_moves_to_the_parcel_room(make_site: Any, lang: str) -> None:
    s = make_site(lang=lang)
    s.notifier.policy_fn = s.policies.current
    shelf, locker = s.add_parcel(compartment=None), s.add_parcel()

    def fn(tx: Tx) -> None:
        for pid in (shelf, locker):
            p = tx.one("SELECT * FROM parcels WHERE id = ?", (pid,))
            assert p is not None
            s.notifier.send(tx, "stored", p, code="1234567890")
    s.store.write_sync(fn)
    at_desk, in_locker = _texts(s, shelf)["stored"], _texts(s, locker)["stored"]
    if lang == "zh-CN":
        assert "前到前台取件" in at_desk and "移至包裹室" not in at_desk and "前台" in at_desk, at_desk
        assert "逾期将移至包裹室保管" in in_locker, in_locker
    else:
        assert "by " in at_desk and "moves to the parcel room" not in at_desk and "desk" in at_desk, at_desk
        assert "moves to the parcel room" in in_locker, in_locker
