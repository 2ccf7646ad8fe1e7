"""Expected-parcel register (问题包裹预警登记表): listing with priority categories first, and CSV import.

Rows are `parcels` in state 'expected', created by the lead's `services.parcels.expect(...)`; the deposit
service matches them by tracking number. This module only reads them, and imports CSV through `expect`.

CSV: a header row, then one parcel a line. Columns (English or Chinese header names, any order):
tracking_number/运单号 (required), unit/房号 (required), phone_tail/手机尾号, carrier/快递公司,
category/类别 (normal, fresh/生鲜, medicine/药品, valuable/贵重, oversize/大件), expected_by/预计到达
(YYYY-MM-DD or ISO 8601), cross_border/跨境 (yes/no, 是/否, 1/0).
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from edge.errors import DomainError
from edge.store.db import Tx
from edge.tracking.carriers import carrier_code, normalise_tracking_number
from edge.tracking.settings import PRIORITY_CATEGORIES

log = logging.getLogger(__name__)

MAX_ROWS = 5000
MAX_BYTES = 2_000_000
HEADERS = {
    "tracking_number": ("tracking_number", "tracking", "waybill", "运单号", "快递单号", "单号"),
    "unit": ("unit", "room", "房号", "户号", "单元"),
    "phone_tail": ("phone_tail", "phone", "手机尾号", "尾号"),
    "carrier": ("carrier", "快递公司", "快递"),
    "category": ("category", "类别", "类型"),
    "expected_by": ("expected_by", "expected", "预计到达", "预计日期"),
    "cross_border": ("cross_border", "跨境"),
}
CATEGORY_WORDS = {
    "": "normal", "normal": "normal", "普通": "normal", "fresh": "fresh", "生鲜": "fresh", "medicine": "medicine",
    "药品": "medicine", "药": "medicine", "valuable": "valuable", "贵重": "valuable", "oversize": "oversize",
    "大件": "oversize",
}
YES = {"1", "yes", "y", "true", "是", "跨境"}
NO = {"", "0", "no", "n", "false", "否"}

Expect = Callable[..., Awaitable[dict[str, Any]]]


def _column_map(header: list[str]) -> dict[str, int]:
    cols: dict[str, int] = {}
    for i, name in enumerate(header):
        key = name.strip().lower().lstrip("\ufeff")
        for field, names in HEADERS.items():
            if key in names and field not in cols:
                cols[field] = i
    return cols


def parse_csv(text: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Pure: (rows ready for `expect`, row errors {"row": line number, "error"})."""
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        return [], [{"row": 0, "error": f"file is larger than {MAX_BYTES // 1000} kB"}]
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        return [], [{"row": 0, "error": "the file is empty"}]
    except csv.Error as exc:
        return [], [{"row": 1, "error": f"not CSV: {exc}"}]
    cols = _column_map(header)
    missing = [f for f in ("tracking_number", "unit") if f not in cols]
    if missing:
        return [], [{"row": 1, "error": "missing column(s): " + ", ".join(missing)}]
    rows: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    line = 1
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append({"row": line + 1, "error": f"not CSV: {exc}"})
            break
        line += 1
        if not any(cell.strip() for cell in raw):
            continue
        if len(rows) + len(errors) >= MAX_ROWS:
            errors.append({"row": line, "error": f"more than {MAX_ROWS} rows; the rest was not read"})
            break

        def cell(field: str, raw: list[str] = raw) -> str:
            i = cols.get(field)
            return raw[i].strip() if i is not None and i < len(raw) else ""

        try:
            tn = normalise_tracking_number(cell("tracking_number"))
            unit = cell("unit")
            if not unit:
                raise ValueError("unit is empty")
            cat = CATEGORY_WORDS.get(cell("category").lower())
            if cat is None:
                raise ValueError(f"unknown category {cell('category')[:20]!r}")
            cb = cell("cross_border").lower()
            if cb not in YES and cb not in NO:
                raise ValueError(f"cross_border must be yes or no, not {cb[:10]!r}")
        except ValueError as exc:
            errors.append({"row": line, "error": str(exc)})
            continue
        rows.append({
            "row": line, "tracking_number": tn, "unit": unit, "phone_tail": cell("phone_tail") or None,
            "carrier": carrier_code(cell("carrier")), "category": cat, "expected_by": cell("expected_by") or None,
            "cross_border": cb in YES,
        })
    return rows, errors


async def import_csv(text: str, expect: Expect, *, actor: str, source: str = "csv") -> dict[str, Any]:
    """Import a register CSV through `services.parcels.expect`. Returns {"imported", "errors": [...]}."""
    rows, errors = parse_csv(text)
    imported = 0
    for r in rows:
        line = r.pop("row")
        try:
            await expect(**r, actor=actor, source=source)
            imported += 1
        except DomainError as exc:
            errors.append({"row": line, "error": exc.message})
    errors.sort(key=lambda e: e["row"])
    log.info("register import: %s imported, %s row errors", imported, len(errors))
    return {"imported": imported, "errors": errors}


def list_register(tx: Tx, *, include_matched: bool = False, limit: int = 500) -> list[dict[str, Any]]:
    """Expected parcels, fresh food and medicine first, then the most urgent expected date, with the tracking
    state and the worst open anomaly where known."""
    states = "('expected','depositing','stored')" if include_matched else "('expected')"
    prio = ",".join(f"'{c}'" for c in PRIORITY_CATEGORIES)
    return tx.all(
        "SELECT p.id AS parcel_id, p.tracking_number, p.carrier, p.unit, p.category, p.cross_border, p.expected_by,"
        " p.state, p.source, p.created_at, t.last_milestone,"
        " strftime('%Y-%m-%dT%H:%M:%fZ', t.last_event_at, 'unixepoch') AS last_event_at,"
        " (SELECT MIN(CASE a.severity WHEN 'red' THEN 'red' ELSE 'yellow' END) FROM anomalies a"
        "   WHERE a.tracking_number = p.tracking_number AND a.cleared_at IS NULL) AS anomaly"
        " FROM parcels p LEFT JOIN tracked t ON t.tracking_number = p.tracking_number"
        f" WHERE p.state IN {states}"
        f" ORDER BY CASE WHEN p.category IN ({prio}) THEN 0 ELSE 1 END,"
        " CASE WHEN p.expected_by IS NULL THEN 1 ELSE 0 END, p.expected_by, p.created_at LIMIT ?",
        (limit,),
    )
