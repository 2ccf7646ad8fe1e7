"""The composition root's parts: typed attributes, a failed optional part shown in /healthz and on the
dashboard (a short line, no traceback), a failed required part stopping the start with a clear message."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from edge.alerts.component import AlertsComponent
from edge.daemon import Daemon
from edge.instance import StartRefused
from edge.rules.component import RulesComponent
from edge.tracking.component import TrackingComponent
from edge.web.app import create_app
from tests.conftest import start_site
from tests.console.conftest import HTML, Console


async def test_every_part_is_an_attribute_with_its_own_type(site) -> None:
    d: Daemon = site.daemon
    assert isinstance(d.rules, RulesComponent) and isinstance(d.tracking, TrackingComponent)
    assert isinstance(d.alerts, AlertsComponent) and d.notify is not None and d.retention is not None
    assert d.cloud is None and d.timesync is None  # no cloud configured; the simulator's clock is right
    assert list(d.components) == ["rules", "tracking", "alerts", "notify", "retention"]
    assert d.failed_parts == {} and d.health()["failed_parts"] == {}


async def test_a_failed_optional_part_is_reported_in_healthz_and_on_the_dashboard(tmp_path: Path) -> None:
    data = tmp_path / "site"
    data.mkdir()
    (data / "tracking.json").write_text('{"tick_seconds": "often"}', encoding="utf-8")  # a broken settings file
    site = await start_site(data)
    try:
        d = site.daemon
        assert d.tracking is None and "tracking" in d.failed_parts
        assert "tick_seconds" in d.failed_parts["tracking"] and "Traceback" not in d.failed_parts["tracking"]
        assert "tracking" not in d.components and d.rules is not None  # the rest runs
        app = create_app(d)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
            health = (await c.get("/healthz")).json()
        assert health["status"] == "ok" and health["failed_parts"]["tracking"] == d.failed_parts["tracking"]
        console = Console(site, app)
        client, _ = await console.as_user("staff")
        zh = (await client.get("/", headers=HTML)).text
        line = re.search(r'id="failed-parts"[^>]*>([^<]+)<', zh)
        assert line and "物流跟踪" in line.group(1) and "tick_seconds" not in line.group(1)
        en = (await client.get("/?lang=en", headers=HTML)).text
        assert "Not running on this site: parcel tracking." in en and "Traceback" not in en
        anomalies = (await client.get("/anomalies", headers=HTML)).text  # the page says so, plainly
        assert anomalies.count("not available") + anomalies.count("不可用") >= 1
        await client.aclose()
    finally:
        await d.stop()


async def test_a_failed_required_part_stops_the_start_with_a_clear_message(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(self: RulesComponent) -> None:
        raise OSError("the rules could not read the holiday calendar")

    monkeypatch.setattr(RulesComponent, "start", broken)
    data = tmp_path / "site"
    with pytest.raises(StartRefused) as err:
        await start_site(data)
    msg = str(err.value)
    assert "The rules part could not start" in msg and "存放规则部分无法启动" in msg
    assert "holiday calendar" in msg and "Traceback" not in msg
    monkeypatch.undo()
    site = await start_site(data)  # everything was stopped and the data dir released: a retry starts
    try:
        assert site.daemon.rules is not None and site.daemon.failed_parts == {}
    finally:
        await site.daemon.stop()
