"""What staff, residents and HQ ask of the storage rules: holds, vacation, public notice, disposal.

The console and the MQTT commands (`parcel.hold`) call these. Every change is audited and logged on
the parcel's timeline; errors are DomainErrors with stable codes.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from edge.clock import parse_iso, utc_iso
from edge.domain.parcel import ParcelState
from edge.errors import Conflict, DomainError, NotFound
from edge.money import site_currency
from edge.policy import Policy
from edge.rules import messages as msg
from edge.rules.engine import RulesEngine
from edge.rules.policy_service import PolicyService
from edge.rules.schedule import notice_deadline, storage_fee
from edge.services.lifecycle import Audit, Event, Notice, ParcelLifecycle, Timeline, find, hold_end
from edge.store.db import Store, Tx

log = logging.getLogger(__name__)

#: how a disposed parcel leaves: the parcel state it ends in
DISPOSAL_STATE = {"return_to_sender": "returned", "hand_over": "disposed", "parcel_room": "disposed"}
#: open a door for a removal: (compartment, actor, reason, parcel id); the door service's command carries the
#: parcel as its ref, so `RemovalHandler` records the move or disposal when the door is seen open
OpenDoor = Callable[[str, str, str, str], Awaitable[Any]]
#: timeline lines: staff asked for a locker parcel's removal (the door is opening), and its door did not open
REMOVAL_OPENING = "removal_opening"
REMOVAL_FAILED = "removal_failed"


#: a parcel by id or tracking number (the open one first): the lifecycle's one lookup
find_parcel = find


class RulesService:
    def __init__(self, store: Store, policies: PolicyService, engine: RulesEngine,
                 open_door: OpenDoor | None = None) -> None:
        self.store = store
        self.policies = policies
        self.engine = engine
        #: hook: open a compartment so staff can take a parcel out (door service, purpose="removal");
        #: the door service frees the compartment when it sees the door closed again.
        self.open_for_removal = open_door
        self.lifecycle = ParcelLifecycle(engine.notifier)

    @property
    def lang(self) -> str:
        return self.engine.notifier.lang

    # --- policy ------------------------------------------------------------------------------------
    def current_policy(self) -> Policy:
        """The policy in force (the daemon's `policy()` reads this)."""
        return self.policies.current()

    async def set_policy(self, doc: dict[str, Any], actor: str, source: str = "console") -> dict[str, Any]:
        """Validate and store a newer policy document (console, MQTT `policy.set`). JSON-ready result."""
        policy = await self.policies.set_policy(doc, actor, source)
        return {"version": policy.version, "policy": policy.model_dump(mode="json")}

    # --- holds and vacation ------------------------------------------------------------------------
    async def hold(self, parcel_ref: str, until: datetime | str | None, actor: str, reason: str = "") -> dict[str, Any]:
        """Pause a parcel's storage clock until `until` (None releases the hold): the one hold
        (ParcelLifecycle.hold; ParcelService.hold is the same)."""
        end = hold_end(until)
        return await self.store.write(lambda tx: self.lifecycle.hold(
            tx, parcel_ref, end, actor=actor, reason=reason, policy=self.policies.current()))

    async def release_hold(self, parcel_ref: str, actor: str, reason: str = "") -> dict[str, Any]:
        return await self.hold(parcel_ref, None, actor, reason)

    async def set_vacation(self, unit: str, until: datetime | str | None, actor: str, reason: str = "") -> dict[str, Any]:
        """Pause the storage clock of every parcel of `unit` until `until` (None ends the vacation now)."""
        end = hold_end(until)
        return await self.store.write(lambda tx: self._vacation(tx, unit, end, actor, reason))

    def _vacation(self, tx: Tx, unit: str, until: datetime | None, actor: str, reason: str) -> dict[str, Any]:
        row = tx.one("SELECT unit FROM units WHERE unit = ?", ((unit or "").strip(),))
        if row is None:
            raise NotFound("unit_unknown", f"no unit {unit!r}")
        unit = row["unit"]
        policy = self.policies.current()
        if until is not None:
            if until <= tx.now:
                raise DomainError("invalid_time", "until: a vacation must end in the future")
            if until - tx.now > timedelta(days=policy.vacation_max_days) + timedelta(seconds=1):
                raise Conflict(
                    "vacation_too_long",
                    f"a vacation may last at most {policy.vacation_max_days} days from now",
                    latest=utc_iso(tx.now + timedelta(days=policy.vacation_max_days)),
                )
        # end the vacation in force now, then start the new one from now
        tx.execute(
            "UPDATE rule_pauses SET until = CASE WHEN start_at > ? THEN start_at ELSE ? END"
            " WHERE unit = ? AND kind = 'vacation' AND until > ?",
            (tx.ts, tx.ts, unit, tx.ts),
        )
        if until is not None:
            tx.execute("INSERT INTO rule_pauses (unit, kind, start_at, until, actor) VALUES (?, 'vacation', ?, ?, ?)",
                       (unit, tx.ts, utc_iso(until), actor))
        tx.execute("UPDATE units SET vacation_until = ? WHERE unit = ?", (utc_iso(until) if until else None, unit))
        tx.audit(actor, "unit.vacation", unit, reason, until=utc_iso(until) if until else None)
        return {"unit": unit, "vacation_until": utc_iso(until) if until else None}

    # --- storage fee -------------------------------------------------------------------------------
    async def fee_due(self, parcel_ref: str) -> dict[str, Any]:
        """The storage fee a parcel owes now (0 when the fee is off), for the kiosk and the console."""
        return await self.store.read(lambda tx: self._fee(tx, parcel_ref))

    def _fee(self, tx: Tx, ref: str) -> dict[str, Any]:
        p = find_parcel(tx, ref)
        policy = self.policies.current()
        fee = policy.storage_fee
        currency = site_currency(fee.currency, self.engine.calendar.code)  # HKD at a Hong Kong site (trial 07d)
        if p["state"] != "stored" or not p["stored_at"]:
            return {"parcel_id": p["id"], "enabled": fee.enabled, "amount": 0.0, "currency": currency}
        stored = parse_iso(p["stored_at"])
        rows = tx.all(
            "SELECT start_at, until FROM rule_pauses WHERE parcel_id = ? OR (unit IS NOT NULL AND unit = ?)",
            (p["id"], p["unit"]),
        )
        pauses = [(parse_iso(r["start_at"]), parse_iso(r["until"])) for r in rows]
        amount = storage_fee(policy, stored, pauses, tx.now)
        return {"parcel_id": p["id"], "enabled": fee.enabled, "amount": amount, "currency": currency,
                "free_hours": fee.free_hours, "cap": fee.cap}

    # --- public notice -------------------------------------------------------------------------------
    async def notice_list(self) -> list[dict[str, Any]]:
        return await self.store.read(self.notice_list_tx)

    def notice_list_tx(self, tx: Tx) -> list[dict[str, Any]]:
        """Parcels under public notice (or past it): units and numbers masked, with the deadline the notice message
        tells and the disposal falls due at (`schedule.notice_deadline`: working days, then the desk's close)."""
        policy = self.policies.current()
        rows = tx.all(
            "SELECT p.id, p.tracking_number, p.carrier, p.unit, p.category, p.stage, p.compartment_id, p.shelf_slot,"
            " p.stored_at, a.done_at AS noticed_at FROM parcels p"
            " JOIN rule_actions a ON a.parcel_id = p.id AND a.action = 'notice'"
            " WHERE p.state = 'stored' ORDER BY a.done_at, p.id"
        )
        cal = self.engine.calendar

        def deadline(noticed_at: str) -> datetime:
            # the notice message's "collect before" and the disposal's due time: one definition (ADR 0042)
            return notice_deadline(cal, policy, parse_iso(noticed_at))

        return [
            {
                "parcel_id": r["id"],
                "tracking_number": msg.mask_tracking(r["tracking_number"]),
                "carrier": r["carrier"],
                "unit": msg.mask_unit(r["unit"]),
                "category": r["category"],
                "location": r["compartment_id"] or r["shelf_slot"],
                "stored_at": r["stored_at"],
                "noticed_at": r["noticed_at"],
                "deadline": utc_iso(deadline(r["noticed_at"])),
                "deadline_local": cal.local(deadline(r["noticed_at"])).isoformat(timespec="minutes"),
                "disposal_due": r["stage"] == "disposal_due",
            }
            for r in rows
        ]

    # --- disposal and the parcel room -----------------------------------------------------------------
    # A parcel in a locker is moved or disposed of only once its door has opened (the door service's
    # sensor, `RemovalHandler` in edge/rules/removal.py): a jammed door leaves the parcel in its
    # compartment, with a timeline line and a staff task, never "on shelf R3" while it is still inside.
    async def dispose(self, parcel_id: str, how: str, actor: str, note: str = "") -> dict[str, Any]:
        """Dispose of an unclaimed parcel whose notice has ended: at once when it is on a shelf; when it is in a
        locker, its door opens and the disposal is recorded once the door is seen open."""
        if how not in DISPOSAL_STATE:
            raise DomainError("invalid_disposal", f"how must be one of {', '.join(DISPOSAL_STATE)}")
        if len(note or "") > 500:
            raise DomainError("invalid_note", "note: at most 500 characters")
        result = await self.store.write(lambda tx: self._dispose_request(tx, parcel_id, how, actor, note or ""))
        return await self._open(result, actor, f"disposal ({how})")

    def _dispose_request(self, tx: Tx, ref: str, how: str, actor: str, note: str) -> dict[str, Any]:
        p = find_parcel(tx, ref)
        policy = self.policies.current()
        if how not in policy.disposal_options:
            raise Conflict("disposal_not_allowed", f"this site disposes by {', '.join(policy.disposal_options)}")
        if p["state"] != "stored":
            raise Conflict("parcel_closed", f"parcel {p['tracking_number']} is {p['state']}")
        if p["stage"] != "disposal_due":
            raise Conflict("disposal_not_due", "the parcel's public notice has not ended yet", stage=p["stage"])
        if not p["compartment_id"]:
            return self.record_disposal_tx(tx, p, how, actor, note)
        tx.log(p["id"], REMOVAL_OPENING, actor, action="dispose", how=how, note=note, compartment=p["compartment_id"])
        return {"parcel_id": p["id"], "how": how, "state": "stored", "compartment": p["compartment_id"],
                "pending": True}

    def record_disposal_tx(self, tx: Tx, p: dict[str, Any], how: str, actor: str, note: str) -> dict[str, Any]:
        """Record the disposal (the parcel has left: off a shelf, or out of a locker whose door has opened)."""
        tx.execute(
            "INSERT INTO disposals (parcel_id, how, actor, note, compartment_id, shelf_slot, ts) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (p["id"], how, actor, note, p["compartment_id"], p["shelf_slot"], tx.ts),
        )
        self._finish_task(tx, p["id"], "dispose", actor)
        self._finish_task(tx, p["id"], REMOVAL_FAILED, actor)
        lang = self.engine.notifier.lang_for(tx, p)
        text = msg.render("disposal", lang, site=self.engine.site_for(lang), tracking=self.engine.tracking_words(p, lang),
                          how=msg.how_text(how, lang), phone=self.engine.notifier.desk_words(lang, phone_only=True))
        self.lifecycle.move(
            tx, p, ParcelState(DISPOSAL_STATE[how]), actor=actor,
            timeline=Timeline("rules.disposed", {"how": how, "note": note}),
            audit=Audit("parcel.dispose", note, detail={"how": how, "tracking_number": p["tracking_number"]}),
            event=Event("parcel.disposed", {
                "parcel_id": p["id"], "tracking_number": p["tracking_number"], "carrier": p["carrier"],
                "unit": p["unit"], "how": how, "actor": actor, "note": note, "compartment": p["compartment_id"],
                "shelf_slot": p["shelf_slot"], "message": {"lang": lang, "text": text},
            }),
            notice=Notice("disposal", text=text, lang=lang),
        )
        return {"parcel_id": p["id"], "how": how, "state": DISPOSAL_STATE[how], "compartment": p["compartment_id"]}

    async def move_to_parcel_room(self, parcel_id: str, shelf_slot: str, actor: str,
                                  reason: str = "") -> dict[str, Any]:
        """Move a parcel from its locker to a parcel-room shelf: its door opens, and the parcel is recorded on
        the shelf once the door is seen open (a jam leaves it in the locker, with a task). Staff's `reason`
        ("柜满，腾出格口") goes with the request and the move: the timeline, the audit row and the HQ event."""
        slot = (shelf_slot or "").strip()
        if not slot or len(slot) > 32 or not slot.isprintable():
            raise DomainError("invalid_shelf", "shelf_slot: 1-32 printable characters")
        why = (reason or "").strip()
        if len(why) > 500:
            raise DomainError("invalid_reason", "reason: at most 500 characters")
        result = await self.store.write(lambda tx: self._move_request(tx, parcel_id, slot, actor, why))
        return await self._open(result, actor, "move to the parcel room")

    def _move_request(self, tx: Tx, ref: str, slot: str, actor: str, reason: str = "") -> dict[str, Any]:
        p = find_parcel(tx, ref)
        if p["state"] != "stored":
            raise Conflict("parcel_closed", f"parcel {p['tracking_number']} is {p['state']}")
        if not p["compartment_id"]:
            raise Conflict("not_in_locker", f"parcel {p['tracking_number']} is already on shelf {p['shelf_slot']}")
        if tx.scalar("SELECT configured FROM compartments WHERE id = ?", (p["compartment_id"],)) == 0:
            # a door retired from the config: nothing drives it, staff took the parcel out by hand (the console's
            # next step says so); recorded on its shelf at once, no door command
            return self.record_move_tx(tx, p, slot, actor, reason or "retired door: taken out by hand")
        tx.log(p["id"], REMOVAL_OPENING, actor, action="move", shelf_slot=slot, compartment=p["compartment_id"],
               **({"reason": reason} if reason else {}))
        return {"parcel_id": p["id"], "shelf_slot": slot, "compartment": p["compartment_id"], "pending": True}

    def record_move_tx(self, tx: Tx, p: dict[str, Any], slot: str, actor: str, reason: str = "") -> dict[str, Any]:
        """Record the parcel on its shelf (its locker door has been seen open for the removal), with staff's
        reason on its timeline and in the audit (as a disposal's note and a resolve's reason are)."""
        tx.execute("UPDATE parcels SET compartment_id = NULL, shelf_slot = ?, updated_at = ? WHERE id = ?",
                   (slot, tx.ts, p["id"]))
        self._finish_task(tx, p["id"], "move_to_parcel_room", actor)
        self._finish_task(tx, p["id"], REMOVAL_FAILED, actor)
        moved = p | {"compartment_id": None, "shelf_slot": slot}
        lang = self.engine.notifier.lang_for(tx, p)
        # the carrier's name, the shelf, the code (needed at the desk) and where and when the desk is
        text = msg.render("moved", lang, **self.engine.message_values(moved, lang))
        self.engine.notifier.send(tx, "moved", moved, code=None, text=text, lang=lang)
        tx.emit("parcel.moved", {
            "parcel_id": p["id"], "tracking_number": p["tracking_number"], "unit": p["unit"],
            "from_compartment": p["compartment_id"], "shelf_slot": slot, "actor": actor, "reason": reason,
            "message": {"lang": lang, "text": text},
        })
        tx.log(p["id"], "rules.moved_to_parcel_room", actor, compartment=p["compartment_id"], shelf_slot=slot,
               **({"reason": reason} if reason else {}))
        tx.audit(actor, "parcel.move_to_parcel_room", p["id"], reason, compartment=p["compartment_id"], shelf_slot=slot)
        return {"parcel_id": p["id"], "shelf_slot": slot, "compartment": p["compartment_id"]}

    def removal_failed_tx(self, tx: Tx, p: dict[str, Any], intent: dict[str, Any], outcome: str) -> None:
        """The door did not open (jammed, failed, board silent): the parcel stays where it is; its timeline
        says so and one open task per parcel (a second jam does not add another) says what to do."""
        from edge.services.pickups import open_task

        c = p["compartment_id"]
        action = intent.get("action") or "move"
        what = {"shelf_slot": intent.get("shelf_slot")} if action == "move" else {"how": intent.get("how")}
        tx.log(p["id"], REMOVAL_FAILED, "system", outcome=outcome, compartment=c, **what)
        open_task(tx, REMOVAL_FAILED, p["id"], c,
                  f"{c} did not open to take parcel {p['tracking_number']} out ({action}): it is still in the locker;"
                  " check the lock, then move or dispose of it again", action=action, outcome=outcome, **what)

    @staticmethod
    def _finish_task(tx: Tx, parcel_id: str, kind: str, actor: str) -> None:
        tx.execute(
            "UPDATE tasks SET state = 'done', done_at = ?, done_by = ? WHERE parcel_id = ? AND kind = ? AND state = 'open'",
            (tx.ts, actor, parcel_id, kind),
        )

    async def _open(self, result: dict[str, Any], actor: str, reason: str) -> dict[str, Any]:
        compartment = result.get("compartment")
        if not result.pop("pending", False) or not compartment:
            return result | {"door": None}
        if self.open_for_removal is None:
            log.warning("no door service: compartment %s must be opened by hand; the parcel stays in it", compartment)
            return result | {"door": "not_opened"}
        try:
            await self.open_for_removal(compartment, actor, reason, result["parcel_id"])
        except DomainError as exc:
            log.warning("door %s did not open for removal: %s", compartment, exc.code)
            intent = await self.store.read(lambda tx: removal_intent(tx, result["parcel_id"]))
            await self.store.write(lambda tx: self._failed_at_once(tx, result["parcel_id"], intent))
            return result | {"door": "failed", "door_error": exc.code}
        return result | {"door": "opening"}

    def _failed_at_once(self, tx: Tx, pid: str, intent: dict[str, Any] | None) -> None:
        p = tx.one("SELECT * FROM parcels WHERE id = ?", (pid,))
        if p is not None and intent is not None and p["compartment_id"]:
            self.removal_failed_tx(tx, p, intent, "failed")


def removal_intent(tx: Tx, pid: str) -> dict[str, Any] | None:
    """The latest removal staff asked for on this parcel (action, shelf_slot or how and note, compartment)."""
    import json

    row = tx.one("SELECT actor, detail FROM parcel_log WHERE parcel_id = ? AND kind = ? ORDER BY id DESC LIMIT 1",
                 (pid, REMOVAL_OPENING))
    if row is None:
        return None
    try:
        detail = json.loads(row["detail"] or "{}")
    except ValueError:
        return None
    return detail | {"actor": row["actor"]} if isinstance(detail, dict) else None
