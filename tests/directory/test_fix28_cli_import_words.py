"""`lockerd unit import` named a bad line's field twice (trial of 2026-12-07, item 11): "line 4, column 休假至:
vacation_until '2026-13-01T08:00+08:00' is not …", the column by the file's header, then the importer's own key.
The console's words were fixed (item 6); the command line says it the same way, in English."""

from __future__ import annotations

from pathlib import Path

import pytest

from edge.cli.main import main

BAD = ("房号,手机号,手机尾号,休假至\n3-201,,0001,\n3-202,13800000002,9999,\n"
       "3-203,,0203,2026-13-01T08:00+08:00\n")


def test_a_bad_line_names_its_column_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "住户.csv"
    csv.write_text(BAD, encoding="utf-8")
    assert main(["unit", "import", str(csv), "--data-dir", str(tmp_path / "data")]) == 1
    err = capsys.readouterr().err
    assert (f"lockerd: {csv}: line 4, column 休假至: '2026-13-01T08:00+08:00' is not a date and time with its time"
            " zone") in err, err
    assert f"lockerd: {csv}: line 3, column 手机尾号: 9999 is not the end of the phone number" in err, err
    assert "vacation_until" not in err and "phone_tail" not in err
    assert "nothing was imported" in err


def test_a_sentence_about_the_field_keeps_its_subject(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "units.csv"
    csv.write_text("房号,手机尾号\n3-201/??,0001\n", encoding="utf-8")
    assert main(["unit", "import", str(csv), "--data-dir", str(tmp_path / "data")]) == 1
    assert "line 2, column 房号: unit is 1-32 letters" in capsys.readouterr().err
