"""The in-transit board (read only): every parcel on its way to this site, graded green / yellow / red.

A row is a waybill followed here that has not reached the locker or the desk (or an expected parcel with
no tracking yet): its last scan, where, how long ago, the ETA window and confidence, and the next action
with its owner (from its worst open anomaly). Red first, then yellow, then green; within a grade fresh
food and medicine first, then the longest silence.
"""

from __future__ import annotations

import json
from typing import Any

from edge.clock import parse_iso
from edge.store.db import Tx
from edge.tracking import eta as E
from edge.tracking.settings import TrackingSettings

GRADE_RANK = {"red": 0, "yellow": 1, "green": 2}
#: an expected parcel with no tracking at all for this long is yellow (nobody can say where it is)
NO_TRACKING_YELLOW_H = 24.0
LIMIT = 500


def board(tx: Tx, settings: TrackingSettings, limit: int = LIMIT) -> list[dict[str, Any]]:
    now = tx.now.timestamp()
    cache: E.DurationCache = {}
    rows = tx.all(
        "SELECT t.tracking_number, t.carrier, t.category, t.cross_border, t.parcel_id, t.last_event_at,"
        " t.last_milestone, t.last_location, t.first_seen_at, t.handed_place, t.source_conflict,"
        " p.unit, p.state AS parcel_state,"
        " (SELECT e.text FROM tracking_events e WHERE e.tracking_number = t.tracking_number"
        "  ORDER BY e.time DESC, e.id DESC LIMIT 1) AS last_text,"
        " (SELECT e.source FROM tracking_events e WHERE e.tracking_number = t.tracking_number"
        "  ORDER BY e.time DESC, e.id DESC LIMIT 1) AS last_source"
        " FROM tracked t LEFT JOIN parcels p ON p.id = t.parcel_id"
        " WHERE t.at_site_at IS NULL AND t.closed_at IS NULL"
        " AND (t.final = 0 OR EXISTS (SELECT 1 FROM anomalies a WHERE a.tracking_number = t.tracking_number"
        "      AND a.cleared_at IS NULL))"
        " ORDER BY t.last_event_at LIMIT ?", (limit,))
    open_by: dict[str, list[dict[str, Any]]] = {}
    for a in tx.all("SELECT tracking_number, kind, severity, owner, assignee, raised_at, detail FROM anomalies"
                    " WHERE cleared_at IS NULL"):
        open_by.setdefault(a["tracking_number"], []).append(a)
    out = []
    for r in rows:
        anomalies = sorted(open_by.get(r["tracking_number"], []),
                           key=lambda a: (GRADE_RANK.get(a["severity"], 3), a["raised_at"]))
        worst = anomalies[0] if anomalies else None
        est = E.eta(tx, r["tracking_number"], cache)
        out.append({
            "tracking_number": r["tracking_number"], "carrier": r["carrier"], "category": r["category"],
            "unit": r["unit"], "parcel_id": r["parcel_id"], "grade": worst["severity"] if worst else "green",
            "last_milestone": r["last_milestone"], "last_text": r["last_text"], "last_location": r["last_location"],
            "last_source": r["last_source"],
            "last_event_at": r["last_event_at"], "age_h": None if r["last_event_at"] is None
            else round((now - r["last_event_at"]) / 3600, 1),
            "eta_from": est.get("eta_from"), "eta_to": est.get("eta_to"), "eta_confidence": est.get("confidence"),
            "arrived_at": est.get("arrived_at"), "known": True,
            "kind": worst["kind"] if worst else None,
            "owner": (worst["assignee"] or worst["owner"]) if worst else None,
            "kinds": [a["kind"] for a in anomalies],
            "place": json.loads(r["handed_place"]) if r["handed_place"] else None,
            "conflict": json.loads(r["source_conflict"]) if r["source_conflict"] else None,
            "priority": r["category"] in settings.priority_categories,
        })
    known = {r["tracking_number"] for r in rows}
    for p in tx.all("SELECT p.id, p.tracking_number, p.carrier, p.category, p.unit, p.created_at FROM parcels p"
                    " WHERE p.state = 'expected' AND NOT EXISTS (SELECT 1 FROM tracked t"
                    " WHERE t.tracking_number = p.tracking_number) LIMIT ?", (limit,)):
        if p["tracking_number"] in known:
            continue
        waited = (now - parse_iso(p["created_at"]).timestamp()) / 3600
        out.append({
            "tracking_number": p["tracking_number"], "carrier": p["carrier"], "category": p["category"],
            "unit": p["unit"], "parcel_id": p["id"], "grade": "yellow" if waited >= NO_TRACKING_YELLOW_H else "green",
            "last_milestone": None, "last_text": None, "last_location": None, "last_source": None,
            "last_event_at": None, "age_h": None, "eta_from": None, "eta_to": None, "eta_confidence": None,
            "kind": None, "owner": None, "kinds": [], "place": None, "conflict": None,
            "priority": p["category"] in settings.priority_categories, "no_tracking": True,
        })
    out.sort(key=lambda x: (GRADE_RANK.get(x["grade"], 3), not x["priority"], -(x["age_h"] or 0)))
    return out


def counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    c = {"green": 0, "yellow": 0, "red": 0}
    for r in rows:
        c[r["grade"]] = c.get(r["grade"], 0) + 1
    return c
