"""HQ tells the residents (ADR 0049): a site on the default `hq` channel commits a `notify.message` event with the
message it hands over, and `lockerd hq serve --notify FILE` sends it through the gateway the file names, once.

Real parts: Mosquitto and PostgreSQL on loopback (tests/hq/conftest.py), in-process site daemons, `lockerd hq
serve` as a subprocess, and a loopback server speaking Twilio's Messages API (tests/notify/receiver.py)."""

from __future__ import annotations

import asyncio
import dataclasses
import html
import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import jsonschema

from edge.clock import SimClock
from edge.services.directory import upsert_unit_tx
from edge.services.unit_rows import UnitIn
from tests.conftest import REPO, Site, start_site
from tests.hq.conftest import HqServe, q, until
from tests.notify.receiver import Receiver

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs/schemas/envelope.json").read_text())
PHONE = "+8613800001234"
PUBLIC = "https://lockers.example.cn"


async def hq_site(tmp: Path, name: str, broker_url: str, *, channels: list[dict[str, Any]] | None = None,
                  data_dir: Path | None = None, pubkey: Path | None = None, calendar: str = "CN") -> Site:
    """A simulated site with cloud sync on (no `[[notify.channels]]`: the default hq, then the simulator's list)."""
    notify: dict[str, Any] = {"merge_window_s": 0, "quiet_hours": "", "retry_first_s": 1, "retry_max_s": 2}
    if channels is not None:
        notify["channels"] = channels
    s = await start_site(data_dir or tmp / f"data-{name}", clock=SimClock(), site__id=name, site__public_url=PUBLIC, site__holiday_calendar=calendar, notify=notify,
                         cloud={"enabled": True, "broker": broker_url, "telemetry_interval_s": 3600,
                                "session_expiry_s": 86400, "command_pubkeys": [str(pubkey)] if pubkey else []})
    await s.daemon.store.write(lambda tx: upsert_unit_tx(tx, UnitIn(unit="1-101", phone=PHONE, lang="zh-CN"),
                                                         actor="test", source="test"))
    return s


async def message_rows(s: Site) -> list[dict[str, Any]]:
    return await s.daemon.store.read(lambda tx: tx.all("SELECT * FROM messages ORDER BY created_at, id"))


async def test_the_hq_channel_commits_the_message_for_hq_with_the_phone_text_and_link(tmp_path, hq_broker):
    """Before ADR 0049 the hq channel marked the message sent and committed nothing HQ could send it from."""
    s = await hq_site(tmp_path, "notify-site-a", hq_broker.url)
    try:
        await s.deposit("SF1400000000001")
        rows = await _wait_sent(s)
        assert rows[0]["channel"] == "hq"
        events = await _wait_events(s, "notify.message", 1)
        d = events[0]["data"]
        assert d["message_id"] == rows[0]["id"] and d["kind"] == "stored" and d["lang"] == "zh-CN"
        assert d["phone"] == PHONE and d["phone_tail"] == "1234" and d["unit"] == "1-101"
        assert d["tracking_number"] == "SF1400000000001"
        assert d["parcels"] and d["parcels"][0]["tracking_number"] == "SF1400000000001"
        code = d["pickup_code"]
        assert code and code == (await s.parcel(d["parcel_id"]))["pickup_code"]
        assert code in d["text"] and d["text"].startswith(rows[0]["text"])
        assert f"{PUBLIC}/p/" in d["text"] and d["pickup_link"].startswith(f"{PUBLIC}/p/")
        assert d["expires_at"] == rows[0]["expires_at"]
        envelope = {"id": "019a2b3c-0000-7000-8000-000000000001", "seq": events[0]["seq"], "stream": "s1",
                    "type": "notify.message", "ts": events[0]["ts"], "site": "notify-site-a", "data": d}
        jsonschema.validate(envelope, SCHEMA)  # the contract HQ is given (docs/schemas/envelope.json)
        # HQ's channels get the very message the site's own channel would have got (so each sends the same)
        from cloudsync.hq.notify import outgoing
        from edge.notify.channels.base import Outgoing
        from edge.notify.dispatcher import with_pickup_qr

        row = await s.daemon.store.read(lambda tx: tx.one(
            "SELECT m.*, u.phone AS phone, u.email AS email FROM messages m LEFT JOIN units u ON u.unit = m.unit"
            " WHERE m.id = ?", (d["message_id"],)))
        assert row is not None
        door = (await s.parcel(d["parcel_id"]))["compartment_id"]  # the link's page names it (fix40)
        here = with_pickup_qr(Outgoing.from_row(row, "Asia/Shanghai"), "notify-site-a", PUBLIC, compartment=door)
        assert d["country_code"] == "86"  # the site's calling code (holiday_calendar CN), for HQ's Twilio (fix40)
        assert outgoing(d) == dataclasses.replace(here, country_code="86") and outgoing(d).text_with_link() == d["text"]
        await asyncio.sleep(0.3)  # more passes of the dispatcher: still one event for the one message
        assert len(await s.events("notify.message")) == 1
    finally:
        await s.daemon.stop()


