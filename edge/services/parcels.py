"""Parcels: pre-registration (expected), lookups, pickup codes, holds, reissue, returns."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from edge.clock import parse_iso, utc_iso
from edge.domain import codes as codemath
from edge.domain.parcel import RETURNABLE_STATES, ParcelState
from edge.domain.text import CARRIER_MAX, REASON_MAX, check_text
from edge.domain.vocab import CATEGORIES as CATEGORIES  # defined once (edge/domain/vocab.py)
from edge.errors import DomainError
from edge.policy import Policy
from edge.services import directory
from edge.services.former import resident_changed
from edge.services.lifecycle import Audit, Event, ParcelLifecycle, Timeline, hold_end
from edge.services.lifecycle import find as lifecycle_find
from edge.services.notifier import Notifier
from edge.store.db import Store, Tx
from edge.tracking.carriers import detect_carrier, normalise_tracking_number

log = logging.getLogger(__name__)

#: a unit as a property writes it: 5-801, 3/F Room 2, or Hong Kong's "Flat 12B, Tower 2" (the comma: trial39)
UNIT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.,/#-]{0,31}$")


def normalise_tracking(text: str) -> str:
    try:
        return normalise_tracking_number(text)
    except ValueError as exc:
        raise DomainError("invalid_tracking_number", str(exc), status=422) from None


def check_unit(unit: str | None) -> str | None:
    if unit is None or unit == "":
        return None
    unit = unit.strip()
    if not UNIT_RE.match(unit):
        raise DomainError("invalid_unit", "unit is 1-32 letters, digits, spaces or - / . , #", status=422)
    return unit


def check_phone_tail(tail: str | None) -> str | None:
    if tail is None or tail == "":
        return None
    tail = tail.strip()
    if not (tail.isascii() and tail.isdigit() and len(tail) == 4):
        raise DomainError("invalid_phone_tail", "phone tail is the last 4 digits of the phone number", status=422)
    return tail


def check_category(category: str | None) -> str:
    category = category or "normal"
    if category not in CATEGORIES:
        raise DomainError("invalid_category", f"category is one of {', '.join(CATEGORIES)}", status=422)
    return category


#: a parcel by id or tracking number (the open one first, then the newest): the lifecycle's one lookup
find = lifecycle_find


def issue_code(tx: Tx, policy: Policy, unit: str | None, phone_tail: str | None, *, exclude: str | None = None) -> str:
    """A pickup code for a parcel being stored. Parcels of one unit stored together share it."""
    pc = policy.pickup_code
    if pc.share_per_unit and unit:
        row = tx.one(
            "SELECT pickup_code FROM parcels WHERE unit = ? AND IFNULL(phone_tail,'') = IFNULL(?, '')"
            " AND state = 'stored' AND pickup_code IS NOT NULL AND id != IFNULL(?, '') LIMIT 1",
            (unit, phone_tail, exclude),
        )
        if row and len(row["pickup_code"]) == pc.length:
            return str(row["pickup_code"])

    def taken(code: str) -> bool:
        return tx.scalar("SELECT 1 FROM parcels WHERE pickup_code = ? AND state IN ('depositing','stored')", (code,)) is not None

    return codemath.new_code(pc.length, taken)


def store_event_data(p: dict[str, Any], code: str | None) -> dict[str, Any]:
    return {
        "parcel_id": p["id"],
        "tracking_number": p["tracking_number"],
        "carrier": p.get("carrier"),
        "compartment": p.get("compartment_id"),
        "shelf_slot": p.get("shelf_slot"),
        "unit": p.get("unit"),
        "category": p.get("category"),
        "pickup_code": code,
    }


class ParcelService:
    def __init__(self, store: Store, policy_fn: Callable[[], Policy], notifier: Notifier) -> None:
        self.store = store
        self._policy = policy_fn
        self.notifier = notifier
        self.lifecycle = ParcelLifecycle(notifier)

    @property
    def policy(self) -> Policy:
        return self._policy()

    async def expect(
        self,
        *,
        tracking_number: str,
        unit: str,
        carrier: str | None = None,
        phone_tail: str | None = None,
        category: str | None = "normal",
        expected_by: str | None = None,
        cross_border: bool = False,
        actor: str,
        source: str = "staff",
    ) -> dict[str, Any]:
        """Pre-register a parcel (resident, staff or the cloud). Idempotent per tracking number."""
        tn = normalise_tracking(tracking_number)
        carrier = check_text(carrier, "carrier", CARRIER_MAX, required=False) or None
        source = check_text(source, "source", 32)
        unit_ = check_unit(unit)
        if not unit_:
            raise DomainError("unit_required", "an expected parcel needs the recipient's unit", status=422)
        tail = check_phone_tail(phone_tail)
        cat = check_category(category)
        exp = None
        if expected_by:
            try:
                exp = utc_iso(parse_iso(expected_by)) if "T" in expected_by else expected_by
                if "T" not in expected_by:
                    datetime.fromisoformat(expected_by)
            except ValueError:
                raise DomainError("invalid_date", "expected_by is an ISO 8601 date or time", status=422) from None

        def fn(tx: Tx) -> dict[str, Any]:
            if directory.in_use(tx) and directory.unit_row(tx, unit_) is None:
                # the kiosk would refuse this parcel at the door (directory.check_recipient): say so now
                raise DomainError("unit_unknown", f"unit {unit_} is not in this site's directory", status=422,
                                  suggestions=directory.suggest(tx, unit_))
            existing = tx.one(
                "SELECT * FROM parcels WHERE tracking_number = ? AND state IN ('expected','depositing','stored')",
                (tn,),
            )
            if existing:
                if existing["state"] == "expected":
                    tx.execute(
                        "UPDATE parcels SET unit = ?, phone_tail = COALESCE(?, phone_tail), category = ?,"
                        " carrier = COALESCE(?, carrier), expected_by = COALESCE(?, expected_by),"
                        " cross_border = ?, updated_at = ? WHERE id = ?",
                        (unit_, tail, cat, carrier, exp, int(cross_border), tx.ts, existing["id"]),
                    )
                    tx.log(existing["id"], "expected_updated", actor, source=source)
                return find(tx, existing["id"])
            return self.lifecycle.create(
                tx, ParcelState.EXPECTED,
                {"tracking_number": tn, "carrier": carrier or detect_carrier(tn), "unit": unit_, "phone_tail": tail,
                 "category": cat, "cross_border": int(cross_border), "expected_by": exp, "source": source},
                actor=actor,
                timeline=Timeline("expected", {"source": source}),
                audit=Audit("parcel.expect", target=tn, detail={"source": source}),
                event=Event("parcel.expected", lambda p: {
                    "parcel_id": p["id"],
                    "tracking_number": tn,
                    "carrier": p["carrier"],
                    "unit": unit_,
                    "category": cat,
                    "expected_by": exp,
                    "cross_border": bool(cross_border),
                    "source": source,
                }),
            )

        return await self.store.write(fn)

    async def get(self, ref: str) -> dict[str, Any]:
        return await self.store.read(lambda tx: find(tx, ref))

    async def hold(self, ref: str, until: datetime | str | None, *, actor: str, reason: str = "") -> dict[str, Any]:
        """Pause the storage clock until `until` (None releases): the one hold (ParcelLifecycle.hold)."""
        end = hold_end(until)
        reason = check_text(reason, "reason", REASON_MAX, required=False)
        policy = self.policy
        return await self.store.write(
            lambda tx: self.lifecycle.hold(tx, ref, end, actor=actor, reason=reason, policy=policy))

    async def reissue_code(self, ref: str, *, actor: str, reason: str = "lost code") -> dict[str, Any]:
        """A new code for a stored parcel; the old one stops working for EVERY parcel that shared it
        (a unit's parcels stored together share one code), so they all move to the new code and the
        resident is sent it once."""
        reason = check_text(reason or "lost code", "reason", REASON_MAX)

        def fn(tx: Tx) -> dict[str, Any]:
            p = find(tx, ref)
            if p["state"] != "stored":
                raise DomainError("parcel_not_stored", "only a stored parcel has a code to reissue", status=409)
            if resident_changed(tx, p):
                raise DomainError("resident_changed", "the unit has a new resident since this parcel was stored: "
                                  "a new code would go to them", status=409)
            pc = self.policy.pickup_code
            old = p["pickup_code"]

            def taken(code: str) -> bool:
                return tx.scalar("SELECT 1 FROM parcels WHERE pickup_code = ? AND state IN ('depositing','stored')", (code,)) is not None

            code = codemath.new_code(pc.length, taken)
            siblings = [p["id"]]
            if old:
                siblings += [r["id"] for r in tx.all(
                    "SELECT id FROM parcels WHERE pickup_code = ? AND state IN ('depositing','stored') AND id != ?"
                    " ORDER BY id", (old, p["id"]))]
            for pid in siblings:
                tx.execute("UPDATE parcels SET pickup_code = ?, updated_at = ? WHERE id = ?", (code, tx.ts, pid))
                tx.log(pid, "code_reissued", actor, reason=reason, shared=len(siblings) > 1)
                tx.emit("parcel.code_reissued", store_event_data(find(tx, pid), code))
            p = find(tx, p["id"])
            self.notifier.send(tx, "code_reissued", p, code=code)
            tx.audit(actor, "parcel.reissue_code", p["id"], reason, parcels=len(siblings))
            return {"parcel_id": p["id"], "reissued": True, "parcels": siblings}

        return await self.store.write(fn)

    async def mark_returned(self, ref: str, *, actor: str, reason: str) -> dict[str, Any]:
        """A parcel handed back to a courier (the compartment frees when its door closes): the one return."""
        if not reason:
            raise DomainError("reason_required", "say why the parcel went back", status=422)
        reason = check_text(reason, "reason", REASON_MAX)
        return await self.store.write(lambda tx: return_tx(self.lifecycle, tx, ref, actor=actor, reason=reason))


def return_tx(lifecycle: ParcelLifecycle, tx: Tx, ref: str, *, actor: str, reason: str) -> dict[str, Any]:
    """Mark an expected or stored parcel returned, in the caller's transaction."""
    p = find(tx, ref)
    if p["state"] not in RETURNABLE_STATES:
        raise DomainError("parcel_not_stored", f"a {p['state']} parcel cannot be returned", status=409)
    lifecycle.move(
        tx, p, ParcelState.RETURNED, actor=actor,
        timeline=Timeline("returned", {"reason": reason}),
        audit=Audit("parcel.returned", reason),
        event=Event("parcel.returned", {"parcel_id": p["id"], "tracking_number": p["tracking_number"],
                                        "reason": reason}),
    )
    if p["compartment_id"]:
        from edge.services.doors import release_if_empty

        if tx.scalar("SELECT door FROM compartments WHERE id = ?", (p["compartment_id"],)) == "closed":
            release_if_empty(tx, p["compartment_id"])
    return find(tx, p["id"])
