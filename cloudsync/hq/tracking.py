"""Tracking updates HQ sends down to a site (`lockerd/v1/{site}/tracking`, DESIGN.md section 4).

`POST /api/v1/sites/{site}/tracking` takes exactly the contract's payload
`{"tracking_number", "carrier"?, "events": [{"time", "text", "location"?, "code"?}]}`, checks it as the
site's receiver (cloudsync/tracking_in.py) will, with clear errors, and keeps it as a row of
`tracking_updates`; the dispatcher publishes queued rows at QoS 1, not retained (a retained update would be
handed again to every new subscription), and marks a row `sent` once the broker accepted it for a
subscriber: the site's persistent session holds it while the site is offline. A PUBACK 0x10 (no
subscriber: a site that has never connected) leaves it queued until it expires.

Idempotency: the row's `key` is the SHA-256 of the canonical form of the update, the very digest the site
deduplicates on (`cloud_tracking_inbox.digest`), and HQ publishes that canonical form. The same update
posted twice is one row here and one on the site, and a replay by the broker is a duplicate there too.

The contract has no acknowledgement of a tracking update: HQ knows that the broker took it for the site,
not that the site applied it (docs/decisions/0041-tracking-down-and-site-names.md).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from psycopg.rows import dict_row

from edge.ids import uuid7

#: the site refuses a larger payload (cloudsync/tracking_in.py MAX_PAYLOAD; a test holds them equal)
MAX_PAYLOAD = 512 * 1024
#: the site's tracking service takes at most this many events in one update (edge/tracking/service.py)
MAX_EVENTS = 500
MAX_TEXT, MAX_FIELD, MAX_NUMBER = 2000, 200, 64
#: how long HQ keeps trying to hand an update to the broker for a site it cannot reach
TTL_DEFAULT_S, TTL_MAX_S = 7 * 86400, 30 * 86400
#: an event dated this far ahead of HQ's clock is a wrong date, not a carrier scan
FUTURE_SLACK = timedelta(days=1)
MAX_BULK = 500

TOP_KEYS = ("tracking_number", "carrier", "events")
EVENT_KEYS = ("time", "text", "location", "code")


class BadUpdate(ValueError):
    """Refused with HTTP `status`, a stable `code` and a message naming the field."""

    def __init__(self, message: str, code: str = "invalid", status: int = 400) -> None:
        super().__init__(message)
        self.code, self.status = code, status


def _time(v: Any, where: str, now: datetime) -> str:
    if not isinstance(v, str) or not v or len(v) > 40:
        raise BadUpdate(f"{where}.time is required: an ISO 8601 time with a zone, e.g. 2026-12-04T09:30:00+08:00")
    try:
        t = datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        raise BadUpdate(f"{where}.time {v[:40]!r} is not an ISO 8601 time (e.g. 2026-12-04T09:30:00+08:00)") from None
    if t.tzinfo is None:
        raise BadUpdate(f"{where}.time {v[:40]!r} has no time zone: add Z or an offset such as +08:00")
    if t > now + FUTURE_SLACK:
        raise BadUpdate(f"{where}.time {v[:40]!r} is more than a day after HQ's clock ({now:%Y-%m-%d %H:%M} UTC)")
    return v


def canonical(body: Any, now: datetime | None = None) -> dict[str, Any]:
    """The update in the form HQ publishes and keys on (the site's receiver keeps it unchanged), or
    BadUpdate. Unknown fields are refused rather than dropped: the caller learns of a typo."""
    now = now or datetime.now(UTC)
    if not isinstance(body, dict):
        raise BadUpdate("the body must be a JSON object {tracking_number, carrier, events}")
    extra = sorted(set(body) - set(TOP_KEYS))
    if extra:
        raise BadUpdate(f"unknown field {extra[0][:40]!r}: a tracking update has tracking_number, carrier, events")
    tn = body.get("tracking_number")
    if not isinstance(tn, str) or not tn.strip() or len(tn.strip()) > MAX_NUMBER:
        raise BadUpdate(f"tracking_number is required: a string of 1 to {MAX_NUMBER} characters")
    carrier = body.get("carrier")
    if carrier is not None and (not isinstance(carrier, str) or len(carrier) > MAX_NUMBER):
        raise BadUpdate(f"carrier must be a string of at most {MAX_NUMBER} characters (e.g. sf, jd, zto)")
    if isinstance(carrier, str):
        carrier = carrier.strip() or None
    events = body.get("events")
    if not isinstance(events, list) or not events:
        raise BadUpdate("events must be a non-empty list of {time, text, location?, code?}")
    if len(events) > MAX_EVENTS:
        raise BadUpdate(f"{len(events)} events in one update: at most {MAX_EVENTS}; send the rest in another",
                        code="too_many_events", status=413)
    clean: list[dict[str, Any]] = []
    for i, ev in enumerate(events):
        where = f"events[{i}]"
        if not isinstance(ev, dict):
            raise BadUpdate(f"{where} must be an object {{time, text, location?, code?}}")
        extra = sorted(set(ev) - set(EVENT_KEYS))
        if extra:
            raise BadUpdate(f"{where} has an unknown field {extra[0][:40]!r}: an event has time, text, location, code")
        text = ev.get("text")
        if not isinstance(text, str) or not text.strip():
            raise BadUpdate(f"{where}.text is required: the carrier's words for the scan")
        if len(text) > MAX_TEXT:
            raise BadUpdate(f"{where}.text is {len(text)} characters: at most {MAX_TEXT}")
        item: dict[str, Any] = {"time": _time(ev.get("time"), where, now), "text": text}
        for key in ("location", "code"):
            v = ev.get(key)
            if v is None:
                continue
            if not isinstance(v, str | int) or isinstance(v, bool) or len(str(v)) > MAX_FIELD:
                raise BadUpdate(f"{where}.{key} must be a string of at most {MAX_FIELD} characters")
            item[key] = str(v)
        clean.append(item)
    doc = {"tracking_number": tn.strip(), "carrier": carrier, "events": clean}
    if "\x00" in _text(doc) or "\\u0000" in _text(doc):
        raise BadUpdate("the update contains a NUL character; remove it")
    if len(payload_of(doc)) > MAX_PAYLOAD:
        raise BadUpdate(f"the update is larger than {MAX_PAYLOAD // 1024} KiB, the most a site accepts; "
                        "send its events in several updates", code="too_large", status=413)
    return doc


def _text(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def payload_of(doc: dict[str, Any]) -> bytes:
    """The bytes HQ publishes: the canonical text, which the site's receiver digests unchanged."""
    return _text(doc).encode()


def key_of(doc: dict[str, Any]) -> str:
    """The site's deduplication digest of this update (cloudsync/tracking_in.py: sha256 of the same text)."""
    return hashlib.sha256(payload_of(doc)).hexdigest()


def queue_update(conn: psycopg.Connection, site: str, doc: dict[str, Any], ttl_s: int = TTL_DEFAULT_S,
                 origin: str = "api") -> tuple[str, bool, str]:
    """Keep the update for sending (inside the caller's transaction): (id, new, state). The same update again
    is the same row (counted in `requests`); one that expired unsent is queued again."""
    now = datetime.now(UTC)
    key = key_of(doc)
    row = conn.execute(
        "INSERT INTO tracking_updates (id, site, key, tracking_number, carrier, payload, events, state, origin, "
        "created_at, expires_at) VALUES (%s, %s, %s, %s, %s, %s, %s, 'queued', %s, %s, %s) "
        "ON CONFLICT (site, key) DO UPDATE SET requests = tracking_updates.requests + 1, "
        "state = CASE WHEN tracking_updates.state = 'expired' THEN 'queued' ELSE tracking_updates.state END, "
        "expires_at = CASE WHEN tracking_updates.state = 'expired' THEN excluded.expires_at "
        "ELSE tracking_updates.expires_at END "
        "RETURNING id, state, (xmax = 0) AS inserted",
        (uuid7(now), site, key, doc["tracking_number"], doc["carrier"], _text(doc), len(doc["events"]), origin,
         now, now + timedelta(seconds=ttl_s))).fetchone()
    assert row is not None
    return str(row[0]), bool(row[2]), str(row[1])


COLUMNS = ("id, site, key, tracking_number, carrier, payload, events, state, created_at, expires_at, sent_at, "
           "attempts, last_refusal, requests")


def _out(r: dict[str, Any]) -> dict[str, Any]:
    from cloudsync.hq.fleet import iso

    out = {k: iso(v) for k, v in r.items()}
    out["acknowledged_by_site"] = None  # the contract has no acknowledgement (docs/decisions/0041)
    return out


def get_update(conn: psycopg.Connection, update_id: str) -> dict[str, Any] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        r = cur.execute(f"SELECT {COLUMNS} FROM tracking_updates WHERE id = %s", (update_id,)).fetchone()
    return _out(r) if r else None


def site_updates(conn: psycopg.Connection, site: str, tracking_number: str | None = None,
                 limit: int = 100) -> list[dict[str, Any]]:
    sql = f"SELECT {COLUMNS} FROM tracking_updates WHERE site = %s"
    args: list[Any] = [site]
    if tracking_number:
        sql += " AND tracking_number = %s"
        args.append(tracking_number.strip())
    sql += " ORDER BY created_at DESC, id DESC LIMIT %s"
    args.append(limit)
    with conn.cursor(row_factory=dict_row) as cur:
        return [_out(r) for r in cur.execute(sql, args).fetchall()]
