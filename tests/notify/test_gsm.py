"""The gsm-modem channel against a modem emulator on a pty: text mode, UCS-2 for Chinese, long messages
concatenated, +CMS ERROR answers, a modem that stops answering, and a modem unplugged and plugged back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from drivers.emulators.modem import GsmModemEmulator
from drivers.protocols import sms
from edge.services.directory import upsert_unit_tx
from edge.services.unit_rows import UnitIn
from tests.conftest import Site, start_site
from tests.notify.conftest import messages, wait_for

PHONE = "13812345678"


@pytest.fixture
def modem(tmp_path: Path) -> Iterator[GsmModemEmulator]:
    (tmp_path / "modem").mkdir()
    emu = GsmModemEmulator(workdir=tmp_path / "modem").start()
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture
async def gsm_site(tmp_path: Path, modem: GsmModemEmulator) -> AsyncIterator[Site]:
    s = await start_site(tmp_path / "site", notify={"channels": [
        {"kind": "gsm-modem", "port": modem.url, "timeout_s": 1}]})
    await s.daemon.store.write(lambda tx: upsert_unit_tx(tx, UnitIn(unit="1-101", phone=PHONE), actor="t", source="t"))
    try:
        yield s
    finally:
        await s.daemon.stop()


def test_split_table() -> None:
    assert [p.charset for p in sms.split("Hello", 1)] == ["GSM"]
    assert sms.split("x" * 160, 1)[0].charset == "GSM" and len(sms.split("x" * 161, 1)) == 3  # 161 > 160: UCS-2 parts
    one = sms.split("您的包裹已到", 1)
    assert len(one) == 1 and one[0].dcs == 8 and one[0].payload == "60A87684530588F95DF25230"
    parts = sms.split("取" * 140, 7)
    assert len(parts) == 3 and all(p.first_octet == sms.FO_UDH for p in parts)
    assert [p.payload[:12] for p in parts] == ["050003070301", "050003070302", "050003070303"]
    emoji = sms.split("a" * 66 + "😀" + "b" * 10, 1)  # a surrogate pair never splits across parts
    assert "D83DDE00" in emoji[1].payload or "D83DDE00" in emoji[0].payload[-8:]
    assert sms.international("13812345678", "86") == "+8613812345678"
    assert sms.international("+447700900123", "86") == "+447700900123"


async def test_chinese_stored_message_arrives_whole(gsm_site: Site, modem: GsmModemEmulator) -> None:
    await gsm_site.deposit("SF1234567890123")
    await wait_for(lambda: modem.messages(), what="an SMS")
    number, text = modem.messages()[0]
    assert number == "+86" + PHONE
    row = (await messages(gsm_site))[0]
    assert text == row["text"] and "取件码" in text and row["state"] == "sent" and row["channel"] == "gsm-modem"
    assert len(text) > 70 and len(modem.st.sent) >= 2  # long Chinese: concatenated UCS-2 parts
    assert {p.charset for p in modem.st.sent} == {"UCS2"}
    assert 'AT+CMGF=1' in modem.commands and any(c.startswith('AT+CSCS="UCS2"') for c in modem.commands)


async def test_cms_error_is_retried(gsm_site: Site, modem: GsmModemEmulator) -> None:
    modem.cms_errors = [42]
    await gsm_site.deposit("SF1234567890124")
    await wait_for(lambda: _first(gsm_site, "last_error"), what="a failed attempt")
    row = (await messages(gsm_site))[0]
    assert row["state"] == "pending" and "+CMS ERROR 42" in row["last_error"] and "congestion" in row["last_error"]
    gsm_site.clock.advance(40)
    await wait_for(lambda: modem.messages(), what="the retry")
    await wait_for(lambda: _sent(gsm_site), what="sent")


async def test_a_silent_modem_then_recovery(gsm_site: Site, modem: GsmModemEmulator) -> None:
    modem.no_reply = True
    await gsm_site.deposit("SF1234567890125")
    await wait_for(lambda: _first(gsm_site, "last_error"), within=15, what="a timed-out attempt")
    assert not modem.messages()
    modem.no_reply = False
    gsm_site.clock.advance(40)
    await wait_for(lambda: modem.messages(), within=15, what="sent once the modem answers")
    await wait_for(lambda: _sent(gsm_site), what="sent")
    assert len(modem.messages()) == 1


async def test_unplugged_and_plugged_back(gsm_site: Site, modem: GsmModemEmulator) -> None:
    modem.vanish()
    await gsm_site.deposit("SF1234567890126")
    await wait_for(lambda: _first(gsm_site, "last_error"), within=15, what="a failed attempt")
    modem.reappear()
    modem.power_cycle()  # a USB modem that comes back has restarted: echo on, text mode off
    await asyncio.sleep(1.0)  # the bus reopens the port
    gsm_site.clock.advance(40)
    await wait_for(lambda: modem.messages(), within=15, what="sent after the replug")
    await wait_for(lambda: _sent(gsm_site), what="sent")
    assert modem.commands.count("AT+CMGF=1") >= 1


async def test_a_unit_without_a_phone_waits(gsm_site: Site, modem: GsmModemEmulator) -> None:
    await gsm_site.deposit("SF1234567890127", unit="2-502", tail="5678")
    await wait_for(lambda: _first(gsm_site, "last_error"), what="an attempt")
    row = (await messages(gsm_site))[0]
    assert row["state"] == "pending" and "no phone number" in row["last_error"]
    assert not modem.messages()


async def _first(site: Site, key: str) -> object:
    rows = await messages(site)
    return rows[0][key] if rows else None


async def _sent(site: Site) -> bool:
    rows = await messages(site)
    return bool(rows) and rows[0]["state"] == "sent"


async def test_garbage_from_the_modem_sends_once(gsm_site: Site, modem: GsmModemEmulator) -> None:
    """Line noise, an unsolicited RING and bytes that are not text between the commands (trial 2026-12-02):
    the message still goes out once, and nothing is left pending."""
    modem.inject_garbage(b"\xff\xfe\x00noise\r\nRING\r\n+CMTI: \"SM\",3\r\n\x1b[")
    await gsm_site.deposit("SF1234567890127")
    await wait_for(lambda: modem.messages(), within=15, what="an SMS despite the noise")
    await wait_for(lambda: _sent(gsm_site), within=15, what="sent")
    await asyncio.sleep(0.5)
    assert len(modem.messages()) == 1
