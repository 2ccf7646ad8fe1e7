"""Courier deposits: choose a door, open it, store the parcel when the door is seen closed.

One deposit costs two durable commits: the start (deposit, parcel, reservation and the pending door
command together) and the close (parcel stored, code issued, events and the resident's message).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from edge.domain.parcel import ParcelState
from edge.domain.sizes import ORDER, SIZES, choose, free_sizes
from edge.errors import Conflict, DomainError, NotFound
from edge.ids import uuid7
from edge.policy import Policy
from edge.services import compartments as comps
from edge.services import directory
from edge.services import parcels as P
from edge.services.doors import DoorService, release_if_empty, set_door
from edge.services.lifecycle import Event, Notice, ParcelLifecycle, Timeline
from edge.services.notifier import Notifier
from edge.store.db import Store, Tx

log = logging.getLogger(__name__)

#: doors tried for one deposit before it fails plainly ("two jams in a row")
MAX_DOOR_TRIES = 2


class DepositService:
    def __init__(self, store: Store, doors: DoorService, notifier: Notifier, policy_fn: Callable[[], Policy]) -> None:
        self.store = store
        self.doors = doors
        self.notifier = notifier
        self.lifecycle = ParcelLifecycle(notifier)
        self._policy = policy_fn
        doors.handlers["deposit"] = self
        doors.handlers["deposit_cancel"] = _CancelHandler(self)

    @property
    def policy(self) -> Policy:
        return self._policy()

    # --- start --------------------------------------------------------------------------------
    async def start(
        self,
        courier: dict[str, Any],
        *,
        tracking_number: str,
        size: str | None = None,
        unit: str | None = None,
        phone_tail: str | None = None,
        category: str | None = None,
        low_door: bool = False,
    ) -> dict[str, Any]:
        tn = P.normalise_tracking(tracking_number)
        if size is not None and size not in ORDER:
            raise DomainError("invalid_size", f"size is one of {', '.join(SIZES)}", status=422)
        unit_ = P.check_unit(unit)
        tail = P.check_phone_tail(phone_tail)
        cat = P.check_category(category) if category else None
        actor = "courier:" + courier["id"]

        def fn(tx: Tx) -> dict[str, Any]:
            dup = tx.one(
                "SELECT id, state FROM parcels WHERE tracking_number = ? AND state IN ('depositing','stored')", (tn,)
            )
            if dup:
                raise Conflict("already_deposited", f"parcel {tn} is already {dup['state']} here")
            expected = tx.one(
                "SELECT * FROM parcels WHERE tracking_number = ? AND state = 'expected' ORDER BY created_at LIMIT 1",
                (tn,),
            )
            r_unit = expected["unit"] if expected else unit_
            r_tail = (expected["phone_tail"] or tail) if expected else tail
            if not r_unit:
                raise DomainError(
                    "recipient_required",
                    "this parcel is not pre-registered: enter the recipient's unit and phone tail",
                    status=422,
                )
            r_cat = cat or (expected["category"] if expected else "normal")
            directory.check_recipient(tx, r_unit, r_cat, list(self.policy.locker_categories))
            wants_low = bool(low_door) or bool(
                tx.scalar("SELECT low_door FROM units WHERE unit = ?", (r_unit,)) or 0
            )
            # only doors whose board answers and whose state is known
            unavailable = self.doors.unavailable()
            slot = choose(comps.free_slots(tx, exclude=unavailable), size, low_door=wants_low)
            if slot is None:
                free = free_sizes(comps.free_slots(tx, exclude=unavailable))
                raise Conflict(
                    "no_compartment",
                    f"no free compartment of size {size or 'S'} or larger",
                    free_sizes=[s for s, n in free.items() if n],
                    free=free,
                    # doors a restore left unchecked are kept out of use (edge/services/restore_doors.py)
                    unchecked=int(tx.scalar("SELECT COUNT(*) FROM compartments WHERE configured = 1"
                                            " AND unconfirmed = 1") or 0),
                )
            fields = {"compartment_id": slot.id, "courier_id": courier["id"], "category": r_cat, "phone_tail": r_tail}
            carrier = directory.parcel_carrier_code(tn, courier.get("company"))
            if expected:
                known = {"carrier": carrier} if carrier and not expected.get("carrier") else {}
                pid = self.lifecycle.move(tx, expected, ParcelState.DEPOSITING, actor=actor, values=fields | known)["id"]
            else:
                pid = self.lifecycle.create(
                    tx, ParcelState.DEPOSITING,
                    fields | {"tracking_number": tn, "carrier": carrier, "unit": r_unit, "source": "courier"},
                    actor=actor)["id"]
            comps.set_state(tx, slot.id, "reserved")
            dep_id = uuid7(tx.now)
            cmd = self.doors.create_tx(tx, slot.id, actor=actor, reason="deposit", purpose="deposit", ref=dep_id)
            tx.execute(
                "INSERT INTO deposits (id, parcel_id, courier_id, compartment_id, size, state, door_command_id,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'depositing', ?, ?, ?)",
                (dep_id, pid, courier["id"], slot.id, slot.size, cmd["id"], tx.ts, tx.ts),
            )
            tx.log(pid, "deposit_started", actor, compartment=slot.id, deposit_id=dep_id, matched_expected=bool(expected))
            return {"deposit_id": dep_id, "compartment": slot.id, "size": slot.size, "cmd": cmd, "parcel_id": pid}

        res = await self.store.write(fn)
        cmd = res.pop("cmd")
        await self.doors.fire(cmd)
        # DESIGN.md section 3's "door": "open" is the open command, sent; "failed" when it could not be sent (the
        # deposit moves to another door or fails, as GET /deposits/{id} then says). Whether the door IS open is the
        # sensor's word, which comes later: "door_confirmed" is false here, and GET /deposits/{id}'s "door" and the
        # kiosk stream's door events give it (ADR 0040)
        res["door"] = "failed" if cmd["state"] == "failed" else "open"
        res["door_confirmed"] = False
        return res

    # --- status and cancel ------------------------------------------------------------------------
    async def status(self, deposit_id: str, courier: dict[str, Any] | None = None) -> dict[str, Any]:
        def fn(tx: Tx) -> dict[str, Any]:
            d = tx.one("SELECT * FROM deposits WHERE id = ?", (deposit_id,))
            if d is None or (courier is not None and d["courier_id"] != courier["id"]):
                raise NotFound("deposit_unknown", "no such deposit")
            return d

        d = await self.store.read(fn)
        state = {"cancelling": "depositing"}.get(d["state"], d["state"])
        out = {
            "deposit_id": d["id"],
            "state": state,
            "cancelling": d["state"] == "cancelling",
            "parcel_id": d["parcel_id"],
            "compartment": d["compartment_id"],
            "door": self.doors.door_state(d["compartment_id"]) if d["compartment_id"] else "unknown",
        }
        if d["failure"]:
            out["message"] = _FAILURES.get(d["failure"], d["failure"])
            out["failure"] = d["failure"]
        return out

    async def cancel(self, deposit_id: str, courier: dict[str, Any]) -> dict[str, Any]:
        """The courier takes the parcel back: the door opens again; cancelled once it is closed."""
        actor = "courier:" + courier["id"]

        def fn(tx: Tx) -> dict[str, Any] | None:
            d = tx.one("SELECT * FROM deposits WHERE id = ?", (deposit_id,))
            if d is None or d["courier_id"] != courier["id"]:
                raise NotFound("deposit_unknown", "no such deposit")
            if d["state"] == "cancelling":
                return None
            if d["state"] != "depositing":
                raise Conflict("deposit_finished", f"this deposit is already {d['state']}")
            cmd = self.doors.create_tx(
                tx, d["compartment_id"], actor=actor, reason="deposit cancelled", purpose="deposit_cancel", ref=d["id"]
            )
            tx.execute(
                "UPDATE deposits SET state = 'cancelling', door_command_id = ?, updated_at = ? WHERE id = ?",
                (cmd["id"], tx.ts, d["id"]),
            )
            tx.log(d["parcel_id"], "deposit_cancelling", actor, deposit_id=d["id"])
            return cmd

        cmd = await self.store.write(fn)
        if cmd is not None:
            await self.doors.fire(cmd)
        return await self.status(deposit_id)

    async def confirm_closed(self, deposit_id: str, courier: dict[str, Any]) -> dict[str, Any]:
        """For doors without a sensor: the courier says the door is shut."""
        d = await self.status(deposit_id, courier)
        bank = self.doors.banks.get(d["compartment"] or "")
        if bank is None or bank.has_sensors:
            raise DomainError("sensor_present", "this door reports its own state; just close it", status=409)

        def fn(tx: Tx) -> list[dict[str, Any]]:
            cmd = tx.one("SELECT * FROM door_commands WHERE ref = ? ORDER BY created_at DESC LIMIT 1", (deposit_id,))
            if cmd is None:
                return []
            handler = self.doors.handlers[cmd["purpose"]]
            return handler.closed_tx(tx, cmd)

        await self.store.write(fn)
        return await self.status(deposit_id)

    # --- door events (PurposeHandler) ---------------------------------------------------------------
    def outcome_tx(self, tx: Tx, cmd: dict[str, Any], outcome: str) -> list[dict[str, Any]]:
        if outcome in ("opened", "already_open"):
            return []
        d = tx.one("SELECT * FROM deposits WHERE id = ?", (cmd["ref"],))
        if d is None or d["state"] != "depositing":
            return []
        if outcome == "unknown":
            # the board did not answer: the door may be open, so the deposit never moves to a second
            # door; the compartment is held and staff check it (as after a restart mid-deposit)
            tx.execute(
                "UPDATE deposits SET state = 'failed', failure = 'door_unconfirmed', updated_at = ? WHERE id = ?",
                (tx.ts, d["id"]),
            )
            c = d["compartment_id"]
            tx.execute(
                "INSERT INTO tasks (kind, parcel_id, compartment_id, title, detail, created_at)"
                " VALUES ('interrupted_deposit', ?, ?, ?, ?, ?)",
                (d["parcel_id"], c, f"Deposit into {c}: the lock board did not answer. Open it, then confirm"
                 " stored or empty", f'{{"deposit_id": "{d["id"]}"}}', tx.ts),
            )
            tx.log(d["parcel_id"], "deposit_failed", "system", reason="door_unconfirmed", compartment=c)
            return []
        jams = int(tx.scalar(
            "SELECT COUNT(*) FROM door_commands WHERE ref = ? AND purpose = 'deposit' AND state IN ('jammed','failed')",
            (d["id"],),
        ) or 0)
        if jams >= MAX_DOOR_TRIES:
            # two doors in a row did not open: stop moving the courier around, fail plainly
            self._fail(tx, d, "doors_jammed")
            return []
        # jammed (a fresh read says closed) or failed: move the deposit to another door if one fits
        exclude = self.doors.unavailable() | {d["compartment_id"]}
        slot = choose(comps.free_slots(tx, exclude=exclude), d["size"])
        if slot is None:
            self._fail(tx, d, "no_working_compartment")
            return []
        comps.set_state(tx, slot.id, "reserved")
        tx.execute("UPDATE parcels SET compartment_id = ?, updated_at = ? WHERE id = ?", (slot.id, tx.ts, d["parcel_id"]))
        new = self.doors.create_tx(tx, slot.id, actor=cmd["actor"], reason="deposit (moved)", purpose="deposit", ref=d["id"])
        tx.execute(
            "UPDATE deposits SET compartment_id = ?, size = ?, door_command_id = ?, updated_at = ? WHERE id = ?",
            (slot.id, slot.size, new["id"], tx.ts, d["id"]),
        )
        tx.log(d["parcel_id"], "deposit_moved", "system", from_compartment=d["compartment_id"], to=slot.id, why=outcome)
        return [new]

    def closed_tx(self, tx: Tx, cmd: dict[str, Any]) -> list[dict[str, Any]]:
        d = tx.one("SELECT * FROM deposits WHERE id = ?", (cmd["ref"],))
        if d is None or d["state"] != "depositing":
            return []
        self.store_tx(tx, d, actor=cmd["actor"])
        return []

    def store_tx(self, tx: Tx, d: dict[str, Any], *, actor: str) -> None:
        p = P.find(tx, d["parcel_id"])
        code = P.issue_code(tx, self.policy, p["unit"], p["phone_tail"], exclude=p["id"])
        self.lifecycle.move(
            tx, p, ParcelState.STORED, actor=actor,
            values={"pickup_code": code, "stored_at": tx.ts, "compartment_id": d["compartment_id"]},
            timeline=Timeline("stored", {"compartment": d["compartment_id"]}),
            event=Event("parcel.stored", lambda row: P.store_event_data(row, code)),
            notice=Notice("stored", code=code),
        )
        tx.execute("UPDATE deposits SET state = 'stored', updated_at = ? WHERE id = ?", (tx.ts, d["id"]))
        comps.set_state(tx, d["compartment_id"], "occupied")

    def _fail(self, tx: Tx, d: dict[str, Any], why: str) -> None:
        tx.execute("UPDATE deposits SET state = 'failed', failure = ?, updated_at = ? WHERE id = ?", (why, tx.ts, d["id"]))
        _unwind_parcel(self.lifecycle, tx, d["parcel_id"])
        tx.log(d["parcel_id"], "deposit_failed", "system", reason=why)

    # --- staff: a deposit interrupted by a restart --------------------------------------------------
    async def resolve_interrupted(self, deposit_id: str, *, found: bool, actor: str) -> dict[str, Any]:
        """Staff checked the compartment of an interrupted deposit: parcel inside (store it) or not."""

        def fn(tx: Tx) -> dict[str, Any]:
            d = tx.one("SELECT * FROM deposits WHERE id = ?", (deposit_id,))
            if d is None:
                raise NotFound("deposit_unknown", "no such deposit")
            if d["state"] != "failed" or d["failure"] not in ("interrupted", "door_unconfirmed"):
                raise Conflict("deposit_not_interrupted", "this deposit was not interrupted")
            c = d["compartment_id"]
            if found:
                self.store_tx(tx, {**d, "state": "depositing"}, actor=actor)
                tx.execute("UPDATE deposits SET failure = 'interrupted_resolved_stored' WHERE id = ?", (d["id"],))
            else:
                _unwind_parcel(self.lifecycle, tx, d["parcel_id"])
                tx.execute("UPDATE deposits SET failure = 'interrupted_resolved_empty' WHERE id = ?", (d["id"],))
                comps.set_state(tx, c, "free")
            tx.execute(
                "UPDATE tasks SET state = 'done', done_at = ?, done_by = ? WHERE kind = 'interrupted_deposit'"
                " AND compartment_id = ? AND state = 'open'",
                (tx.ts, actor, c),
            )
            tx.audit(actor, "deposit.resolve_interrupted", c, "stored" if found else "empty", deposit=d["id"])
            return {"deposit_id": d["id"], "stored": found}

        return await self.store.write(fn)


def _unwind_parcel(lifecycle: ParcelLifecycle, tx: Tx, parcel_id: str) -> None:
    """A deposit that did not happen: a pre-registered parcel is expected again, others cancelled."""
    p = P.find(tx, parcel_id)
    to = ParcelState.EXPECTED if p["source"] not in (None, "courier") else ParcelState.CANCELLED
    lifecycle.move(tx, p, to, actor="system", values={"compartment_id": None})


class _CancelHandler:
    def __init__(self, deposits: DepositService) -> None:
        self.deposits = deposits

    def outcome_tx(self, tx: Tx, cmd: dict[str, Any], outcome: str) -> list[dict[str, Any]]:
        """The cancel's door was not seen open: the parcel is still inside. It stays recorded where it
        is (stored, with a code for the resident), and staff are told the courier wanted it back."""
        if outcome in ("opened", "already_open"):
            return []
        d = tx.one("SELECT * FROM deposits WHERE id = ?", (cmd["ref"],))
        if d is None or d["state"] != "cancelling":
            return []
        c = d["compartment_id"]
        self.deposits.store_tx(tx, {**d, "state": "depositing"}, actor=cmd["actor"])
        tx.execute("UPDATE deposits SET failure = 'cancel_door_not_open' WHERE id = ?", (d["id"],))
        if outcome != "opened":
            # keep the door out of use until staff have looked (store_tx made it 'occupied')
            comps.set_state(tx, c, "fault", f"door_{outcome}|was=occupied")
        tx.execute(
            "INSERT INTO tasks (kind, parcel_id, compartment_id, title, created_at) VALUES ('cancel_failed', ?, ?, ?, ?)",
            (d["parcel_id"], c, f"A courier cancelled a deposit but door {c} did not open: the parcel is still"
             " inside and recorded there; hand it back to the courier if asked", tx.ts),
        )
        tx.log(d["parcel_id"], "deposit_cancel_failed", "system", outcome=outcome, compartment=c)
        return []

    def closed_tx(self, tx: Tx, cmd: dict[str, Any]) -> list[dict[str, Any]]:
        d = tx.one("SELECT * FROM deposits WHERE id = ?", (cmd["ref"],))
        if d is None or d["state"] != "cancelling":
            return []
        tx.execute("UPDATE deposits SET state = 'cancelled', updated_at = ? WHERE id = ?", (tx.ts, d["id"]))
        _unwind_parcel(self.deposits.lifecycle, tx, d["parcel_id"])
        tx.log(d["parcel_id"], "deposit_cancelled", cmd["actor"], deposit_id=d["id"])
        set_door(tx, d["compartment_id"], "closed")
        release_if_empty(tx, d["compartment_id"])
        return []


_FAILURES = {
    "no_working_compartment": "The door did not open and no other compartment of that size is free.",
    "interrupted": "The locker restarted during this deposit; staff will check the compartment.",
    "doors_jammed": "Two doors in a row did not open. Please keep the parcel; staff have been told.",
    "door_unconfirmed": "The locker could not tell whether the door opened; staff will check the compartment.",
    "cancel_door_not_open": "The door did not open to give the parcel back; it stays in the locker and staff"
    " have been told.",
}
