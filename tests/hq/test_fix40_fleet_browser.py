"""HQ's fleet page (`/`, edge/web/templates/hq/fleet.html) in Debian's Chromium against `lockerd hq serve` (real
PostgreSQL + Mosquitto), at a 390x844 phone and a 1280x800 tablet, in both languages (trial 2026-12-07e point 6: it
scrolled 280 px sideways at 390 px in English, its eight-column tables did not fold): no sideways scrolling, every
link a touch target of at least 44x44 px, no browser-side error.

Pictures (docs/screenshots/fix40/), only when asked as the other screenshot tests:
    LOCKERD_SCREENSHOTS=1 .venv/bin/python -m pytest -q -p no:randomly tests/hq/test_fix40_fleet_browser.py
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.hq.conftest import raw_words_on
from tests.hq.test_site_page import seed
from tests.screens import screenshots_dir

pytestmark = pytest.mark.browser

#: what a finger needs (WCAG 2.5.5's 44 px, as the console's phone layout)
TOUCH = 44

TARGETS_JS = r"""(touch) => {
  const bad = [];
  for (const el of document.querySelectorAll("a, button, input, select")) {
    if (!el.checkVisibility()) continue;
    const r = el.getBoundingClientRect();
    if (r.width < touch - 0.5 || r.height < touch - 0.5)
      bad.push(`"${el.textContent.trim().slice(0, 24)}" is ${Math.round(r.width)}x${Math.round(r.height)} px`);
  }
  return bad;
}"""


def _carriers(url: str) -> None:
    """A day's carrier figures of the seeded site, so that the carrier report's eight columns are on the page."""
    import json

    import psycopg

    kpis = {c: {"parcels": n, "first_scan_rate": 0.9, "on_time_rate": 0.8, "exception_rate": 0.05,
                "last_mile_failure_rate": 0.02, "avg_delay_days": 0.4, "anomalies": 2}
            for c, n in (("SF", 40), ("YTO", 25), ("JD", 12))}
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("INSERT INTO telemetry_daily (site, day, ts, doc) VALUES ('gardens-east', current_date, now(), %s)",
                  (json.dumps({"tracking_kpis": {"kpis": kpis}}),))


@pytest.mark.parametrize("size", [(390, 844), (1280, 800)], ids=["phone-390", "tablet-1280"])
def test_fleet_page_fits_phone_and_tablet(hq_tab: Any, hq_serve: Any, db_url: str, size: tuple[int, int]) -> None:
    hq = hq_serve().start()
    seed(db_url)
    _carriers(db_url)
    tab = hq_tab(hq, size)
    page = tab.page
    shots = screenshots_dir()
    problems: list[str] = []
    for lang in ("zh", "en"):
        tab.goto("/?lang=" + lang)
        assert page.locator(f'a[href="/sites/gardens-east?lang={lang}"]').count() >= 1
        wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if wide > 0:
            problems.append(f"{lang} at {size[0]} px: the page scrolls {wide} px sideways")
        problems += [f"{lang} at {size[0]} px: {b}" for b in page.evaluate(TARGETS_JS, TOUCH)]
        if lang == "zh":  # no raw code, English or half-width punctuation (the console's check, look42)
            problems += [f"zh at {size[0]} px: {w}" for w in raw_words_on(page, ["gardens-east", "other-site"])]
        if shots is not None:
            (shots / "fix40").mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / "fix40" / f"hq-fleet-{lang}-{size[0]}.png"), full_page=True)
    assert not problems, "\n".join(problems)
    assert tab.errors == []
