"""One list of language tags (edge.hant.norm, with a prefix mode for a browser's tags; helper hant41): the console,
the pickup link page and HQ pick 繁體 for zh-HK, zh-TW, zh-Hant and zh-MO alike."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from edge.web.app import create_app
from tests.conftest import start_site
from tests.console.conftest import HTML, Console


def _lang(text: str) -> str:
    m = re.search(r'<html lang="([^"]+)"', text)
    assert m, text[:200]
    return m.group(1)


async def test_the_console_reads_zh_tw_zh_hant_and_zh_mo_as_traditional(tmp_path: Path) -> None:
    s = await start_site(tmp_path / "site", site__languages=["zh-CN", "en", "zh-HK"])
    try:
        client, _csrf = await Console(s, create_app(s.daemon)).as_user()
        for tag in ("zh-HK", "zh-TW", "zh-Hant", "zh-MO", "zh_tw"):
            assert _lang((await client.get(f"/?lang={tag}", headers=HTML)).text) == "zh-HK", tag
            assert _lang((await client.get("/", headers=HTML)).text) == "zh-HK", tag  # remembered
            assert _lang((await client.get("/?lang=zh", headers=HTML)).text) == "zh-CN", tag
    finally:
        await s.daemon.stop()


@pytest.mark.parametrize(("accept", "lang"), [("zh-Hant-HK", "zh-HK"), ("zh-MO,zh;q=0.8", "zh-HK"),
                                              ("fr-FR, zh-Hant;q=0.5", "zh-HK"), ("zh-Hans-SG", "zh-CN"),
                                              ("de-DE, en;q=0.5", "en")])
async def test_the_link_page_reads_the_same_tags(accept: str, lang: str) -> None:
    from types import SimpleNamespace

    import httpx
    from fastapi import FastAPI

    from edge.config import SiteInfo
    from kiosk.pickup_page import router

    app = FastAPI()
    app.include_router(router)
    app.state.daemon = SimpleNamespace(config=SimpleNamespace(site=SiteInfo(id="s", languages=["zh-CN", "en"])))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://site.test") as client:
        page = (await client.get("/p/LKP1:s:1234567890?d=A-01", headers={"accept-language": accept})).text
    assert _lang(page) == lang
