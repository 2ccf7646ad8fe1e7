"""A kiosk pickup answered by a refusal the test chooses (the page's fetch is fulfilled in the browser), for the
kiosk's words on answers a live simulator gives only in rare states (a full disk, a retired door)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from playwright.sync_api import Route

PICKUP = re.compile(r".*/api/v1/kiosk/pickup$")


@contextmanager
def refused_pickup(k: Any, lang: str, code: str, status: int, error: str, message: str) -> Iterator[None]:
    """Open kiosk ``k`` (in English when ``lang`` is "en"), type pickup ``code`` on its keypad and submit it, every
    pickup answered ``status`` {"error", "message"}; the body runs on the answer's screen, then the route is gone."""
    k.allow(status)  # the refusal the test provokes

    def answer(route: Route) -> None:
        route.fulfill(status=status, content_type="application/json",
                      body=json.dumps({"error": error, "message": message}))

    k.page.route(PICKUP, answer)
    try:
        k.open()
        if lang == "en":
            k.tid("lang-switch").click()
        k.tid("go-pickup").click()
        for digit in code:
            k.tid(f"key-{digit}").click()
        k.tid("submit").click()
        yield
    finally:
        k.page.unroute(PICKUP)
