"""Cross-checking tracking sources (pure): do they disagree, and how fresh is each?

A waybill's events come from several sources (HQ over MQTT, Kuaidi100, Kdniao, 17TRACK, the carrier's
own API). One source misses events another has, so we keep them all and flag a `source_conflict` when
- "milestone": their latest word disagrees on the outcome: one says handed over (delivered / at a pickup
  point) while another, later, says failed, exception or returned, or still moving after the handover; or
- "silent": one source has said nothing for `silent_h` hours while another has reported new scans since.

Freshness: per source, the delay from the carrier's scan time to our receiving it (received_at - time).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, NamedTuple

SILENT_H = 24.0
#: outcome classes: which milestones say what about the end of the carrier's job
OUTCOME = {
    "delivered": "handed", "available_for_pickup": "handed", "delivery_failed": "failed",
    "exception": "problem", "return_started": "return", "returned": "return",
}
MOVING = frozenset({"picked_up", "in_transit", "arrived_at_hub", "departed_hub", "out_for_delivery"})
IGNORED = frozenset({"unknown", "label_created"})


class SourceEvent(NamedTuple):
    time: float  # epoch seconds of the scan
    milestone: str
    source: str
    received_at: float | None = None


def source_name(source: str | None) -> str:
    """'' (older rows, direct ingest) reads as 'site'."""
    return (source or "").strip() or "site"


def conflict(events: Iterable[SourceEvent], silent_h: float = SILENT_H) -> dict[str, Any] | None:
    """{"reason": "milestone"|"silent", "sources": {...}} or None. Needs at least two sources."""
    latest: dict[str, SourceEvent] = {}
    all_events: list[SourceEvent] = []
    for ev in events:
        if ev.milestone in IGNORED:
            continue
        name = source_name(ev.source)
        all_events.append(ev._replace(source=name))
        cur = latest.get(name)
        if cur is None or ev.time >= cur.time:
            latest[name] = ev._replace(source=name)
    if len(latest) < 2:
        return None
    summary = {n: {"milestone": e.milestone, "time": e.time} for n, e in sorted(latest.items())}
    handed = [e for e in latest.values() if OUTCOME.get(e.milestone) == "handed"]
    for h in handed:
        for other in latest.values():
            if other.source == h.source:
                continue
            kind = OUTCOME.get(other.milestone)
            if kind in ("failed", "problem", "return") and other.time >= h.time - 3600:
                return {"reason": "milestone", "sources": summary}
            if other.milestone in MOVING and other.time > h.time:
                return {"reason": "milestone", "sources": summary}
    newest = max(e.time for e in latest.values())
    for name, e in latest.items():
        gap = newest - e.time
        if gap >= silent_h * 3600:
            moved = sum(1 for x in all_events if x.source != name and x.time > e.time)
            if moved >= 1:
                return {"reason": "silent", "silent_source": name, "silent_h": round(gap / 3600, 1),
                        "sources": summary}
    return None


def encode(found: dict[str, Any] | None) -> str | None:
    return None if found is None else json.dumps(found, ensure_ascii=False, sort_keys=True)


def freshness(rows: Iterable[tuple[str | None, float, float]]) -> dict[str, dict[str, Any]]:
    """rows: (source, scan epoch, received epoch) -> {source: {events, avg_s, p90_s, max_s}} of the delay
    from scan to received (negative delays, clock skew of the carrier, count as 0)."""
    by: dict[str, list[float]] = {}
    for source, scanned, received in rows:
        by.setdefault(source_name(source), []).append(max(0.0, received - scanned))
    out: dict[str, dict[str, Any]] = {}
    for name, delays in sorted(by.items()):
        delays.sort()
        n = len(delays)
        out[name] = {"events": n, "avg_s": round(sum(delays) / n, 1),
                     "p90_s": round(delays[min(n - 1, int(0.9 * (n - 1) + 0.999))], 1), "max_s": round(delays[-1], 1)}
    return out
