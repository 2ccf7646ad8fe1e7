"""After a code opened (or failed to open) doors: the door truth the kiosk shows, "door didn't open?",
the lockout the kiosk shows before anyone types, and staff completing a locker parcel by hand.

Mixed into :class:`edge.services.pickups.PickupService` (it uses its store, doors, notifier and policy).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from edge.domain import codes as codemath
from edge.domain.parcel import ParcelState
from edge.errors import DomainError, NotFound
from edge.services import attempts
from edge.services.lifecycle import Audit, Event, Notice, ParcelLifecycle, Timeline
from edge.store.db import Store, Tx

if TYPE_CHECKING:
    from edge.policy import Policy
    from edge.services.doors import DoorService
    from edge.services.notifier import Notifier

log = logging.getLogger(__name__)

#: a resident may ask for the door once more after it did not open
PICKUP_RETRIES = 1
#: door command state -> what the kiosk shows
SHOWN = {"pending": "opening", "fired": "opening", "opened": "open", "already_open": "open",
         "jammed": "jammed", "failed": "failed",
         # a restart (power cut) between the command and the sensor: the door may have opened and the parcel be
         # gone; nobody knows, so neither "did not open" nor, at the next close, "collected" (trial 2026-12-07f)
         "unknown": "restarted"}


def _last_cmd(tx: Tx, parcel_id: str) -> dict[str, Any] | None:
    return tx.one("SELECT * FROM door_commands WHERE ref = ? AND purpose = 'pickup' ORDER BY created_at DESC, id DESC"
                  " LIMIT 1", (parcel_id,))


def door_view(tx: Tx, parcel: dict[str, Any]) -> dict[str, Any]:
    """{door: opening|open|closed|jammed|failed|restarted, retries_left} for a parcel a code just opened."""
    cmd = _last_cmd(tx, parcel["id"])
    retries = tx.scalar("SELECT COUNT(*) FROM parcel_log WHERE parcel_id = ? AND kind = 'pickup_retry'",
                        (parcel["id"],)) or 0
    if parcel["state"] == "collected":
        door = "closed"
    elif cmd is None:
        door = "jammed" if parcel.get("compartment_id") else "failed"
    else:
        door = SHOWN.get(cmd["state"], "failed")
        if door == "open":
            row = tx.one("SELECT door FROM compartments WHERE id = ?", (parcel["compartment_id"],))
            door = "closed" if row and row["door"] == "closed" else "open"
    task = tx.scalar("SELECT COUNT(*) FROM tasks WHERE state = 'open' AND kind = 'pickup_failed' AND parcel_id = ?",
                     (parcel["id"],)) or 0
    return {"parcel_id": parcel["id"], "compartment": parcel.get("compartment_id"), "door": door,
            "retries_left": max(0, PICKUP_RETRIES - int(retries)),
            "staff_told": bool(task) or door == "restarted"}  # boot reconciliation opened a check task


class PickupFollowUp:
    """Mixed into PickupService, which sets these."""

    store: Store
    doors: DoorService
    notifier: Notifier
    lifecycle: ParcelLifecycle

    @property
    def policy(self) -> Policy:
        raise NotImplementedError

    async def door_status(self, parcel_id: str) -> dict[str, Any]:
        def fn(tx: Tx) -> dict[str, Any]:
            p = tx.one("SELECT * FROM parcels WHERE id = ?", (parcel_id,))
            if p is None:
                raise NotFound("parcel_unknown", "no such parcel")
            return door_view(tx, p)

        return await self.store.read(fn)

    async def retry(self, parcel_id: str, *, kiosk: str = "kiosk") -> dict[str, Any]:
        """"Door didn't open?": fire the door once more; after that, staff are told (one task)."""
        from edge.services.pickups import open_task

        def fn(tx: Tx) -> tuple[dict[str, Any], dict[str, Any] | None]:
            p = tx.one("SELECT * FROM parcels WHERE id = ?", (parcel_id,))
            if p is None or not p["compartment_id"] or _last_cmd(tx, parcel_id) is None:
                raise NotFound("parcel_unknown", "no such parcel")
            view = door_view(tx, p)
            if p["state"] != "stored":
                return view, None
            if view["retries_left"] <= 0 or view["door"] == "opening":
                open_task(tx, "pickup_failed", p["id"], p["compartment_id"],
                          f"A resident could not open {p['compartment_id']}: hand the parcel over")
                return door_view(tx, p), None
            tx.log(p["id"], "pickup_retry", "kiosk:" + kiosk)
            cmd = self.doors.create_tx(tx, p["compartment_id"], actor="resident:" + (p["unit"] or ""),
                                       reason="pickup retry", purpose="pickup", ref=p["id"])
            out = door_view(tx, p)
            out["door"] = "opening"
            return out, cmd

        view, cmd = await self.store.write(fn)
        if cmd is not None:
            await self.doors.fire(cmd)
        return view

    async def lock_status(self, *, kiosk: str = "kiosk") -> dict[str, Any]:
        """Is this kiosk locked out of codes right now (shown before anyone types)?"""
        pc = self.policy.pickup_code
        from edge.services.pickups import SITE_SCOPE

        def fn(tx: Tx) -> dict[str, Any]:
            ks, ss = attempts.load_many(tx, f"pickup:kiosk:{kiosk}", SITE_SCOPE)
            codemath.refill(ss, pc, tx.now)
            v = codemath.check(ks, ss, pc, tx.now)
            return {"locked": not v.allowed, "retry_after": int(v.retry_after_s) if not v.allowed else 0,
                    "attempts_left": codemath.attempts_left(ks, ss, pc, tx.now)}

        return await self.store.read(fn)

    async def staff_complete(self, parcel_id: str, *, actor: str, reason: str, how: str) -> dict[str, Any]:
        """Staff finish a locker parcel: ``remote_open`` (the door opens for the resident) or
        ``handed_over`` (staff took it out and gave it). The parcel is collected, with who and why: at once
        when handed over, once its door has opened and closed again when opened remotely."""
        from edge.services.doors import release_if_empty
        from edge.services.pickups import close_tasks

        if how not in ("remote_open", "handed_over"):
            raise DomainError("unknown_action", "how is remote_open or handed_over", status=422)
        if not reason or not reason.strip():
            raise DomainError("reason_required", "give a reason for this action", status=422)

        def fn(tx: Tx) -> dict[str, Any] | None:
            p = tx.one("SELECT * FROM parcels WHERE id = ?", (parcel_id,))
            if p is None:
                raise NotFound("parcel_unknown", "no such parcel")
            if p["state"] != "stored" or not p["compartment_id"]:
                raise DomainError("not_in_locker", "this parcel is not in a locker", status=409)
            if how == "remote_open":
                # collected only once the door has opened and closed again (StaffOpenHandler), as a
                # resident's pickup is: a remote open of a jammed door recorded a parcel still inside
                # the door as collected and closed its "hand it over" task
                cmd = self.doors.create_tx(tx, p["compartment_id"], actor=actor, reason=reason, purpose="remote",
                                           ref=p["id"])
                tx.emit("staff.remote_open", {"compartment": p["compartment_id"], "actor": actor, "reason": reason,
                                              "command_id": cmd["id"]})
                tx.log(p["id"], "remote_open", actor, reason=reason, compartment=p["compartment_id"])
                return cmd
            self.lifecycle.move(
                tx, p, ParcelState.COLLECTED, actor=actor,
                timeline=Timeline(how, {"reason": reason, "compartment": p["compartment_id"]}),
                audit=Audit("parcel.handover", reason, detail={"method": how, "compartment": p["compartment_id"]}),
                event=Event("parcel.collected", {
                    "parcel_id": p["id"], "tracking_number": p["tracking_number"], "compartment": p["compartment_id"],
                    "unit": p["unit"], "method": "staff_" + how}),
                notice=Notice("collected"),
            )
            close_tasks(tx, p["id"], actor)
            release_if_empty(tx, p["compartment_id"])
            return None

        cmd = await self.store.write(fn)
        if cmd is not None:
            await self.doors.fire(cmd)
            return {"parcel_id": parcel_id, "state": "stored", "door": "opening"}
        return {"parcel_id": parcel_id, "state": "collected"}


def stored_parcel_of(tx: Tx, cmd: dict[str, Any]) -> dict[str, Any] | None:
    """The parcel a door command refers to (its ref), while it is still stored in that command's compartment;
    None for a command with no parcel, or one whose parcel has left. Shared by the handlers that complete a
    parcel on a door's outcome (StaffOpenHandler here, edge/rules/removal.py RemovalHandler)."""
    if not cmd.get("ref"):
        return None
    return tx.one("SELECT * FROM parcels WHERE id = ? AND state = 'stored' AND compartment_id = ?",
                  (cmd["ref"], cmd["compartment_id"]))


