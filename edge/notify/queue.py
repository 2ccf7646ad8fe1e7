"""The durable resident message queue (table `messages`): enqueue inside the cause's transaction, then
the dispatcher takes due rows, and marks each sent, to retry (backoff with jitter) or failed (expired).

A message's id is minted once, at enqueue, and every attempt (and every restart) sends that same id, so a
receiver can drop a repeat. A crash between a send and its mark means one more send with the same id,
never a message lost.

Messages of one recipient, kind (and code) queued within the merge window are folded into one before it is
sent (`fold`, ADR 0043): the others are marked ``merged`` with ``merged_into``, in one transaction before the
channel attempt, so a crash on either side of it neither loses nor repeats a parcel.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from edge import hant
from edge.clock import parse_iso, utc_iso
from edge.ids import uuid7
from edge.notify import merge
from edge.store.db import Tx

log = logging.getLogger(__name__)

#: kinds as section 3 names them, from the names the services record
KIND_NAMES = {"disposal": "disposed"}
#: a message's states: waiting (or retrying), delivered, expired undelivered, folded into another (ADR 0043)
STATES = ("pending", "sent", "failed", "merged")
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
    next_at: datetime | None = None,
    merge_key: str | None = None,
    merge_data: str | None = None,
    to: dict[str, Any] | None = None,
) -> str:
    """One message for the parcel's recipient, in this transaction. Returns its stable id.

    `to`: a former resident's contact (phone, email) kept on their parcel: the message goes there and never to
    the unit's directory entry (edge/services/former.py).

    `next_at`: when it may leave (the merge window, quiet hours: edge/notify/timing.py; default now); its
    expiry counts from then. `merge_key`/`merge_data`: set for a message the dispatcher may fold (merge.py)."""
    mid = uuid7(tx.now)
    hours = expire_hours if expire_hours is not None else float(tx.meta_get("notify.expire_hours") or DEFAULT_EXPIRE_H)
    at = max(next_at, tx.now) if next_at is not None else tx.now
    tx.execute(
        "INSERT INTO messages (id, notification_id, parcel_id, unit, phone_tail, tracking_number, pickup_code, kind,"
        " subkind, lang, text, deadline, created_at, next_at, expires_at, merge_key, merge_data, former, to_phone,"
        " to_email) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (mid, notification_id, parcel.get("id"), parcel.get("unit"), parcel.get("phone_tail"),
         parcel.get("tracking_number"), code, KIND_NAMES.get(kind, kind), subkind, lang, text, deadline, tx.ts,
         utc_iso(at), utc_iso(at + timedelta(hours=hours)), merge_key, merge_data, int(to is not None),
         (to or {}).get("phone"), (to or {}).get("email")),
    )
    return mid


#: a message's row with its recipient's contact: the directory's, or a former resident's kept one (never both)
_WITH_CONTACT = ("SELECT m.*, CASE WHEN m.former = 1 THEN m.to_phone ELSE u.phone END AS phone,"
                 " CASE WHEN m.former = 1 THEN m.to_email ELSE u.email END AS email"
                 " FROM messages m LEFT JOIN units u ON u.unit = m.unit")


def due(tx: Tx, limit: int) -> list[dict[str, Any]]:
    """Pending messages whose time has come, oldest first, with the recipient's contact (`_WITH_CONTACT`)."""
    return tx.all(
        _WITH_CONTACT + " WHERE m.state = 'pending' AND m.next_at <= ? ORDER BY m.next_at, m.id LIMIT ?",
        (tx.ts, limit),
    )


#: the other messages that fold into one (its merge key, its id): pending, never tried, with what a folded text needs
_FOLD_INTO = "merge_key = ? AND state = 'pending' AND id != ? AND attempts = 0 AND merge_data IS NOT NULL"


def _foldable(row: dict[str, Any]) -> bool:
    """Others may fold into this message: it has a merge key and its parcel's words, and no channel has tried it."""
    return bool(row.get("merge_key") and row.get("merge_data")) and not row["attempts"]


def fold_needed(tx: Tx, mid: str) -> bool | None:
    """A read before `fold`: None when `mid` is no longer pending, True when other messages would fold into it.
    Lets the dispatcher send a lone message without a write (a fold is a durable one)."""
    row = tx.one("SELECT merge_key, merge_data, attempts FROM messages WHERE id = ? AND state = 'pending'", (mid,))
    if row is None:
        return None
    if not _foldable(row):
        return False
    return tx.scalar(f"SELECT 1 FROM messages WHERE {_FOLD_INTO} LIMIT 1", (row["merge_key"], mid)) is not None


