"""Read-only queries for the console pages (run through ``await store.read(fn)``). No writes here."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from datetime import timedelta
from typing import Any

from edge.clock import parse_iso, utc_iso
from edge.domain.parcel import PARCEL_STATES as PARCEL_STATES  # defined once (edge/domain/parcel.py)
from edge.domain.sizes import accessible
from edge.domain.vocab import CATEGORIES as CATEGORIES  # defined once (edge/domain/vocab.py)
from edge.services import site_counts
from edge.store.db import Tx

GRID_STATES = ("free", "occupied", "open", "fault", "disabled", "reserved")
ALARM_TYPES = ("door.jammed", "door.forced_open", "door.left_open", "compartment.fault", "security.code_lockout")
#: storage stage -> grade when no tracking anomalies are known
STAGE_GRADE = {None: "green", "": "green", "reminded": "green", "overdue": "yellow", "noticed": "red",
               "disposal_due": "red"}


def table_exists(tx: Tx, name: str) -> bool:
    return bool(tx.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)))


def display_state(row: dict[str, Any]) -> str:
    """What the grid shows: a retired door (no longer in the config, still holding a parcel) says so; an open door
    wins over free/occupied; fault and disabled win over the rest."""
    if not row.get("configured", 1):
        return "retired"
    if row["state"] in ("fault", "disabled"):
        return row["state"]
    if row["door"] == "open":
        return "open"
    return row["state"]


#: the parcels in lockers first (one pass over the parcels_state index), joined by compartment through
#: the automatic index SQLite builds on them: joining `parcels` itself looked up every stored parcel
#: per compartment (400 x 400 rows, ~15 ms on a quiet 2-CPU machine, for every grid read)
_GRID_FROM = (
    " FROM compartments c LEFT JOIN (SELECT id, compartment_id, tracking_number, unit, stage, stored_at FROM parcels"
    " WHERE state IN ('depositing','stored') AND compartment_id IS NOT NULL LIMIT -1) p ON p.compartment_id = c.id"
    # a door retired from the config is kept in the table; while a parcel is still in it, the grid shows it
    " WHERE (c.configured = 1 OR p.id IS NOT NULL)"
)
_GRID_ORDER = " ORDER BY c.bank, length(c.id), c.id"


def grid(tx: Tx, only: Collection[str] | None = None) -> dict[str, Any]:
    """The compartment grid; ``only``: just these compartments (the live feed's changed cells)."""
    where, args = "", tuple[str, ...]()
    if only is not None:
        ids = list(only)
        if not ids:
            return {"cells": [], "counts": {s: 0 for s in GRID_STATES}, "now": tx.ts}
        where, args = f" AND c.id IN ({','.join('?' * len(ids))})", tuple(ids)
    rows = tx.all(
        "SELECT c.id, c.bank, c.size, c.height_cm, c.state, c.door, c.note, c.door_changed_at, c.configured,"
        " p.id AS parcel_id, p.tracking_number, p.unit, p.stage, p.stored_at" + _GRID_FROM + where + _GRID_ORDER,
        args,
    )
    cells: dict[str, dict[str, Any]] = {}
    for r in rows:
        cell = cells.get(r["id"])
        if cell is None:
            cell = {"id": r["id"], "bank": r["bank"], "size": r["size"], "state": r["state"], "door": r["door"],
                    "show": display_state(r), "low": accessible(r["size"], r["height_cm"]), "parcels": [],
                    "retired": not r["configured"],
                    "note": (r["note"] or "").split("|")[0]}
            cells[r["id"]] = cell
        if r["parcel_id"]:
            cell["parcels"].append({"id": r["parcel_id"], "tracking_number": r["tracking_number"], "unit": r["unit"],
                                    "grade": STAGE_GRADE.get(r["stage"], "green")})
    return {"cells": list(cells.values()), "counts": count_cells(cells.values()), "now": tx.ts}


def opened_since_fault(tx: Tx) -> dict[str, str]:
    """Faulted compartment -> when a door command last opened it after the fault was raised (the fault's
    set_state is the compartment's last update: nothing else changes a faulted compartment's row but
    its door columns)."""
    rows = tx.all(
        "SELECT c.id, MAX(d.resolved_at) AS at FROM compartments c JOIN door_commands d ON d.compartment_id = c.id"
        " WHERE c.state = 'fault' AND d.state IN ('opened', 'already_open') AND d.resolved_at > c.updated_at"
        " GROUP BY c.id")
    return {r["id"]: r["at"] for r in rows}


def count_cells(cells: Iterable[dict[str, Any]]) -> dict[str, int]:
    counts = {s: 0 for s in GRID_STATES}
    for c in cells:
        counts[c["show"]] = counts.get(c["show"], 0) + 1
    return counts


def grid_signatures(tx: Tx) -> dict[str, str]:
    """compartment id -> a string of every column its grid cell is made of, in grid order.

    SQLite builds ONE string in C (the whole grid), so telling what changed costs the loop (and the
    GIL) next to nothing; only changed cells are then read in full (the live feed, issue 18)."""
    raw = tx.scalar(
        "SELECT group_concat(sig, char(30)) FROM (SELECT c.id || char(31) || c.bank || '|' || c.size || '|'"
        " || ifnull(c.height_cm, '') || '|' || c.state || '|' || ifnull(c.door, '') || '|' || ifnull(c.note, '')"
        " || '|' || c.configured"
        " || '|' || group_concat(ifnull(p.id, '') || ',' || ifnull(p.tracking_number, '') || ','"
        " || ifnull(p.unit, '') || ',' || ifnull(p.stage, ''), ';') AS sig" + _GRID_FROM
        + " GROUP BY c.id" + _GRID_ORDER + ")"
    )
    out: dict[str, str] = {}
    for part in (raw or "").split("\x1e"):
        cid, _, sig = part.partition("\x1f")
        if cid:
            out[cid] = sig
    return out


def grades(tx: Tx, anomaly_parcels: dict[str, str] | None = None) -> dict[str, int]:
    """Stored parcels graded green / yellow / red (tracking anomalies when known, else storage stage).

    Counted by SQLite (GROUP BY stage), then the few parcels with an open anomaly moved up a grade."""
    out = {"green": 0, "yellow": 0, "red": 0}
    for r in tx.all("SELECT stage, COUNT(*) AS n FROM parcels WHERE state = 'stored' GROUP BY stage"):
        out[STAGE_GRADE.get(r["stage"], "green")] += int(r["n"])
    ids = list(anomaly_parcels or {})
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        for r in tx.all(f"SELECT id, stage FROM parcels WHERE state = 'stored' AND id IN ({','.join('?' * len(chunk))})",
                        chunk):
            g = STAGE_GRADE.get(r["stage"], "green")
            a = (anomaly_parcels or {})[r["id"]]
            if a == "red" or (a == "yellow" and g == "green"):
                out[g] -= 1
                out[a] += 1
    return out


def alarms(tx: Tx, hours: float = 24, limit: int = 20) -> list[dict[str, Any]]:
    since = utc_iso(tx.now - timedelta(hours=hours))
    marks = ",".join("?" * len(ALARM_TYPES))
    rows = tx.all(
        f"SELECT seq, type, ts, data FROM events WHERE type IN ({marks}) AND ts >= ? ORDER BY seq DESC LIMIT ?",
        (*ALARM_TYPES, since, limit),
    )
    for r in rows:
        r["data"] = _json(r["data"])
    return _one_per_jammed_door(rows)


def _one_per_jammed_door(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A door's jams are one alarm (the newest, with how many), as they are one ``door_jammed`` task: the
    ``door.jammed`` of each try and the ``compartment.fault`` it raised say the same thing to the desk."""
    out: list[dict[str, Any]] = []
    jammed: dict[str, dict[str, Any]] = {}
    for r in rows:
        data = r["data"] if isinstance(r["data"], dict) else {}
        c = data.get("compartment")
        is_jam = r["type"] == "door.jammed" or (r["type"] == "compartment.fault" and data.get("reason") == "door_jammed")
        if not (is_jam and c):
            out.append(r)
            continue
        row = jammed.get(c)
        if row is None:
            row = jammed[c] = {**r, "type": "door.jammed", "data": {**data, "compartment": c}, "jams": 0}
            out.append(row)
        if r["type"] == "door.jammed":
            row["jams"] += 1
    for row in jammed.values():
        row["jams"] = max(row["jams"], 1)
    return out


def summary(tx: Tx) -> dict[str, Any]:
    """The dashboard's figures, from the one read model of the site's counts (telemetry and /metrics too)."""
    c = site_counts.read(tx)
    return {"stored": c.stored, "overdue": c.overdue, "doors_open": c.doors_open, "faults": len(c.faults),
            "open_tasks": c.open_tasks, "outbox": c.outbox_depth}


def search_parcels(tx: Tx, *, q: str = "", unit: str = "", carrier: str = "", state: str = "", min_age_days: float = 0,
                   parcel_ids: list[str] | None = None, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    where, args = ["1=1"], []
    if q:
        where.append("tracking_number LIKE ?")
        args.append("%" + q.replace("%", "").replace("_", "") + "%")
    if unit:
        where.append("unit = ?")
        args.append(unit)
    if carrier:
        where.append("carrier = ?")
        args.append(carrier)
    if state:
        if state in ("overdue", "noticed", "disposal_due", "reminded"):
            where.append("state = 'stored' AND stage = ?")
        else:
            where.append("state = ?")
        args.append(state)
    if min_age_days > 0:
        where.append("COALESCE(stored_at, created_at) <= ?")
        args.append(utc_iso(tx.now - timedelta(days=min_age_days)))
    if parcel_ids is not None:
        if not parcel_ids:
            return []
        where.append(f"id IN ({','.join('?' * len(parcel_ids))})")
        args.extend(parcel_ids)
    sql = (
        "SELECT id, tracking_number, carrier, unit, category, state, stage, compartment_id, shelf_slot, stored_at,"
        " created_at, closed_at, hold_until,"
        " (SELECT c.company FROM couriers c WHERE c.id = parcels.courier_id) AS courier_company"
        " FROM parcels WHERE " + " AND ".join(where) +
        " ORDER BY COALESCE(stored_at, created_at) DESC LIMIT ? OFFSET ?"
    )
    return tx.all(sql, (*args, limit, offset))


def carriers(tx: Tx) -> list[str]:
    return [r["carrier"] for r in tx.all("SELECT DISTINCT carrier FROM parcels WHERE carrier IS NOT NULL ORDER BY 1")]


def parcel(tx: Tx, parcel_id: str) -> dict[str, Any] | None:
    row = tx.one("SELECT * FROM parcels WHERE id = ?", (parcel_id,))
    if row is None:
        row = tx.one("SELECT * FROM parcels WHERE tracking_number = ? ORDER BY created_at DESC LIMIT 1", (parcel_id,))
    if row is not None:
        row["courier_company"] = tx.scalar("SELECT company FROM couriers WHERE id = ?", (row.get("courier_id"),))
    return row


def parcel_carrier(p: dict[str, Any]) -> str | None:
    """The parcel's carrier code: recorded, else from the courier's company or the number (None if unknown)."""
    code = carrier_of(p.get("tracking_number") or "", p.get("carrier"), p.get("courier_company"))
    return None if code == "?" else code


def parcel_log(tx: Tx, parcel_id: str) -> list[dict[str, Any]]:
    rows = tx.all("SELECT ts, kind, actor, detail FROM parcel_log WHERE parcel_id = ? ORDER BY id", (parcel_id,))
    for r in rows:
        r["detail"] = _json(r["detail"])
    return rows


def open_parcels_for_unit(tx: Tx, unit: str) -> list[dict[str, Any]]:
    return tx.all(
        "SELECT id, tracking_number, carrier, category, compartment_id, shelf_slot, stored_at FROM parcels"
        " WHERE unit = ? AND state = 'stored' ORDER BY stored_at", (unit,))


def expected(tx: Tx, limit: int = 200) -> list[dict[str, Any]]:
    return tx.all(
        "SELECT id, tracking_number, carrier, unit, category, expected_by, cross_border, source, created_at"
        " FROM parcels WHERE state = 'expected' ORDER BY created_at DESC LIMIT ?", (limit,))


def tasks(tx: Tx, state: str = "open", limit: int = 300) -> list[dict[str, Any]]:
    rows = tx.all(
        "SELECT t.*, p.tracking_number, p.unit, p.carrier, p.stage, p.stored_at, p.shelf_slot AS p_shelf,"
        " p.compartment_id AS p_compartment FROM tasks t LEFT JOIN parcels p ON p.id = t.parcel_id"
        " WHERE t.state = ? ORDER BY COALESCE(t.due_at, t.created_at) LIMIT ?", (state, limit))
    for r in rows:
        r["detail"] = _json(r["detail"])
    return rows


def audit(tx: Tx, *, actor: str = "", action: str = "", limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    where, args = ["1=1"], []
    if actor:
        where.append("actor = ?")
        args.append(actor)
    if action:
        where.append("action LIKE ?")
        args.append(action.replace("%", "") + "%")
    rows = tx.all(
        "SELECT a.*, (SELECT p.tracking_number FROM parcels p WHERE p.id = a.target) AS tracking_number,"
        " (SELECT c.company FROM couriers c WHERE c.id = a.target) AS courier_company,"
        " (SELECT c.name FROM couriers c WHERE c.id = a.target) AS courier_name,"
        # what a task, a message, an alert or an HQ command was about (their audit rows hold their ids)
        " CASE WHEN a.action LIKE 'task.%' THEN (SELECT json_object('kind', t.kind, 'title', t.title,"
        "   'compartment_id', t.compartment_id, 'tracking_number', COALESCE(p.tracking_number, tt.tracking_number))"
        "   FROM tasks t LEFT JOIN parcels p ON p.id = t.parcel_id LEFT JOIN tracking_tasks tt ON tt.task_id = t.id"
        "   WHERE t.id = CAST(a.target AS INTEGER)) END AS task_of,"
        " CASE WHEN a.action LIKE 'message.%' THEN (SELECT json_object('unit', m.unit, 'tracking_number',"
        "   m.tracking_number, 'kind', m.kind) FROM messages m WHERE m.id = a.target) END AS message_of,"
        " CASE WHEN a.action LIKE 'alert.%' THEN (SELECT json_object('zh', s.text_zh, 'en', s.text_en,"
        "   'tracking_number', s.tracking_number) FROM staff_alerts s WHERE s.id = CAST(a.target AS INTEGER)) END"
        "   AS alert_of,"
        " CASE WHEN a.action LIKE 'cmd.%' THEN (SELECT json_object('type', i.type, 'data',"
        "   json_extract(i.payload, '$.data')) FROM cloud_inbox i WHERE i.id = a.target) END AS command_of"
        " FROM audit a WHERE " + " AND ".join(where) + " ORDER BY a.id DESC LIMIT ? OFFSET ?",
        (*args, limit, offset))
    for r in rows:
        for key in ("task_of", "message_of", "alert_of", "command_of"):
            r[key] = _json(r[key]) if r[key] else None
    return rows


def carrier_of(tracking_number: str, carrier: str | None, company: str | None) -> str:
    """A deposit's carrier code: as recorded, else the courier's company, else the number's pattern."""
    from edge.services.directory import parcel_carrier_code

    return carrier or parcel_carrier_code(tracking_number, company) or "?"


def carrier_storage_report(tx: Tx, days: int) -> list[dict[str, Any]]:
    """Per carrier, every parcel delivered here in the last `days` (stored by a courier's deposit or a desk
    intake, not only pre-registered ones): parcels, collected, still in storage, overdue, returned or
    disposed, average storage hours. parcels = collected + in storage + returned.

    Delivered means stored: a deposit the courier cancelled, or one whose doors jammed, never stored its
    parcel (cancelled, or expected again) and is not the carrier's; nor is a pre-registered parcel sent back
    before it arrived (expected -> returned). A parcel counts in the period it was stored in."""
    since = utc_iso(tx.now - timedelta(days=days))
    rows = tx.all(
        "SELECT p.tracking_number, p.carrier, c.company, p.state, p.stage, p.stored_at, p.closed_at"
        " FROM parcels p LEFT JOIN couriers c ON c.id = p.courier_id"
        " WHERE p.stored_at >= ? AND p.state IN ('stored', 'collected', 'returned', 'disposed')", (since,))
    by: dict[str, dict[str, Any]] = {}
    for r in rows:
        code = carrier_of(r["tracking_number"], r["carrier"], r["company"])
        b = by.setdefault(code, {"carrier": code, "parcels": 0, "collected": 0, "in_storage": 0, "overdue": 0,
                                 "returned": 0, "_h": []})
        b["parcels"] += 1
        b["collected"] += r["state"] == "collected"
        b["in_storage"] += r["state"] == "stored"
        b["overdue"] += r["stage"] in ("overdue", "noticed", "disposal_due")
        b["returned"] += r["state"] in ("returned", "disposed")
        if r["closed_at"] and r["stored_at"]:
            b["_h"].append((parse_iso(r["closed_at"]) - parse_iso(r["stored_at"])).total_seconds() / 3600)
    out = []
    for b in sorted(by.values(), key=lambda b: -b["parcels"]):
        hours = b.pop("_h")
        b["avg_storage_h"] = round(sum(hours) / len(hours), 1) if hours else None
        out.append(b)
    return out


def door_commands(tx: Tx, compartment: str, limit: int = 10) -> list[dict[str, Any]]:
    return tx.all("SELECT created_at, actor, reason, purpose, state FROM door_commands WHERE compartment_id = ?"
                  " ORDER BY created_at DESC LIMIT ?", (compartment, limit))


def _json(text: Any) -> Any:
    try:
        return json.loads(text) if isinstance(text, str) else text
    except ValueError:
        return text
