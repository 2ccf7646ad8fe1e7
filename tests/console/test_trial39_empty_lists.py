"""Trial 2026-12-07d (trial39): with nothing on notice the printable public notice said "not found" under its
heading (未找到 in Chinese), as a failed search does, and so did the empty register of expected parcels."""

from __future__ import annotations

from typing import Any

import pytest

from tests.console.conftest import HTML


@pytest.mark.parametrize(("path", "en", "zh"), [
    ("/tasks/notice", "No parcels are on notice", "目前没有公告中的包裹"),
    ("/expected", "No parcels are expected", "没有预登记的包裹"),
])
async def test_an_empty_list_says_what_is_empty(console: Any, path: str, en: str, zh: str) -> None:
    client, _ = await console.as_user("staff")
    page = (await client.get(path + "?lang=en", headers=HTML)).text
    assert en in page and "not found" not in page
    page = (await client.get(path + "?lang=zh", headers=HTML)).text
    assert zh in page and "未找到" not in page
