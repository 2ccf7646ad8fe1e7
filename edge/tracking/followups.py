"""Follow-up log: who was contacted about a waybill, how, what was said, the ticket, the next date.

A next follow-up date becomes an open task (tasks.kind = 'tracking_followup') due then; recording a new
follow-up closes the waybill's earlier open follow-up tasks. Runs inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from edge.clock import parse_iso, utc_iso
from edge.domain.vocab import CHANNELS as CHANNELS  # defined once (edge/domain/vocab.py)
from edge.store.db import Tx
from edge.tracking.tasks import FOLLOWUP, close_for_waybill, new_task

MAX_SAID = 2000


class FollowupError(ValueError):
    pass


def _iso(value: str | None, what: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        return utc_iso(parse_iso(str(value)))
    except ValueError:
        raise FollowupError(f"{what} must be an ISO 8601 time with a zone") from None


def add(
    tx: Tx, tracking_number: str, *, channel: str, said: str, actor: str, contact: str = "",
    ticket: str | None = None, next_at: str | None = None, when: str | None = None,
    schedule: Callable[[str], list[float]] | None = None,
) -> dict[str, Any]:
    """Record a follow-up. Without `next_at`, the next date comes from the open anomaly's playbook
    (`schedule(kind)` -> follow-up hours): the n-th follow-up since it was raised is followed n+1 steps in
    (the last step repeats)."""
    if channel not in CHANNELS:
        raise FollowupError(f"channel must be one of {', '.join(CHANNELS)}")
    said = (said or "").strip()
    if not said:
        raise FollowupError("write down what was said")
    ts = _iso(when, "when") or tx.ts
    nxt = _iso(next_at, "next_at")
    tracked = tx.one("SELECT parcel_id FROM tracked WHERE tracking_number = ?", (tracking_number,))
    parcel_id = (tracked or {}).get("parcel_id") or tx.scalar(
        "SELECT id FROM parcels WHERE tracking_number = ? ORDER BY created_at DESC LIMIT 1", (tracking_number,))
    anomaly = tx.one(
        "SELECT id, kind, raised_at FROM anomalies WHERE tracking_number = ? AND cleared_at IS NULL"
        " ORDER BY CASE severity WHEN 'red' THEN 0 ELSE 1 END, raised_at LIMIT 1", (tracking_number,))
    anomaly_id = anomaly["id"] if anomaly else None
    if nxt is None and anomaly is not None and schedule is not None:
        hours = schedule(anomaly["kind"])
        if hours:
            done = int(tx.scalar("SELECT COUNT(*) FROM followups WHERE anomaly_id = ?", (anomaly_id,)) or 0)
            nxt = utc_iso(tx.now + timedelta(hours=hours[min(done + 1, len(hours) - 1)]))
    cur = tx.execute(
        "INSERT INTO followups (tracking_number, parcel_id, anomaly_id, ts, channel, contact, said, ticket, next_at,"
        " actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (tracking_number, parcel_id, anomaly_id, ts, channel, (contact or "")[:200], said[:MAX_SAID],
         (ticket or None) and str(ticket)[:64], nxt, actor, tx.ts),
    )
    fid = int(cur.lastrowid or 0)
    close_for_waybill(tx, tracking_number, actor)
    if nxt:
        new_task(tx, FOLLOWUP, parcel_id, f"follow up {tracking_number} ({channel}{', ticket ' + str(ticket) if ticket else ''})",
                 parse_iso(nxt), tracking_number=tracking_number, anomaly_id=anomaly_id, followup_id=fid)
    if parcel_id:
        tx.log(parcel_id, "followup", actor, channel=channel, ticket=ticket)
    tx.audit(actor, "tracking.followup", tracking_number, channel=channel)
    return tx.one("SELECT * FROM followups WHERE id = ?", (fid,)) or {}


def list_for(tx: Tx, tracking_number: str) -> list[dict[str, Any]]:
    return tx.all("SELECT * FROM followups WHERE tracking_number = ? ORDER BY ts, id", (tracking_number,))


def due(tx: Tx, now: str) -> list[dict[str, Any]]:
    """Open follow-up and escalation tasks due by `now`."""
    return tx.all(
        "SELECT * FROM tasks WHERE state = 'open' AND kind IN ('tracking_followup', 'tracking_escalation')"
        " AND due_at <= ? ORDER BY due_at", (now,))
