"""Kuaidi100 subscription push (订阅推送) (pure).

The callback is a form POST with `param` (a JSON document) and `sign` = upper-case hex MD5 of
`param + salt` (the salt given when subscribing). `param.lastResult` holds the waybill (`nu`, `com`) and
its events (`data`: `context`, `ftime`/`time`, `areaName`/`location`, `statusCode`). The provider wants
`{"result": true, "returnCode": "200", "message": "成功"}`; any other answer makes it push again later.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from edge.tracking.carriers import CARRIERS
from edge.tracking.providers.base import PushError, PushItem, text_of

NAME = "kuaidi100"
_BY_COMPANY = {c.kuaidi100: code for code, c in CARRIERS.items() if c.kuaidi100}


def sign(param: str, salt: str) -> str:
    return hashlib.md5((param + salt).encode("utf-8")).hexdigest().upper()  # the provider defines MD5 signing


def verify(param: str, given: str, salt: str) -> bool:
    return bool(salt) and hmac.compare_digest(sign(param, salt), (given or "").strip().upper())


def parse(param: str) -> list[PushItem]:
    try:
        doc = json.loads(param)
    except ValueError:
        raise PushError("param is not JSON") from None
    last = doc.get("lastResult") if isinstance(doc, dict) else None
    if not isinstance(last, dict):
        raise PushError("param.lastResult is missing")
    tn = text_of(last.get("nu"), 64)
    if not tn:
        raise PushError("lastResult.nu (the waybill number) is missing")
    com = text_of(last.get("com"), 40)
    events = []
    for item in last.get("data") or []:
        if not isinstance(item, dict) or not item.get("context"):
            continue
        ev: dict[str, Any] = {"time": item.get("ftime") or item.get("time"), "text": text_of(item["context"])}
        where = item.get("areaName") or item.get("location")
        if where:
            ev["location"] = text_of(where, 200)
        if item.get("statusCode"):
            ev["code"] = f"kuaidi100:{item['statusCode']}"
        events.append(ev)
    return [PushItem(tn, _BY_COMPANY.get(com) or com or None, events)]


def answer(ok: bool, message: str) -> dict[str, Any]:
    return {"result": ok, "returnCode": "200" if ok else "500", "message": message}
