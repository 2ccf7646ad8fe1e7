"""Carrier report: per carrier over a period, from the site's own tracking history.

- first_scan_rate: waybills with a label whose first physical scan came within the no-first-scan clock
  (24 h; 48 h cross-border), over waybills with a label (or with any scan when no label was seen);
- on_time_rate: waybills with an expected date that arrived (locker/pickup point/delivered) by it, over
  those with an expected date that arrived or are already past it;
- exception_rate: waybills with at least one anomaly or a carrier-reported exception (exception, customs
  hold, return), over all;
- avg_delay_days: mean days late over the waybills with an expected date that arrived (0 when on time);
- last_mile_failure_rate: waybills with a failed delivery attempt, over those that reached the last mile
  (out for delivery, failed, or arrived);
- false_delivery_rate: waybills the carrier reported delivered or handed to a point that never reached
  this site within the configured hours (a `delivered_not_here` anomaly), over those it reported so;
- scan_to_received_h: mean hours from the carrier's scan to our receiving the event, over all sources
  (per source: `source_freshness`);
- problem carriers: at least `min_parcels` waybills and an anomaly rate above the site's overall rate,
  worst first.
Waybills count in the period in which tracking of them started (`first_seen_at`).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from edge.clock import parse_iso
from edge.store.db import Tx

COLUMNS = ("carrier", "parcels", "first_scan_rate", "on_time_rate", "exception_rate", "avg_delay_days",
           "last_mile_failure_rate", "false_delivery_rate", "scan_to_received_h", "anomalies")
#: seconds between an event's carrier time and its receipt (both stored as UTC ISO text)
_DELAY_SQL = "(julianday(e.received_at) - julianday(e.time)) * 86400.0"


def _ratio(n: int, d: int) -> float | None:
    return round(n / d, 4) if d else None


def carrier_rows(tx: Tx, since: str, until: str) -> list[dict[str, Any]]:
    """since/until: ISO 8601 instants (or dates, read as UTC midnight)."""
    lo, hi = _epoch(since), _epoch(until)
    rows = tx.all(
        "SELECT t.carrier, t.cross_border, t.expected_by, t.label_at, t.first_scan_at, t.arrived_at, t.failures,"
        " t.last_milestone, (SELECT COUNT(*) FROM anomalies a WHERE a.tracking_number = t.tracking_number) AS anomalies,"
        " EXISTS (SELECT 1 FROM tracking_events e WHERE e.tracking_number = t.tracking_number"
        "         AND e.milestone IN ('out_for_delivery','delivery_failed','available_for_pickup','delivered')) AS last_mile,"
        " EXISTS (SELECT 1 FROM tracking_events e WHERE e.tracking_number = t.tracking_number"
        "         AND e.milestone IN ('exception','customs_held','return_started','returned')) AS carrier_exception,"
        " EXISTS (SELECT 1 FROM anomalies a WHERE a.tracking_number = t.tracking_number"
        "         AND a.kind = 'delivered_not_here') AS false_delivery"
        " FROM tracked t WHERE t.first_seen_at >= ? AND t.first_seen_at < ?",
        (lo, hi),
    )
    acc: dict[str, dict[str, Any]] = {}
    for r in rows:
        c = acc.setdefault(r["carrier"] or "unknown", {
            "parcels": 0, "scan_base": 0, "scan_ok": 0, "due": 0, "on_time": 0, "delays": [], "with_anomaly": 0,
            "anomalies": 0, "last_mile": 0, "failed": 0, "handed": 0, "false": 0})
        c["parcels"] += 1
        c["anomalies"] += r["anomalies"]
        c["with_anomaly"] += int(r["anomalies"] > 0 or bool(r["carrier_exception"]))
        start = r["label_at"]
        if start or r["first_scan_at"]:
            c["scan_base"] += 1
            limit_h = 48 if r["cross_border"] else 24
            if r["first_scan_at"] and (not start or (r["first_scan_at"] - start) / 3600 <= limit_h):
                c["scan_ok"] += 1
        if r["expected_by"]:
            end = r["expected_by"]
            if r["arrived_at"]:
                c["due"] += 1
                late_days = max(0.0, (r["arrived_at"] - end) / 86400)
                c["delays"].append(late_days)
                c["on_time"] += int(late_days == 0)
            elif end < hi:
                c["due"] += 1
        if r["last_mile"]:
            c["last_mile"] += 1
            c["failed"] += int(r["failures"] > 0)
        if r["arrived_at"] or r["false_delivery"]:
            c["handed"] += 1
            c["false"] += int(bool(r["false_delivery"]))
    delays = {row["carrier"] or "unknown": row["h"] for row in tx.all(
        f"SELECT t.carrier, avg({_DELAY_SQL}) / 3600.0 AS h FROM tracking_events e JOIN tracked t"
        " ON t.tracking_number = e.tracking_number WHERE t.first_seen_at >= ? AND t.first_seen_at < ?"
        " GROUP BY t.carrier", (lo, hi))}
    out = []
    for carrier, c in sorted(acc.items(), key=lambda kv: -kv[1]["parcels"]):
        out.append({
            "carrier": carrier, "parcels": c["parcels"],
            "first_scan_rate": _ratio(c["scan_ok"], c["scan_base"]),
            "on_time_rate": _ratio(c["on_time"], c["due"]),
            "exception_rate": _ratio(c["with_anomaly"], c["parcels"]),
            "avg_delay_days": round(sum(c["delays"]) / len(c["delays"]), 2) if c["delays"] else None,
            "last_mile_failure_rate": _ratio(c["failed"], c["last_mile"]),
            "false_delivery_rate": _ratio(c["false"], c["handed"]),
            "scan_to_received_h": None if delays.get(carrier) is None else round(max(0.0, delays[carrier]), 2),
            "anomalies": c["anomalies"],
        })
    return out


def source_freshness(tx: Tx, since: str, until: str) -> dict[str, dict[str, Any]]:
    """Per source: events received in the period and the delay from the carrier's scan to our receipt."""
    from edge.tracking.sources import freshness

    rows = tx.execute(
        "SELECT source, (julianday(time) - 2440587.5) * 86400.0, (julianday(received_at) - 2440587.5) * 86400.0"
        " FROM tracking_events WHERE received_at >= ? AND received_at < ? LIMIT 200000", (since, until)).fetchall()
    return freshness(rows)


