"""Screenshots of the in-transit board (1366x768 and 390x844), the parcel page with its ETA and the
complaint dossier, in Chinese and English, from an in-process site seeded with sample waybills.

Regenerate docs/screenshots/transit-*.png with:
    LOCKERD_SCREENSHOTS=1 .venv/bin/pytest tests/browser/test_transit_screens.py
Without the variable the pictures go to a temporary directory and the repository is left alone.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.conftest import free_port, start_site
from tests.screens import screenshots_or
from tests.tracking.seed import seed_board

pytestmark = pytest.mark.browser



class SiteThread:
    """A seeded site and its web server on a loopback port, in a thread with its own event loop."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ready = threading.Event()
        self.tns: dict[str, str] = {}
        self.pid = ""
        self.error: BaseException | None = None
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)

    async def _main(self) -> None:
        import uvicorn

        from edge.web.app import create_app

        try:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            site = await start_site(self.data_dir)
            d = site.daemon
            self.tns = await seed_board(d)
            self.pid = str(d.store.read_sync(lambda tx: tx.scalar(
                "SELECT id FROM parcels WHERE tracking_number = ?", (self.tns["moving"],))))
            from edge.tracking import dossier as D

            await d.store.write(lambda tx: D.file_complaint(
                tx, self.tns["dnh"], d.tracking.settings, channel="carrier_complaint",
                reference="SF-TS-20260302-0815", said="顺丰客服受理，承诺 48 小时内回复", actor="staff"))
            server = uvicorn.Server(uvicorn.Config(create_app(d), host="127.0.0.1", port=self.port,
                                                   log_level="warning", lifespan="off"))
            task = asyncio.create_task(server.serve())
            while not server.started:  # noqa: ASYNC110 (uvicorn has no started event)
                await asyncio.sleep(0.05)
            self.ready.set()
            await self._stop.wait()
            server.should_exit = True
            await task
            await d.stop()
        except BaseException as exc:  # surfaced to the test
            self.error = exc
            self.ready.set()

    def start(self) -> None:
        self.thread.start()
        assert self.ready.wait(30), "site did not start"
        if self.error:
            raise self.error

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self.thread.join(20)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Any:
    s = SiteThread(tmp_path_factory.mktemp("transit") / "site")
    s.start()
    try:
        yield s
    finally:
        s.stop()


SHOTS = [
    ("transit-board-1366x768", "/transit?lang=zh", (1366, 768)),
    ("transit-board-en-1366x768", "/transit?lang=en", (1366, 768)),
    ("transit-board-390x844", "/transit?lang=zh", (390, 844)),
    ("transit-board-en-390x844", "/transit?lang=en", (390, 844)),
    ("transit-parcel-eta", "/parcels/{pid}?lang=zh", (1366, 768)),
    ("transit-parcel-eta-en", "/parcels/{pid}?lang=en", (1366, 768)),
    ("transit-dossier", "/dossier/{dnh}?lang=zh", (1366, 768)),
    ("transit-dossier-en", "/dossier/{dnh}?lang=en", (1366, 768)),
]


def test_transit_screenshots(browser: Browser, seeded: Any, tmp_path: Path) -> None:
    out = screenshots_or(tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = ctx.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(seeded.url + "/login")
    page.fill("input[name=username]", "staff")
    page.fill("input[name=password]", "staff-demo-pass")
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    for name, path, (w, h) in SHOTS:
        page.set_viewport_size({"width": w, "height": h})
        page.goto(seeded.url + path.format(pid=seeded.pid, dnh=seeded.tns["dnh"]))
        page.wait_for_load_state("load")
        page.wait_for_timeout(200)
        assert page.locator("main").count() == 1
        if name.startswith("transit-board"):
            assert page.locator("article.tcard").count() >= 6
            # nothing wider than the screen on a phone
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= w + 1, (name, width)
            # each card's links are touch targets (19-22 px high at 390 px; trial 2026-12-04b)
            low = page.evaluate("""() => [...document.querySelectorAll('article.tcard a')]
                .map((a) => Math.round(a.getBoundingClientRect().height)).filter((h) => h < 44)""")
            assert not low, (name, low)
        page.screenshot(path=str(out / f"{name}.png"), full_page=name.startswith("transit-dossier"))
    assert not errors, errors
    ctx.close()
