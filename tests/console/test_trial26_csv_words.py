"""A bad 休假至 (vacation_until) line on the console's unit import named its field twice (trial of 2026-12-07):
"第 4 行，休假至 列：休假至 '2026-13-01T08:00+08:00' 不是带时区的日期和时间…" and, in English, "line 4, column 休假至:
vacation_until '2026-13-01T08:00+08:00' is not a date and time …" with the importer's internal key."""

from __future__ import annotations

import html

from tests.console.conftest import flash

BAD = "房号,手机尾号,休假至\n3-201,0001,\n3-202,0002,\n3-203,0203,2026-13-01T08:00+08:00\n".encode()


async def test_a_bad_vacation_line_names_its_column_once_in_both_languages(console) -> None:
    client, csrf = await console.as_user("admin")
    await client.post("/units/import", data={"_csrf": csrf}, files={"file": ("住户.csv", BAD, "text/csv")})
    assert html.unescape(await flash(client)) == ("error: 第 4 行“休假至”列：'2026-13-01T08:00+08:00' 不是带时区的日期和时间，例如"
                                   " 2026-12-31T20:00+08:00 · 未导入任何数据")
    client.cookies.set("lockerd_lang", "en")
    await client.post("/units/import", data={"_csrf": csrf}, files={"file": ("units.csv", BAD, "text/csv")})
    shown = html.unescape(await flash(client))
    assert shown.startswith("error: line 4, column 休假至: '2026-13-01T08:00+08:00' is not a date and time"), shown
    assert "vacation_until" not in shown
