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
#: meta key: a backup older than m015 was restored; the migration marks its doors (m015_unconfirmed_doors)
PENDING_KEY = "restore.unconfirm_pending"
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
