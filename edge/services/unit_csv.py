"""Residents' units from a CSV file: UTF-8 (with or without BOM) or GB18030, English or Chinese headers.

Parsing is all or nothing: every bad row is reported (its line, column and what is wrong; up to
MAX_PROBLEMS of them) and no row is returned, so an import never stops half-way and a file with
several bad rows is fixed in one go, not one upload at a time. A column the directory does not use (姓名, 备注: the
staff's own) is ignored and named in a warning, as the expected-parcel import does; a file without a
unit column is still refused. Writing (the export) uses the same headers; the Chinese export writes the values in Chinese too
(中文/英文, 是/否), as the import reads them back.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from edge.services.unit_rows import UnitIn

BUILDING = "_building"
ENTRANCE = "_entrance"

#: header (lower-cased) -> field; the English names are the field names
HEADERS: dict[str, str] = {
    "unit": "unit", "房号": "unit", "房间号": "unit", "户号": "unit",
    "phone": "phone", "手机号": "phone", "手机": "phone", "电话": "phone", "手机号码": "phone",
    "phone_tail": "phone_tail", "手机尾号": "phone_tail", "尾号": "phone_tail",
    "lang": "lang", "language": "lang", "语言": "lang",
    "low_door": "low_door", "低位柜门": "low_door", "低位": "low_door",
    "locker_consent": "locker_consent", "同意入柜": "locker_consent",
    "email": "email", "邮箱": "email", "电子邮箱": "email",
    "vacation_until": "vacation_until", "休假至": "vacation_until",
    # as a Hong Kong management office heads its list (trial39); spaces and dashes read as "_" (header_key)
    "flat": "unit", "flat_no": "unit", "flat_no.": "unit", "unit_no": "unit", "unit_no.": "unit", "room": "unit",
    "mobile": "phone", "mobile_no": "phone", "mobile_no.": "phone", "mobile_number": "phone", "phone_no": "phone",
    "phone_no.": "phone", "phone_number": "phone", "tel": "phone", "單位": "unit", "手提電話": "phone",
    "email_address": "email", "e-mail": "email", "e_mail": "email", "語言": "lang", "電郵": "email",
    "low-door": "low_door", "需要低位柜门": "low_door", "consent": "locker_consent",
    # as a mainland property heads its list (trial 07e: "单元" was refused, which the expected-parcel import
    # takes): the room, and the building and entrance it is in, when the file gives them apart (楼栋, 单元号)
    "单元": "unit", "房屋": "unit", "房屋编号": "unit", "门牌号": "unit", "室号": "unit",
    "联系电话": "phone", "联系方式": "phone", "业主电话": "phone", "住户电话": "phone",
    "楼栋": BUILDING, "楼栋号": BUILDING, "楼号": BUILDING, "栋": BUILDING, "栋号": BUILDING, "幢": BUILDING,
    "幢号": BUILDING, "楼宇": BUILDING, "座": BUILDING, "building": BUILDING,
    "单元号": ENTRANCE, "entrance": ENTRANCE,
}
#: the parts of an address a file may give in columns of their own, joined before the room as "3-2-1201" (楼栋 3,
#: 单元 2, 房号 1201), each with the words that end it dropped ("3号楼", "2单元", "1201室")
PARTS = (BUILDING, ENTRANCE)
_ENDINGS = {BUILDING: ("号楼", "栋", "幢", "座", "号", "楼"), ENTRANCE: ("单元", "号"), "unit": ("室",)}


def header_key(name: str) -> str:
    """A column's name as HEADERS holds it: lower-cased, a BOM dropped, spaces and dashes as "_" ("Low door",
    "Locker-consent", "Mobile No." read as low_door, locker_consent, mobile_no.)."""
    key = " ".join(name.strip().lstrip("\ufeff").lower().split())
    return key if key in HEADERS else key.replace(" ", "_").replace("-", "_")
EXPORT_FIELDS = ("unit", "phone", "phone_tail", "lang", "low_door", "locker_consent", "email", "vacation_until")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
#: bad lines named in one refusal; the rest are counted
MAX_PROBLEMS = 50


@dataclass
class CsvProblem(Exception):
    """What is wrong with the file, where: line (1-based, the header is line 1) and column name.

    `others` are the further bad lines of the same file (in line order; `more` counts those past
    MAX_PROBLEMS): the first is this problem's own line, column and reason."""

    line: int
    column: str
    reason: str
    others: list[CsvProblem] = field(default_factory=list)
    more: int = 0
    #: the importer's own name of the column's field (vacation_until), where its reason begins with it
    key: str = ""

    def each(self) -> list[CsvProblem]:
        """Every problem named, this one first."""
        return [self, *self.others]

    def one(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        reason = self.reason
        if self.column and self.key:  # "column 休假至: '2026-13-01' is not ...", not "column 休假至: vacation_until '…'"
            reason = reason.removeprefix(self.key + " ")
        return f"{where}{', column ' + self.column if self.column else ''}: {reason}"

    def __str__(self) -> str:
        text = "; ".join(p.one() for p in self.each())
        return text + (f"; and {self.more} more bad lines" if self.more else "")

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "reason": self.reason}


