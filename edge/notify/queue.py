"""The durable resident message queue (table `messages`): enqueue inside the cause's transaction, then
the dispatcher takes due rows, and marks each sent, to retry (backoff with jitter) or failed (expired).

A message's id is minted once, at enqueue, and every attempt (and every restart) sends that same id, so a
receiver can drop a repeat. A crash between a send and its mark means one more send with the same id,
never a message lost.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from edge.clock import parse_iso, utc_iso
from edge.ids import uuid7
from edge.store.db import Tx

log = logging.getLogger(__name__)

#: kinds as section 3 names them, from the names the services record
KIND_NAMES = {"disposal": "disposed"}
DEFAULT_EXPIRE_H = 72.0


@dataclass(frozen=True)
class RetryPolicy:
    first_s: float = 30.0
    max_s: float = 900.0
    jitter: float = 0.2

    def delay(self, attempts: int, rng: random.Random | None = None) -> float:
        """Wait before the next try after `attempts` failed ones: first_s * 2^(n-1), capped, spread by jitter."""
        base = min(self.max_s, self.first_s * (2 ** max(0, attempts - 1)))
        spread = (rng or random).uniform(-self.jitter, self.jitter) if self.jitter else 0.0
        return max(1.0, base * (1 + spread))


def enqueue(
    tx: Tx,
    *,
    kind: str,
    lang: str,
    text: str,
    parcel: dict[str, Any],
    code: str | None = None,
    deadline: str | None = None,
    subkind: str | None = None,
    notification_id: int | None = None,
    expire_hours: float | None = None,
) -> str:
    """One message for the parcel's recipient, in this transaction. Returns its stable id."""
    mid = uuid7(tx.now)
    hours = expire_hours if expire_hours is not None else float(tx.meta_get("notify.expire_hours") or DEFAULT_EXPIRE_H)
    tx.execute(
        "INSERT INTO messages (id, notification_id, parcel_id, unit, phone_tail, tracking_number, pickup_code, kind,"
        " subkind, lang, text, deadline, created_at, next_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (mid, notification_id, parcel.get("id"), parcel.get("unit"), parcel.get("phone_tail"),
         parcel.get("tracking_number"), code, KIND_NAMES.get(kind, kind), subkind, lang, text, deadline, tx.ts, tx.ts,
         utc_iso(tx.now + timedelta(hours=hours))),
    )
    return mid


def due(tx: Tx, limit: int) -> list[dict[str, Any]]:
    """Pending messages whose time has come, oldest first, with the recipient's contact from the directory."""
    return tx.all(
        "SELECT m.*, u.phone AS phone, u.email AS email FROM messages m LEFT JOIN units u ON u.unit = m.unit"
        " WHERE m.state = 'pending' AND m.next_at <= ? ORDER BY m.next_at, m.id LIMIT ?",
        (tx.ts, limit),
    )


def next_due(tx: Tx) -> datetime | None:
    v = tx.scalar("SELECT min(next_at) FROM messages WHERE state = 'pending'")
    return parse_iso(v) if v else None


def mark_sent(tx: Tx, *, mid: str, channel: str, detail: str = "") -> None:
    """Delivered. `detail` (a provider's reference) is only logged: the row keeps its last error as history."""
    if detail:
        log.debug("message %s delivered by %s: %s", mid, channel, detail)
    tx.execute(
        "UPDATE messages SET state = 'sent', channel = ?, sent_at = ?, attempts = attempts + 1 WHERE id = ? AND"
        " state = 'pending'",
        (channel, tx.ts, mid),
    )


def mark_retry(tx: Tx, mid: str, error: str, retry: RetryPolicy, rng: random.Random | None = None) -> str:
    """One more failed attempt: retry later, or `failed` once past the message's expiry. Returns the new state."""
    row = tx.one("SELECT attempts, expires_at FROM messages WHERE id = ? AND state = 'pending'", (mid,))
    if row is None:
        return "gone"
    attempts = int(row["attempts"]) + 1
    nxt = tx.now + timedelta(seconds=retry.delay(attempts, rng))
    if tx.ts >= row["expires_at"]:
        tx.execute("UPDATE messages SET state = 'failed', attempts = ?, last_error = ? WHERE id = ?",
                   (attempts, f"expired: {error}"[:500], mid))
        return "failed"
    tx.execute("UPDATE messages SET attempts = ?, last_error = ?, next_at = ? WHERE id = ?",
               (attempts, error[:500], utc_iso(min(nxt, parse_iso(row["expires_at"]))), mid))
    return "pending"


def retry_now(tx: Tx, mid: str, actor: str) -> None:
    """Staff: send a failed or waiting message again now (its expiry starts over)."""
    tx.execute(
        "UPDATE messages SET state = 'pending', next_at = ?, expires_at = max(expires_at, ?) WHERE id = ?"
        " AND state IN ('pending','failed')",
        (tx.ts, utc_iso(tx.now + timedelta(hours=24)), mid),
    )
    tx.audit(actor, "message.retry", mid)


def counts(tx: Tx) -> dict[str, Any]:
    """Telemetry and the console: messages by state, and the oldest pending one's age in seconds."""
    out: dict[str, Any] = {"pending": 0, "sent": 0, "failed": 0}
    for r in tx.all("SELECT state, count(*) AS n FROM messages GROUP BY state"):
        out[r["state"]] = int(r["n"])
    oldest = tx.scalar("SELECT min(created_at) FROM messages WHERE state = 'pending'")
    out["oldest_pending_age_s"] = round((tx.now - parse_iso(oldest)).total_seconds(), 1) if oldest else None
    return out


def recent(tx: Tx, *, state: str = "", limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    where, args = ("WHERE state = ?", (state,)) if state in ("pending", "sent", "failed") else ("", ())
    return tx.all(
        "SELECT id, kind, subkind, unit, tracking_number, pickup_code, lang, text, state, attempts, last_error, channel,"
        f" created_at, next_at, sent_at, expires_at FROM messages {where} ORDER BY created_at DESC, id DESC"
        " LIMIT ? OFFSET ?",
        (*args, limit, offset),
    )


def purge(tx: Tx, cutoff: str) -> int:
    """Retention: finished messages (they carry pickup codes) older than the cutoff."""
    return int(tx.execute("DELETE FROM messages WHERE created_at < ? AND state != 'pending'", (cutoff,)).rowcount)
