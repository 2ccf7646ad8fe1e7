"""The one expected-parcel importer: Chinese and English headers, GB18030 and UTF-8, a bad row named by
line and column; the console, the CLI and the tracking register all use it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edge.cli.main import main
from edge.clock import SimClock
from edge.services import expected_csv as X
from edge.services.unit_csv import CsvProblem
from edge.store.db import Store

CHINESE = ("运单号,房号,手机尾号,类别,预计到达,跨境,快递公司,备注\n"
           "SF1234567890123,3-1201,1234,生鲜,2026-03-12,否,顺丰,门口\n"
           "EA123456785CN,5-101,,药品,,是,EMS,\n")


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_chinese_headers_in_every_encoding(encoding: str) -> None:
    rows, problems = X.parse(CHINESE.encode(encoding))
    assert problems == []
    assert [(r.line, r.tracking_number, r.unit, r.category, r.cross_border) for r in rows] == [
        (2, "SF1234567890123", "3-1201", "fresh", False), (3, "EA123456785CN", "5-101", "medicine", True)]
    assert rows[0].carrier == "SF" and rows[0].phone_tail == "1234" and rows[0].expected_by == "2026-03-12"


def test_english_headers_any_order() -> None:
    rows, problems = X.parse(b"unit,tracking_number,category\n1-101,JD0012345678901,valuable\n")
    assert problems == [] and rows[0].unit == "1-101" and rows[0].category == "valuable"


def test_a_bad_row_names_its_line_and_column() -> None:
    text = ("运单号,房号,手机尾号,类别\n"
            "SF1234567890123,3-1201,,\n"
            "SF1234567890124,3-1202,12,\n"      # line 3: phone tail
            "\n"
            "SF1234567890125,,,\n"              # line 5: unit
            "SF#,3-1203,,\n"                    # line 6: tracking number
            "SF1234567890126,3-1204,,冷冻\n")   # line 7: category
    rows, problems = X.parse(text.encode("gb18030"))
    assert [r.line for r in rows] == [2]
    assert [(p.line, p.column, p.error.code) for p in problems] == [
        (3, "手机尾号", "invalid_phone_tail"), (5, "房号", "unit_required"),
        (6, "运单号", "invalid_tracking_number"), (7, "类别", "invalid_category")]
    assert str(problems[0]).startswith("line 3, column 手机尾号: ")


@pytest.mark.parametrize(("raw", "where", "why"), [
    (b"", 0, "empty"),
    (b"tracking_number,phone\nSF1234567890123,1234\n", 1, "missing column"),
    (b"tracking_number,unit,\xe8\xbf\x90\xe5\x8d\x95\xe5\x8f\xb7\nA,B,C\n", 1, "same column"),
    (b"\x00\x01binary", 0, "not a text file"),
    ("tracking_number,unit\nSF1234567890123,1-1\n".encode("utf-16"), 0, "UTF-16 text"),
])
def test_a_bad_file_imports_nothing(raw: bytes, where: int, why: str) -> None:
    with pytest.raises(CsvProblem) as e:
        X.parse(raw)
    assert e.value.line == where and why in e.value.reason


def _db(tmp_path: Path) -> Path:
    store = Store(tmp_path / "lockerd.db", SimClock(), "site")
    store.open()  # migrates
    store.close()
    return tmp_path


def test_the_cli_imports_through_the_service(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _db(tmp_path)
    f = tmp_path / "e.csv"
    f.write_bytes((CHINESE + "SF#,1-1,,\n").encode("gb18030"))
    assert main(["expected", "import", str(f), "--data-dir", str(data), "--json"]) == 1  # one row refused
    out = json.loads(capsys.readouterr().out)
    assert out["imported"] == 2 and [(p["line"], p["column"]) for p in out["problems"]] == [(4, "运单号")]
    assert main(["expected", "import", str(f), "--data-dir", str(data)]) == 1  # again: idempotent
    store = Store(data / "lockerd.db", SimClock(), "site")
    store.open()
    try:
        rows = store.read_sync(lambda tx: tx.all("SELECT tracking_number, state, source FROM parcels ORDER BY 1"))
        events = store.read_sync(lambda tx: [r["type"] for r in tx.all("SELECT type FROM events")])
    finally:
        store.close()
    assert rows == [{"tracking_number": "EA123456785CN", "state": "expected", "source": "cli_csv"},
                    {"tracking_number": "SF1234567890123", "state": "expected", "source": "cli_csv"}]
    assert events == ["parcel.expected", "parcel.expected"]
    bad = tmp_path / "bad.csv"
    bad.write_text("tracking_number\nSF1234567890123\n")
    assert main(["expected", "import", str(bad), "--data-dir", str(data)]) == 1
    assert "nothing was imported" in capsys.readouterr().err


def test_every_importer_is_the_one() -> None:
    import edge.cli.expected
    import edge.tracking.register
    import edge.web.console.routes_ops

    assert edge.web.console.routes_ops.expected_csv is X
    assert edge.cli.expected.expected_csv is X
    assert edge.tracking.register.expected_csv is X


def test_a_tracking_number_repeated_in_the_file_is_refused_not_counted(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows, problems = X.parse("tracking_number,unit\nSF1234567890123,1-1\nsf1234567890123,1-1\n")
    assert [r.line for r in rows] == [2]
    assert [(p.line, p.column, p.error.code) for p in problems] == [(3, "tracking_number", "tracking_repeated")]
    assert "already on line 2" in str(problems[0])
    data = _db(tmp_path)
    f = tmp_path / "e.csv"
    f.write_text("运单号,房号\nSF1234567890123,1-1\nSF1234567890123,1-1\n", encoding="utf-8")
    assert main(["expected", "import", str(f), "--data-dir", str(data), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["imported"] == 1 and [(p["line"], p["column"], p["error"]) for p in out["problems"]] == [
        (3, "运单号", "tracking_repeated")]
