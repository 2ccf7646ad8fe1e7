"""The one owner of the parcel lifecycle: every parcel state change, and every hold, goes through here.

A transition is written in the caller's transaction (one writer, one transaction: DESIGN.md section 1),
with everything it causes:

1. the state change itself, refused with ``illegal_transition`` (409) when edge/domain/parcel.py's table
   does not list it (``closed_at`` follows: set on a final state, cleared otherwise);
2. its timeline line (``parcel_log``);
3. its audit row (when the caller says what the action was: staff and system actions are audited);
4. its outbox event (the ``parcel.*`` event of DESIGN.md section 4, names and payloads unchanged);
5. its resident notification, through the one Notifier (the local record and the durable message).

tests/core/test_lifecycle_owner.py fails when any other module writes ``parcels.state`` or inserts a
parcel row. Other columns (location, code, stage) are still written by the services that own them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from edge.clock import parse_iso, utc_iso
from edge.domain.parcel import FINAL_STATES, HOLDABLE_STATES, ParcelState, check_transition, state_of
from edge.errors import Conflict, DomainError, NotFound
from edge.ids import uuid7
from edge.policy import Policy
from edge.services.notifier import Notifier
from edge.store.db import Tx

log = logging.getLogger(__name__)

Row = dict[str, Any]
#: an event's data: fixed, or computed from the parcel row as it is after the change
EventData = Mapping[str, Any] | Callable[[Row], Mapping[str, Any]]

#: the columns a transition may set besides state (a fixed list: keys become SQL)
COLUMNS: frozenset[str] = frozenset({
    "tracking_number", "carrier", "unit", "phone_tail", "category", "stage", "compartment_id", "shelf_slot",
    "pickup_code", "courier_id", "cross_border", "expected_by", "source", "hold_until", "stored_at",
})


@dataclass(frozen=True)
class Audit:
    """The audit row of a transition (target defaults to the parcel id)."""

    action: str
    reason: str = ""
    target: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Event:
    """The outbox event of a transition."""

    type: str
    data: EventData


@dataclass(frozen=True)
class Notice:
    """The resident message of a transition (`text` overrides the notifier's template)."""

    kind: str
    code: str | None = None
    text: str | None = None
    lang: str | None = None


@dataclass(frozen=True)
class Timeline:
    """The parcel's timeline line of a transition."""

    kind: str
    detail: Mapping[str, Any] = field(default_factory=dict)


def find(tx: Tx, ref: str) -> Row:
    """A parcel by id, else by tracking number: the open one first (stored, depositing, expected), then the
    newest. The one lookup of a parcel reference (console, kiosk, MQTT)."""
    ref = (ref or "").strip()
    if not ref or len(ref) > 64:
        raise DomainError("invalid_parcel", "give a parcel id or a tracking number")
    row = tx.one("SELECT * FROM parcels WHERE id = ?", (ref,))
    if row is None:
        row = tx.one(
            "SELECT * FROM parcels WHERE tracking_number = ? ORDER BY"
            " CASE state WHEN 'stored' THEN 0 WHEN 'depositing' THEN 1 WHEN 'expected' THEN 2 ELSE 3 END,"
            " created_at DESC LIMIT 1",
            (ref,),
        )
    if row is None:
        raise NotFound("parcel_unknown", f"no parcel {ref}")
    return row


def _reread(tx: Tx, pid: str) -> Row:
    row = tx.one("SELECT * FROM parcels WHERE id = ?", (pid,))
    if row is None:  # pragma: no cover - the row was written in this transaction
        raise NotFound("parcel_unknown", f"no parcel {pid}")
    return row


def _columns(values: Mapping[str, Any]) -> list[str]:
    bad = sorted(set(values) - COLUMNS)
    if bad:
        raise ValueError(f"not a parcel column a transition may set: {', '.join(bad)}")
    return sorted(values)


class ParcelLifecycle:
    """Writes parcel state transitions and holds. Stateless apart from the notifier it sends through."""

    def __init__(self, notifier: Notifier | None) -> None:
        self.notifier = notifier

    # --- transitions -------------------------------------------------------------------------------
    def create(
        self, tx: Tx, state: ParcelState, values: Mapping[str, Any], *, actor: str,
        timeline: Timeline | None = None, audit: Audit | None = None, event: Event | None = None,
        notice: Notice | None = None,
    ) -> Row:
        """A new parcel row starting in `state` (expected, depositing or stored)."""
        check_transition(None, state, parcel=str(values.get("tracking_number") or ""))
        pid = uuid7(tx.now)
        cols = _columns(values)
        names = ["id", "state", *cols, "created_at", "updated_at"]
        params = [pid, state.value, *(values[c] for c in cols), tx.ts, tx.ts]
        tx.execute(
            f"INSERT INTO parcels ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})", params
        )
        return self._effects(tx, _reread(tx, pid), actor, timeline, audit, event, notice)

    def move(
        self, tx: Tx, parcel: Mapping[str, Any], to: ParcelState, *, actor: str,
        values: Mapping[str, Any] | None = None, timeline: Timeline | None = None, audit: Audit | None = None,
        event: Event | None = None, notice: Notice | None = None,
    ) -> Row:
        """Move an existing parcel (a row read in this transaction) to `to`; refuses an illegal move."""
        pid = str(parcel["id"])
        before = tx.one("SELECT * FROM parcels WHERE id = ?", (pid,))  # as it is now, not as the caller read it
        if before is None:
            raise NotFound("parcel_unknown", f"no parcel {pid}")
        check_transition(state_of(before["state"]), to, parcel=str(before.get("tracking_number") or ""))
        values = dict(values or {})
        cols = _columns(values)
        sets = ", ".join(["state = ?", *(f"{c} = ?" for c in cols), "closed_at = ?", "updated_at = ?"])
        closed = tx.ts if to in FINAL_STATES else None
        tx.execute(f"UPDATE parcels SET {sets} WHERE id = ?",
                   [to.value, *(values[c] for c in cols), closed, tx.ts, pid])
        # the row after the change (no trigger writes parcels, so it is the row plus what was set)
        after = before | values | {"state": to.value, "closed_at": closed, "updated_at": tx.ts}
        return self._effects(tx, after, actor, timeline, audit, event, notice)

    def _effects(
        self, tx: Tx, row: Row, actor: str, timeline: Timeline | None, audit: Audit | None,
        event: Event | None, notice: Notice | None,
    ) -> Row:
        pid = str(row["id"])
        if timeline is not None:
            tx.log(pid, timeline.kind, actor, **timeline.detail)
        if audit is not None:
            tx.audit(actor, audit.action, pid if audit.target is None else audit.target, audit.reason,
                     **audit.detail)
        if event is not None:
            data = event.data(row) if callable(event.data) else event.data
            tx.emit(event.type, dict(data))
        if notice is not None:
            if self.notifier is None:
                log.warning("no notifier: the %s message for parcel %s was not written", notice.kind, pid)
            else:
                self.notifier.send(tx, notice.kind, row, code=notice.code, text=notice.text, lang=notice.lang)
        return row

    # --- holds -------------------------------------------------------------------------------------
    def hold(self, tx: Tx, ref: str, until: datetime | None, *, actor: str, reason: str, policy: Policy) -> Row:
        """Pause a parcel's storage clock until `until` (None releases the hold): the one hold.

        An open parcel only (expected, depositing, stored); the end in the future; all holds of a parcel
        together within the site's ``hold_max_days`` (the trigger on ``hold_until`` records each pause in
        ``rule_pauses``, which the storage rules read)."""
        p = find(tx, ref)
        if state_of(p["state"]) not in HOLDABLE_STATES:
            raise Conflict("parcel_closed", f"parcel {p['tracking_number']} is {p['state']}; nothing to hold")
        if until is not None:
            if until <= tx.now:
                raise DomainError("invalid_time", "until: a hold must end in the future")
            if policy.hold_max_days <= 0:
                raise Conflict("hold_not_allowed", "holds are switched off at this site")
            used = sum(
                (min(parse_iso(r["until"]), tx.now) - parse_iso(r["start_at"])).total_seconds()
                for r in tx.all("SELECT start_at, until FROM rule_pauses WHERE parcel_id = ? AND kind = 'hold'",
                                (p["id"],))
                if parse_iso(r["start_at"]) < tx.now
            )
            limit = policy.hold_max_days * 86400
            if used + (until - tx.now).total_seconds() > limit + 1:
                latest = tx.now + timedelta(seconds=max(0.0, limit - used))
                raise Conflict(
                    "hold_too_long",
                    f"holds may pause a parcel for {policy.hold_max_days} days in all;"
                    f" the latest end is {utc_iso(latest)}",
                    latest=utc_iso(latest),
                )
        end = utc_iso(until) if until else None
        tx.execute("UPDATE parcels SET hold_until = ?, updated_at = ? WHERE id = ?", (end, tx.ts, p["id"]))
        what = "hold" if until else "hold_released"
        tx.log(p["id"], "rules." + what, actor, until=end, reason=reason)
        tx.audit(actor, "parcel." + what, p["id"], reason, until=end)
        return {"parcel_id": p["id"], "tracking_number": p["tracking_number"], "hold_until": end}


def hold_end(value: datetime | str | None, field_name: str = "until") -> datetime | None:
    """A hold's end from a caller: a zoned datetime or ISO 8601 text (None releases)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise DomainError("invalid_time", f"{field_name}: a time needs a time zone")
        return value
    try:
        return parse_iso(str(value))
    except (ValueError, TypeError):
        raise DomainError("invalid_time", f"{field_name}: {value!r} is not an ISO 8601 time with a zone") from None
