"""HQ's pages write a site's name with its id in the page's brackets (trial 2026-12-07d/e): "海景阁（harbour-view-court）"
on a Chinese page, full-width as Chinese text writes them; "Harbour View Court (harbour-view-court)" on an English
one. edge.glossary.qualified is the one place such names are composed. No database: the page functions alone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cloudsync.hq import page
from edge.glossary import qualified


def _site(**kw: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {"site": "harbour-view-court", "name": "海景阁", "online": True, "since": now, "last_seen": now,
            "red_anomalies": 1, "outbox_depth": 0, "version": "1.4.0", "telemetry": None, **kw}


def test_qualified_follows_the_language() -> None:
    assert qualified("海景阁", "Tower 2", "zh") == "海景阁（Tower 2）"
    assert qualified("海景阁", "Tower 2", "zh-CN") == "海景阁（Tower 2）"
    assert qualified("Harbour View Court", "Tower 2", "en") == "Harbour View Court (Tower 2)"


def test_fleet_page_site_names_in_the_pages_brackets() -> None:
    site = _site()
    command = {"site": "harbour-view-court", "site_name": "海景阁", "type": "telemetry.now", "data": {},
               "issued_at": datetime.now(UTC), "state": "queued", "result": None}
    for zh, want, wrong in ((True, "海景阁（harbour-view-court）", "海景阁 (harbour-view-court)"),
                            (False, "海景阁 (harbour-view-court)", "（harbour-view-court）")):
        html = page.fleet_page(zh=zh, summary={"sites": 1, "online": 1}, attention=[site], sites=[site],
                               commands=[command], carriers={})
        assert want in html, zh
        assert wrong not in html, zh
    assert page._named({"site": "x-1", "name": None}, zh=True) == "x-1"
