"""Compartments: the grid, allocation, disable/enable and faults."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from edge.config import SiteConfig
from edge.domain.sizes import Slot, free_sizes
from edge.domain.text import REASON_MAX, check_text
from edge.errors import Conflict, DomainError, NotFound
from edge.store.db import Store, Tx

log = logging.getLogger(__name__)


def get(tx: Tx, compartment: str) -> dict[str, Any]:
    row = tx.one("SELECT * FROM compartments WHERE id = ? AND configured = 1", (compartment,))
    if row is None:
        raise NotFound("compartment_unknown", f"there is no compartment {compartment}")
    return row


def set_state(tx: Tx, compartment: str, state: str, note: str | None = None) -> None:
    tx.execute(
        "UPDATE compartments SET state = ?, note = ?, updated_at = ? WHERE id = ?",
        (state, note, tx.ts, compartment),
    )


def free_slots(tx: Tx, exclude: set[str] | None = None) -> list[Slot]:
    # a door a restore left unconfirmed may hold a parcel the backup does not know of (edge/services/restore_doors.py)
    rows = tx.all("SELECT id, size, height_cm FROM compartments WHERE state = 'free' AND configured = 1"
                  " AND unconfirmed = 0")
    return [Slot(r["id"], r["size"], r["height_cm"]) for r in rows if not exclude or r["id"] not in exclude]


def raise_fault(tx: Tx, compartment: str, reason: str, **detail: Any) -> None:
    row = get(tx, compartment)
    if row["state"] == "fault":
        return
    # remember what it was so clearing the fault restores it
    set_state(tx, compartment, "fault", f"{reason}|was={row['state']}")
    tx.emit("compartment.fault", {"compartment": compartment, "reason": reason, **detail})
    tx.audit("system", "compartment.fault", compartment, reason, **detail)


def sync_from_config(tx: Tx, config: SiteConfig) -> None:
    """Make the table match the configured layout. Removed doors are kept (history) but unconfigured."""
    known = {r["id"]: r for r in tx.all("SELECT id, size, height_cm, bank, configured FROM compartments")}
    configured = set()
    for bank, c in config.compartments():
        configured.add(c.id)
        row = known.get(c.id)
        if row is None:
            tx.execute(
                "INSERT INTO compartments (id, bank, size, height_cm, updated_at) VALUES (?, ?, ?, ?, ?)",
                (c.id, bank.id, c.size, c.height_cm, tx.ts),
            )
        elif (row["size"], row["height_cm"], row["bank"], row["configured"]) != (c.size, c.height_cm, bank.id, 1):
            tx.execute(
                "UPDATE compartments SET size = ?, height_cm = ?, bank = ?, configured = 1, updated_at = ? WHERE id = ?",
                (c.size, c.height_cm, bank.id, tx.ts, c.id),
            )
    for cid, row in known.items():
        if cid not in configured and row["configured"]:
            tx.execute("UPDATE compartments SET configured = 0, updated_at = ? WHERE id = ?", (tx.ts, cid))
            log.warning("compartment %s is no longer in the config; kept in the database, unused", cid)


class CompartmentService:
    def __init__(self, store: Store, unavailable: Callable[[], set[str]] | None = None) -> None:
        self.store = store
        #: doors a deposit cannot be given now (board silent, state unknown): not counted as free
        self.unavailable = unavailable or set

    async def grid(self) -> list[dict[str, Any]]:
        return await self.store.read(
            lambda tx: tx.all(
                "SELECT c.id, c.bank, c.size, c.height_cm, c.state, c.door, c.note,"
                " (SELECT COUNT(*) FROM parcels p WHERE p.compartment_id = c.id"
                "   AND p.state IN ('depositing','stored')) AS parcels"
                " FROM compartments c WHERE c.configured = 1 ORDER BY c.id"
            )
        )

    async def free_by_size(self) -> dict[str, int]:
        exclude = self.unavailable()
        return await self.store.read(lambda tx: free_sizes(free_slots(tx, exclude=exclude)))

    async def disable(self, compartment: str, *, actor: str, reason: str) -> dict[str, Any]:
        _need_reason(reason)

        def fn(tx: Tx) -> dict[str, Any]:
            row = get(tx, compartment)
            if row["state"] == "disabled":
                return row
            if row["state"] == "reserved":
                raise Conflict("compartment_busy", f"{compartment} is in use by a deposit right now")
            # an occupied compartment may be disabled: the parcel stays collectable
            note = f"{reason}|was={row['state']}"
            set_state(tx, compartment, "disabled", note)
            tx.emit("compartment.disabled", {"compartment": compartment, "reason": reason, "actor": actor})
            tx.audit(actor, "compartment.disable", compartment, reason)
            return get(tx, compartment)

        return await self.store.write(fn)

    async def enable(self, compartment: str, *, actor: str, reason: str = "") -> dict[str, Any]:
        def fn(tx: Tx) -> dict[str, Any]:
            row = get(tx, compartment)
            if row["state"] != "disabled":
                return row
            set_state(tx, compartment, _restored_state(tx, compartment))
            tx.emit("compartment.enabled", {"compartment": compartment, "reason": reason, "actor": actor})
            tx.audit(actor, "compartment.enable", compartment, reason)
            return get(tx, compartment)

        return await self.store.write(fn)

    async def clear_fault(self, compartment: str, *, actor: str, reason: str) -> dict[str, Any]:
        _need_reason(reason)

        def fn(tx: Tx) -> dict[str, Any]:
            row = get(tx, compartment)
            if row["state"] != "fault":
                return row
            set_state(tx, compartment, _restored_state(tx, compartment))
            tx.emit("compartment.enabled", {"compartment": compartment, "reason": reason, "actor": actor})
            tx.audit(actor, "compartment.clear_fault", compartment, reason)
            tx.execute(
                "UPDATE tasks SET state = 'done', done_at = ?, done_by = ? WHERE compartment_id = ?"
                " AND state = 'open' AND kind IN ('check_compartment', 'door_jammed', 'restart_unknown')",
                (tx.ts, actor, compartment),
            )
            return get(tx, compartment)

        return await self.store.write(fn)


def _restored_state(tx: Tx, compartment: str) -> str:
    """What a compartment goes back to: occupied if a parcel is inside, free otherwise."""
    n = tx.scalar(
        "SELECT COUNT(*) FROM parcels WHERE compartment_id = ? AND state IN ('stored','depositing')",
        (compartment,),
    )
    return "occupied" if n else "free"


def _need_reason(reason: str) -> None:
    if not reason or not reason.strip():
        raise DomainError("reason_required", "give a reason; it is kept in the audit log", status=422)
    check_text(reason, "reason", REASON_MAX)  # bounded, no control characters
