"""Kdniao (快递鸟) track push, RequestType 101 (pure), and its instant query for polling.

The callback is a form POST with `RequestData` (JSON), `EBusinessID`, `RequestType` = 101 and
`DataSign` = base64 of the lower-case hex MD5 of `RequestData + AppKey` (the form is URL-encoded on the
wire; the decoded value is compared). `RequestData.Data` is a list of waybills (`LogisticCode`,
`ShipperCode`, `Traces`: `AcceptTime`, `AcceptStation`, `Location`, `Action`). The provider wants
`{"EBusinessID", "UpdateTime", "Success": true, "Reason": ""}`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from edge.tracking.carriers import CARRIERS
from edge.tracking.providers.base import PushError, PushItem, text_of

NAME = "kdniao"
#: lockerd carrier codes are mostly Kdniao's ShipperCode already (SF, YTO, ZTO, STO, YD, JD, EMS)
_CODES = set(CARRIERS)


def data_sign(request_data: str, app_key: str) -> str:
    digest = hashlib.md5((request_data + app_key).encode("utf-8")).hexdigest()  # the provider defines MD5
    return base64.b64encode(digest.encode("utf-8")).decode("ascii")


def verify(request_data: str, given: str, app_key: str) -> bool:
    return bool(app_key) and hmac.compare_digest(data_sign(request_data, app_key), (given or "").strip())


def traces_to_events(traces: Any, state_ex: Any = None) -> list[dict[str, Any]]:
    events = []
    for i, t in enumerate(traces or []):
        if not isinstance(t, dict) or not t.get("AcceptStation"):
            continue
        ev: dict[str, Any] = {"time": t.get("AcceptTime"), "text": text_of(t["AcceptStation"])}
        if t.get("Location"):
            ev["location"] = text_of(t["Location"], 200)
        code = t.get("Action") or (state_ex if i == len(traces) - 1 else None)
        if code:
            ev["code"] = f"kdniao:{code}"
        events.append(ev)
    return events


def parse(request_data: str) -> list[PushItem]:
    try:
        doc = json.loads(request_data)
    except ValueError:
        raise PushError("RequestData is not JSON") from None
    data = doc.get("Data") if isinstance(doc, dict) else None
    if not isinstance(data, list) or not data:
        raise PushError("RequestData.Data (the list of waybills) is missing")
    items = []
    for d in data[:100]:
        if not isinstance(d, dict):
            continue
        tn = text_of(d.get("LogisticCode"), 64)
        if not tn:
            continue
        shipper = text_of(d.get("ShipperCode"), 20).upper()
        items.append(PushItem(tn, shipper if shipper in _CODES else shipper or None,
                              traces_to_events(d.get("Traces"), d.get("StateEx") or d.get("State"))))
    if not items:
        raise PushError("no waybill with a LogisticCode in RequestData.Data")
    return items


def answer(ok: bool, reason: str, ebusiness_id: str, now_text: str) -> dict[str, Any]:
    return {"EBusinessID": ebusiness_id, "UpdateTime": now_text, "Success": ok, "Reason": "" if ok else reason}


def query_form(ebusiness_id: str, app_key: str, shipper: str, tracking_number: str,
               phone_tail: str | None = None) -> dict[str, str]:
    """The form of an instant query (RequestType 8001), for the poller."""
    body: dict[str, Any] = {"ShipperCode": shipper, "LogisticCode": tracking_number}
    if phone_tail:
        body["CustomerName"] = phone_tail
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return {"RequestData": data, "EBusinessID": ebusiness_id, "RequestType": "8001",
            "DataSign": data_sign(data, app_key), "DataType": "2"}
