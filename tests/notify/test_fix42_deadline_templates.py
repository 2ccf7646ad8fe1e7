"""`${deadline}` in an approved SMS template while the clock is not trusted (brief fix42 item 3).

fix41 made the "stored" message name no date while NTP has not vouched for the clock (a Pi boots with a stale clock),
but an approved Aliyun / Tencent template that names `${deadline}` was then sent with it empty ("请于  前取件"),
and reminders and notices never carried their date to a template at all. Decided: a free-text channel still sends
the code at once without a date (fix41), a template that needs the date holds the message until the clock is
right, when it is dated (the parcel's real deadline, computed on the right clock) and sent; the hold after a large
clock step counts as not trusted too; a reminder's and a notice's message carry the date their text tells.
Real daemon, Tencent's API and a webhook on loopback, the real rules sweep."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from edge.clock import SimClock, utc_iso
from edge.notify.channels import aliyun, tencent
from edge.notify.channels.base import NotForThisChannel
from edge.notify.config import AliyunSmsChannel, TencentSmsChannel
from edge.rules.clockguard import HOLD_KEY, ClockGuard
from edge.services import directory as D
from edge.services.unit_rows import UnitIn
from tests.conftest import start_site
from tests.notify.conftest import messages, wait_for
from tests.notify.receiver import Receiver
from tests.notify.test_merge_quiet import _settled
from tests.notify.test_providers import MSG, _secret
from tests.notify.test_sms_template_link import _ok_tencent

REAL = datetime(2026, 3, 4, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
UNDATED = type(MSG)(**{**MSG.__dict__, "deadline": None})


def _tencent_cfg(tmp_path: Path, url: str, **kw: Any) -> dict[str, Any]:
    return {"kind": "sms-tencent", "secret_id": "AKIDtest", "secret_key_file": _secret(tmp_path, "k", "tk3y"),
            "sdk_app_id": "1400000000", "sign_name": "阳光花园", "endpoint": url + "/",
            "templates": {"stored": "449739", "reminder": "449740", "overdue": "449741", "code_reissued": "449742"},
            "template_params_by_kind": {"stored": ["code", "tracking", "deadline"],
                                        "reminder": ["tracking", "code", "deadline"]}} | kw


def test_a_template_naming_the_deadline_refuses_a_message_without_one(tmp_path: Path) -> None:
    ch = tencent.TencentSms(TencentSmsChannel(**_tencent_cfg(tmp_path, "http://127.0.0.1:9")))
    with pytest.raises(NotForThisChannel, match="clock"):
        ch.request(UNDATED, "+8613812345678")
    _, body = ch.request(MSG, "+8613812345678")  # with its date: "2026-03-05 01:00" (UTC, no site zone here)
    assert json.loads(body)["TemplateParamSet"] == ["1234567890", "SF1234567890123", "2026-03-05 01:00"]
    # the common default list names deadline too, but a code_reissued message never has one: sent as before
    reissued = type(MSG)(**{**UNDATED.__dict__, "kind": "code_reissued"})
    assert json.loads(ch.request(reissued, "+8613812345678")[1])["TemplateParamSet"][2] == ""
    al = aliyun.AliyunSms(AliyunSmsChannel(kind="sms-aliyun", access_key_id="LTAI-test",
                                           access_key_secret_file=_secret(tmp_path, "ak", "s"), sign_name="阳光花园",
                                           templates={"stored": "SMS_1", "code_reissued": "SMS_2"},
                                           template_params_by_kind={"code_reissued": ["code", "tracking"]}))
    with pytest.raises(NotForThisChannel):
        al.template_param(UNDATED)  # no list for "stored": its template may name the deadline (the default)
    assert json.loads(al.template_param(reissued)) == {"code": "1234567890", "tracking": "SF1234567890123"}


async def _resident(site: Any) -> None:
    await site.daemon.store.write(lambda tx: D.upsert_unit_tx(tx, UnitIn(unit="2-502", phone="13912345678"),
                                                              actor="t", source="t"))


async def test_the_template_waits_for_the_clock_then_names_the_real_deadline(tmp_path: Path) -> None:
    srv = Receiver(_ok_tencent).start()
    clock = SimClock(start=REAL - timedelta(days=2))  # booted 2 days behind, NTP silent
    clock.synchronised = False
    site = await start_site(tmp_path / "site", clock, notify={"channels": [_tencent_cfg(tmp_path, srv.url)]})
    try:
        await _resident(site)
        dep = await site.deposit("SF1234567890101", unit="2-502", tail="5678")
        await _settled(site)
        (row,) = await messages(site)
        assert row["state"] == "pending" and row["deadline"] is None and "clock" in (row["last_error"] or "")
        assert srv.requests == []  # before the fix: TemplateParamSet ["…", "SF…", ""] went out at once
        clock.step(timedelta(days=2).total_seconds())  # NTP answers and steps the clock
        clock.synchronised = True
        rules = site.daemon.rules
        await rules.sweep()  # sees the step: the rules hold for staff to look, the clock is not trusted yet
        assert (await messages(site))[0]["deadline"] is None and srv.requests == []
        rules.guard.release("staff:admin")  # staff have looked (the Safety locks page)
        await site.daemon.store.write(ClockGuard.release_tx)
        await rules.sweep()  # dates the waiting message, due at once
        await _settled(site)
        await wait_for(lambda: srv.requests, what="the dated message")
        body = json.loads(srv.requests[0]["body"])
        # stored on 4 March (re-based to the real clock): the storage period's end, in Shanghai's time
        row = (await messages(site))[0]
        local = datetime.fromisoformat(row["deadline"].replace("Z", "+00:00")).astimezone(site.daemon.notifier.tz)
        assert body["TemplateParamSet"][2] == local.strftime("%Y-%m-%d %H:%M") and local.day > 4, body
        assert re.search(rf"请于{local.month}月{local.day}日 {local:%H:%M}前取件", row["text"]), row["text"]
        assert row["state"] == "sent" and len(srv.requests) == 1
        assert row["pickup_code"] == await site.code_of(dep["parcel_id"])
        # a reminder carries the date its text tells to the template
        for _ in range(3):
            clock.advance(24 * 3600)
            await site.daemon.rules.sweep()
            await _settled(site)
        reminders = [json.loads(r["body"]) for r in srv.requests if json.loads(r["body"])["TemplateId"] == "449740"]
        assert reminders, [json.loads(r["body"]) for r in srv.requests]
        said = next(r for r in await messages(site) if r["kind"] == "reminder")
        day = reminders[0]["TemplateParamSet"][2]
        assert day and f"{int(day[5:7])}月{int(day[8:10])}日 {day[11:]}前取件" in said["text"], (day, said["text"])
    finally:
        await site.daemon.stop()
        srv.stop()


async def test_a_free_text_channel_still_sends_the_code_at_once(tmp_path: Path, receiver: Receiver) -> None:
    """The template first, a webhook after it: the resident gets the code now, undated, by the webhook (fix41)."""
    srv = Receiver(_ok_tencent).start()
    clock = SimClock(start=REAL)
    clock.synchronised = False
    site = await start_site(tmp_path / "site", clock, notify={"channels": [
        _tencent_cfg(tmp_path, srv.url), {"kind": "webhook", "url": receiver.url + "/hook"}]})
    try:
        await _resident(site)
        await site.deposit("SF1234567890102", unit="2-502", tail="5678")
        await wait_for(lambda: receiver.bodies(), what="the webhook's message")
        (body,) = receiver.bodies()
        assert "deadline" not in body and "前取件" not in body["text"] and srv.requests == []
        clock.synchronised = True
        await site.daemon.rules.sweep()  # nothing left to date: it was delivered
        assert [r["state"] for r in await messages(site)] == ["sent"] and srv.requests == []
    finally:
        await site.daemon.stop()
        srv.stop()


async def test_the_hold_after_a_large_step_is_not_a_trusted_clock(tmp_path: Path, receiver: Receiver) -> None:
    clock = SimClock(start=REAL)
    site = await start_site(tmp_path / "site", clock, notify={"channels": [
        {"kind": "webhook", "url": receiver.url + "/hook"}]})
    try:
        end = utc_iso(clock.now() + timedelta(seconds=600))
        await site.daemon.store.write(lambda tx: tx.meta_set(HOLD_KEY, end))  # as the guard writes it after a step
        await site.deposit("SF1234567890103")
        await wait_for(lambda: receiver.bodies(), what="the stored message")
        assert "前取件" not in receiver.bodies()[0]["text"] and "deadline" not in receiver.bodies()[0]
        clock.advance(601)  # the hold has ended
        await site.deposit("JD0012345678901", unit="1-102", tail="5678")
        await wait_for(lambda: len(receiver.bodies()) == 2, what="the second stored message")
        assert "前取件" in receiver.bodies()[1]["text"] and receiver.bodies()[1]["deadline"]
    finally:
        await site.daemon.stop()
