"""A storage-fee notice is not urgent (ADR 0043's rules, docs/notifications.md): the real sweep's notice due at
03:00 waits for the end of the quiet hours, unless the fee it announces starts before then. Before this change
every fee notice went at once, at 03:00 too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from edge.clock import SimClock, parse_iso
from edge.notify.timing import SendTiming, quiet_range
from tests.conftest import start_site
from tests.notify.conftest import messages, wait_for
from tests.notify.receiver import Receiver
from tests.notify.test_merge_quiet import SHANGHAI, _notify, _settled


def _policy(notice_hours: float) -> dict[str, Any]:
    return {"storage_fee": {"enabled": True, "free_hours": 48, "notice_hours": notice_hours}}


async def _fee_rows(tmp_path: Path, receiver: Receiver, *, stored_local: datetime, notice_hours: float,
                    ) -> tuple[Any, list[dict[str, Any]]]:
    site = await start_site(tmp_path / "site", SimClock(start=stored_local.astimezone(UTC)),
                            notify=_notify(receiver, merge_window_s=0), policy=_policy(notice_hours))
    await site.deposit("SF1234567890101")
    await wait_for(lambda: receiver.bodies(), what="the stored message")
    site.clock.advance((48 - notice_hours) * 3600 + 60)  # the sweep's fee notice is due
    await site.daemon.rules.sweep()
    return site, [r for r in await messages(site) if r["kind"] == "fee_notice"]


async def test_a_fee_notice_due_at_03_00_waits_for_08_00(tmp_path: Path, receiver: Receiver) -> None:
    # stored 15:00 on 1 March: the notice (12 h before the fee) is due 03:00 on 3 March, the fee starts 15:00
    site, rows = await _fee_rows(tmp_path, receiver, stored_local=datetime(2026, 3, 1, 15, 0, tzinfo=SHANGHAI),
                                 notice_hours=12)
    try:
        (row,) = rows
        assert parse_iso(row["next_at"]) == datetime(2026, 3, 3, 8, 0, tzinfo=SHANGHAI)
        await _settled(site)
        assert [b["kind"] for b in receiver.bodies()] == ["stored"]
        site.clock.advance(5 * 3600)  # 08:01
        await wait_for(lambda: "fee_notice" in [b["kind"] for b in receiver.bodies()], what="the fee notice at 08:00")
    finally:
        await site.daemon.stop()


async def test_a_fee_starting_before_the_morning_is_told_at_once(tmp_path: Path, receiver: Receiver) -> None:
    # stored 05:00 on 1 March, notice 2 h before: due 03:00 on 3 March for a fee from 05:00, before 08:00
    site, rows = await _fee_rows(tmp_path, receiver, stored_local=datetime(2026, 3, 1, 5, 0, tzinfo=SHANGHAI),
                                 notice_hours=2)
    try:
        (row,) = rows
        assert row["next_at"] == row["created_at"]
        await wait_for(lambda: "fee_notice" in [b["kind"] for b in receiver.bodies()], what="the fee notice at once")
    finally:
        await site.daemon.stop()


def test_the_fee_start_is_the_deadline_the_rule_weighs() -> None:
    timing = SendTiming(0, quiet_range("21:30-08:00"))
    night = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)  # 03:00 local
    morning = datetime(2026, 3, 3, 8, 0, tzinfo=SHANGHAI)
    assert timing.plan("fee_notice", night, SHANGHAI, mergeable=False) == morning
    assert timing.plan("fee_notice", night, SHANGHAI, mergeable=False, deadline=morning + timedelta(hours=7)) == morning
    assert timing.plan("fee_notice", night, SHANGHAI, mergeable=False, deadline=morning) == night  # at the end: now
