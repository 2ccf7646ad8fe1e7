"""The staffed parcel room: intake into a shelf slot, handover by code or by unit and phone tail."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from edge.domain import codes as codemath
from edge.domain.parcel import ParcelState
from edge.domain.text import REASON_MAX, check_text
from edge.errors import Conflict, DomainError, NotFound
from edge.policy import Policy
from edge.services import attempts
from edge.services import parcels as P
from edge.services.lifecycle import Audit, Event, Notice, ParcelLifecycle, Timeline
from edge.services.notifier import Notifier
from edge.store.db import Store, Tx
from edge.tracking.carriers import detect_carrier

SHELF_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,15}$")


class DeskService:
    def __init__(self, store: Store, notifier: Notifier, policy_fn: Callable[[], Policy]) -> None:
        self.store = store
        self.notifier = notifier
        self._policy = policy_fn
        self.lifecycle = ParcelLifecycle(notifier)

    @property
    def policy(self) -> Policy:
        return self._policy()

    async def intake(
        self,
        *,
        tracking_number: str,
        shelf_slot: str,
        actor: str,
        unit: str | None = None,
        phone_tail: str | None = None,
        category: str | None = None,
    ) -> dict[str, Any]:
        """A parcel arrives at the desk (from a courier or moved from a locker): shelve it, issue a code."""
        tn = P.normalise_tracking(tracking_number)
        if not shelf_slot or not SHELF_RE.match(shelf_slot.strip()):
            raise DomainError("invalid_shelf", "shelf slot is 1-16 letters, digits or -", status=422)
        shelf = shelf_slot.strip().upper()
        unit_ = P.check_unit(unit)
        tail = P.check_phone_tail(phone_tail)

        def fn(tx: Tx) -> dict[str, Any]:
            p = tx.one(
                "SELECT * FROM parcels WHERE tracking_number = ? AND state IN ('expected','stored','depositing')"
                " ORDER BY created_at DESC LIMIT 1",
                (tn,),
            )
            if p and p["state"] in ("depositing",):
                raise Conflict("already_deposited", f"{tn} is being deposited into a locker")
            if p and p["state"] == "stored" and not p["compartment_id"]:
                raise Conflict("already_deposited", f"{tn} is already on shelf {p['shelf_slot']}")
            if p and p["state"] == "stored":
                # moved from a locker by staff: keep its code, the compartment frees on door close
                tx.execute(
                    "UPDATE parcels SET shelf_slot = ?, compartment_id = NULL, updated_at = ? WHERE id = ?",
                    (shelf, tx.ts, p["id"]),
                )
                tx.log(p["id"], "moved_to_parcel_room", actor, shelf=shelf, from_compartment=p["compartment_id"])
                tx.audit(actor, "parcel.move_to_desk", p["id"], "", shelf=shelf)
                tx.execute(
                    "UPDATE tasks SET state = 'done', done_at = ?, done_by = ? WHERE parcel_id = ? AND state = 'open'"
                    " AND kind = 'move_to_parcel_room'",
                    (tx.ts, actor, p["id"]),
                )
                return {"parcel_id": p["id"], "shelf_slot": shelf, "moved": True}
            r_unit = (p["unit"] if p else None) or unit_
            if not r_unit:
                raise DomainError("recipient_required", "enter the recipient's unit", status=422)
            r_tail = (p["phone_tail"] if p else None) or tail
            cat = P.check_category(category or (p["category"] if p else None))
            code = P.issue_code(tx, self.policy, r_unit, r_tail)
            effects: dict[str, Any] = {
                "actor": actor,
                "timeline": Timeline("stored", {"shelf": shelf}),
                "audit": Audit("parcel.desk_intake", detail={"shelf": shelf}),
                "event": Event("parcel.stored", lambda row: P.store_event_data(row, code)),
                "notice": Notice("stored", code=code),
            }
            fields = {"shelf_slot": shelf, "pickup_code": code, "stored_at": tx.ts, "phone_tail": r_tail,
                      "category": cat}
            if p:
                pid = self.lifecycle.move(tx, p, ParcelState.STORED, values=fields, **effects)["id"]
            else:
                pid = self.lifecycle.create(
                    tx, ParcelState.STORED,
                    fields | {"tracking_number": tn, "carrier": detect_carrier(tn), "unit": r_unit, "source": "desk"},
                    **effects)["id"]
            return {"parcel_id": pid, "shelf_slot": shelf, "moved": False}

        return await self.store.write(fn)

    async def handover_by_code(self, code: str, *, actor: str) -> dict[str, Any]:
        """Hand over every parcel-room parcel under this code (staff read it off the resident's phone).

        Wrong codes are audited and limited per staff account like a kiosk's (the pickup-code lockout),
        checked and counted in the same transaction as the lookup."""
        normal = codemath.normalise_code(code or "") or ""
        scope = "desk:" + actor[:80]

        def fn(tx: Tx) -> dict[str, Any] | DomainError:
            pc = self.policy.pickup_code
            st = attempts.load(tx, scope)
            unlimited = codemath.AttemptState(tokens=1e9)
            verdict = codemath.check(st, unlimited, pc, tx.now)
            if not verdict.allowed:
                return DomainError("too_many_attempts", "too many wrong codes at the desk; wait and try again",
                                   status=429, retry_after=verdict.retry_after_s)
            rows = tx.all(
                "SELECT * FROM parcels WHERE pickup_code = ? AND state = 'stored' AND compartment_id IS NULL", (normal,)
            ) if normal else []
            in_door = tx.one("SELECT compartment_id FROM parcels WHERE pickup_code = ? AND state = 'stored'"
                             " AND compartment_id IS NOT NULL", (normal,)) if normal and not rows else None
            if in_door is not None:
                # the right code for a parcel still in a locker door: say where it is, not "wrong code"
                c = in_door["compartment_id"]
                tx.audit(actor, "parcel.handover_failed", "", "the code's parcel is in a locker door", compartment=c)
                return DomainError("code_in_locker", f"that parcel is in door {c}, not in the parcel room: the resident"
                                   " types the code at the kiosk, or open its page and use remote open", status=409,
                                   message_zh=f"这件包裹在 {c} 号柜门里，不在包裹室：请住户在柜机上输入取件码，"
                                              "或打开包裹页面选择“为住户远程开门”")
            if not rows:
                locked = codemath.record_failure(st, unlimited, pc, tx.now)
                attempts.save(tx, scope, st, tx.now)
                tx.audit(actor, "parcel.handover_failed", "", "wrong pickup code at the desk", locked=locked)
                return NotFound("code_invalid", "no parcel in the parcel room has that code",
                                attempts_left=codemath.attempts_left(st, unlimited, pc, tx.now))
            codemath.record_success(st, tx.now)
            attempts.save(tx, scope, st, tx.now)
            return self._hand(tx, rows, actor, "code", "")

        res = await self.store.write(fn)
        if isinstance(res, DomainError):
            raise res
        return res

    async def handover_by_unit(
        self, unit: str, phone_tail: str, parcel_ids: list[str], *, reason: str, actor: str
    ) -> dict[str, Any]:
        """Lost code: staff check the resident and hand over the chosen parcels, recording why."""
        if not reason or not reason.strip():
            raise DomainError("reason_required", "record why the code was not used", status=422)
        reason = check_text(reason, "reason", REASON_MAX)
        unit_ = P.check_unit(unit)
        tail = P.check_phone_tail(phone_tail)

        def fn(tx: Tx) -> dict[str, Any]:
            rows = tx.all(
                "SELECT * FROM parcels WHERE unit = ? AND phone_tail = ? AND state = 'stored' AND compartment_id IS NULL",
                (unit_, tail),
            )
            if parcel_ids:
                rows = [r for r in rows if r["id"] in set(parcel_ids)]
            if not rows:
                raise NotFound("parcel_unknown", "no parcel-room parcel for that unit and phone")
            return self._hand(tx, rows, actor, "unit_phone", reason)

        return await self.store.write(fn)

    def _hand(self, tx: Tx, rows: list[dict[str, Any]], actor: str, method: str, reason: str) -> dict[str, Any]:
        from edge.services.pickups import close_tasks

        for p in rows:
            self.lifecycle.move(
                tx, p, ParcelState.COLLECTED, actor=actor,
                timeline=Timeline("collected", {"method": method, "reason": reason, "shelf": p["shelf_slot"]}),
                audit=Audit("parcel.handover", reason, detail={"method": method}),
                event=Event("parcel.collected", {
                    "parcel_id": p["id"], "tracking_number": p["tracking_number"], "compartment": None,
                    "shelf_slot": p["shelf_slot"], "unit": p["unit"], "method": "desk_" + method}),
            )
            # a parcel whose door jammed at pickup, taken out and shelved: handed over here, its "hand it over"
            # task is done (it stayed open: trial of 2026-12-07)
            close_tasks(tx, p["id"], actor)
        return {"parcels": [{"parcel_id": p["id"], "shelf_slot": p["shelf_slot"]} for p in rows]}
