"""Trial 2026-12-07d (trial39): Chinese pages wrote counts and roles in half-width brackets, "在架包裹 (0)",
"预登记包裹 (0)", "admin (管理员)", where the rest of the Chinese console writes "（…）" (trial38 did the colons)."""

from __future__ import annotations

from typing import Any

from tests.console.conftest import HTML


async def test_chinese_pages_write_full_width_brackets(console: Any) -> None:
    client, _ = await console.as_user("admin")
    desk = (await client.get("/desk?lang=zh", headers=HTML)).text
    assert "在架包裹（0）" in desk and "（管理员）" in desk and " (管理员)" not in desk
    assert "预登记包裹（0）" in (await client.get("/expected?lang=zh", headers=HTML)).text
    en = (await client.get("/desk?lang=en", headers=HTML)).text
    assert "On the shelves (0)" in en and " (Admin)" in en