class StaffOpenHandler:
    """Door commands of purpose ``remote`` whose ref is a parcel (staff opening a parcel's door for the
    resident, `staff_complete`): the parcel is collected, with who and why, when the door has opened and
    closed again; a jam or failure leaves it stored, on its timeline, with a "hand it over" task. Every
    other remote open (a compartment's, HQ's) goes on to the generic handler."""

    def __init__(self, lifecycle: ParcelLifecycle, doors: DoorService, fallback: Any) -> None:
        self.lifecycle = lifecycle
        self.doors = doors
        self.fallback = fallback

    def outcome_tx(self, tx: Tx, cmd: dict[str, Any], outcome: str) -> list[dict[str, Any]]:
        from edge.services.pickups import open_task

        p = stored_parcel_of(tx, cmd)
        if p is not None:
            bank = self.doors.banks.get(cmd["compartment_id"])
            if outcome == "opened" and bank is not None and not bank.has_sensors:
                self._collect(tx, cmd, p)  # no sensor: opening is all we will ever see
            elif outcome in ("jammed", "failed"):
                tx.log(p["id"], "remote_open_failed", "system", outcome=outcome, compartment=cmd["compartment_id"])
                open_task(tx, "pickup_failed", p["id"], cmd["compartment_id"],
                          f"{cmd['compartment_id']} did not open for staff: take the parcel out and hand it over")
        return list(self.fallback.outcome_tx(tx, cmd, outcome))

    def closed_tx(self, tx: Tx, cmd: dict[str, Any]) -> list[dict[str, Any]]:
        p = stored_parcel_of(tx, cmd)
        if p is not None:
            self._collect(tx, cmd, p)
        return list(self.fallback.closed_tx(tx, cmd))

    def _collect(self, tx: Tx, cmd: dict[str, Any], p: dict[str, Any]) -> None:
        from edge.services.pickups import close_tasks

        c = cmd["compartment_id"]
        self.lifecycle.move(
            tx, p, ParcelState.COLLECTED, actor=cmd["actor"],
            timeline=Timeline("collected", {"compartment": c}),
            audit=Audit("parcel.handover", cmd.get("reason") or "", detail={"method": "remote_open", "compartment": c}),
            event=Event("parcel.collected", {
                "parcel_id": p["id"], "tracking_number": p["tracking_number"], "compartment": c,
                "unit": p["unit"], "method": "staff_remote_open"}),
            notice=Notice("collected"),
        )
        close_tasks(tx, p["id"], cmd["actor"])