async def test_a_site_with_its_own_channel_first_emits_nothing_for_hq(tmp_path, hq_broker):
    s = await hq_site(tmp_path, "notify-site-own", hq_broker.url, channels=[{"kind": "sim"}, {"kind": "hq"}])
    try:
        await s.deposit("SF1400000000002")
        rows = await _wait_sent(s)
        assert rows[0]["channel"] == "sim"
        await asyncio.sleep(0.3)
        assert await s.events("notify.message") == []
    finally:
        await s.daemon.stop()


async def _wait_sent(s: Site, n: int = 1) -> list[dict[str, Any]]:
    for _ in range(200):
        rows = [r for r in await message_rows(s) if r["state"] == "sent"]
        if len(rows) >= n:
            return rows
        await asyncio.sleep(0.05)
    raise AssertionError(f"no sent message: {await message_rows(s)}")


async def _wait_events(s: Site, type_: str, n: int) -> list[dict[str, Any]]:
    for _ in range(200):
        ev = await s.events(type_)
        if len(ev) >= n:
            return ev
        await asyncio.sleep(0.05)
    raise AssertionError(f"no {type_} event")


# --- HQ sends them ---------------------------------------------------------------------------------------------
SID = "AC" + "0" * 32


class Twilio:
    """A loopback server speaking Twilio's Messages API: what each SMS said, to whom, with which idempotency token."""

    def __init__(self, delay_s: float = 0.0) -> None:
        self.delay_s = delay_s

        def answer(r: Receiver, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
            if self.delay_s:
                time.sleep(self.delay_s)
            return 201, json.dumps({"sid": "SM" + str(len(r.requests))}).encode()

        self.server = Receiver(answer).start()

    def sms(self) -> list[dict[str, str]]:
        with self.server.lock:
            reqs = list(self.server.requests)
        out = []
        for r in reqs:
            form = {k: v[0] for k, v in parse_qs(r["body"].decode()).items()}
            out.append({**form, "token": r["headers"].get("i-twilio-idempotency-token", ""), "path": r["path"]})
        return out

    def stop(self) -> None:
        self.server.stop()


def notify_file(tmp: Path, endpoint: str, name: str = "hq-notify.toml") -> Path:
    token = tmp / "twilio.token"
    token.write_text("tw-secret\n")
    f = tmp / name
    f.write_text(f"""# HQ's message gateway (docs/hq.md)
retry_first_s = 1
retry_max_s = 2

[[channels]]
kind = "sms-twilio"
name = "Twilio at HQ"
account_sid = "{SID}"
auth_token_file = "{token}"
from_number = "+15005550006"
endpoint = "{endpoint}"
""")
    return f


def with_notify(hq: HqServe, f: Path, instance: str | None = None) -> HqServe:
    hq.args += ["--notify", str(f)]
    if instance:
        hq.args[hq.args.index("--instance") + 1] = instance
    return hq


async def _online(hq: HqServe, site: str) -> None:
    await until(lambda: any(r["site"] == site and r["online"] for r in hq.api("GET", "/api/v1/sites").json()),
                what="site online at HQ")


async def _delivered(tw: Twilio, n: int, within: float = 60.0) -> list[dict[str, str]]:
    return await until(lambda: (got := tw.sms()) and len(got) >= n and got, within=within, what=f"{n} SMS at Twilio")


def _page(hq: HqServe, path: str, lang: str) -> str:
    r = hq.api("GET", path, params={"lang": lang})
    assert r.status_code == 200, r.text
    return html.unescape(r.text)


async def test_a_deposit_at_a_site_on_the_default_channel_reaches_the_resident_once_through_hq(
        tmp_path, hq_broker, hq_serve):
    tw = Twilio()
    hq = with_notify(hq_serve(), notify_file(tmp_path, tw.server.url)).start()
    s = await hq_site(tmp_path, "notify-e2e", hq_broker.url)
    try:
        await _online(hq, "notify-e2e")
        await s.deposit("SF1400000000011")
        sms = await _delivered(tw, 1)
        await asyncio.sleep(2.0)  # nothing more comes
        sms = tw.sms()
        assert len(sms) == 1
        rows = await message_rows(s)
        assert sms[0]["To"] == PHONE and sms[0]["From"] == "+15005550006"
        assert sms[0]["token"] == rows[0]["id"]
        code = rows[0]["pickup_code"]
        assert code and code in sms[0]["Body"] and f"{PUBLIC}/p/" in sms[0]["Body"]
        assert sms[0]["path"] == f"/2010-04-01/Accounts/{SID}/Messages.json"
        assert q(hq_db(hq), "SELECT state, channel, phone_tail FROM resident_messages") == [
            ("sent", "Twilio at HQ", "1234")]
        for lang, words in (("zh", "已发送（Twilio at HQ）"), ("en", "Sent (Twilio at HQ)")):
            page = _page(hq, "/sites/notify-e2e", lang)
            assert words in page and "尾号 1234" in page if lang == "zh" else "ending 1234" in page
            assert PHONE not in page and PHONE[3:] not in page and code not in page
        api = hq.api("GET", "/api/v1/sites/notify-e2e/messages").json()
        assert api["gateway"] is True and api["counts"]["sent"] == 1
        assert PHONE not in json.dumps(api) and code not in json.dumps(api)
    finally:
        await s.daemon.stop()
        tw.stop()


async def test_hq_twilio_sends_a_number_without_plus_with_the_sites_country_code(tmp_path, hq_broker, hq_serve):
    """fix40 (trial 07d): HQ's Twilio refused a Hong Kong resident's "9234 5678" ("needs the number in international
    form") where the site's own Twilio adds the site's calling code (trial39). The site's hq channel now says its
    country's code in the event (852 for holiday_calendar HK) and HQ's Twilio sends to +85292345678."""
    tw = Twilio()
    hq = with_notify(hq_serve(), notify_file(tmp_path, tw.server.url)).start()
    s = await hq_site(tmp_path, "notify-hk", hq_broker.url, calendar="HK")
    try:
        await s.daemon.store.write(lambda tx: upsert_unit_tx(tx, UnitIn(unit="12B", phone="9234 5678", lang="en"),
                                                             actor="test", source="test"))
        await _online(hq, "notify-hk")
        await s.deposit("SF1400000000031", unit="12B", tail="5678")
        sms = await _delivered(tw, 1)
        assert sms[0]["To"] == "+85292345678", sms
        assert q(hq_db(hq), "SELECT state FROM resident_messages") == [("sent",)]
    finally:
        await s.daemon.stop()
        tw.stop()


def hq_db(hq: HqServe) -> str:
    return hq.args[hq.args.index("--database") + 1]


async def test_hq_restarting_mid_way_and_the_site_resending_still_tell_each_resident_once(
        tmp_path, hq_broker, hq_serve, hq_keys):
    tw = Twilio(delay_s=0.4)  # a slow provider: the restart falls between sends
    hq = with_notify(hq_serve(), notify_file(tmp_path, tw.server.url)).start()
    s = await hq_site(tmp_path, "notify-restart", hq_broker.url, pubkey=hq_keys[2])
    try:
        await _online(hq, "notify-restart")
        for i in range(4):
            await s.deposit(f"SF14000000001{i}", unit="1-101")
        await _delivered(tw, 1)
        hq.stop()  # SIGTERM with messages still to send
        stopped_at = len(tw.sms())
        assert stopped_at < 4
        await s.deposit("SF1400000000120")  # while HQ is away: the broker keeps it for HQ's session
        hq.start()
        await _delivered(tw, 5)
        # the site reconnects and sends everything again: a resync from seq 1, then a restart of the site
        r = hq.api("POST", "/api/v1/sites/notify-restart/commands", json={"type": "resync", "data": {"from_seq": 1}})
        assert r.status_code == 202
        cmd = r.json()["id"]
        await until(lambda: hq.api("GET", f"/api/v1/commands/{cmd}").json()["state"] == "done", what="resync done")
        data_dir = s.data_dir
        await s.daemon.stop()
        s = await hq_site(tmp_path, "notify-restart", hq_broker.url, data_dir=data_dir, pubkey=hq_keys[2])
        await _online(hq, "notify-restart")
        await asyncio.sleep(3.0)
        sms = tw.sms()
        ids = [r["id"] for r in await message_rows(s)]
        assert len(sms) == 5 and sorted(m["token"] for m in sms) == sorted(ids)
        assert q(hq_db(hq), "SELECT state, count(*) FROM resident_messages GROUP BY state") == [("sent", 5)]
        assert q(hq_db(hq), "SELECT count(*) FROM events WHERE type = 'notify.message'") == [(5,)]
    finally:
        await s.daemon.stop()
        tw.stop()


async def test_two_hq_processes_with_two_workers_each_send_every_message_once(tmp_path, hq_broker, hq_serve):
    tw = Twilio(delay_s=0.05)
    f = notify_file(tmp_path, tw.server.url)
    a = with_notify(hq_serve(workers=2), f, "hq-a")
    b = with_notify(hq_serve(workers=2), f, "hq-b")
    b.token_file.write_text(a.token)  # one token file in tmp_path: both read the same one
    a.token = b.token = a.token
    a.start()
    b.start()
    s = await hq_site(tmp_path, "notify-two", hq_broker.url)
    try:
        await _online(a, "notify-two")
        for i in range(8):
            await s.deposit(f"JD00000000002{i}", unit="1-101")
        await _delivered(tw, 8)
        await asyncio.sleep(2.0)
        sms = tw.sms()
        assert len(sms) == 8 and len({m["token"] for m in sms}) == 8
        senders = q(hq_db(a), "SELECT instance FROM notify_senders ORDER BY 1")
        assert senders == [("hq-a",), ("hq-b",)]
    finally:
        await s.daemon.stop()
        tw.stop()


async def test_a_site_with_its_own_sms_channel_sends_once_and_hq_sends_nothing(tmp_path, hq_broker, hq_serve):
    tw_site, tw_hq = Twilio(), Twilio()
    token = tmp_path / "site-twilio.token"
    token.write_text("site-secret\n")
    hq = with_notify(hq_serve(), notify_file(tmp_path, tw_hq.server.url)).start()
    own = {"kind": "sms-twilio", "account_sid": SID, "auth_token_file": str(token), "from_number": "+15005550007",
           "endpoint": tw_site.server.url}
    s = await hq_site(tmp_path, "notify-own", hq_broker.url, channels=[own, {"kind": "hq"}])
    try:
        await _online(hq, "notify-own")
        await s.deposit("SF1400000000031")
        await _delivered(tw_site, 1)
        await asyncio.sleep(3.0)
        assert len(tw_site.sms()) == 1 and tw_site.sms()[0]["To"] == PHONE
        assert tw_hq.sms() == []
        assert q(hq_db(hq), "SELECT count(*) FROM resident_messages") == [(0,)]
        assert q(hq_db(hq), "SELECT count(*) FROM events WHERE site = 'notify-own' AND type = 'parcel.stored'") == [(1,)]
    finally:
        await s.daemon.stop()
        tw_site.stop()
        tw_hq.stop()


async def test_hq_without_a_gateway_keeps_the_messages_and_says_they_are_not_sent(tmp_path, hq_broker, hq_serve):
    hq = hq_serve().start()
    s = await hq_site(tmp_path, "notify-none", hq_broker.url)
    try:
        await _online(hq, "notify-none")
        await s.deposit("SF1400000000041")
        await until(lambda: q(hq_db(hq), "SELECT state FROM resident_messages") == [("pending",)],
                    what="the message kept at HQ")
        code = (await message_rows(s))[0]["pickup_code"]
        zh, en = _page(hq, "/sites/notify-none", "zh"), _page(hq, "/sites/notify-none", "en")
        assert "未发送：总部没有配置消息网关" in zh and "Not sent: HQ has no message gateway" in en
        assert "到件通知（含取件码）" in zh and "arrival (with the pickup code)" in en
        fzh, fen = _page(hq, "/", "zh"), _page(hq, "/", "en")
        assert "住户消息：1 条未发送，总部没有配置消息网关" in fzh
        assert "Residents' messages: 1 not sent, HQ has no message gateway" in fen
        for page in (zh, en, fzh, fen):
            assert PHONE not in page and code not in page and "no_gateway" not in page
    finally:
        await s.daemon.stop()


def _serve_with(tmp: Path, db_url: str, broker_url: str, notify: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "edge.cli.main", "hq", "serve", "--mqtt", broker_url, "--database",
                           db_url, "--http", "127.0.0.1:1", "--notify", str(notify)],
                          capture_output=True, text=True, timeout=60, cwd=REPO)