def fold(tx: Tx, mid: str) -> dict[str, Any] | None:
    """Before message `mid` is sent: fold every other pending, never-tried message of its merge key into it.

    Returns the row to send (its text now names every parcel; with nothing to fold, as it was), or None when
    `mid` is no longer pending (folded into another, sent, failed). Only untried messages are folded, and
    only into an untried one: a message a channel may already have delivered keeps its text. One transaction:
    the folded rows are ``merged`` (with ``merged_into``) exactly when the kept row carries their parcels."""
    row = tx.one(_WITH_CONTACT + " WHERE m.id = ? AND m.state = 'pending'", (mid,))
    if row is None:
        return None
    if not _foldable(row):
        return row
    others = tx.all(f"SELECT id, merge_data, deadline FROM messages WHERE {_FOLD_INTO} ORDER BY created_at, id",
                    (row["merge_key"], mid))
    if not others:
        return row
    try:
        # every parcel's part, kept on the row (a list): a second fold (a restart before the send, a message
        # queued since) adds to the first instead of dropping its parcels; the SMS templates' values read it too
        parts = [*merge.parts(row["merge_data"]), *(p for o in others for p in merge.parts(o["merge_data"]))]
        # worded in zh-CN for a zh-HK reader, then converted (docs/decisions/0050-zh-hk-by-conversion.md)
        text = hant.out(merge.render(row["kind"], hant.base(row["lang"]), parts), row["lang"])
    except (ValueError, KeyError, TypeError):
        log.exception("message %s: its parcels could not be worded together; sent one by one", mid)
        return row
    deadlines = [d for d in (row.get("deadline"), *(o.get("deadline") for o in others)) if d]
    # a "stored" fold with an undated parcel (stored before NTP answered) names no deadline, as merge.render
    deadline = min(deadlines) if deadlines and (row["kind"] != "stored" or len(deadlines) == 1 + len(others)) else None
    folded = json.dumps(parts, ensure_ascii=False, sort_keys=True)
    tx.execute("UPDATE messages SET text = ?, deadline = ?, merge_data = ? WHERE id = ?", (text, deadline, folded, mid))
    tx.conn.executemany(
        "UPDATE messages SET state = 'merged', merged_into = ? WHERE id = ? AND state = 'pending'",
        [(mid, o["id"]) for o in others],
    )
    log.info("message %s (%s) tells of %d parcels: %d messages folded into it", mid, row["kind"], len(parts),
             len(others))
    return row | {"text": text, "deadline": deadline, "merge_data": folded}


def next_due(tx: Tx) -> datetime | None:
    v = tx.scalar("SELECT min(next_at) FROM messages WHERE state = 'pending'")
    return parse_iso(v) if v else None


def mark_sent(tx: Tx, *, mid: str, channel: str, detail: str = "") -> bool:
    """Delivered. `detail` (a provider's reference) is only logged: the row keeps its last error as history.
    False when the message was no longer pending (nothing marked)."""
    if detail:
        log.debug("message %s delivered by %s: %s", mid, channel, detail)
    return tx.execute(
        "UPDATE messages SET state = 'sent', channel = ?, sent_at = ?, attempts = attempts + 1 WHERE id = ? AND"
        " state = 'pending'",
        (channel, tx.ts, mid),
    ).rowcount > 0


def mark_retry(tx: Tx, mid: str, error: str, retry: RetryPolicy, rng: random.Random | None = None,
               later: Callable[[str, datetime, datetime], datetime] | None = None) -> str:
    """One more failed attempt: retry later, or `failed` once past the message's expiry. Returns the new state.

    `later(kind, created_at, next try)`: the next try moved out of the quiet hours (SendTiming.retry_at)."""
    row = tx.one("SELECT kind, created_at, attempts, expires_at FROM messages WHERE id = ? AND state = 'pending'",
                 (mid,))
    if row is None:
        return "gone"
    attempts = int(row["attempts"]) + 1
    nxt = tx.now + timedelta(seconds=retry.delay(attempts, rng))
    if later is not None:
        nxt = later(str(row["kind"]), parse_iso(row["created_at"]), nxt)
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
    out: dict[str, Any] = {"pending": 0, "sent": 0, "failed": 0, "merged": 0}
    for r in tx.all("SELECT state, count(*) AS n FROM messages GROUP BY state"):
        out[r["state"]] = int(r["n"])
    oldest = tx.scalar("SELECT min(created_at) FROM messages WHERE state = 'pending'")
    out["oldest_pending_age_s"] = round((tx.now - parse_iso(oldest)).total_seconds(), 1) if oldest else None
    return out


def recent(tx: Tx, *, state: str = "", limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    where, args = ("WHERE m.state = ?", (state,)) if state in STATES else ("", ())
    return tx.all(
        "SELECT m.id, m.kind, m.subkind, m.unit, m.tracking_number, m.pickup_code, m.lang, m.text, m.state,"
        " m.attempts, m.last_error, m.channel, m.created_at, m.next_at, m.sent_at, m.expires_at, m.merged_into,"
        " t.created_at AS merged_into_created_at, t.state AS merged_into_state, t.sent_at AS merged_into_sent_at"
        f" FROM messages m LEFT JOIN messages t ON t.id = m.merged_into {where}"
        " ORDER BY m.created_at DESC, m.id DESC LIMIT ? OFFSET ?",
        (*args, limit, offset),
    )


def purge(tx: Tx, cutoff: str) -> int:
    """Retention: finished messages (they carry pickup codes) older than the cutoff."""
    return int(tx.execute("DELETE FROM messages WHERE created_at < ? AND state != 'pending'", (cutoff,)).rowcount)
