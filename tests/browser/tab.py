"""One browser tab for the UI tests: a fresh context that collects console errors, page errors and failed
requests, so every test fails on a browser-side error it did not ask for. Also the contrast arithmetic the
layout checks share (WCAG AA luminance, the first opaque background behind an element)."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Browser, Page, expect

#: JavaScript helpers, pasted at the top of a layout check's function body
CONTRAST_JS = r"""
  const lum = (c) => {
    const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map((v) => {
      v = Number(v) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const back = (el) => {
    for (; el; el = el.parentElement) {
      const c = getComputedStyle(el).backgroundColor;
      const m = c.match(/[\d.]+/g);
      if (m && (m.length < 4 || Number(m[3]) > 0.5)) return c;
    }
    return "rgb(255, 255, 255)";
  };
"""


class BrowserTab:
    """A tab in its own context (locale zh-CN unless told) that records every browser-side error."""

    def __init__(self, browser: Browser, server: Any, viewport: dict[str, int], locale: str = "zh-CN") -> None:
        self.server = server
        self.context = browser.new_context(viewport=viewport, locale=locale)
        self.page: Page = self.context.new_page()
        self.errors: list[str] = []
        self.allowed: set[int] = set()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        # ERR_ABORTED is a request cut short by our own navigation (a poll or an icon), not a failure
        self.page.on("requestfailed", lambda r: None if "ERR_ABORTED" in (r.failure or "")
                     else self.errors.append(f"request failed: {r.url} {r.failure}"))
        self.page.set_default_timeout(8000)

    def _console(self, m: Any) -> None:
        if m.type != "error":
            return
        found = re.search(r"status of (\d{3})", m.text)
        if found and int(found.group(1)) in self.allowed:
            return
        self.errors.append(f"console error: {m.text}")

    def allow(self, *statuses: int) -> None:
        """HTTP refusals a test provokes on purpose (the browser logs them as console errors)."""
        self.allowed.update(statuses)

    def goto(self, path: str) -> Page:
        self.page.goto(self.server.url + path)
        return self.page

    def fill_login(self, username: str, password: str) -> None:
        p = self.page
        p.fill("input[name=username]", username)
        p.fill("input[name=password]", password)
        p.click("button[type=submit]")
        expect(p.locator("#grid .cell").first).to_be_visible()

    def close(self) -> None:
        self.context.close()
        assert not self.errors, self.errors


def unbroken(text: str) -> re.Pattern[str]:
    """`text` as the kiosk shows it: a phone number's or the hours' hyphens carry a word joiner (U+2060),
    so "010-5555-0100" never breaks across two lines."""
    return re.compile("".join(re.escape(ch) + ("\u2060?" if ch == "-" else "") for ch in text))
