"""Anomaly rules (pure): a waybill's summary + the time -> the anomalies that should be open now, with
their severity, and the next instant at which that answer can change without a new event.

The service diffs this against the open anomalies (raise / escalate severity / clear) and stores
`next_check_at`, so a sweep only touches waybills whose answer may have changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from edge.tracking.settings import TrackingSettings

RED = "red"
YELLOW = "yellow"

#: milestones after which the carrier's job is done (at a residential site: in our locker/room or signed)
FINAL = frozenset({"delivered", "available_for_pickup", "returned"})
#: milestones that end a customs hold or a failed attempt
PAST_CUSTOMS = frozenset({"customs_cleared", "out_for_delivery", "available_for_pickup", "delivered"})
PAST_FAILURE = frozenset({"out_for_delivery", "available_for_pickup", "delivered"})
RETURN = frozenset({"return_started", "returned"})
#: milestones that are not a physical scan
NOT_A_SCAN = frozenset({"label_created", "unknown"})

AddWorkingDays = Callable[[datetime, int], datetime]


@dataclass
class Waybill:
    """The fields of a `tracked` row the rules read (times already parsed)."""

    tracking_number: str
    category: str = "normal"
    cross_border: bool = False
    expected_by: datetime | None = None
    first_seen_at: datetime | None = None
    label_at: datetime | None = None
    first_scan_at: datetime | None = None
    last_event_at: datetime | None = None
    last_milestone: str | None = None
    node_since: datetime | None = None
    node_events: int = 0
    customs_held_at: datetime | None = None
    exception_at: datetime | None = None
    failed_at: datetime | None = None
    failures: int = 0
    return_at: datetime | None = None
    final: bool = False


def _pd(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def waybill_from_row(row: dict[str, object]) -> Waybill:
    g = row.get
    return Waybill(
        tracking_number=str(g("tracking_number")),
        category=str(g("category") or "normal"),
        cross_border=bool(g("cross_border")),
        expected_by=_expected(g("expected_by")),  # type: ignore[arg-type]
        first_seen_at=_pd(g("first_seen_at")),  # type: ignore[arg-type]
        label_at=_pd(g("label_at")),  # type: ignore[arg-type]
        first_scan_at=_pd(g("first_scan_at")),  # type: ignore[arg-type]
        last_event_at=_pd(g("last_event_at")),  # type: ignore[arg-type]
        last_milestone=g("last_milestone"),  # type: ignore[arg-type]
        node_since=_pd(g("node_since")),  # type: ignore[arg-type]
        node_events=int(g("node_events") or 0),  # type: ignore[call-overload]
        customs_held_at=_pd(g("customs_held_at")),  # type: ignore[arg-type]
        exception_at=_pd(g("exception_at")),  # type: ignore[arg-type]
        failed_at=_pd(g("failed_at")),  # type: ignore[arg-type]
        failures=int(g("failures") or 0),  # type: ignore[call-overload]
        return_at=_pd(g("return_at")),  # type: ignore[arg-type]
        final=bool(g("final")),
    )


def _expected(value: str | None) -> datetime | None:
    """expected_by is a UTC instant, or a date meaning the end of that day (UTC+8 site day ends 16:00Z)."""
    if not value:
        return None
    dt = _pd(value)
    if dt is None:
        return None
    if dt.tzinfo is None:  # a bare date: late from the start of the next day
        from datetime import UTC

        dt = (dt + timedelta(days=1)).replace(tzinfo=UTC)
    return dt


def _calendar_days(t: datetime, n: int) -> datetime:
    return t + timedelta(days=n * 7 / 5)


def evaluate(
    w: Waybill, now: datetime, settings: TrackingSettings, add_working_days: AddWorkingDays | None = None
) -> tuple[dict[str, str], datetime | None]:
    """({kind: severity} that should be open at `now`, the next instant this can change, or None)."""
    c = settings.clocks_for(w.category, w.cross_border)
    priority = w.category in settings.priority_categories
    want: dict[str, str] = {}
    upcoming: list[datetime] = []
    h = timedelta(hours=1)

    def at(threshold: datetime, kind: str, severity: str) -> bool:
        if now >= threshold:
            want[kind] = severity
            return True
        upcoming.append(threshold)
        return False

    last = w.last_milestone
    if w.return_at is not None:
        want["returned"] = RED
    if w.final or last in FINAL:
        return want, None

    # carrier has a label but no physical scan yet
    if w.label_at is not None and w.first_scan_at is None:
        if at(w.label_at + c.no_first_scan_h * h, "no_first_scan", RED if priority else YELLOW) and not priority:
            at(w.label_at + 2 * c.no_first_scan_h * h, "no_first_scan", RED)

    if w.customs_held_at is not None:
        want["customs_held"] = RED if priority else YELLOW
        if not priority:
            at(w.customs_held_at + c.customs_red_h * h, "customs_held", RED)

    if w.exception_at is not None:
        want["exception"] = RED if priority else YELLOW

    if w.failed_at is not None:
        want["delivery_failed"] = RED if priority or w.failures >= c.delivery_failed_red_after else YELLOW

    # a known problem (return, customs, failed attempt) has its own follow-up: no "stalled" on top
    moving = w.first_scan_at is not None and not want
    if moving and w.last_event_at is not None:
        if at(w.last_event_at + c.stalled_yellow_h * h, "stalled", YELLOW):
            at(w.last_event_at + c.stalled_red_h * h, "stalled", RED)
        if w.node_since is not None and w.node_events > 1 and w.last_event_at > w.node_since:
            at(w.node_since + c.stuck_at_node_h * h, "stuck_at_node", YELLOW)

    if w.expected_by is not None:
        if at(w.expected_by, "late", RED if priority else YELLOW) and not priority:
            at(w.expected_by + c.late_red_h * h, "late", RED)

    if w.cross_border:
        since = w.last_event_at or w.first_seen_at
        if since is not None:
            due = (add_working_days or _calendar_days)(since, settings.cross_border.stale_working_days)
            at(due, "cross_border_stale", RED)

    return want, min(upcoming) if upcoming else None
