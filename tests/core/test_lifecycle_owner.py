"""One owner of the parcel lifecycle: only edge/services/lifecycle.py writes parcels.state or adds a parcel,
and it refuses a move the domain table does not list (decision 0016)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from edge.clock import SimClock
from edge.domain.parcel import (
    FINAL_STATES,
    INITIAL_STATES,
    OPEN_STATES,
    PARCEL_STATES,
    TRANSITIONS,
    ParcelState,
    allowed,
    check_transition,
)
from edge.errors import DomainError
from edge.services.lifecycle import Event, ParcelLifecycle, Timeline
from edge.store.db import Store, Tx

REPO = Path(__file__).resolve().parents[2]
OWNER = REPO / "edge" / "services" / "lifecycle.py"
SOURCES = ("edge", "cloudsync", "drivers", "kiosk")

#: UPDATE parcels SET <assignments> [WHERE ...]: the assignments name `state`
UPDATE = re.compile(r"\bUPDATE\s+(?:OR\s+\w+\s+)?parcels\s+SET\s+(?P<sets>.*?)(?:\bWHERE\b|\bFROM\b|$)",
                    re.IGNORECASE | re.DOTALL)
SETS_STATE = re.compile(r"(?:^|,)\s*state\s*=", re.IGNORECASE)
#: INSERT [OR ...] INTO parcels / REPLACE INTO parcels (not parcel_log, parcels_fts, ...)
INSERT = re.compile(r"\b(?:INSERT|REPLACE)\s+(?:OR\s+\w+\s+)?INTO\s+parcels\b(?!_)", re.IGNORECASE)


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, text) of every string literal; an f-string's literal parts joined with a placeholder."""
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "?"
                           for v in node.values)
            out.append((node.lineno, text))
    return out


def offenders(paths: list[Path], root: Path = REPO) -> list[str]:
    found = []
    for path in paths:
        if path == OWNER:
            continue
        for line, text in _strings(ast.parse(path.read_text(), str(path))):
            if INSERT.search(text):
                found.append(f"{path.relative_to(root)}:{line} inserts a parcel")
            for m in UPDATE.finditer(text):
                if SETS_STATE.search(m.group("sets")):
                    found.append(f"{path.relative_to(root)}:{line} writes parcels.state")
    return list(dict.fromkeys(found))  # an f-string's parts are walked on their own too


def test_only_the_lifecycle_writes_parcel_state() -> None:
    paths = [p for d in SOURCES for p in (REPO / d).rglob("*.py")]
    assert len(paths) > 50
    assert offenders(paths) == []


def test_the_scan_catches_a_writer(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        'A = "UPDATE parcels SET state = \'collected\', closed_at = ? WHERE id = ?"\n'
        'B = ("UPDATE parcels SET compartment_id = NULL,"\n     " state = ? WHERE id = ?")\n'
        'C = f"INSERT INTO parcels ({1}) VALUES (?)"\n'
        'D = "update   parcels set stage = ?, state=? where id = ?"\n'
        # not offenders: other columns, other tables
        'E = "UPDATE parcels SET stage = ?, updated_at = ? WHERE id = ? AND state = \'stored\'"\n'
        'F = "INSERT INTO parcel_log (parcel_id) VALUES (?)"\n'
        'G = "UPDATE deposits SET state = \'stored\' WHERE id = ?"\n'
    )
    found = offenders([bad], tmp_path)
    assert [f.split(":")[1].split()[0] for f in found] == ["1", "2", "4", "5"]


def test_the_table() -> None:
    assert PARCEL_STATES == ("expected", "depositing", "stored", "collected", "returned", "disposed", "cancelled")
    assert OPEN_STATES | FINAL_STATES == set(ParcelState) and not OPEN_STATES & FINAL_STATES
    assert set(TRANSITIONS) == set(ParcelState)
    assert all(not TRANSITIONS[s] for s in FINAL_STATES)  # a final state never moves
    assert INITIAL_STATES <= OPEN_STATES
    assert allowed(ParcelState.STORED, ParcelState.COLLECTED)
    assert not allowed(ParcelState.COLLECTED, ParcelState.STORED)
    assert not allowed(ParcelState.EXPECTED, ParcelState.COLLECTED)
    assert not allowed(None, ParcelState.COLLECTED)
    with pytest.raises(DomainError) as e:
        check_transition(ParcelState.COLLECTED, ParcelState.STORED, parcel="SF1")
    assert e.value.code == "illegal_transition" and e.value.status == 409
    assert "SF1" in e.value.message and "collected" in e.value.message


def _store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "l.db", SimClock(), "site-t")
    store.open()
    return store


def test_the_owner_refuses_an_illegal_move_and_writes_nothing(tmp_path: Path) -> None:
    store = _store(tmp_path)
    life = ParcelLifecycle(None)
    try:
        def make(tx: Tx) -> str:
            row = life.create(tx, ParcelState.EXPECTED, {"tracking_number": "SF1234567890123", "unit": "1-101"},
                              actor="staff:amy", timeline=Timeline("expected"),
                              event=Event("parcel.expected", lambda p: {"parcel_id": p["id"]}))
            return str(row["id"])

        pid = store.write_sync(make)

        def bad(tx: Tx) -> None:
            p = tx.one("SELECT * FROM parcels WHERE id = ?", (pid,))
            assert p is not None
            life.move(tx, p, ParcelState.COLLECTED, actor="staff:amy", timeline=Timeline("collected"))

        with pytest.raises(DomainError) as e:
            store.write_sync(bad)
        assert e.value.code == "illegal_transition"
        row = store.read_sync(lambda tx: tx.one("SELECT state, closed_at FROM parcels WHERE id = ?", (pid,)))
        assert row == {"state": "expected", "closed_at": None}
        kinds = store.read_sync(lambda tx: [r["kind"] for r in tx.all("SELECT kind FROM parcel_log")])
        assert kinds == ["expected"]

        def ok(tx: Tx) -> None:
            p = tx.one("SELECT * FROM parcels WHERE id = ?", (pid,))
            assert p is not None
            life.move(tx, p, ParcelState.RETURNED, actor="staff:amy")

        store.write_sync(ok)
        row = store.read_sync(lambda tx: tx.one("SELECT state, closed_at FROM parcels WHERE id = ?", (pid,)))
        assert row is not None and row["state"] == "returned" and row["closed_at"]
        with pytest.raises(ValueError):
            store.write_sync(lambda tx: life.create(tx, ParcelState.EXPECTED, {"state; DROP": 1}, actor="x"))
    finally:
        store.close()
