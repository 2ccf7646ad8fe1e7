"""Summarise a waybill's events (pure): the `tracked` columns the anomaly rules read.

Recomputed from all of a waybill's events on every ingest, so events arriving late or out of order
give the same summary as events arriving in order.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from edge.clock import utc_iso
from edge.tracking.anomalies import FINAL, NOT_A_SCAN, PAST_CUSTOMS, PAST_FAILURE, RETURN

SUMMARY_COLUMNS = (
    "label_at", "first_scan_at", "last_event_at", "last_milestone", "last_location", "node_since", "node_events",
    "customs_held_at", "exception_at", "failed_at", "failures", "return_at", "arrived_at", "final", "events",
)


def event_time(value: Any, tz: ZoneInfo) -> str:
    """An event time as stored (UTC ISO with Z). Feeds in China send local times without a zone: those are
    read in the site's zone. Accepts ISO 8601 and 'YYYY-MM-DD HH:MM[:SS]'; raises ValueError otherwise."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 946684800 <= value <= 4102444800:
            raise ValueError(f"event time {value!r} is not a plausible epoch")
        return utc_iso(datetime.fromtimestamp(value, UTC))
    if not isinstance(value, str) or not value.strip():
        raise ValueError("event time is missing")
    text = value.strip().replace("Z", "+00:00")
    if len(text) > 40:
        raise ValueError("event time is too long")
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"event time {value[:40]!r} is not ISO 8601") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=tz)
    return utc_iso(dt)


def summarise(events: Iterable[tuple[float, str, str | None]]) -> dict[str, Any]:
    """events: (time as epoch seconds, milestone, location) sorted by time. Returns the SUMMARY_COLUMNS
    (times as epoch seconds)."""
    s: dict[str, Any] = dict.fromkeys(SUMMARY_COLUMNS)
    s["failures"] = 0
    s["node_events"] = 0
    s["events"] = 0
    for time, milestone, location in events:
        s["events"] += 1
        s["last_event_at"] = time
        s["last_milestone"] = milestone
        if milestone == "label_created":
            if s["label_at"] is None:
                s["label_at"] = time
        elif milestone not in NOT_A_SCAN and s["first_scan_at"] is None:
            s["first_scan_at"] = time
        loc = (location or "").strip() or None
        if loc is not None:
            if loc == s["last_location"]:
                s["node_events"] += 1
            else:
                s["last_location"] = loc
                s["node_since"] = time
                s["node_events"] = 1
        if milestone == "customs_held":
            s["customs_held_at"] = time if s["customs_held_at"] is None else s["customs_held_at"]
        elif milestone in PAST_CUSTOMS:
            s["customs_held_at"] = None
        if milestone == "exception":
            s["exception_at"] = time if s["exception_at"] is None else s["exception_at"]
        elif milestone not in NOT_A_SCAN:
            s["exception_at"] = None
        if milestone == "delivery_failed":
            s["failures"] += 1
            s["failed_at"] = time if s["failed_at"] is None else s["failed_at"]
        elif milestone in PAST_FAILURE or milestone in RETURN:
            s["failed_at"] = None
        if milestone in RETURN:
            s["return_at"] = time if s["return_at"] is None else s["return_at"]
        elif milestone in PAST_FAILURE:
            s["return_at"] = None
        if milestone in FINAL and milestone not in RETURN and s["arrived_at"] is None:
            s["arrived_at"] = time
    last = s["last_milestone"]
    s["final"] = int(
        s["return_at"] is None and s["arrived_at"] is not None or last == "returned"
        or (last in FINAL)
    )
    return s