def _epoch(value: str) -> float:
    text = value.strip()
    if len(text) == 10:
        text += "T00:00:00Z"
    return parse_iso(text).timestamp()


def problem_carriers(rows: list[dict[str, Any]], min_parcels: int = 5) -> list[dict[str, Any]]:
    total = sum(r["parcels"] for r in rows)
    flagged = sum(round((r["exception_rate"] or 0) * r["parcels"]) for r in rows)
    site_rate = flagged / total if total else 0.0
    bad = [r for r in rows if r["parcels"] >= min_parcels and (r["exception_rate"] or 0) > site_rate]
    bad.sort(key=lambda r: (-(r["exception_rate"] or 0), -r["anomalies"]))
    return [{"carrier": r["carrier"], "exception_rate": r["exception_rate"], "anomalies": r["anomalies"],
             "parcels": r["parcels"]} for r in bad]


def to_csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(COLUMNS), extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: "" if r.get(k) is None else r[k] for k in COLUMNS})
    return buf.getvalue()


def summary(rows: list[dict[str, Any]], min_parcels: int = 5) -> dict[str, Any]:
    """Compact figures for telemetry."""
    total = sum(r["parcels"] for r in rows)
    return {
        "parcels": total,
        "anomalies": sum(r["anomalies"] for r in rows),
        "carriers": {r["carrier"]: {"parcels": r["parcels"], "on_time_rate": r["on_time_rate"],
                                    "exception_rate": r["exception_rate"]} for r in rows},
        # the KPIs HQ builds its quarterly problem-carrier list from (issue 16; additive)
        "kpis": {r["carrier"]: {k: r.get(k) for k in COLUMNS if k != "carrier"} for r in rows},
        "problem_carriers": [p["carrier"] for p in problem_carriers(rows, min_parcels)],
    }
