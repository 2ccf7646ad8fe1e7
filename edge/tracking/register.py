"""Expected-parcel register (问题包裹预警登记表): listing with priority categories first, and CSV import.

Rows are `parcels` in state 'expected', created by the lead's `services.parcels.expect(...)`; the deposit
service matches them by tracking number. This module only reads them, and imports CSV through `expect`.

CSV import is the one expected-parcel importer, edge/services/expected_csv.py (its docstring names the
columns); these wrappers keep the register's {"row", "error"} shape.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from edge.services import expected_csv
from edge.services.unit_csv import CsvProblem
from edge.store.db import Tx
from edge.tracking.settings import PRIORITY_CATEGORIES

log = logging.getLogger(__name__)

Expect = Callable[..., Awaitable[dict[str, Any]]]


def parse_csv(text: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Pure: (rows ready for `expect`, row errors {"row": line number, "error"}), through the one importer
    (edge/services/expected_csv.py)."""
    try:
        rows, problems = expected_csv.parse(text)
    except CsvProblem as exc:
        return [], [{"row": exc.line, "error": exc.reason}]
    return ([{"row": r.line, **r.expect_args()} for r in rows],
            [{"row": p.line, "column": p.column, "error": p.error.message} for p in problems])


async def import_csv(text: str, expect: Expect, *, actor: str, source: str = "csv") -> dict[str, Any]:
    """Import a register CSV through `services.parcels.expect`. Returns {"imported", "errors": [...]}."""
    try:
        res = await expected_csv.import_file(text, expect, actor=actor, source=source)
    except CsvProblem as exc:
        return {"imported": 0, "errors": [{"row": exc.line, "error": exc.reason}]}
    return {"imported": res.imported,
            "errors": [{"row": p.line, "column": p.column, "error": p.error.message} for p in res.problems]}


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
