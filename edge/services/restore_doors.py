"""Doors a restore left unconfirmed (issue 18; ADR 0057).

A backup restored onto a new Pi does not know what the replaced unit stored after the backup was taken: every
door the backup shows empty may hold a parcel. `lockerd restore` marks those doors unconfirmed
(`compartments.unconfirmed`), deposits never get one (`compartments.free_slots`), and staff clear them on the
console's reconcile page after a walk: "empty", "holds a parcel" (a found parcel for the desk), or a whole bank
confirmed empty. Nothing here opens a door: looking inside is the console's usual confirmed remote open.
Pickups of parcels the backup knows are untouched (their doors are occupied, never unconfirmed).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from typing import Any

from edge.domain.text import check_text
from edge.errors import Conflict, DomainError
from edge.services import compartments as comps
from edge.store.db import Store, Tx

log = logging.getLogger(__name__)

#: what `lockerd restore` marks (doors without a parcel the backup knows of)
MARK_SQL = (
    "UPDATE compartments SET unconfirmed = 1 WHERE configured = 1 AND state IN ('free','disabled','fault')"
    " AND NOT EXISTS (SELECT 1 FROM parcels p WHERE p.compartment_id = compartments.id"
    " AND p.state IN ('depositing','stored'))"
)
#: meta key: a backup older than m016 was restored; the migration marks its doors (m016_unconfirmed_doors)
PENDING_KEY = "restore.unconfirm_pending"
#: meta keys: the stream the backup's last event was published in, and its seq (HQ's events after it are the
#: replaced unit's, made after the backup)
BACKUP_STREAM_KEY, BACKUP_SEQ_KEY = "restore.backup_stream", "restore.backup_seq"
#: the HQ actor the doors HQ's events showed filled are recorded by
HQ_ACTOR = "hq:events-after-backup"
WAYBILL_MAX = 64
UNIT_MAX = 32


def mark_after_restore(conn: sqlite3.Connection) -> int:
    """Mark the restored database's empty doors unconfirmed (inside the caller's transaction). Returns how many."""
    cols = {r[1] for r in conn.execute("PRAGMA table_info(compartments)")}
    if "unconfirmed" not in cols:
        conn.execute("INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT(key) DO UPDATE SET value = '1'",
                     (PENDING_KEY,))
        return int(conn.execute("SELECT COUNT(*) FROM compartments WHERE configured = 1 AND state != 'occupied'")
                   .fetchone()[0])
    return int(conn.execute(MARK_SQL).rowcount)


def remember_backup_end(conn: sqlite3.Connection, stream: str, seq: int) -> None:
    for key, value in ((BACKUP_STREAM_KEY, stream), (BACKUP_SEQ_KEY, str(seq))):
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                     (key, value))


def doors_from_events(events: list[dict[str, Any]]) -> tuple[dict[str, dict[str, str]], set[str]]:
    """What the replaced unit's events after the backup say of its doors, in order: the doors still holding a
    parcel at its last event (door -> waybill and unit), and the doors it filled and emptied again."""
    where: dict[str, str] = {}  # parcel -> door
    holds: dict[str, dict[str, str]] = {}
    touched: set[str] = set()
    for e in events:
        data = e.get("data") or {}
        if not isinstance(data, dict) or not str(e.get("type", "")).startswith("parcel."):
            continue
        pid, door = str(data.get("parcel_id") or ""), data.get("compartment")
        if e["type"] == "parcel.stored" and isinstance(door, str) and door:
            where[pid] = door
            touched.add(door)
            holds[door] = {"waybill": str(data.get("tracking_number") or ""), "unit": str(data.get("unit") or "")}
        elif pid in where and e["type"] in ("parcel.stored", "parcel.collected", "parcel.returned", "parcel.disposed"):
            holds.pop(where.pop(pid), None)  # collected, or moved to the parcel room (stored with no door)
    return holds, touched - set(holds)


class RestoreDoorService:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def pending(self) -> list[dict[str, Any]]:
        """The unconfirmed doors, by bank and id."""
        return await self.store.read(lambda tx: tx.all(
            "SELECT id, bank, size, state FROM compartments WHERE configured = 1 AND unconfirmed = 1 ORDER BY bank, id"))

    async def count(self) -> int:
        return int(await self.store.read(lambda tx: tx.scalar(
            "SELECT COUNT(*) FROM compartments WHERE configured = 1 AND unconfirmed = 1")) or 0)

    async def backup_end(self) -> tuple[str, int] | None:
        """(stream, seq) of the backup's last event, when this database was restored from one."""
        def fn(tx: Tx) -> tuple[str, int] | None:
            stream, seq = tx.meta_get(BACKUP_STREAM_KEY), tx.meta_get(BACKUP_SEQ_KEY)
            return (stream, int(seq)) if stream and seq else None

        return await self.store.read(fn)

    async def apply_hq(self, events: list[dict[str, Any]]) -> dict[str, Any]:
        """Record the doors HQ's copy of the replaced unit's later events show holding a parcel (as staff would
        with "holds a parcel"); never opens a door, never confirms one empty: an event the old unit had not sent
        when it died is not at HQ, so the walk still checks the rest."""
        holds, emptied = doors_from_events(events)
        pending = {r["id"] for r in await self.pending()}
        recorded = []
        for door, seen in sorted(holds.items()):
            if door in pending:
                await self.holds_parcel(door, actor=HQ_ACTOR, waybill=seen["waybill"], unit=seen["unit"])
                recorded.append(door)
        return {"events": len(events), "holds": recorded, "emptied": sorted(emptied & pending),
                "still_to_check": await self.count()}

    async def confirm_empty(self, compartment: str, *, actor: str) -> dict[str, Any]:
        def fn(tx: Tx) -> dict[str, Any]:
            row = _unconfirmed(tx, compartment)
            _clear(tx, row["id"])
            tx.emit("compartment.confirmed_empty", {"compartment": row["id"], "actor": actor})
            tx.audit(actor, "compartment.confirm_empty", row["id"], "checked empty after a restore")
            return comps.get(tx, row["id"])

        return await self.store.write(fn)

    async def confirm_bank_empty(self, bank: str, *, actor: str) -> list[str]:
        """A walk found every unconfirmed door of `bank` empty. Returns the doors confirmed."""
        def fn(tx: Tx) -> list[str]:
            ids = [r["id"] for r in tx.all(
                "SELECT id FROM compartments WHERE configured = 1 AND unconfirmed = 1 AND bank = ? ORDER BY id",
                (bank,))]
            if not ids:
                raise DomainError("bank_nothing_unconfirmed", f"bank {bank} has no door waiting to be checked",
                                  status=409)
            for cid in ids:
                _clear(tx, cid)
            tx.emit("compartment.bank_confirmed_empty", {"bank": bank, "compartments": ids, "actor": actor})
            tx.audit(actor, "compartment.confirm_bank_empty", bank, "walked after a restore: all empty",
                     compartments=ids)
            return ids

        return await self.store.write(fn)

    async def holds_parcel(self, compartment: str, *, actor: str, waybill: str = "", unit: str = "") -> dict[str, Any]:
        """A parcel the backup does not know of is in this door: keep the door out of use and give the desk a
        task to take it out and book it in (waybill and unit when readable)."""
        waybill, unit = waybill.strip().upper(), unit.strip()
        if waybill:
            check_text(waybill, "waybill", WAYBILL_MAX)
        if unit:
            check_text(unit, "unit", UNIT_MAX)

        def fn(tx: Tx) -> dict[str, Any]:
            row = _unconfirmed(tx, compartment)
            cid = row["id"]
            _clear(tx, cid)
            was = "free" if row["state"] == "free" else (row["note"] or "").partition("|was=")[2] or "free"
            comps.set_state(tx, cid, "disabled", f"found_parcel|was={was}")
            detail = {"waybill": waybill or None, "unit": unit or None}
            tx.execute(
                "INSERT INTO tasks (kind, compartment_id, title, detail, created_at) VALUES ('found_parcel', ?, ?, ?, ?)",
                (cid, f"Parcel found in {cid} after a restore", json.dumps(detail, ensure_ascii=False), tx.ts),
            )
            tx.emit("compartment.found_parcel", {"compartment": cid, "actor": actor, **detail})
            tx.audit(actor, "compartment.found_parcel", cid, "parcel found after a restore", **detail)
            return comps.get(tx, cid)

        return await self.store.write(fn)


def _unconfirmed(tx: Tx, compartment: str) -> dict[str, Any]:
    row = comps.get(tx, compartment)
    if not row["unconfirmed"]:
        raise Conflict("compartment_confirmed", f"{compartment} is not waiting to be checked")
    return row


def _clear(tx: Tx, compartment: str) -> None:
    tx.execute("UPDATE compartments SET unconfirmed = 0, updated_at = ? WHERE id = ?", (tx.ts, compartment))
