"""Reading what sites publish (DESIGN.md section 4), before anything touches the database.

Every message becomes one typed item or a `Reject` with a reason; nothing here raises on bad input. The
topic's site id is the site's identity: a payload whose `site` disagrees is refused.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cloudsync.topics import ROOT

MAX_PAYLOAD = 256 * 1024
SITE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
TYPE_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
KNOWN_TYPES = frozenset({
    "parcel.expected", "parcel.stored", "parcel.reminder", "parcel.overdue", "parcel.collected",
    "parcel.returned", "parcel.notice_posted", "parcel.disposed", "parcel.anomaly_raised",
    "parcel.anomaly_cleared", "parcel.anomaly_escalated", "parcel.moved", "parcel.code_reissued",
    "parcel.cancelled", "parcel.held", "door.opened", "door.jammed", "door.forced_open", "door.left_open",
    "compartment.fault", "compartment.disabled", "compartment.enabled", "security.code_lockout",
    "staff.remote_open", "tracking.label_added", "notify.message",
})


@dataclass
class Reject:
    topic: str
    reason: str
    payload: bytes


@dataclass
class Event:
    site: str
    stream: str
    seq: int
    id: str
    type: str
    ts: str
    clock_synced: bool
    data: str  # JSON text
    known: bool = True


@dataclass
class Status:
    site: str
    online: bool
    boot_id: str
    bdseq: int
    doc: dict[str, Any]


@dataclass
class Telemetry:
    site: str
    ts: str
    doc: dict[str, Any]


@dataclass
class Snapshot:
    site: str
    ts: str
    doc: dict[str, Any]


@dataclass
class Result:
    site: str
    id: str
    ok: bool
    doc: dict[str, Any]


Item = Event | Status | Telemetry | Snapshot | Result | Reject | None


def _int(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _ts_ok(v: Any) -> bool:
    if not isinstance(v, str) or len(v) > 40:
        return False
    try:
        datetime.fromisoformat(v)
    except ValueError:
        return False
    return True


def parse(topic: str, payload: bytes) -> Item:
    """One message -> an item to store, a Reject, or None (a topic HQ does not read, e.g. its own)."""
    parts = topic.split("/")
    if len(parts) < 4 or f"{parts[0]}/{parts[1]}" != ROOT:
        return Reject(topic, "bad_topic", payload)
    site, kind = parts[2], "/".join(parts[3:])
    if site == "hq" or kind in ("cmd", "tracking"):
        return None
    if not SITE_RE.match(site):
        return Reject(topic, "bad_site_id", payload)
    if len(payload) > MAX_PAYLOAD:
        return Reject(topic, "oversized", payload[:1024])
    if not payload and kind in ("status", "state/compartments"):
        return None  # a retained message being cleared
    try:
        doc = json.loads(payload)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return Reject(topic, "garbage", payload)
    if not isinstance(doc, dict):
        return Reject(topic, "garbage", payload)
    if isinstance(doc.get("site"), str) and doc["site"] != site:
        return Reject(topic, "site_mismatch", payload)
    if kind == "events":
        return _event(topic, site, doc, payload)
    if kind == "status":
        boot, bdseq = doc.get("boot_id"), _int(doc.get("bdseq"))
        if not isinstance(doc.get("online"), bool) or not isinstance(boot, str) or not boot or bdseq is None:
            return Reject(topic, "bad_status", payload)
        return Status(site, doc["online"], boot, bdseq, doc)
    if kind == "telemetry":
        if not _ts_ok(doc.get("ts")):
            return Reject(topic, "bad_telemetry", payload)
        return Telemetry(site, doc["ts"], doc)
    if kind == "state/compartments":
        if not _ts_ok(doc.get("ts")) or not isinstance(doc.get("compartments"), list):
            return Reject(topic, "bad_snapshot", payload)
        return Snapshot(site, doc["ts"], doc)
    if kind == "cmd/result":
        if not isinstance(doc.get("id"), str) or not isinstance(doc.get("ok"), bool):
            return Reject(topic, "bad_result", payload)
        return Result(site, doc["id"], doc["ok"], doc)
    return Reject(topic, "unknown_topic", payload)


def _event(topic: str, site: str, doc: dict[str, Any], payload: bytes) -> Item:
    seq, stream, type_, data = _int(doc.get("seq")), doc.get("stream"), doc.get("type"), doc.get("data")
    if doc.get("site") != site:
        return Reject(topic, "site_mismatch" if "site" in doc else "bad_event", payload)
    if not isinstance(stream, str) or not stream or len(stream) > 64:
        return Reject(topic, "no_stream", payload)
    if seq is None or seq < 1 or not isinstance(doc.get("id"), str) or not doc["id"] or len(doc["id"]) > 64:
        return Reject(topic, "bad_event", payload)
    if not isinstance(type_, str) or not TYPE_RE.match(type_) or len(type_) > 64:
        return Reject(topic, "bad_event_type", payload)
    if not isinstance(data, dict) or not _ts_ok(doc.get("ts")):
        return Reject(topic, "bad_event", payload)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    if "\\u0000" in text:  # PostgreSQL's jsonb cannot hold a NUL character
        return Reject(topic, "bad_event", payload)
    return Event(site, stream, seq, doc["id"], type_, doc["ts"], doc.get("clock_synced", True) is not False,
                 text, type_ in KNOWN_TYPES)
