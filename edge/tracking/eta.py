"""ETA window from the site's own history: how long this carrier's parcels took here, first scan to arrival.

For a waybill in transit, the window is the 25th-75th percentile of the past transit times of the same
carrier (and the same domestic/cross-border kind) that took longer than this one has already taken.
Confidence: high with >= 20 comparable waybills and a scan in the last 24 h; medium with >= 5 and a scan in
the last 72 h; low otherwise. The age of the last scan is always given.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from edge.clock import utc_iso
from edge.store.db import Tx

HISTORY_DAYS = 120
MAX_SAMPLES = 2000


def _quantile(sorted_values: list[float], q: float) -> float:
    if len(sorted_values) == 1:
        return sorted_values[0]
    pos = q * (len(sorted_values) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def window(durations_h: list[float], elapsed_h: float, last_scan_age_h: float | None) -> dict[str, Any]:
    """Pure: (hours from first scan) window and confidence."""
    longer = sorted(d for d in durations_h if d >= elapsed_h)
    n = len(longer)
    if not n:
        return {"from_h": None, "to_h": None, "confidence": "low", "samples": 0}
    fresh = last_scan_age_h is not None
    if n >= 20 and fresh and last_scan_age_h <= 24:  # type: ignore[operator]
        conf = "high"
    elif n >= 5 and fresh and last_scan_age_h <= 72:  # type: ignore[operator]
        conf = "medium"
    else:
        conf = "low"
    return {"from_h": _quantile(longer, 0.25), "to_h": _quantile(longer, 0.75), "confidence": conf, "samples": n}


#: (carrier, cross_border, 10-minute bucket) -> past transit hours; shared by the raises of one sweep
DurationCache = dict[tuple[Any, int, int], list[float]]


def durations(tx: Tx, carrier: str | None, cross_border: int, now_s: float,
              cache: DurationCache | None = None) -> list[float]:
    """Past first-scan-to-arrival hours of this carrier (and kind) at this site, newest first."""
    key = (carrier, int(cross_border), int(now_s // 600))
    if cache is not None and key in cache:
        return cache[key]
    since = now_s - HISTORY_DAYS * 86400
    samples = tx.execute(
        "SELECT (arrived_at - first_scan_at) / 3600.0 FROM tracked"
        " WHERE carrier IS ? AND cross_border = ? AND arrived_at IS NOT NULL AND first_scan_at IS NOT NULL"
        " AND arrived_at >= ? ORDER BY arrived_at DESC LIMIT ?",
        (carrier, cross_border, since, MAX_SAMPLES),
    ).fetchall()
    out = [float(s[0]) for s in samples if s[0] is not None and s[0] >= 0]
    if cache is not None:
        if len(cache) > 256:
            cache.clear()
        cache[key] = out
    return out


def eta(tx: Tx, tracking_number: str, cache: DurationCache | None = None) -> dict[str, Any]:
    row = tx.one("SELECT * FROM tracked WHERE tracking_number = ?", (tracking_number,))
    if row is None:
        return {"tracking_number": tracking_number, "known": False}
    now = tx.now
    now_s = now.timestamp()
    last = row["last_event_at"]
    age_h = round((now_s - last) / 3600, 1) if last is not None else None
    out: dict[str, Any] = {"tracking_number": tracking_number, "known": True, "carrier": row["carrier"],
                           "last_milestone": row["last_milestone"], "last_scan_age_h": age_h}
    if row["arrived_at"] is not None:
        arrived = _iso(row["arrived_at"])
        out.update(arrived_at=arrived, confidence="high", eta_from=arrived, eta_to=arrived)
        return out
    past = durations(tx, row["carrier"], row["cross_border"], now_s, cache)
    start = datetime.fromtimestamp(row["first_scan_at"], UTC) if row["first_scan_at"] is not None else now
    elapsed = max(0.0, (now - start).total_seconds() / 3600)
    w = window(past, elapsed, age_h)
    out.update(confidence=w["confidence"], samples=w["samples"])
    if w["from_h"] is not None:
        lo = max(now, start + timedelta(hours=w["from_h"]))
        hi = max(lo, start + timedelta(hours=w["to_h"]))
        out.update(eta_from=utc_iso(lo), eta_to=utc_iso(hi))
    else:
        out.update(eta_from=None, eta_to=None)
    return out


def _iso(t: float) -> str:
    return utc_iso(datetime.fromtimestamp(t, UTC))
