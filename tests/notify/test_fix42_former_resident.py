"""A former resident's parcel (brief fix42 item 1; trial 2026-12-07g "Left"): the unit's resident changed after the
parcel was stored (the unit removed and a new resident imported, or a new phone tail), and its reminder, overdue
and public-notice messages went to the NEW resident's phone, naming the waybill. They now go to the contact the
parcel kept from the resident it was stored for; with that contact gone, nothing is sent and one staff task per
parcel says so in words, audited. Real daemon, real webhook on loopback (with the full phone, as an SMS gateway
gets it), the real rules sweep on the injected clock."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from edge.glossary import label
from edge.services import directory as D
from edge.services.unit_rows import UnitIn
from edge.web.app import create_app
from tests.conftest import Site, start_site
from tests.notify.conftest import messages, wait_for
from tests.notify.receiver import Receiver
from tests.notify.test_merge_quiet import _settled
from tests.security.conftest import client_for, console_login

OLD, NEW = "13912345678", "13987650101"
KINDS = ("reminder", "overdue", "notice")
#: the messages a former resident is owed after the first: the reminders, overdue, the move, the notice
TOLD = ("reminder", "overdue", "moved", "notice")


@pytest.fixture
async def phone_site(tmp_path: Path, receiver: Receiver) -> AsyncIterator[Site]:
    s = await start_site(tmp_path / "site", notify={"channels": [
        {"kind": "webhook", "url": receiver.url + "/hook", "send_phone": True}]})
    try:
        yield s
    finally:
        await s.daemon.stop()


async def _unit(site: Site, phone: str | None, unit: str = "2-502", lang: str | None = None) -> None:
    data = UnitIn(unit=unit, phone=phone, lang=lang) if phone else UnitIn(unit=unit, phone_tail="5678", lang=lang)
    await site.daemon.store.write(lambda tx: D.upsert_unit_tx(tx, data, actor="staff:admin", source="console"))


async def _remove(site: Site, unit: str = "2-502") -> None:
    await site.daemon.store.write(lambda tx: D.remove_unit_tx(tx, unit, actor="staff:admin"))


async def _until_notice(site: Site) -> None:
    """Days pass, the sweep runs each: the reminders and the overdue message fall due, staff move the overdue
    parcels to the parcel room (the "moved" message), and the public notice falls due."""
    for _ in range(40):  # 15 working days (the default policy) after storing
        site.clock.advance(24 * 3600)
        await site.daemon.rules.sweep()
        await _settled(site)
        store = site.daemon.store
        for (pid,) in await store.read(lambda tx: tx.conn.execute(
                "SELECT parcel_id FROM tasks WHERE kind = 'move_to_parcel_room' AND state = 'open'").fetchall()):
            out = await site.daemon.rules.service.move_to_parcel_room(pid, "R1", actor="staff:bo")
            await site.settle()
            await site.close(out["compartment"])
            await _settled(site)
        rows = await store.read(lambda tx: [r["action"] for r in tx.all("SELECT action FROM rule_actions")])
        if all(any(a.startswith(w) for a in rows) for w in KINDS):
            return
    raise AssertionError("the notice never fell due")


def _told(receiver: Receiver, tracking: str) -> list[tuple[str, str | None]]:
    return [(b["kind"], b.get("phone")) for b in receiver.bodies() if b.get("tracking_number") == tracking]


async def test_reminders_overdue_and_notice_go_to_the_former_resident(phone_site: Site, receiver: Receiver) -> None:
    site = phone_site
    await _unit(site, OLD)
    a = await site.deposit("SF1400000000004", unit="2-502", tail="5678")
    await wait_for(lambda: _told(receiver, "SF1400000000004"), what="the stored message")
    await _remove(site)  # moves out
    await _unit(site, NEW)  # a new resident moves in
    b = await site.deposit("SF1400000000005", unit="2-502", tail="0101")  # the new resident's own parcel
    await _until_notice(site)
    told = _told(receiver, "SF1400000000004")
    assert told[0] == ("stored", OLD)
    assert {k for k, _ in told[1:]} >= set(TOLD), told
    assert all(phone == OLD for _, phone in told), f"the new resident was told of the former one's parcel: {told}"
    assert {p for _, p in _told(receiver, "SF1400000000005")} == {NEW}  # theirs still go to them
    rows = [r for r in await messages(site) if r["parcel_id"] == a["parcel_id"]]
    assert len(rows) == len(told) and all(r["state"] == "sent" for r in rows)  # once each, none lost
    assert {r["former"] for r in rows if r["kind"] != "stored"} == {1}
    assert b["parcel_id"] != a["parcel_id"]
    audit = await site.daemon.store.read(lambda tx: tx.all("SELECT * FROM audit WHERE action = 'unit.former_parcels'"))
    assert len(audit) == 1 and json.loads(audit[0]["detail"]) == {"parcels": 1}
    assert "原住户" in label("event", "unit.former_parcels", "zh")


async def test_a_new_phone_tail_without_a_removal_is_a_new_resident_too(phone_site: Site, receiver: Receiver) -> None:
    site = phone_site
    await _unit(site, OLD)
    await site.deposit("SF1400000000006", unit="2-502", tail="5678")
    await _unit(site, NEW)  # the import gives the unit another resident's phone
    await _until_notice(site)
    told = _told(receiver, "SF1400000000006")
    assert len(told) >= 4 and {p for _, p in told} == {OLD}, told


async def test_the_same_resident_with_a_new_number_is_told_at_it(phone_site: Site, receiver: Receiver) -> None:
    site = phone_site
    await _unit(site, OLD)
    await site.deposit("SF1400000000007", unit="2-502", tail="5678")
    await _unit(site, "13700005678")  # same tail: the resident's new number
    await _until_notice(site)
    told = _told(receiver, "SF1400000000007")
    assert told[0] == ("stored", OLD) and {p for _, p in told[1:]} == {"13700005678"}, told


async def test_the_former_residents_language_is_kept(phone_site: Site, receiver: Receiver) -> None:
    site = phone_site
    await _unit(site, OLD, lang="en")
    await site.deposit("SF1400000000008", unit="2-502", tail="5678")
    await _remove(site)
    await _unit(site, NEW, lang="zh-CN")
    await _until_notice(site)
    texts = [b for b in receiver.bodies() if b.get("tracking_number") == "SF1400000000008"]
    assert texts and all(b["lang"] == "en" and b["phone"] == OLD for b in texts), texts


async def test_with_the_contact_gone_a_staff_task_instead(tmp_path: Path, receiver: Receiver) -> None:
    """No channel sends to phones, so the directory keeps no full number: the former resident cannot be reached, and
    their parcel's messages must not go to the new resident by the unit either. One task, nothing sent, audited."""
    site = await start_site(tmp_path / "site", notify={"channels": [{"kind": "webhook", "url": receiver.url + "/h"}]})
    try:
        await _unit(site, None)
        a = await site.deposit("SF1400000000009", unit="2-502", tail="5678")
        await wait_for(lambda: _told(receiver, "SF1400000000009"), what="the stored message")
        await _remove(site)
        await site.daemon.store.write(lambda tx: D.upsert_unit_tx(tx, UnitIn(unit="2-502", phone_tail="0101"),
                                                                    actor="staff:admin", source="console"))
        await _until_notice(site)
        assert [k for k, _ in _told(receiver, "SF1400000000009")] == ["stored"]
        rows = [r for r in await messages(site) if r["parcel_id"] == a["parcel_id"]]
        assert [r["kind"] for r in rows] == ["stored"]
        store = site.daemon.store
        tasks = await store.read(lambda tx: tx.all("SELECT * FROM tasks WHERE kind = 'former_resident'"))
        assert len(tasks) == 1 and tasks[0]["state"] == "open" and tasks[0]["parcel_id"] == a["parcel_id"]
        held = json.loads(tasks[0]["detail"])["held"]
        assert set(held) >= set(TOLD) and len(held) == len(set(held)), held
        withheld = await store.read(lambda tx: tx.all("SELECT * FROM audit WHERE action = 'notify.withheld'"))
        assert len(withheld) >= 5 and all(w["target"] == a["parcel_id"] for w in withheld)
        # the staff read it in words: the task list and the audit page in Chinese, no raw code
        client = client_for(create_app(site.daemon))
        await console_login(client, "admin", "admin-demo-pass")
        page = (await client.get("/tasks")).text
        assert "原住户的包裹：这户已换了住户，提醒没有发给现在的住户" in page and "SF1400000000009" in page
        assert "former_resident" not in re.sub(r"<[^>]+>", " ", page)
        audit = (await client.get("/audit")).text
        text = re.sub(r"<[^>]+>", " ", audit)
        assert "原住户的联系方式已不在" in text and "notify.withheld" not in text
    finally:
        await site.daemon.stop()
