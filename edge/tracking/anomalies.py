"""Anomaly rules (pure): a waybill's summary + the time -> the anomalies that should be open now, with
their severity, and the next instant at which that answer can change without a new event.

The service diffs this against the open anomalies (raise / escalate severity / clear) and stores
`next_check_at`, so a sweep only touches waybills whose answer may have changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from edge.tracking.settings import TrackingSettings

RED = "red"
YELLOW = "yellow"

#: milestones after which the carrier's job is done (at a residential site: in our locker/room or signed)
FINAL = frozenset({"delivered", "available_for_pickup", "returned"})
#: milestones saying the carrier handed the parcel over (signed, delivered, left at a locker/station/point):
#: at a site that records arrivals, a deposit or desk intake must follow (else `delivered_not_here`)
HANDED = frozenset({"delivered", "available_for_pickup"})
#: milestones that end a customs hold or a failed attempt
PAST_CUSTOMS = frozenset({"customs_cleared", "out_for_delivery", "available_for_pickup", "delivered"})
PAST_FAILURE = frozenset({"out_for_delivery", "available_for_pickup", "delivered"})
RETURN = frozenset({"return_started", "returned"})
#: milestones that are not a physical scan
NOT_A_SCAN = frozenset({"label_created", "unknown"})

#: (epoch seconds, working days) -> epoch seconds of the deadline
AddWorkingDays = Callable[[float, int], float]


#: `tracked` columns as the rules read them (times are stored as epoch seconds)
WAYBILL_SQL = ", ".join([
    "tracking_number", "category", "cross_border", "expected_by", "first_seen_at", "label_at", "first_scan_at",
    "last_event_at", "last_milestone", "node_since", "node_events", "customs_held_at", "exception_at", "failed_at",
    "failures", "return_at", "final", "next_check_at", "parcel_id", "carrier",
    # appended (issue 16): keep the indexes above stable
    "arrived_at", "at_site_at", "closed_at", "source_conflict",
])


class Waybill(NamedTuple):
    """A `tracked` row as the rules read it (SELECT WAYBILL_SQL); times are epoch seconds or None."""

    tracking_number: str
    category: str = "normal"
    cross_border: int = 0
    expected_by: float | None = None
    first_seen_at: float | None = None
    label_at: float | None = None
    first_scan_at: float | None = None
    last_event_at: float | None = None
    last_milestone: str | None = None
    node_since: float | None = None
    node_events: int = 0
    customs_held_at: float | None = None
    exception_at: float | None = None
    failed_at: float | None = None
    failures: int = 0
    return_at: float | None = None
    final: int = 0
    next_check_at: float | None = None
    parcel_id: str | None = None
    carrier: str | None = None
    arrived_at: float | None = None
    at_site_at: float | None = None
    closed_at: float | None = None
    source_conflict: str | None = None


def _calendar_days(t: float, n: int) -> float:
    return t + n * 7 / 5 * 86400


H = 3600.0
#: a little slack so a waybill due "now" (float rounding) is never left for the next tick
EPS = 0.002


def evaluate(
    w: Waybill, now: float, settings: TrackingSettings, add_working_days: AddWorkingDays | None = None
) -> tuple[dict[str, str], float | None]:
    """({kind: severity} that should be open at `now`, the next instant this can change, or None).
    Times are epoch seconds."""
    want: dict[str, str] = {"returned": RED} if w.return_at is not None else {}
    c = settings.clocks_for(w.category, bool(w.cross_border))
    priority = w.category in settings.priority_categories
    nxt: float | None = None
    here_or_closed = w.at_site_at is not None or w.closed_at is not None

    def at(threshold: float, kind: str, severity: str) -> bool:
        nonlocal nxt
        if now + EPS >= threshold:
            want[kind] = severity
            return True
        if nxt is None or threshold < nxt:
            nxt = threshold
        return False

    if w.final or w.last_milestone in FINAL:
        # the carrier says it handed the parcel over: it must reach our locker or desk soon
        if (not here_or_closed and w.last_milestone in HANDED and w.arrived_at is not None
                and w.return_at is None and c.delivered_not_here_h > 0):
            at(w.arrived_at + c.delivered_not_here_h * H, "delivered_not_here", RED)
        if w.source_conflict and not here_or_closed:
            want["source_conflict"] = YELLOW
        return want, nxt

    if w.source_conflict:
        want["source_conflict"] = YELLOW

    # carrier has a label but no physical scan yet
    if w.label_at is not None and w.first_scan_at is None:
        if at(w.label_at + c.no_first_scan_h * H, "no_first_scan", RED if priority else YELLOW) and not priority:
            at(w.label_at + 2 * c.no_first_scan_h * H, "no_first_scan", RED)

    if w.customs_held_at is not None:
        want["customs_held"] = RED if priority else YELLOW
        if not priority:
            at(w.customs_held_at + c.customs_red_h * H, "customs_held", RED)

    if w.exception_at is not None:
        want["exception"] = RED if priority else YELLOW

    if w.failed_at is not None:
        want["delivery_failed"] = RED if priority or w.failures >= c.delivery_failed_red_after else YELLOW

    # a known problem (return, customs, failed attempt) has its own follow-up: no "stalled" on top
    last = w.last_event_at
    if last is not None and w.first_scan_at is not None and not (want.keys() - {"source_conflict"}):
        if at(last + c.stalled_yellow_h * H, "stalled", YELLOW):
            at(last + c.stalled_red_h * H, "stalled", RED)
        if w.node_since is not None and w.node_events > 1 and last > w.node_since:
            at(w.node_since + c.stuck_at_node_h * H, "stuck_at_node", YELLOW)

    if w.expected_by is not None:
        if at(w.expected_by, "late", RED if priority else YELLOW) and not priority:
            at(w.expected_by + c.late_red_h * H, "late", RED)

    if w.cross_border:
        since = last if last is not None else w.first_seen_at
        if since is not None:
            due = (add_working_days or _calendar_days)(since, settings.cross_border.stale_working_days)
            at(due, "cross_border_stale", RED)

    return want, nxt
