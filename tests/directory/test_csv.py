"""Units from CSV: UTF-8 or GB18030, English or Chinese headers; a bad row names its line and column and
nothing is imported; duplicates, phones that are not phones; unknown columns are ignored and named."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from edge.services import unit_csv
from tests.conftest import lockerd_cmd

GOOD_ZH = "房号,手机号,手机尾号,语言,低位柜门,同意入柜\n5-801,138 1234 5678,,中文,是,是\n5-802,,9999,英文,否,否\n"


def test_gb18030_with_chinese_headers() -> None:
    units = unit_csv.parse(GOOD_ZH.encode("gb18030"))
    assert [(u.unit, u.phone, u.phone_tail, u.lang, u.low_door, u.locker_consent) for u in units] == [
        ("5-801", "13812345678", "5678", "zh-CN", True, True), ("5-802", None, "9999", "en", False, False)]


def test_utf8_bom_english_headers_and_semicolons() -> None:
    raw = "\ufeffunit;phone_tail;lang\n1-101;1234;en\n".encode()
    assert [(u.unit, u.phone_tail, u.lang) for u in unit_csv.parse(raw)] == [("1-101", "1234", "en")]


@pytest.mark.parametrize(("text", "line", "column", "why"), [
    ("unit,phone\n5-801,13812345678\n5-802,12345\n", 3, "phone", "not a phone number"),
    ("房号,手机号\n5-801,13812345678\n5-802,1381234567a\n", 3, "手机号", "not a phone number"),
    ("unit,phone\n5-801,10012345678\n", 2, "phone", "mainland China mobile"),
    ("unit,phone_tail\n5-801,12\n", 2, "phone_tail", "last 4 digits"),
    ("unit\n5-801\n5-802\n5-801\n", 4, "unit", "already on line 2"),
    ("phone\n13812345678\n", 1, "", "no unit"),
    ("unit,low_door\n5-801,maybe\n", 2, "low_door", "yes or no"),
    ("unit,lang\n5-801,fr\n", 2, "lang", "zh-CN"),
    ("unit,phone,phone_tail\n5-801,13812345678,1111\n", 2, "", "not the end of the phone number"),
    ("unit\n<script>\n", 2, "unit", "letters, digits"),
])
def test_bad_rows_name_line_and_column(text: str, line: int, column: str, why: str) -> None:
    with pytest.raises(unit_csv.CsvProblem) as exc:
        unit_csv.parse(text.encode())
    p = exc.value
    assert p.line == line and why in p.reason and (not column or p.column == column), p


def test_not_text_and_empty() -> None:
    with pytest.raises(unit_csv.CsvProblem, match="not a text file"):
        unit_csv.parse(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(unit_csv.CsvProblem, match="empty"):
        unit_csv.parse(b"")


def test_export_imports_again() -> None:
    units = unit_csv.parse(GOOD_ZH.encode("gb18030"))
    rows = [u.model_dump() for u in units]
    for chinese in (False, True):
        again = unit_csv.parse(unit_csv.export(rows, chinese=chinese).encode("utf-8"))
        assert [u.model_dump() for u in again] == [u.model_dump() for u in units]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*lockerd_cmd(), *args], capture_output=True, text=True, timeout=60)


def test_cli_import_is_all_or_nothing(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(("房号,手机号\n" + "".join(f"3-{i:03d},1381234{i:04d}\n" for i in range(50)) + "3-999,电话\n")
                    .encode("gb18030"))
    r = _cli("unit", "import", str(bad), "--data-dir", data)
    assert r.returncode == 1 and "line 52, column 手机号" in r.stderr and "nothing was imported" in r.stderr
    assert "Traceback" not in r.stderr
    r = _cli("unit", "list", "--json", "--data-dir", data)  # refused before the database was even made
    assert r.returncode == 1 and "no lockerd database" in r.stderr and not (tmp_path / "data" / "lockerd.db").exists()
    good = tmp_path / "good.csv"
    good.write_bytes(GOOD_ZH.encode("gb18030"))
    r = _cli("unit", "import", str(good), "--dry-run", "--data-dir", data)
    assert "2 to add" in r.stdout and "dry run" in r.stdout
    assert _cli("unit", "list", "--json", "--data-dir", data).stdout.strip() == "[]"
    r = _cli("unit", "import", str(good), "--data-dir", data)
    assert r.returncode == 0 and "2 added" in r.stdout
    import json

    listed = json.loads(_cli("unit", "list", "--json", "--data-dir", data).stdout)
    # no channel sends to phones yet: the full number is not kept, only its last four digits
    assert [(u["unit"], u["phone"], u["phone_tail"]) for u in listed] == [("5-801", None, "5678"), ("5-802", None, "9999")]
    again = _cli("unit", "import", str(good), "--replace", "--data-dir", data)
    assert "0 to add, 0 to change, 2 unchanged, 0 to remove" in again.stdout


def test_a_utf16_file_is_named_as_such() -> None:
    raw = "unit,phone\n3-1201,13800138000\n".encode("utf-16")  # Excel's "Unicode Text", with its BOM
    with pytest.raises(unit_csv.CsvProblem, match="UTF-16 text.*CSV UTF-8.*GB18030") as e:
        unit_csv.parse(raw)
    assert "not a text file" not in e.value.reason


def test_unknown_columns_are_ignored_and_named_in_both_languages() -> None:
    # a 姓名 (name) or 备注 (notes) column is common: the units import, the columns are named in a warning
    got = unit_csv.parse_file("房号,姓名,手机尾号,备注\n1-101,王芳,1234,东门\n".encode())
    assert [(u.unit, u.phone_tail) for u in got.units] == [("1-101", "1234")]
    assert got.ignored == ["姓名", "备注"]
    assert got.warning("zh") == "已忽略不使用的列：姓名、备注（这些列的内容不会导入）"
    assert got.warning("en") == ("Ignored columns the directory does not use: 姓名, 备注 (their values are not"
                                 " imported)")
    assert unit_csv.parse(b"unit,colour\n5-801,red\n")[0].unit == "5-801"
    assert unit_csv.parse_file(b"unit\n5-801\n").warning("zh") == ""


def test_a_file_without_a_unit_column_is_still_refused() -> None:
    with pytest.raises(unit_csv.CsvProblem, match="no unit"):
        unit_csv.parse("姓名,手机尾号\n王芳,1234\n".encode())


def test_cli_import_names_the_ignored_columns(tmp_path: Path) -> None:
    f = tmp_path / "units.csv"
    f.write_bytes("房号,姓名\n1-101,王芳\n".encode("gb18030"))
    r = _cli("unit", "import", str(f), "--dry-run", "--data-dir", str(tmp_path / "data"))
    assert r.returncode == 0 and "1 to add" in r.stdout, r.stderr
    assert "warning: Ignored columns the directory does not use: 姓名" in r.stderr
