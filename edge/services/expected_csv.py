"""Expected parcels (问题包裹预警登记表) from a CSV file: the one importer (console, CLI, tracking register).

The file is UTF-8 (with or without BOM) or GB18030 (what Excel in China saves), with English or Chinese
headers in any order: tracking_number/运单号 (required), unit/房号 (required), phone_tail/手机尾号,
carrier/快递公司, category/类别 (normal/普通, fresh/生鲜, medicine/药品, valuable/贵重, oversize/大件),
expected_by/预计到达 (YYYY-MM-DD or ISO 8601), cross_border/跨境 (yes/no, 是/否, 1/0).

A bad file (not text, no header, a required column missing or named twice) imports nothing; columns
of the staff's own (notes) are left alone. A bad row is reported
with its line (the header is line 1) and the column as the file names it, and the good rows are
imported through `ParcelService.expect` (idempotent per tracking number, so importing again is safe).
Row checks are the service's own (edge/services/parcels.py), so the refusal codes are the same as a
form's and translate the same way.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from edge.domain.vocab import Category
from edge.errors import DomainError
from edge.services import parcels as P
from edge.services.unit_csv import CsvProblem, decode, read_header
from edge.tracking.carriers import carrier_code

log = logging.getLogger(__name__)

MAX_ROWS = 5000

#: header (lower-cased, stripped) -> field
HEADERS: dict[str, str] = {
    "tracking_number": "tracking_number", "tracking": "tracking_number", "waybill": "tracking_number",
    "运单号": "tracking_number", "快递单号": "tracking_number", "单号": "tracking_number",
    "unit": "unit", "room": "unit", "房号": "unit", "户号": "unit", "单元": "unit", "房间号": "unit",
    "phone_tail": "phone_tail", "phone": "phone_tail", "手机尾号": "phone_tail", "尾号": "phone_tail",
    "carrier": "carrier", "快递公司": "carrier", "快递": "carrier",
    "category": "category", "类别": "category", "类型": "category",
    "expected_by": "expected_by", "expected": "expected_by", "预计到达": "expected_by", "预计日期": "expected_by",
    "cross_border": "cross_border", "跨境": "cross_border",
}
REQUIRED = ("tracking_number", "unit")
#: the category words a file may use (the stored strings, and their Chinese names)
CATEGORY_WORDS: dict[str, Category] = {c.value: c for c in Category} | {
    "": Category.NORMAL, "普通": Category.NORMAL, "生鲜": Category.FRESH, "药品": Category.MEDICINE,
    "药": Category.MEDICINE, "贵重": Category.VALUABLE, "大件": Category.OVERSIZE,
}
YES = frozenset({"1", "yes", "y", "true", "是", "跨境"})
NO = frozenset({"", "0", "no", "n", "false", "否"})
#: which column a service refusal is about
CODE_COLUMN = {
    "invalid_tracking_number": "tracking_number", "invalid_unit": "unit", "unit_required": "unit",
    "unit_unknown": "unit", "invalid_phone_tail": "phone_tail", "invalid_category": "category",
    "invalid_date": "expected_by", "invalid_cross_border": "cross_border", "tracking_repeated": "tracking_number",
}

Expect = Callable[..., Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class ExpectedRow:
    """One good line, ready for `ParcelService.expect`."""

    line: int
    tracking_number: str
    unit: str
    phone_tail: str | None
    carrier: str | None
    category: str
    expected_by: str | None
    cross_border: bool

    def expect_args(self) -> dict[str, Any]:
        return {"tracking_number": self.tracking_number, "unit": self.unit, "phone_tail": self.phone_tail,
                "carrier": self.carrier, "category": self.category, "expected_by": self.expected_by,
                "cross_border": self.cross_border}


@dataclass(frozen=True)
class RowProblem:
    """A refused line: where (line, the column as the file names it) and the service's refusal."""

    line: int
    column: str
    error: DomainError

    def __str__(self) -> str:
        return f"line {self.line}{', column ' + self.column if self.column else ''}: {self.error.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "error": self.error.code, "message": self.error.message}


@dataclass
class ImportResult:
    imported: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"imported": self.imported, "problems": [p.as_dict() for p in self.problems]}


