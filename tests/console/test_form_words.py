"""Forms in the staff's language whatever the browser's (trial of 2026-12-02, docs/trial-2026-12-02b.md):
dates typed year first and refused in words, CSV refusals in Chinese, and a login page that says when a new
site has no administrator yet."""

from __future__ import annotations

import re

import pytest

from edge.errors import DomainError
from edge.services import expected_csv, unit_csv
from edge.web.console.csv_words import csv_reason
from edge.web.console.dates import parse_day
from tests.console.conftest import HTML, flash


@pytest.mark.parametrize("typed", ["2026-12-09", "2026/12/9", "2026.12.09", "2026年12月9日", "２０２６－１２－０９",
                                   " 2026 - 12 - 9 "])
def test_a_date_is_read_year_first_in_any_form(typed: str) -> None:
    assert parse_day(typed).isoformat() == "2026-12-09"


@pytest.mark.parametrize("typed", ["12/09/2026", "09/12/2026", "2026-02-30", "2026-13-01", "tomorrow", "", "20261209"])
def test_a_date_that_cannot_be_told_apart_is_refused_in_both_languages(typed: str) -> None:
    with pytest.raises(DomainError) as got:
        parse_day(typed)
    assert got.value.code == "invalid_date" and "2026-12-09" in got.value.message
    assert got.value.extra["message_zh"].startswith("日期请按 年-月-日 填写")


async def test_a_hold_and_an_expected_date_typed_the_chinese_way(console) -> None:
    dep = await console.site.deposit("SF1234567890123")
    client, csrf = await console.as_user("admin")
    await client.post(f"/parcels/{dep['parcel_id']}/hold", data={"_csrf": csrf, "until": "2026年3月5日"})
    assert (await flash(client)).startswith("ok: 包裹 SF1234567890123 已保留至 2026-03-05")
    await client.post(f"/parcels/{dep['parcel_id']}/hold", data={"_csrf": csrf, "until": "03/05/2026"})
    assert await flash(client) == "error: 日期请按 年-月-日 填写，例如 2026-12-09（填写的是“03/05/2026”）"
    await client.post("/expected", data={"_csrf": csrf, "tracking_number": "SF7400000000001", "unit": "1-101",
                                         "expected_by": "2026/12/20"})
    assert await flash(client) == "ok: SF7400000000001: 已保存"
    page = await client.get("/expected", headers=HTML)
    assert "2026-12-20" in page.text


#: files each importer refuses, one per sentence it can say
UNIT_FILES = {
    "empty": b"", "utf16": "房号\n".encode("utf-16"), "binary": b"\x00\x01\x02",
    "same column": "房号,unit\n".encode(),
    "no unit": "手机尾号\n1234\n".encode(), "values": "房号,手机尾号\n1-101,1234,x\n".encode(),
    "repeated": "房号\n1-101\n1-101\n".encode(), "tail": "房号,手机尾号\n1-101,12\n".encode(),
    "phone": "房号,手机号\n1-101,123\n".encode(), "lang": "房号,语言\n1-101,fr\n".encode(),
    "yes/no": "房号,低位柜门\n1-101,也许\n".encode(), "unit": "房号\n!!!\n".encode(),
    # review26: Python's own words came through ("month must be in 1..12", "... has no time zone")
    "vacation date": "房号,休假至\n1-101,2026-13-40\n".encode(), "vacation zone": "房号,休假至\n1-101,2026-12-31\n".encode(),
    "vacation words": "房号,休假至\n1-101,明天\n".encode(), "email": "房号,邮箱\n1-101,x@\n".encode(),
    # fix40: a unit made of 楼栋, 单元 and 房号, and the file's columns named when none is the unit's
    "unit parts": "楼栋,单元,房号\n东区,1,102\n".encode(), "no unit named": "姓名,电话\n张三,13800001234\n".encode(),
}


@pytest.mark.parametrize("case", sorted(UNIT_FILES))
def test_every_unit_import_refusal_has_chinese_words(case: str) -> None:
    with pytest.raises(unit_csv.CsvProblem) as got:
        unit_csv.parse(UNIT_FILES[case])
    zh = csv_reason(got.value.reason, "zh")
    # the names of formats and programs stay (CSV UTF-8 is Excel's own name for it); no other English word
    left = re.sub(r"CSV|UTF-\d+|GB18030|Excel|Unicode", "", zh)
    assert not re.search(r"[A-Za-z]{3,}", left), (got.value.reason, zh)
    if not got.value.reason.startswith("vacation_until "):  # its key goes after "column 休假至" (trial 2026-12-07)
        assert csv_reason(got.value.reason, "en") == got.value.reason


def test_an_expected_import_refusal_has_chinese_words() -> None:
    with pytest.raises(unit_csv.CsvProblem) as got:
        expected_csv.parse("备注\nx\n".encode())
    assert csv_reason(got.value.reason, "zh") == "缺少列：tracking_number (运单号)、unit (房号)"


async def test_the_unit_import_says_why_in_chinese(console) -> None:
    client, csrf = await console.as_user("admin")
    await client.post("/units/import", data={"_csrf": csrf},
                      files={"file": ("住户.csv", "房号,语言\n1-101,fr\n".encode(), "text/csv")})
    assert (await flash(client)).startswith("error: 第 2 行“语言”列：")
    await client.post("/units/import", data={"_csrf": csrf}, files={"file": ("空.csv", b"", "text/csv")})
    assert await flash(client) == "error: 文件是空的 · 未导入任何数据"  # not "第 0 行"


async def test_the_unit_import_ignores_a_name_column_and_says_so(console) -> None:
    client, csrf = await console.as_user("admin")
    raw = "房号,姓名\n1-101,王芳\n".encode()
    page = await client.post("/units/import?lang=zh", data={"_csrf": csrf}, files={"file": ("住户.csv", raw, "text/csv")},
                             headers=HTML)
    assert page.status_code == 200 and 'data-testid="import-ignored"' in page.text
    assert "已忽略不使用的列：姓名" in page.text


async def test_the_login_page_says_when_no_administrator_exists(console) -> None:
    client = console.client()
    page = await client.get("/login?lang=zh")
    assert 'data-testid="no-admin"' not in page.text  # the demo site has one
    await console.daemon.store.write(lambda tx: tx.execute("UPDATE staff_users SET active = 0"))
    page = await client.get("/login?lang=zh")
    assert "本站点还没有员工管理员账号" in page.text and "lockerd user add NAME --role admin" in page.text
    page = await client.get("/login?lang=en")
    assert "This site has no staff administrator yet" in page.text
