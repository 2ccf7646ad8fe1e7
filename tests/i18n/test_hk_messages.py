"""A zh-HK resident's messages (docs/decisions/0050-zh-hk-by-conversion.md): the pickup message and the reminder in
traditional Chinese, nothing simplified left; the SMS split into UCS-2 parts as its text counts."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from drivers.emulators.modem import GsmModemEmulator
from edge.config import SiteInfo
from edge.services.directory import upsert_unit_tx
from edge.services.unit_rows import UnitIn, norm_lang
from tests.conftest import start_site
from tests.i18n.test_hant_table import assert_traditional
from tests.notify.conftest import wait_for
from tests.rules.conftest import Site as RulesSite


@pytest.mark.parametrize("word", ["繁體中文", "繁体中文", "zh-HK", "zh-Hant", "粵語", "廣東話", "Cantonese", "zh_TW"])
def test_the_directory_reads_traditional_chinese_as_zh_hk(word: str) -> None:
    assert norm_lang(word) == "zh-HK"
    assert UnitIn(unit="1-101", lang=word).lang == "zh-HK"
    assert norm_lang("中文") == "zh-CN" and norm_lang("简体中文") == "zh-CN"


def test_site_languages() -> None:
    assert SiteInfo(id="a").language_list() == ["zh-CN", "en"]
    # a Hong Kong site offers 繁 by default; the first language stays the site's locale unless languages says
    assert SiteInfo(id="a", timezone="Asia/Hong_Kong").language_list() == ["zh-CN", "en", "zh-HK"]
    assert SiteInfo(id="a", holiday_calendar="HK").language_list()[-1] == "zh-HK"
    assert SiteInfo(id="a", languages=["zh-HK", "en", "zh"]).language_list() == ["zh-HK", "en", "zh-CN"]
    with pytest.raises(ValueError, match="unknown language"):
        SiteInfo(id="a", languages=["fr"])


def _messages(site: Any, kind: str) -> list[dict[str, Any]]:
    return site.q("SELECT lang, text FROM messages WHERE kind = ? ORDER BY rowid", (kind,))


def test_a_zh_hk_residents_reminder_is_traditional(tmp_path: Path) -> None:
    site = RulesSite(tmp_path, desk_hours="08:00-20:00")
    try:
        site.store.write_sync(lambda tx: tx.execute("UPDATE units SET lang = 'zh-HK' WHERE unit = '12-0304'"))
        site.add_parcel()
        site.add_parcel(unit="12-0501")  # a zh-CN neighbour keeps simplified Chinese
        site.advance(24)
        site.sweep()
        hk, cn = _messages(site, "reminder")
        assert hk["lang"] == "zh-HK" and cn["lang"] == "zh-CN", (hk, cn)
        assert "請於" in hk["text"] and "取件" in hk["text"] and "包裹" in hk["text"], hk
        assert_traditional(hk["text"])
        assert "请于" in cn["text"], cn
        # the local record (what the simulator lists) is the same text
        (rec,) = site.q("SELECT text FROM notifications WHERE kind = 'reminder' AND unit = '12-0304'")
        assert rec["text"] == hk["text"]
    finally:
        site.close()


async def _stored_sms(tmp_path: Path, lang: str | None, **site: Any) -> tuple[str, list[Any], str]:
    (tmp_path / "modem").mkdir()
    modem = GsmModemEmulator(workdir=tmp_path / "modem").start()
    try:
        s = await start_site(tmp_path / "site", site__holiday_calendar="HK", site__timezone="Asia/Hong_Kong",
                             **site, notify={"channels": [{"kind": "gsm-modem", "port": modem.url, "timeout_s": 1}]})
        try:
            await s.daemon.store.write(lambda tx: upsert_unit_tx(
                tx, UnitIn(unit="1-101", phone="9234 5678", lang=lang), actor="t", source="t"))
            await s.deposit("SF1234567890123")
            await wait_for(lambda: modem.messages(), what="an SMS")
            stored = await s.daemon.store.read(lambda tx: tx.one("SELECT lang, text FROM messages WHERE kind = 'stored'"))
            return str(modem.messages()[0][1]), list(modem.st.sent), str(stored["lang"] if stored else "")
        finally:
            await s.daemon.stop()
    finally:
        modem.stop()


async def test_a_zh_hk_residents_pickup_message_goes_as_traditional_ucs2(tmp_path: Path) -> None:
    text, parts, lang = await _stored_sms(tmp_path, "繁體中文")
    assert lang == "zh-HK"
    assert "取件碼" in text and "櫃" in text and "請於" in text, text
    assert_traditional(text)
    # UCS-2: 70 characters in one part, else 67 a part behind the concatenation header
    n = len(text.encode("utf-16-be")) // 2
    assert len(parts) == (1 if n <= 70 else math.ceil(n / 67)), (n, len(parts))
    assert all(p.charset == "UCS2" and p.dcs == 8 for p in parts)


async def test_a_site_whose_first_language_is_zh_hk_writes_traditional_to_the_unknown(tmp_path: Path) -> None:
    text, _parts, lang = await _stored_sms(tmp_path, None, site__languages=["zh-HK", "en", "zh-CN"])
    assert lang == "zh-HK"
    assert_traditional(text)
    assert "取件碼" in text, text


def test_the_channels_own_words_are_traditional_for_zh_hk() -> None:
    """The pickup link's sentence, the e-mail's subject and QR hint: added by the channel, converted too."""
    from email import message_from_bytes
    from email.message import EmailMessage
    from email.policy import default

    from edge import hant
    from edge.notify.channels.base import Outgoing
    from edge.notify.channels.smtp import Smtp
    from edge.notify.config import SmtpChannel
    from edge.notify.dispatcher import with_pickup_qr

    text = hant.convert("【阳光花园】您的包裹（顺丰速运 SF1234567890123）已存入智能柜 A-07 格口，取件码 1234567890。")
    msg = with_pickup_qr(Outgoing(id="0190d3c4-0000-7000-8000-000000000002", kind="stored", lang="zh-HK", text=text,
                                  unit="1-101", tracking_number="SF1234567890123", pickup_code="1234567890",
                                  email="r@site.test"), "sunny", "https://lockers.example.cn")
    sms = msg.text_with_link()
    assert "點開連結顯示取件二維碼" in sms and sms.endswith("https://lockers.example.cn/p/LKP1:sunny:1234567890"), sms
    assert_traditional(sms)
    ch = Smtp(SmtpChannel(kind="smtp", host="127.0.0.1", port=25, starttls=False, from_addr="lockers@site.test"))
    back = message_from_bytes(ch.build(msg).as_bytes(), policy=default)
    assert isinstance(back, EmailMessage)
    assert back["Subject"] == "您的包裹已到"
    html = back.get_body(("html",))
    assert html is not None and 'alt="取件二維碼"' in html.get_content()
    assert_traditional(str(back["Subject"]) + html.get_content())


@pytest.mark.parametrize(("langs", "hk"), [(["zh-HK", "en", "zh-CN"], True), (["zh-CN", "en", "zh-HK"], False)])
async def test_the_pickup_link_page_is_traditional_where_the_site_writes_it_first(langs: list[str], hk: bool) -> None:
    from types import SimpleNamespace

    import httpx
    from fastapi import FastAPI

    from kiosk.pickup_page import router

    app = FastAPI()
    app.include_router(router)
    app.state.daemon = SimpleNamespace(config=SimpleNamespace(site=SiteInfo(id="s", languages=langs)))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://site.test") as client:
        page = (await client.get("/p/LKP1:s:1234567890")).text
    assert ("在櫃機前，把這個二維碼對準掃碼口" in page) is hk
    assert ('<html lang="zh-HK">' in page) is hk
    if hk:
        assert_traditional(page)


@pytest.mark.parametrize(("accept", "hk"), [("zh-HK,zh;q=0.9", True), ("zh-TW", True), ("zh-CN,zh;q=0.9", False),
                                            ("en-GB,en;q=0.8", False)])
async def test_the_pickup_link_page_follows_a_phone_set_to_traditional(accept: str, hk: bool) -> None:
    """fix40 made the page follow the phone's language; a phone set to traditional Chinese reads it converted, at any
    site (merge of fix40 and hant40)."""
    from types import SimpleNamespace

    import httpx
    from fastapi import FastAPI

    from kiosk.pickup_page import router

    app = FastAPI()
    app.include_router(router)
    app.state.daemon = SimpleNamespace(config=SimpleNamespace(site=SiteInfo(id="s", languages=["zh-CN", "en"])))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://site.test") as client:
        page = (await client.get("/p/LKP1:s:1234567890?d=A-01", headers={"accept-language": accept})).text
    assert ('<html lang="zh-HK">' in page) is hk and ("櫃門：A-01" in page) is hk
    if hk:
        assert_traditional(page)
