"""Lists in the staff's words: "、" between the items of a Chinese list, "；" between whole phrases, ", " in
English, through one helper (`edge.glossary.listed`; fix41 item 5). The Chinese unit import said "缺少“房号”列
（文件里的列：姓名, 电话；…）", the import preview "手机尾号: 1234, 语言: 英文", a handover "已交付: R1, R2". Each
assertion on a Chinese page fails before the fix."""

from __future__ import annotations

import html
import re
from typing import Any

from edge import glossary
from tests.console.conftest import HTML, flash


def test_listed() -> None:
    assert glossary.listed(["姓名", "电话"], "zh") == "姓名、电话"
    assert glossary.listed(["a: 1", "b: 2"], "en", clauses=True) == "a: 1, b: 2"
    assert glossary.listed(["手机尾号：1234", "语言：英文"], "zh", clauses=True) == "手机尾号：1234；语言：英文"


async def test_the_unit_import_lists_the_columns_with_the_enumeration_comma(console: Any) -> None:
    client, csrf = await console.as_user("admin")
    raw = "姓名,电话\n张三,13800001234\n".encode()
    await client.post("/units/import", data={"_csrf": csrf}, files={"file": ("名单.csv", raw, "text/csv")})
    shown = html.unescape(await flash(client))
    assert "文件里的列：姓名、电话；" in shown, shown
    client.cookies.set("lockerd_lang", "en")
    await client.post("/units/import", data={"_csrf": csrf}, files={"file": ("names.csv", raw, "text/csv")})
    assert "the file's columns are 姓名, 电话" in html.unescape(await flash(client))


async def test_the_import_preview_lists_the_changes_as_chinese_phrases(console: Any) -> None:
    client, csrf = await console.as_user("admin")
    raw = "房号,手机尾号,语言\n9-901,4321,英文\n".encode()
    page = await client.post("/units/import?lang=zh", data={"_csrf": csrf},
                             files={"file": ("住户.csv", raw, "text/csv")}, headers=HTML)
    assert page.status_code == 200, page.text[-1500:]
    cells = [c for c in re.findall(r"<td[^>]*>([^<]*)</td>", page.text) if "4321" in c]
    assert cells and all("；" in c and ", " not in c and ": " not in c for c in cells), cells
