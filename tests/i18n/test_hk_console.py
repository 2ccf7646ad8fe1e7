"""The console's 繁體 (docs/decisions/0050-zh-hk-by-conversion.md) over HTTP: chosen with ?lang=zh-HK, remembered,
at an English-first site too; offered only by a site whose languages include zh-HK."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from edge.web.app import create_app
from tests.conftest import start_site
from tests.console.conftest import HTML, Console
from tests.i18n.test_hant_table import assert_traditional


def _lang(page: Any) -> str:
    m = re.search(r'<html lang="([^"]+)"', page.text)
    assert m, page.text[:200]
    return m.group(1)


def _text(page: Any) -> str:
    """The page's words: no tags, no language switch (简体 is named in its own script)."""
    body = re.sub(r"<script.*?</script>|<style.*?</style>", "", page.text, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body).replace("简体", "")


async def test_the_console_in_traditional_chinese_at_an_english_first_site(tmp_path: Path) -> None:
    s = await start_site(tmp_path / "site", site__locale="en", site__languages=["en", "zh-HK", "zh-CN"])
    try:
        await s.deposit("SF1234567890123")
        console = Console(s, create_app(s.daemon))
        client = console.client()
        login = await client.get("/login?lang=zh-HK")
        assert _lang(login) == "zh-HK" and "登入" in login.text, login.text[:300]
        assert_traditional(_text(login))
        client, _csrf = await console.as_user()
        for path in ("/?lang=zh-HK", "/", "/parcels", "/tasks/notice"):
            page = await client.get(path, headers=HTML)
            assert page.status_code == 200 and _lang(page) == "zh-HK", (path, page.status_code)
            assert_traditional(_text(page))
        grid = (await client.get("/api/v1/console/grid")).text
        assert "佔用" in grid and "占用" not in grid, grid[:300]  # the live grid's labels, converted
        assert _lang(await client.get("/?lang=en", headers=HTML)) == "en"
        assert _lang(await client.get("/?lang=zh", headers=HTML)) == "zh-CN"
    finally:
        await s.daemon.stop()


async def test_a_site_without_zh_hk_does_not_offer_it(tmp_path: Path) -> None:
    s = await start_site(tmp_path / "site")
    try:
        client, _csrf = await Console(s, create_app(s.daemon)).as_user()
        page = await client.get("/?lang=zh-HK", headers=HTML)
        assert _lang(page) == "zh-CN" and "繁體" not in page.text
    finally:
        await s.daemon.stop()


def test_form_values_and_links_keep_the_stored_script() -> None:
    """Converted, a field's value would be saved back in traditional script (a unit's 1号 as 1號, a note rewritten)
    and a link would look up a name that is not stored; the words around them are converted."""
    from edge.web.console.page import to_hk

    page = ('<html lang="zh-CN"><p>柜门</p><input name="name" value="王师傅"><textarea name="note">门有异响</textarea>'
            '<a href="/parcels?unit=1号">1号</a><form action="/units/1号"><option value="后门">后门</option></form>')
    out = str(to_hk(page))
    assert '<html lang="zh-HK">' in out and "<p>櫃門</p>" in out
    assert 'value="王师傅"' in out and ">门有异响</textarea>" in out and 'value="后门">後門</option>' in out
    assert 'href="/parcels?unit=1号">1號</a>' in out and 'action="/units/1号"' in out
