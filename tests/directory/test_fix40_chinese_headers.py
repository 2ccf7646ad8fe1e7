"""`lockerd unit import` of a property's list as a mainland office writes it (trial 2026-12-07e: "no unit (房号)
column" for a file headed 单元, which `lockerd expected import` takes): 单元 alone is the unit; 楼栋, 单元 (or 单元号)
and 房号 in columns of their own make one unit "3-2-1201"; 手机, 联系电话 are the phone; 姓名 is the staff's own and
ignored with a warning. What cannot be read is named with the file, the line and the column."""

from __future__ import annotations

from pathlib import Path

import pytest

from edge.cli.main import main
from edge.services import unit_csv


def _units(text: str) -> list[tuple[str, str | None]]:
    return [(u.unit, u.phone_tail) for u in unit_csv.parse(text.encode())]


def test_a_unit_column_headed_danyuan() -> None:
    assert _units("单元,手机,姓名\n1-101,13800001234,张三\n5-801,13800005678,李四\n") == [
        ("1-101", "1234"), ("5-801", "5678")]


def test_building_entrance_and_room_in_columns_of_their_own() -> None:
    text = ("楼栋,单元,房号,姓名,联系电话\n3号楼,2单元,1201室,张三,13800001234\n3,1,101,李四,13900005678\n"
            "5栋,,801,王五,13700009999\n")
    assert _units(text) == [("3-2-1201", "1234"), ("3-1-101", "5678"), ("5-801", "9999")]
    assert _units("楼号,单元号,房号,手机号\n7,3,502,13800001234\n") == [("7-3-502", "1234")]
    assert _units("楼栋,房号,手机\n1,1-101,13800001234\n") == [("1-101", "1234")]  # the room already says it


def test_the_cli_imports_it_and_names_what_it_cannot_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "住户名单.csv"
    good.write_text("楼栋,单元,房号,姓名,手机\n3,2,1201,张三,13800001234\n", encoding="utf-8")
    assert main(["unit", "import", str(good), "--data-dir", str(tmp_path / "data")]) == 0
    out = capsys.readouterr()
    assert "1 added" in out.out, out
    assert "姓名" in out.err and "not imported" in out.err  # the ignored column, said

    bad = tmp_path / "楼栋.csv"
    bad.write_text("楼栋,单元,房号,手机\n3,2,1201,13800001234\n东区,1,102,13700009999\n", encoding="utf-8")
    assert main(["unit", "import", str(bad), "--data-dir", str(tmp_path / "data")]) == 1
    err = capsys.readouterr().err
    assert f"lockerd: {bad}: line 3, column 楼栋+单元+房号: unit is 1-32 letters" in err, err
    assert "(read as 东区-1-102)" in err and "nothing was imported" in err

    none = tmp_path / "名单.csv"
    none.write_text("姓名,电话\n张三,13800001234\n", encoding="utf-8")
    assert main(["unit", "import", str(none), "--data-dir", str(tmp_path / "data")]) == 1
    err = capsys.readouterr().err
    assert f"lockerd: {none}: line 1: no unit (房号) column: the file's columns are 姓名, 电话" in err, err
