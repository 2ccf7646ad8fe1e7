"""HQ's pages in 繁體 for an HQ user in Hong Kong (helper hant41; docs/decisions/0050-zh-hk-by-conversion.md): the
browser's Accept-Language (zh-HK, zh-TW, zh-MO, zh-Hant) or the pages' language switch (`?lang=zh-HK`) gives the
fleet page, a site's page, the 404 page and the sign-in page converted, with no simplified-only character left,
links keeping 繁體, and `?lang=` choosing over the browser. Real PostgreSQL (tests/hq's fixture); the Chromium test
runs `lockerd hq serve` with Mosquitto and writes docs/screenshots/hant41/ when LOCKERD_SCREENSHOTS=1."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cloudsync.hq.api import create_app
from edge import hant
from tests.hq.conftest import raw_words_on
from tests.hq.test_site_page import ASCII_WORD, RAW, _text, seed
from tests.i18n.test_hant_table import SIMPLIFIED_ONLY, assert_traditional
from tests.screens import screenshots_dir


def _client(db_url: str) -> TestClient:
    seed(db_url)
    client = TestClient(create_app(db_url, token="tok"))
    client.cookies.set("lockerd_hq", "tok")
    return client


def test_norm_reads_browser_tags_with_a_prefix_mode() -> None:
    """One list of language tags (edge.hant.norm) for the link page, the console and HQ."""
    for tag in ("zh-HK", "zh-TW", "zh-Hant", "zh-MO", "zh-Hant-TW", "zh-HK-u-nu-hanidec", "zh_TW"):
        assert hant.norm(tag, "", prefix=True) == hant.HK, tag
    for tag in ("zh", "zh-CN", "zh-Hans-SG", "zh-SG"):
        assert hant.norm(tag, "", prefix=True) == hant.CN, tag
    assert hant.norm("zh-Hant-TW", "") == ""  # without the prefix mode: a config's value, exactly
    assert hant.norm("fr-FR", "", prefix=True) == "" and hant.norm("en-GB", "", prefix=True) == "en"
    assert hant.accept_language("fr-FR,zh-TW;q=0.8,en;q=0.5") == hant.HK
    assert hant.accept_language("de, fr") is None


@pytest.mark.parametrize("header", ["zh-HK", "zh-TW,zh;q=0.9", "zh-Hant-HK", "zh-MO", "fr;q=1, zh-Hant;q=0.8"])
def test_hq_pages_in_traditional_chinese_by_accept_language(db_url: str, header: str) -> None:
    client = _client(db_url)
    h = {"accept-language": header}
    fleet = client.get("/", headers=h).text
    site = client.get("/sites/gardens-east", headers=h).text
    missing = client.get("/sites/nowhere", headers=h)
    for page in (fleet, site, missing.text):
        assert '<html lang="zh-HK">' in page
        assert_traditional(_text(page) + page.split("<title>", 1)[1].split("</title>", 1)[0])
    assert missing.status_code == 404 and "總部從未收到過這個站點的消息" in missing.text
    assert "總部 · 全部站點" in fleet and 'href="/sites/gardens-east?lang=zh-HK"' in fleet
    text = _text(site)
    for words in ("東園小區（gardens-east）", "在線", "物流長時間未更新", "站點拒絕：站點時鐘未同步", "住户消息（由總部發送）",
                  "尾號 1234"):
        assert words in text, words
    assert 'href="/?lang=zh-HK"' in site  # back to all sites, in 繁體
    # the switch: 簡體 and English, each in its own script
    assert 'href="/sites/gardens-east?lang=zh-CN">簡體</a>' in site and 'href="/sites/gardens-east?lang=en"' in site
    assert not RAW.search(text), RAW.search(text)
    assert {w for w in ASCII_WORD.findall(text) if w not in {"gardens", "east", "English"}} == set(), text
    login = client.get("/login", headers=h).text
    assert "總部登入" in login and 'action="/login"' in login
    assert_traditional(re.sub(r"<[^>]+>", " ", login))


def test_the_switch_chooses_over_the_browser(db_url: str) -> None:
    client = _client(db_url)
    en_browser = {"accept-language": "en-GB,en;q=0.9"}
    hk = client.get("/sites/gardens-east?lang=zh-HK", headers=en_browser).text
    assert "東園小區（gardens-east）" in hk and '<html lang="zh-HK">' in hk
    cn = client.get("/sites/gardens-east?lang=zh-CN", headers={"accept-language": "zh-HK"}).text
    assert "东园小区（gardens-east）" in cn and '<html lang="zh-CN">' in cn
    assert 'href="/sites/gardens-east?lang=zh-HK">繁體</a>' in cn
    en = client.get("/?lang=en", headers={"accept-language": "zh-HK"}).text
    assert "HQ · all sites" in en and 'href="/?lang=zh-HK">繁體</a>' in en and 'href="/?lang=zh">中文</a>' in en
    assert client.get("/?lang=zh-TW", headers=en_browser).text.count('<html lang="zh-HK">') == 1
    plain = client.get("/", headers={"accept-language": "zh-CN"}).text  # a mainland browser: as before
    assert "总部 · 全部站点" in plain and 'href="/sites/gardens-east?lang=zh"' in plain


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)], ids=["desktop-1366", "phone-390"])
def test_hq_in_traditional_chinese_in_chromium(hq_tab: Any, hq_serve: Any, db_url: str,
                                                size: tuple[int, int]) -> None:
    hq = hq_serve().start()
    seed(db_url)
    tab = hq_tab(hq, size, locale="zh-HK")
    page = tab.page
    shots = screenshots_dir()
    out = shots / "hant41" if shots is not None else None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    tag = f"{size[0]}x{size[1]}"

    def check(name: str) -> None:
        assert page.locator("html").get_attribute("lang") == "zh-HK"
        text = page.evaluate("() => document.body.innerText + ' ' + document.title")
        left = sorted({c for c in text if c in SIMPLIFIED_ONLY})
        assert left == [], f"{name}: simplified {left}"
        assert raw_words_on(page, ["gardens-east", "other-site"]) == [], name
        wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 0, f"{name} at {tag}: {wide} px sideways"
        if out is not None:
            page.screenshot(path=str(out / f"hq-{name}-zh-HK-{tag}.png"), full_page=True)

    tab.goto("/")  # no ?lang: the browser's zh-HK
    assert page.locator("h1").inner_text() == "總部 · 全部站點"
    check("fleet")
    page.click('a[href="/sites/gardens-east?lang=zh-HK"]')
    page.wait_for_url("**/sites/gardens-east*")
    assert page.locator("h1").inner_text() == "東園小區（gardens-east）"
    check("site")
    page.click('a[href="/sites/gardens-east?lang=zh-CN"]')  # the switch: 簡體
    assert page.locator("h1").inner_text() == "东园小区（gardens-east）"
    page.click('a[href="/sites/gardens-east?lang=zh-HK"]')  # and back to 繁體
    assert page.locator("h1").inner_text() == "東園小區（gardens-east）"
    assert tab.errors == []
