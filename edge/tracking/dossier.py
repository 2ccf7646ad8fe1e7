"""Complaint dossier per waybill (read only) and the "complaint filed" step.

`gather` collects what a carrier complaint or the postal authority's channel asks for: the parcel and
its recipient unit (no phone digits, no pickup code), the carrier's timeline, the follow-up log with its
tickets, the door and deposit records, the anomaly history, and the complaints filed with the escalation
clock (7 days from the latest complaint by default). `to_zip` packs the JSON (and the printable page).

`file_complaint` records the step in the follow-up log (channel carrier_complaint or postal_complaint,
the reference as its ticket) and opens an escalation task due when the clock runs out.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from typing import Any

from edge.clock import parse_iso, utc_iso
from edge.store.db import Tx
from edge.tracking import followups as F
from edge.tracking import tasks as T
from edge.tracking.eta import eta
from edge.tracking.settings import TrackingSettings

COMPLAINT_CHANNELS = ("carrier_complaint", "postal_complaint")
DOSSIER_VERSION = 1


class NoWaybill(LookupError):
    pass


def gather(tx: Tx, tracking_number: str, settings: TrackingSettings, site: dict[str, Any]) -> dict[str, Any]:
    tn = tracking_number
    tracked = tx.one("SELECT * FROM tracked WHERE tracking_number = ?", (tn,))
    parcel = tx.one("SELECT id, tracking_number, carrier, unit, category, state, stage, compartment_id, shelf_slot,"
                    " cross_border, expected_by, created_at, stored_at, closed_at FROM parcels"
                    " WHERE tracking_number = ? ORDER BY created_at DESC LIMIT 1", (tn,))
    if tracked is None and parcel is None:
        raise NoWaybill(tn)
    events = tx.all("SELECT time, text, location, code, milestone, source, received_at FROM tracking_events"
                    " WHERE tracking_number = ? ORDER BY time, id", (tn,))
    follow = F.list_for(tx, tn)
    anomalies = tx.all("SELECT kind, severity, owner, assignee, next_action, raised_at, escalation, escalated_at,"
                       " cleared_at, cleared_by, detail FROM anomalies WHERE tracking_number = ? ORDER BY raised_at",
                       (tn,))
    for a in anomalies:
        a["detail"] = json.loads(a.get("detail") or "{}")
    log: list[dict[str, Any]] = []
    doors: list[dict[str, Any]] = []
    deposits: list[dict[str, Any]] = []
    if parcel is not None:
        log = tx.all("SELECT ts, kind, actor, detail FROM parcel_log WHERE parcel_id = ? ORDER BY id", (parcel["id"],))
        for row in log:
            row["detail"] = {k: v for k, v in json.loads(row.get("detail") or "{}").items()
                             if k not in ("pickup_code", "code", "phone_tail", "phone")}
        deposits = tx.all("SELECT id, courier_id, compartment_id, size, state, created_at, updated_at FROM deposits"
                          " WHERE parcel_id = ? ORDER BY created_at", (parcel["id"],))
        refs = [d["id"] for d in deposits] + [parcel["id"]]
        doors = tx.all("SELECT compartment_id, actor, reason, purpose, state, created_at, fired_at, resolved_at,"
                       f" closed_at FROM door_commands WHERE ref IN ({','.join('?' * len(refs))}) ORDER BY created_at",
                       refs)
    complaints = [f for f in follow if f["channel"] in COMPLAINT_CHANNELS]
    return {
        "dossier_version": DOSSIER_VERSION, "prepared_at": tx.ts, "site": site, "tracking_number": tn,
        "carrier": (tracked or {}).get("carrier") or (parcel or {}).get("carrier"),
        "parcel": parcel, "eta": eta(tx, tn) if tracked else None,
        "carrier_says_it_went_to": json.loads(tracked["handed_place"]) if tracked and tracked.get("handed_place")
        else None,
        "source_conflict": json.loads(tracked["source_conflict"]) if tracked and tracked.get("source_conflict")
        else None,
        "timeline": events, "follow_ups": follow, "parcel_log": log, "deposits": deposits, "door_commands": doors,
        "anomalies": anomalies, "complaints": complaints,
        "escalation": clock(complaints, settings, tx.ts),
    }


def clock(complaints: list[dict[str, Any]], settings: TrackingSettings, now: str) -> dict[str, Any] | None:
    """The escalation clock from the latest complaint: due date, days left, and what comes next."""
    if not complaints:
        return None
    last = max(complaints, key=lambda c: c["ts"])
    due = parse_iso(last["ts"]) + timedelta(days=settings.escalation.after_days)
    left = (due - parse_iso(now)).total_seconds() / 86400
    nxt = "postal_complaint" if last["channel"] == "carrier_complaint" else "postal_follow_up"
    return {"from": last["ts"], "reference": last.get("ticket"), "channel": last["channel"], "due_at": utc_iso(due),
            "days_left": round(left, 1), "next_step": nxt, "postal_channel": settings.escalation.postal_channel}


def file_complaint(tx: Tx, tracking_number: str, settings: TrackingSettings, *, channel: str, reference: str,
                   said: str, actor: str, contact: str = "") -> dict[str, Any]:
    if channel not in COMPLAINT_CHANNELS:
        raise F.FollowupError("a complaint is filed with the carrier or the postal authority")
    reference = (reference or "").strip()
    if not reference:
        raise F.FollowupError("write down the complaint's reference number")
    due = tx.now + timedelta(days=settings.escalation.after_days)
    row = F.add(tx, tracking_number, channel=channel, said=said or "complaint filed", actor=actor, contact=contact,
                ticket=reference, next_at=utc_iso(due))
    what = ("no answer to the carrier complaint: file with the postal authority "
            f"({settings.escalation.postal_channel})" if channel == "carrier_complaint"
            else "no answer from the postal authority: follow up on the complaint")
    T.new_task(tx, T.ESCALATION, row.get("parcel_id"), f"escalate {tracking_number} (complaint {reference}) - {what}",
               due, owner="front_desk", tracking_number=tracking_number, anomaly_id=row.get("anomaly_id"),
               step=f"after_{channel}", complaint=reference)
    tx.audit(actor, "tracking.complaint_filed", tracking_number, reference, channel=channel)
    return row


def to_zip(doc: dict[str, Any], html: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("dossier.json", json.dumps(doc, ensure_ascii=False, indent=2, default=str))
        if html is not None:
            z.writestr("dossier.html", html)
    return buf.getvalue()