def _columns(header: list[str]) -> tuple[dict[str, int], dict[str, str]]:
    """field -> index, and field -> the header as written. Unknown and repeated columns are errors."""
    cols: dict[str, int] = {}
    names: dict[str, str] = {}
    for i, raw in enumerate(header):
        name = raw.strip().lstrip("\ufeff")
        if not name:
            continue
        f = HEADERS.get(name.lower())
        if f is None:
            continue  # a column of the staff's own (notes, names): not ours, left alone
        if f in cols:
            raise CsvProblem(1, name, f"the same column as {names[f]}")
        cols[f], names[f] = i, name
    missing = [f for f in REQUIRED if f not in cols]
    if missing:
        raise CsvProblem(1, "", "missing column(s): " + ", ".join(
            {"tracking_number": "tracking_number (运单号)", "unit": "unit (房号)"}[m] for m in missing))
    return cols, names


def _row(line: int, cell: Callable[[str], str]) -> ExpectedRow:
    """One line through the service's own checks; DomainError (with CODE_COLUMN's field) when bad."""
    tn = P.normalise_tracking(cell("tracking_number"))
    unit = P.check_unit(cell("unit"))
    if not unit:
        raise DomainError("unit_required", "unit is empty: an expected parcel needs the recipient's unit",
                          status=422)
    tail = P.check_phone_tail(cell("phone_tail"))
    word = cell("category")
    cat = CATEGORY_WORDS.get(word.lower())
    if cat is None:
        raise DomainError("invalid_category", f"unknown category {word[:20]!r}", status=422)
    cb = cell("cross_border").lower()
    if cb not in YES and cb not in NO:
        raise DomainError("invalid_cross_border", f"cross_border must be yes or no, not {cb[:10]!r}", status=422)
    return ExpectedRow(line=line, tracking_number=tn, unit=unit, phone_tail=tail,
                       carrier=carrier_code(cell("carrier")), category=cat.value,
                       expected_by=cell("expected_by") or None, cross_border=cb in YES)


def parse(raw: bytes | str) -> tuple[list[ExpectedRow], list[RowProblem]]:
    """Pure: the good rows and the refused ones. CsvProblem when the file itself is unusable."""
    rows, problems, _ = _parse(raw)
    return rows, problems


def _parse(raw: bytes | str) -> tuple[list[ExpectedRow], list[RowProblem], dict[str, str]]:
    text = decode(raw) if isinstance(raw, bytes) else raw.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text))
    header = read_header(reader)
    cols, names = _columns(header)
    rows: list[ExpectedRow] = []
    problems: list[RowProblem] = []
    first_line: dict[str, int] = {}
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(rows) + len(problems) >= MAX_ROWS:
                raise CsvProblem(line, "", f"more than {MAX_ROWS} rows in one file; nothing after line {line - 1}"
                                 " was read")

            def cell(f: str, values: list[str] = values) -> str:
                i = cols.get(f)
                return values[i].strip() if i is not None and i < len(values) else ""

            try:
                row = _row(line, cell)
                if row.tracking_number in first_line:
                    # refused like a repeated unit in the unit import, so "imported" counts stored parcels
                    raise DomainError("tracking_repeated", f"tracking number {row.tracking_number} is already on"
                                      f" line {first_line[row.tracking_number]}", status=422)
                first_line[row.tracking_number] = line
                rows.append(row)
            except DomainError as exc:
                problems.append(RowProblem(line, names.get(CODE_COLUMN.get(exc.code, ""), ""), exc))
    except csv.Error as exc:
        raise CsvProblem(reader.line_num, "", f"not CSV: {exc}") from None
    return rows, problems, names


async def import_file(raw: bytes | str, expect: Expect, *, actor: str, source: str) -> ImportResult:
    """Parse, then pre-register every good row through `expect` (ParcelService.expect).

    CsvProblem (nothing imported) when the file is unusable; refused rows are in the result."""
    rows, problems, names = _parse(raw)
    out = ImportResult(problems=problems)
    for r in rows:
        try:
            await expect(**r.expect_args(), actor=actor, source=source)
            out.imported += 1
        except DomainError as exc:
            out.problems.append(RowProblem(r.line, names.get(CODE_COLUMN.get(exc.code, ""), ""), exc))
    out.problems.sort(key=lambda p: p.line)
    log.info("expected-parcel import (%s): %s imported, %s refused", source, out.imported, len(out.problems))
    return out
