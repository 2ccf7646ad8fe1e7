"""HQ's site page in Debian's Chromium (Playwright) against `lockerd hq serve` (real PostgreSQL + Mosquitto):
1366x768 and 390x844, both languages; no console errors, no sideways scrolling, and on the Chinese page no raw
code or English (the console tests' raw_words check). Writes docs/screenshots/hq-site-{zh,en}.png only when asked, as
the other screenshot tests (tests/screens.py): LOCKERD_SCREENSHOTS=1 .venv/bin/python -m pytest -q tests/hq/test_site_page_browser.py"""

from __future__ import annotations

from typing import Any

import pytest

from tests.hq.conftest import raw_words_on
from tests.hq.test_site_page import seed
from tests.screens import screenshots_dir


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)], ids=["desktop-1366", "phone-390"])
def test_site_page_in_chromium(hq_tab: Any, hq_serve: Any, db_url: str, size: tuple[int, int]) -> None:
    hq = hq_serve().start()
    seed(db_url)
    tab = hq_tab(hq, size)
    page = tab.page
    for lang in ("zh", "en"):
        tab.goto("/?lang=" + lang)
        page.click(f'a[href="/sites/gardens-east?lang={lang}"]')  # the fleet page links the site
        page.wait_for_url("**/sites/gardens-east*")
        assert page.locator("h1").inner_text() == ("东园小区（gardens-east）" if lang == "zh" else "东园小区 (gardens-east)")
        wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 0, f"{lang} at {size}: {wide} px sideways"
        if lang == "zh":
            assert raw_words_on(page, ["gardens-east"]) == []
            assert "物流长时间未更新" in page.inner_text("body")
        else:
            assert "Refused: the site's clock is not synchronised" in page.inner_text("body")
        shots = screenshots_dir()
        if size[0] == 1366 and shots is not None:
            page.screenshot(path=str(shots / f"hq-site-{lang}.png"), full_page=True)
    assert tab.errors == []
    tab.allow(404)  # (Chromium logs the 404 status itself)
    resp = page.goto(hq.url("/sites/nowhere?lang=zh"))
    assert resp is not None and resp.status == 404 and "没有这个站点" in page.inner_text("h1")


def test_the_hq_tab_catches_browser_errors(hq_tab: Any, hq_serve: Any) -> None:
    """The one console-error hook of the HQ browser tests (tests/hq/conftest.py `hq_tab`): a script error, a
    console error and an unasked-for 404 are each caught; a 404 asked for (`allow`) is not."""
    hq = hq_serve().start()
    tab = hq_tab(hq, (390, 844))
    tab.goto("/?lang=zh")
    assert tab.errors == []
    tab.page.evaluate("() => { console.error('boom'); setTimeout(() => { throw new Error('bang'); }); }")
    tab.page.goto(hq.url("/sites/nowhere"))
    tab.page.wait_for_timeout(200)
    caught = "\n".join(tab.errors)
    assert "boom" in caught and "bang" in caught and "404" in caught, tab.errors
    tab.errors.clear()
    tab.allow(404)
    tab.page.goto(hq.url("/sites/nowhere"))
    assert tab.errors == []