def decode(raw: bytes) -> str:
    """UTF-8 (BOM allowed), else GB18030 (a superset of GBK and GB2312, what Excel in China saves)."""
    if len(raw) > MAX_BYTES:
        raise CsvProblem(0, "", f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise CsvProblem(0, "", "this file is UTF-16 text (Excel's 'Unicode Text'); save it as 'CSV UTF-8' or as"
                         " GB18030 CSV")
    if b"\x00" in raw[:4096]:
        raise CsvProblem(0, "", "this is not a text file (save it as CSV, UTF-8 or GB18030)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CsvProblem(line, "", "the text is neither UTF-8 nor GB18030") from None


def read_header(reader: Iterator[list[str]]) -> list[str]:
    """The first row of a CSV file (its header), or a CsvProblem saying why there is none."""
    try:
        return next(reader)
    except StopIteration:
        raise CsvProblem(0, "", "the file is empty") from None
    except csv.Error as exc:
        raise CsvProblem(1, "", f"not CSV: {exc}") from None


@dataclass
class UnitFile:
    """The units of a file, and the columns it had that the directory does not use (as the file names them)."""

    units: list[UnitIn]
    ignored: list[str]

    def warning(self, lang: str) -> str:
        """What to tell the person importing about the ignored columns; empty when none was."""
        if not self.ignored:
            return ""
        if lang.startswith("zh"):
            return f"已忽略不使用的列：{'、'.join(self.ignored)}（这些列的内容不会导入）"
        return f"Ignored columns the directory does not use: {', '.join(self.ignored)} (their values are not imported)"


def parse(raw: bytes) -> list[UnitIn]:
    """All units of the file, or CsvProblem naming every bad line (nothing is returned then)."""
    return parse_file(raw).units


def _row_problems(exc: ValidationError, line: int, seen: dict[str, str]) -> list[CsvProblem]:
    """Each wrong value of one row, under the column name the file gave it."""
    out: list[CsvProblem] = []
    for err in exc.errors():
        loc = str(err["loc"][0]) if err.get("loc") else "unit"
        msg = str(err["msg"]).removeprefix("Value error, ")
        # a row's check that names its field, then the value ("vacation_until '2026-13-01' is not ..."; not "unit
        # is 1-32 letters ...", a sentence about the field)
        named = next((k for k in seen if msg.startswith(k + " ") and not msg.startswith(k + " is ")), "")
        if named and loc == "unit":
            loc = named  # phone_tail that is not the end of the phone: under the 手机尾号 column, not 房号
        out.append(CsvProblem(line, seen.get(loc, loc), msg, key=named if named == loc else ""))
    return out


def _part(value: str, field: str) -> str:
    for end in _ENDINGS[field]:
        if value.endswith(end) and len(value) > len(end):
            return value[: -len(end)].strip()
    return value


def _join_parts(data: dict[str, str]) -> None:
    """The unit of a row whose building (楼栋) and entrance (单元) are columns of their own, in `data`: "3-2-1201"
    (楼栋 "3号楼", 单元 "2单元", 房号 "1201室"). A room that already begins with them ("3-2-1201") is kept as it is;
    a row without a room keeps none (and is refused: the unit is missing)."""
    parts = [_part(data.pop(f), f) for f in PARTS if f in data]
    if not parts or "unit" not in data:
        return
    room = _part(data["unit"], "unit")
    lead = "-".join(p for p in parts if p)
    data["unit"] = f"{lead}-{room}" if lead and not room.startswith(lead + "-") else room


def parse_file(raw: bytes) -> UnitFile:
    """The units and the ignored columns, or CsvProblem naming every bad line (nothing is returned then)."""
    text = decode(raw)
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = read_header(reader)
    fields: list[str | None] = []
    seen: dict[str, str] = {}
    ignored: list[str] = []
    keys = [header_key(name) for name in header]
    # 单元 beside 房号 (楼栋, 单元, 房号) is the entrance; alone it is the unit, as the expected-parcel import reads it
    entrance_too = "单元" in keys and any(HEADERS.get(k) == "unit" and k != "单元" for k in keys)
    for name, key in zip(header, keys, strict=True):
        field = ENTRANCE if key == "单元" and entrance_too else HEADERS.get(key)
        if field is None and key:
            ignored.append(name.strip())  # a column of the staff's own: left alone, and said so
        if field is not None and field in seen:
            raise CsvProblem(1, name.strip(), f"the same column as {seen[field]}")
        if field is not None:
            seen[field] = name.strip()
        fields.append(field)
    if "unit" not in seen:
        named = ", ".join(n.strip() for n in header if n.strip()) or "none"
        raise CsvProblem(1, "", f"no unit (房号) column: the file's columns are {named}; name the unit's column 房号, "
                         "单元, 户号, unit or flat")
    # a unit made of 楼栋, 单元 and 房号 is under all three columns in what is wrong with it: "楼栋+单元+房号"
    columns = {**seen, "unit": "+".join(seen[f] for f in (*PARTS, "unit") if f in seen)}
    units: list[UnitIn] = []
    first_line: dict[str, int] = {}
    problems: list[CsvProblem] = []
    rows = 0
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            rows += 1
            if rows > MAX_ROWS:
                raise CsvProblem(line, "", f"more than {MAX_ROWS} units in one file")
            if len(row) > len(fields) and any(c.strip() for c in row[len(fields):]):
                problems.append(CsvProblem(line, "", f"{len(row)} values but {len(fields)} columns"))
                continue
            data = {f: cell.strip() for f, cell in zip(fields, row, strict=False) if f is not None and cell.strip()}
            _join_parts(data)
            try:
                unit = UnitIn.model_validate(data)
            except ValidationError as exc:
                found = _row_problems(exc, line, columns)
                for p in found:  # what the columns made of the unit, so that the row is found and mended
                    if p.column == columns["unit"] != seen.get("unit") and data.get("unit"):
                        p.reason += f" (read as {data['unit']})"
                problems.extend(found)
                continue
            if unit.unit in first_line:
                problems.append(CsvProblem(line, columns["unit"],
                                           f"unit {unit.unit} is already on line {first_line[unit.unit]}"))
                continue
            first_line[unit.unit] = line
            units.append(unit)
    except csv.Error as exc:
        problems.append(CsvProblem(reader.line_num, "", f"not CSV: {exc}"))
    if problems:
        first, *rest = problems
        first.others = rest[:MAX_PROBLEMS - 1]
        first.more = max(0, len(rest) - (MAX_PROBLEMS - 1))
        raise first
    return UnitFile(units, ignored)


def export(rows: list[dict[str, Any]], *, chinese: bool = False) -> str:
    """The directory as CSV (UTF-8 with BOM so that Excel opens it right), importable again."""
    out = io.StringIO()
    chinese_names = {"unit": "房号", "phone": "手机号", "phone_tail": "手机尾号", "lang": "语言",
                     "low_door": "低位柜门", "locker_consent": "同意入柜", "email": "邮箱", "vacation_until": "休假至"}
    w = csv.writer(out)
    w.writerow([chinese_names[f] if chinese else f for f in EXPORT_FIELDS])
    for r in rows:
        w.writerow([_cell(r.get(f), f, chinese) for f in EXPORT_FIELDS])
    return "\ufeff" + out.getvalue()


#: what the Chinese export writes for a stored value (each one the import reads back: edge/services/unit_rows.py)
_ZH_VALUES: dict[str, str] = {"zh-CN": "中文", "en": "英文", "zh-HK": "繁體中文"}  # the words docs/install.md gives (trial38)
#: and the English export's words, not "zh-CN" and 0/1 in an English spreadsheet (trial39)
_EN_VALUES: dict[str, str] = {"zh-CN": "Chinese", "en": "English", "zh-HK": "Traditional Chinese"}


def _cell(v: Any, name: str, chinese: bool = False) -> str:
    if name in ("low_door", "locker_consent"):
        if chinese:
            return "是" if v else "否"
        return "yes" if v else "no"
    if name == "lang" and v is not None:
        return (_ZH_VALUES if chinese else _EN_VALUES).get(str(v), str(v))
    return "" if v is None else str(v)