def test_a_bad_notify_file_is_refused_at_start_naming_the_file_line_and_key(tmp_path, db_url):
    inline = tmp_path / "inline.toml"
    inline.write_text(f"""[[channels]]
kind = "webhook"
url = "http://127.0.0.1:9/hook"

[[channels]]
kind = "sms-twilio"
account_sid = "{SID}"
auth_token = "written-inline"
auth_token_file = "{tmp_path / 'missing.token'}"
from_number = "+15005550006"
""")
    r = _serve_with(tmp_path, db_url, "mqtt://127.0.0.1:1", inline)
    assert r.returncode == 2, r.stderr
    assert str(inline) in r.stderr and "line 8, channels[1].auth_token: unknown key" in r.stderr
    site_kind = tmp_path / "hq-kind.toml"
    site_kind.write_text('[[channels]]\nkind = "hq"\n')
    r = _serve_with(tmp_path, db_url, "mqtt://127.0.0.1:1", site_kind)
    assert r.returncode == 2 and str(site_kind) in r.stderr and "line 1, channels[0]" in r.stderr
    assert "kind 'hq' cannot be used at HQ" in r.stderr
    no_secret = tmp_path / "no-secret.toml"
    no_secret.write_text(f"""[[channels]]
kind = "sms-twilio"
account_sid = "{SID}"
auth_token_file = "{tmp_path / 'missing.token'}"
from_number = "+15005550006"
""")
    r = _serve_with(tmp_path, db_url, "mqtt://127.0.0.1:1", no_secret)
    assert r.returncode == 2 and str(no_secret) in r.stderr and "line 1, channels[0] (sms-twilio)" in r.stderr
    assert "missing.token" in r.stderr
    assert "Traceback" not in r.stderr


