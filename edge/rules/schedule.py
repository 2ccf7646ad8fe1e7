"""What the storage rules do to one parcel, and when. Pure: no I/O, no clock.

A stored parcel's *storage clock* runs from `stored_at` and stops while a hold or its unit's
vacation is in force (pauses). Actions, in order:

==========================  ==========================================================================
``reminder:N``              N-th reminder, at the category's reminder hours (storage-clock hours)
``fee_notice``              the storage fee starts soon (only when the fee is enabled)
``overdue``                 at the category's overdue hours
``move_to_parcel_room``     a staff task, at locker_max_hours (never before overdue), only while in a locker
``notice``                  unclaimed: public notice, after N working days (shifted by pauses)
``disposal_due``            notice_working_days after the notice was actually posted: a staff task
==========================  ==========================================================================
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from edge.policy import Policy
from edge.rules.calendar import WorkCalendar

#: tie-break order of actions due at the same instant
ORDER = {"reminder": 0, "fee_notice": 1, "overdue": 2, "move_to_parcel_room": 3, "notice": 4, "disposal_due": 5}
STAGE_RANK = {None: 0, "": 0, "reminded": 1, "overdue": 2, "noticed": 3, "disposal_due": 4}
STAGE_OF = {"reminder": "reminded", "overdue": "overdue", "notice": "noticed", "disposal_due": "disposal_due"}


@dataclass(frozen=True, slots=True)
class Action:
    name: str  # e.g. "reminder:1", "overdue"
    due_at: datetime
    #: set when it has already been done (from rule_actions)
    done_at: datetime | None = None
    #: the projected time depends on another action not yet done (disposal_due before its notice)
    projected: bool = False

    @property
    def kind(self) -> str:
        return self.name.split(":", 1)[0]

    @property
    def sort_key(self) -> tuple[datetime, int, str]:
        return (self.due_at, ORDER.get(self.kind, 9), self.name)


def merge_pauses(pauses: Iterable[tuple[datetime, datetime]], start: datetime) -> list[tuple[datetime, datetime]]:
    """Pauses clipped to begin no earlier than `start`, sorted, overlaps merged, empty ones dropped."""
    spans = sorted((max(a, start), b) for a, b in pauses if b > max(a, start))
    merged: list[tuple[datetime, datetime]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            if b > merged[-1][1]:
                merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def shifted(target: Callable[[timedelta], datetime], pauses: list[tuple[datetime, datetime]]) -> datetime:
    """The real instant of a storage-clock target, given merged pauses.

    `target(shift)` is the instant the target would fall at if the clock had been stopped for `shift`.
    Every pause that starts before the (moving) target pushes it by the pause's length.
    """
    shift = timedelta(0)
    t = target(shift)
    for a, b in pauses:
        if a >= t:
            break
        shift += b - a
        t = target(shift)
    return t


def paused_seconds(pauses: list[tuple[datetime, datetime]], until: datetime) -> float:
    return sum(max(0.0, (min(b, until) - a).total_seconds()) for a, b in pauses if a < until)


def plan(
    parcel: Mapping[str, object],
    policy: Policy,
    calendar: WorkCalendar,
    pauses: list[tuple[datetime, datetime]],
    done: Mapping[str, datetime],
    *,
    now: datetime,
) -> list[Action]:
    """Every rule action for a stored parcel, done or not, in order.

    `parcel` needs stored_at (datetime), category, compartment_id, shelf_slot. `pauses` are raw
    (start, until) pairs; `done` maps action names to when they were done. `now` is only used to
    project a disposal whose notice is not posted yet (it will be posted no earlier than now).
    """
    stored_at = parcel["stored_at"]
    assert isinstance(stored_at, datetime)
    clock = policy.clock(str(parcel.get("category") or "normal"))
    spans = merge_pauses(pauses, stored_at)

    def at_hours(h: float) -> datetime:
        return shifted(lambda s: stored_at + s + timedelta(hours=h), spans)

    out: list[Action] = []

    def add(name: str, due: datetime, projected: bool = False) -> None:
        out.append(Action(name, due, done.get(name), projected))

    for i, h in enumerate(clock.reminder_hours, 1):
        add(f"reminder:{i}", at_hours(h))
    fee = policy.storage_fee
    if fee.enabled:
        add("fee_notice", at_hours(max(0.0, fee.free_hours - fee.notice_hours)))
    # the deadlines residents are told end inside desk hours, and the sweep acts at that time (ADR 0042)
    overdue_at = calendar.desk_deadline(at_hours(clock.overdue_hours))
    add("overdue", overdue_at)
    in_locker = bool(parcel.get("compartment_id")) and not parcel.get("shelf_slot")
    if in_locker or "move_to_parcel_room" in done:
        # never before the deadline the resident is told ("请于…前取件，逾期将移至包裹室"): a locker_max_hours ending
        # at night, or shorter than the overdue hours, waits for it (trial 2026-12-05 item 14)
        add("move_to_parcel_room", max(at_hours(clock.locker_max_hours), overdue_at))
    notice_due = shifted(lambda s: calendar.add_working_days(stored_at + s, clock.unclaimed_working_days), spans)
    add("notice", notice_due)
    notice_done = done.get("notice")
    if notice_done is not None:
        add("disposal_due", notice_deadline(calendar, policy, notice_done))
    else:
        posted = max(notice_due, now)
        add("disposal_due", notice_deadline(calendar, policy, posted), projected=True)
    # done actions that the current policy no longer plans (e.g. a fourth reminder) stay in the record
    planned = {a.name for a in out}
    out += [Action(name, at, at) for name, at in done.items() if name not in planned]
    out.sort(key=lambda a: a.sort_key)
    return out


def notice_deadline(calendar: WorkCalendar, policy: Policy, posted: datetime) -> datetime:
    """The "collect before" date of a notice posted at `posted`, and the disposal's due time: the same instant."""
    return calendar.desk_deadline(calendar.add_working_days(posted, policy.notice_working_days))


def next_pending(actions: list[Action]) -> Action | None:
    """The first action not done and not waiting on another one."""
    for a in actions:
        if a.done_at is None and not a.projected:
            return a
    return None


def storage_fee(policy: Policy, stored_at: datetime, pauses: list[tuple[datetime, datetime]], at: datetime) -> float:
    """The fee owed at `at` (0 when the fee is off). Paused time is not charged."""
    fee = policy.storage_fee
    if not fee.enabled or at <= stored_at:
        return 0.0
    spans = merge_pauses(pauses, stored_at)
    hours = ((at - stored_at).total_seconds() - paused_seconds(spans, at)) / 3600
    chargeable = hours - fee.free_hours
    if chargeable <= 0:
        return 0.0
    periods = int(-(-chargeable // fee.period_hours))  # a started period counts in full
    return round(min(fee.cap, periods * fee.fee_per_period), 2)
