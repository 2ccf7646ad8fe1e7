"""17TRACK webhook (API v2) (pure), and its track-info query for polling.

The webhook POSTs JSON `{"event": "TRACKING_UPDATED", "data": {"number", "carrier", "track_info": ...}}`
with a `sign` header = lower-case hex SHA-256 of `<raw body> + "/" + <security key>`. Events are in
`track_info.tracking.providers[].events[]` (`time_iso`/`time_utc`, `description`, `location`,
`sub_status`). A 2xx answer is delivery.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from edge.tracking.providers.base import PushError, PushItem, text_of

NAME = "17track"


def sign(body: bytes, key: str) -> str:
    return hashlib.sha256(body + b"/" + key.encode("utf-8")).hexdigest()


def verify(body: bytes, given: str, key: str) -> bool:
    return bool(key) and hmac.compare_digest(sign(body, key), (given or "").strip().lower())


def events_of(track_info: Any) -> list[dict[str, Any]]:
    out = []
    tracking = track_info.get("tracking") if isinstance(track_info, dict) else None
    for prov in (tracking or {}).get("providers") or []:
        for e in (prov or {}).get("events") or []:
            if not isinstance(e, dict) or not e.get("description"):
                continue
            ev: dict[str, Any] = {"time": e.get("time_utc") or e.get("time_iso"), "text": text_of(e["description"])}
            loc = e.get("location")
            if isinstance(loc, str) and loc:
                ev["location"] = text_of(loc, 200)
            if e.get("sub_status"):
                ev["code"] = f"17track:{e['sub_status']}"
            out.append(ev)
    return out


def parse(body: bytes) -> list[PushItem]:
    try:
        doc = json.loads(body)
    except ValueError:
        raise PushError("body is not JSON") from None
    data = doc.get("data") if isinstance(doc, dict) else None
    if not isinstance(data, dict) or not data.get("number"):
        raise PushError("data.number (the waybill number) is missing")
    if doc.get("event") not in ("TRACKING_UPDATED", "TRACKING_STOPPED"):
        return []
    return [PushItem(text_of(data["number"], 64), None, events_of(data.get("track_info")))]
