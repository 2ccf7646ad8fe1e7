"""The parcel lifecycle, pure (DESIGN.md section 2): the states and the transitions allowed between them.

`edge/services/lifecycle.py` is the one writer of a parcel's state and refuses any move this table does
not list; tests/core/test_lifecycle_owner.py fails when another module writes `parcels.state`. The values
are the stored and published strings, so a member compares equal to its string.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from edge.errors import Conflict


class ParcelState(StrEnum):
    """Where a parcel is in its life at this site."""

    EXPECTED = "expected"      # pre-registered by a resident, staff or the cloud
    DEPOSITING = "depositing"  # a courier's door is open, waiting for it to close
    STORED = "stored"          # in a locker or on a parcel-room shelf, with a pickup code
    COLLECTED = "collected"    # the resident has it
    RETURNED = "returned"      # taken back by a courier / returned to the sender
    DISPOSED = "disposed"      # unclaimed after the public notice, handed over
    CANCELLED = "cancelled"    # a deposit that did not happen (nothing was pre-registered)


#: states a parcel is still at (or on its way to) the site in; the others are final
OPEN_STATES: frozenset[ParcelState] = frozenset({ParcelState.EXPECTED, ParcelState.DEPOSITING, ParcelState.STORED})
#: final states: a parcel in one never moves again, and its closed_at is set
FINAL_STATES: frozenset[ParcelState] = frozenset(set(ParcelState) - OPEN_STATES)
#: every state, in lifecycle order (forms and counts list them so)
PARCEL_STATES: tuple[str, ...] = tuple(s.value for s in ParcelState)

#: the states a new parcel row may start in
INITIAL_STATES: frozenset[ParcelState] = frozenset({
    ParcelState.EXPECTED,    # parcel.expect (console, CSV, MQTT)
    ParcelState.DEPOSITING,  # a courier deposit with nothing pre-registered
    ParcelState.STORED,      # a desk intake with nothing pre-registered
})

#: from -> the states it may move to; anything else is refused with `illegal_transition`
TRANSITIONS: Mapping[ParcelState, frozenset[ParcelState]] = {
    ParcelState.EXPECTED: frozenset({
        ParcelState.DEPOSITING,  # a courier deposits it into a locker
        ParcelState.STORED,      # the desk takes it in
        ParcelState.RETURNED,    # sent back before it reached the site
    }),
    ParcelState.DEPOSITING: frozenset({
        ParcelState.STORED,      # the door was seen closed (or staff found it inside)
        ParcelState.EXPECTED,    # the deposit did not happen: a pre-registered parcel is expected again
        ParcelState.CANCELLED,   # the deposit did not happen and nothing was pre-registered
    }),
    ParcelState.STORED: frozenset({
        ParcelState.COLLECTED,   # kiosk pickup, desk handover, staff remote open / hand over
        ParcelState.RETURNED,    # handed back to a courier, or disposed by returning to the sender
        ParcelState.DISPOSED,    # disposed after the public notice (hand over, parcel room)
    }),
    ParcelState.COLLECTED: frozenset(),
    ParcelState.RETURNED: frozenset(),
    ParcelState.DISPOSED: frozenset(),
    ParcelState.CANCELLED: frozenset(),
}

#: the states a hold may be set on (the storage clock pauses; rules semantics, decision 0016)
HOLDABLE_STATES: frozenset[ParcelState] = OPEN_STATES
#: the states a parcel may be marked returned from (a courier takes it back)
RETURNABLE_STATES: frozenset[ParcelState] = frozenset({ParcelState.EXPECTED, ParcelState.STORED})


def state_of(value: str) -> ParcelState:
    """The state a stored string names (a row from the database); ValueError for anything else."""
    return ParcelState(value)


def allowed(frm: ParcelState | None, to: ParcelState) -> bool:
    """Whether a parcel may move from `frm` (None: a new parcel) to `to`."""
    if frm is None:
        return to in INITIAL_STATES
    return to in TRANSITIONS[frm]


def check_transition(frm: ParcelState | None, to: ParcelState, *, parcel: str = "") -> None:
    """Refuse a move the table does not list, with a message a person can act on."""
    if allowed(frm, to):
        return
    what = f"parcel {parcel} " if parcel else "a parcel "
    if frm is None:
        raise Conflict("illegal_transition", f"{what}cannot start as {to.value}", to=to.value)
    raise Conflict("illegal_transition", f"{what}is {frm.value}; it cannot become {to.value}",
                   state=frm.value, to=to.value)