def _event_row(site: str, seq: int, data: dict[str, Any]) -> Any:
    from cloudsync.hq.parse import Event

    return Event(site, "s1", seq, f"ev-{seq}", "notify.message", "2026-12-07T01:00:00.000Z", True, json.dumps(data))


async def test_a_provider_that_fails_is_retried_in_words_and_a_message_past_its_expiry_is_never_sent(
        tmp_path, db_url):
    import psycopg

    from cloudsync.hq import messagepage, notify

    failing = Receiver(lambda r, m, p, h, b: (500, b'{"code": 20500, "message": "down"}')).start()
    cfg = notify.load_notify_file(str(notify_file(tmp_path, failing.url)))
    soon = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    gone = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    base = {"kind": "stored", "lang": "zh-CN", "text": "【阳光花园】取件码 482913", "phone": PHONE, "phone_tail": "1234",
            "unit": "1-101"}
    with psycopg.connect(db_url) as c:
        assert notify.ingest(c, [_event_row("notify-x", 1, {**base, "message_id": "m-retry", "expires_at": soon}),
                                 _event_row("notify-x", 2, {**base, "message_id": "m-late", "expires_at": gone})]) == 2
        # the same message again (another stream after a restore, a second event): still one row
        assert notify.ingest(c, [_event_row("notify-x", 3, {**base, "message_id": "m-retry", "expires_at": soon})]) == 0
        c.commit()
    sender = notify.Sender(db_url, cfg, instance="hq-unit")
    channels = [notify.build_channel(ch) for ch in cfg.channels]
    for ch in channels:
        await ch.start()
    try:
        async with await psycopg.AsyncConnection.connect(db_url, autocommit=True) as conn:
            assert await sender.send_one(conn, channels) and await sender.send_one(conn, channels)
            assert not await sender.send_one(conn, channels)  # the retry is not due yet
    finally:
        for ch in channels:
            await ch.stop()
        failing.stop()
    rows = dict((r[0], r[1:]) for r in q(db_url, "SELECT id, state, attempts, last_error FROM resident_messages"))
    assert rows["m-late"] == ("failed", 0, "expired before HQ could send it")
    assert rows["m-retry"][:2] == ("pending", 1) and "Twilio answered HTTP 500" in rows["m-retry"][2]
    assert len(failing.requests) == 1  # the expired message was never sent late
    with psycopg.connect(db_url) as c:
        assert messagepage.fleet_lines(c, False)[0].startswith("Residents' messages: 1 not sent, HQ has no message")
        c.execute("INSERT INTO notify_senders (instance, channels) VALUES ('hq-unit', 'Twilio at HQ')")
        detail = messagepage.site_messages(c, "notify-x")
        assert messagepage.fleet_lines(c, True) == ["住户消息：过去 24 小时有 1 条发送失败，请到站点页面查看原因"]
    zh = messagepage.section(detail, True, str)
    en = messagepage.section(detail, False, str)
    states = {str(r[4]) for r in zh["rows"]}
    assert "发送失败：已过期，一直没有发出" in states
    assert "等待重试（上次：Twilio at HQ：Twilio 短信回复了 HTTP 500（错误 <code class=\"raw\">20500</code>））" in states
    en_states = {str(r[4]) for r in en["rows"]}
    assert "Failed: expired before HQ could send it" in en_states
    assert "Waiting to retry (last try: Twilio at HQ: Twilio answered HTTP 500 (error 20500))" in en_states
    assert all(PHONE not in " ".join(map(str, r)) and "482913" not in " ".join(map(str, r)) for r in zh["rows"])
    assert q(db_url, "SELECT name, value FROM metrics WHERE name LIKE 'messages_%%' ORDER BY 1") == [
        ("messages_failed", 1), ("messages_retried", 1)]
    # finished messages hold numbers and codes: forgotten after 30 days
    with psycopg.connect(db_url, autocommit=True) as c:
        c.execute("UPDATE resident_messages SET finished_at = now() - interval '31 days' WHERE id = 'm-late'")
        assert notify.prune(c) == 1
    assert q(db_url, "SELECT id FROM resident_messages") == [("m-retry",)]
