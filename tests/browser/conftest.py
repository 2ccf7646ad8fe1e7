"""One Chromium for the whole tests/browser package: launched before its first browser test, closed
after its last (each test still opens its own context, so no cookie, storage or page is shared).

Package scope, not session: Playwright's sync API keeps an event loop running in the main thread while
it is open, which would break the asyncio tests of the packages that run after this one. For the same
reason no test in this package may be a coroutine; run async work in a thread of its own, as
test_transit_screens.py does. The check below says so at collection rather than as a puzzling failure.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fn = getattr(item, "function", None)
        if fn is not None and Path(str(item.path)).resolve().parent == HERE and inspect.iscoroutinefunction(fn):
            raise pytest.UsageError(
                f"{item.nodeid}: tests in tests/browser share one Chromium whose sync Playwright loop runs in"
                " the main thread; write this test as a plain function (async work in a thread of its own)")
