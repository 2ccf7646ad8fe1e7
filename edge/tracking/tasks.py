"""What an anomaly sets in motion, inside the anomaly's transaction: a follow-up task for the owner
(tasks table), a message for the resident (notifications table), and after 7 days unresolved an
escalation suggestion (carrier complaint, then the postal authority's complaint channel).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import Any

from edge import glossary
from edge.clock import utc_iso
from edge.services.notifier import Notifier, unit_lang
from edge.store.db import Tx
from edge.tracking.messages import resident_text
from edge.tracking.settings import TrackingSettings

log = logging.getLogger(__name__)

FOLLOWUP = "tracking_followup"
ESCALATION = "tracking_escalation"


def new_task(tx: Tx, kind: str, parcel_id: str | None, title: str, due: datetime, *, owner: str | None = None,
             **detail: Any) -> int:
    """`owner`: a role (front_desk, resident) or a staff user name; shown on the task."""
    cur = tx.execute(
        "INSERT INTO tasks (kind, parcel_id, state, title, detail, due_at, created_at, owner)"
        " VALUES (?, ?, 'open', ?, ?, ?, ?, ?)",
        (kind, parcel_id, title, json.dumps(detail, ensure_ascii=False), utc_iso(due), tx.ts, owner),
    )
    task_id = int(cur.lastrowid or 0)
    tx.execute("INSERT INTO tracking_tasks (task_id, tracking_number, anomaly_id) VALUES (?, ?, ?)",
               (task_id, detail.get("tracking_number", ""), detail.get("anomaly_id")))
    return task_id


def close_for_waybill(tx: Tx, tracking_number: str, by: str, kinds: tuple[str, ...] = (FOLLOWUP,)) -> None:
    tx.execute(
        "UPDATE tasks SET state = 'done', done_at = ?, done_by = ? WHERE state = 'open' AND kind IN"
        f" ({','.join('?' * len(kinds))}) AND id IN (SELECT task_id FROM tracking_tasks WHERE tracking_number = ?)",
        (tx.ts, by, *kinds, tracking_number),
    )


def on_raised(tx: Tx, settings: TrackingSettings, row: dict[str, Any], anomaly_id: int, kind: str, locale: str,
              detail: dict[str, Any] | None = None, tz: str = "Asia/Shanghai", *,
              notifier: Notifier | None = None) -> None:
    pb = settings.playbook(kind)
    tn = row["tracking_number"]
    first = pb.followup_hours[0] if pb.followup_hours else 24.0
    new_task(tx, FOLLOWUP, row.get("parcel_id"), f"{kind}: {tn} ({pb.owner}) - {pb.next_action}",
             tx.now + timedelta(hours=first), owner=pb.owner, tracking_number=tn, anomaly_id=anomaly_id, step=0)
    if not settings.notify_residents or not row.get("parcel_id"):
        return
    parcel = tx.one("SELECT unit, phone_tail, carrier FROM parcels WHERE id = ?", (row["parcel_id"],))
    if not parcel or not parcel.get("unit"):
        return
    detail = detail or {}
    eta = {"eta_from": detail.get("eta_from"), "eta_to": detail.get("eta_to"), "confidence": detail.get("eta_confidence")}
    lang = unit_lang(tx, parcel["unit"]) or locale  # the resident's language when the directory has it
    # the parcel as the resident's other messages name it ("顺丰速运 SF1234…"), under the site's heading
    carrier = parcel.get("carrier") or row.get("carrier")
    named = f"{glossary.carrier_name(str(carrier), lang)} {tn}" if carrier else tn
    text = resident_text(settings, kind, named, lang, eta=eta, place=detail.get("place"), tz=tz, now=tx.now)
    if not text:
        return
    notifier = notifier or Notifier("", locale)
    heading = notifier.site_for(lang)
    if heading:
        text = f"【{heading}】{text}" if lang.lower().startswith("zh") else f"[{heading}] {text}"
    notifier.send(
        tx, "anomaly", {"id": row["parcel_id"], "unit": parcel["unit"], "phone_tail": parcel.get("phone_tail"),
                        "tracking_number": tn}, text=text, lang=lang, subkind=kind, record_kind=f"anomaly.{kind}")


def on_cleared(tx: Tx, anomaly_id: int, by: str) -> None:
    tx.execute(
        "UPDATE tasks SET state = 'cancelled', done_at = ?, done_by = ? WHERE state = 'open'"
        " AND id IN (SELECT task_id FROM tracking_tasks WHERE anomaly_id = ?)",
        (tx.ts, by, anomaly_id),
    )


def escalate_if_due(
    tx: Tx, settings: TrackingSettings, row: dict[str, Any], anomaly: tuple[Any, ...], now: float
) -> float | None:
    """Suggest the next escalation step if the anomaly has been open long enough; returns when the next
    step will be due (epoch seconds; None when there is none left). `anomaly` is an open-anomaly row
    (id, tracking_number, kind, severity, raised_s, escalation, escalated_s)."""
    steps = settings.escalation.steps
    anomaly_id, _tn, kind, _sev, raised_s, current, escalated_s = anomaly
    index = steps.index(current) + 1 if current in steps else 0
    if index >= len(steps):
        return None
    period = settings.escalation.after_days * 86400
    due = (escalated_s or raised_s) + period
    if now + 0.002 < due:
        return due
    step = steps[index]
    tx.execute("UPDATE anomalies SET escalation = ?, escalated_at = ? WHERE id = ?", (step, tx.ts, anomaly_id))
    tn = row["tracking_number"]
    what = (f"file a complaint with the carrier ({row.get('carrier') or 'unknown carrier'})" if step == "carrier_complaint"
            else f"file a complaint with the postal authority: {settings.escalation.postal_channel}"
            if step == "postal_complaint" else step)
    new_task(tx, ESCALATION, row.get("parcel_id"), f"escalate {kind}: {tn} - {what}", tx.now, owner="front_desk",
             tracking_number=tn, anomaly_id=anomaly_id, step=step)
    tx.audit("tracking", "tracking.escalation_suggested", tn, step, kind=kind)
    return now + period if index + 1 < len(steps) else None
