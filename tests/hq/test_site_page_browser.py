"""HQ's site page in Debian's Chromium (Playwright) against `lockerd hq serve` (real PostgreSQL + Mosquitto):
1366x768 and 390x844, both languages; no console errors, no sideways scrolling, and on the Chinese page no raw
code or English (the console tests' raw_words check). Writes docs/screenshots/hq-site-{zh,en}.png only when asked, as
the other screenshot tests (tests/screens.py): LOCKERD_SCREENSHOTS=1 .venv/bin/python -m pytest -q tests/hq/test_site_page_browser.py"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import test_people
from tests.hq.test_site_page import seed
from tests.screens import screenshots_dir


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)], ids=["desktop-1366", "phone-390"])
def test_site_page_in_chromium(browser: Any, hq_serve: Any, db_url: str, size: tuple[int, int]) -> None:
    hq = hq_serve().start()
    seed(db_url)
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
    ctx.add_cookies([{"name": "lockerd_hq", "value": hq.token, "url": hq.url("/")}])
    page = ctx.new_page()
    errors: list[str] = []
    # the fleet page (edge/web/templates/hq/fleet.html, not this page) lets Chromium ask for /favicon.ico
    page.on("console", lambda m: errors.append(f"{m.location.get('url')}: {m.text}")
            if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        for lang in ("zh", "en"):
            page.goto(hq.url("/?lang=" + lang))
            page.click(f'a[href="/sites/gardens-east?lang={lang}"]')  # the fleet page links the site
            page.wait_for_url("**/sites/gardens-east*")
            assert page.locator("h1").inner_text() == ("东园小区（gardens-east）" if lang == "zh" else "东园小区 (gardens-east)")
            wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert wide <= 0, f"{lang} at {size}: {wide} px sideways"
            if lang == "zh":
                texts = [t for t in page.evaluate(test_people.TEXT_JS) if t.strip() != "English"]
                saved = test_people.CONFIGURED[:]
                test_people.CONFIGURED[:] = ["gardens-east"]
                try:
                    assert test_people.raw_words(texts) == []
                finally:
                    test_people.CONFIGURED[:] = saved
                assert "物流长时间未更新" in page.inner_text("body")
            else:
                assert "Refused: the site's clock is not synchronised" in page.inner_text("body")
            shots = screenshots_dir()
            if size[0] == 1366 and shots is not None:
                page.screenshot(path=str(shots / f"hq-site-{lang}.png"), full_page=True)
        assert errors == []
        resp = page.goto(hq.url("/sites/nowhere?lang=zh"))  # (Chromium logs the 404 status itself)
        assert resp is not None and resp.status == 404 and "没有这个站点" in page.inner_text("h1")
    finally:
        ctx.close()
