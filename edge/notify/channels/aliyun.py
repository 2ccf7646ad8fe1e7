"""`sms-aliyun`: Alibaba Cloud SMS (dysmsapi SendSms, API version 2017-05-25) over its documented HTTP API.

The request is signed with the RPC signature v1 (HMAC-SHA1 over ``GET&%2F&`` + the percent-encoded,
sorted query; key = AccessKeySecret + "&"), as Alibaba Cloud's "签名机制" page describes; tests check it
against that page's worked example. Chinese SMS go out as approved templates: `templates` maps each
message kind to its template code, and TemplateParam carries code, tracking, unit and deadline.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import quote

from edge.notify.channels.base import (
    ChannelError,
    HttpChannel,
    NotForThisChannel,
    Outgoing,
    need_deadline,
    need_phone,
    read_secret,
)
from edge.notify.config import FOLD_VALUES, AliyunSmsChannel

if TYPE_CHECKING:
    pass

#: provider answers meaning this number or request will never go through (do not keep retrying here)
PERMANENT = {"isv.MOBILE_NUMBER_ILLEGAL", "isv.TEMPLATE_MISSING_PARAMETERS", "isv.SMS_TEMPLATE_ILLEGAL",
             "isv.SMS_SIGNATURE_ILLEGAL", "isv.INVALID_PARAMETERS", "isv.BLACK_KEY_CONTROL_LIMIT"}


def percent_encode(value: str) -> str:
    """RFC 3986 unreserved characters kept; everything else %XX of its UTF-8 bytes (space is %20)."""
    return quote(value, safe="-_.~")


def string_to_sign(params: dict[str, str], method: str = "GET") -> str:
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items())
                         if k != "Signature")
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"


def rpc_signature(params: dict[str, str], secret: str, method: str = "GET") -> str:
    digest = hmac.new((secret + "&").encode(), string_to_sign(params, method).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signed_query(params: dict[str, str], secret: str) -> str:
    sig = rpc_signature(params, secret)
    return "Signature=" + percent_encode(sig) + "&" + "&".join(
        f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))


class AliyunSms(HttpChannel):
    kind = "sms-aliyun"

    def __init__(self, cfg: AliyunSmsChannel, *, now: Callable[[], datetime] | None = None,
                 nonce: Callable[[], str] | None = None) -> None:
        super().__init__(cfg.name, cfg.kinds, cfg.timeout_s)
        self.cfg = cfg
        self._secret = read_secret(cfg.access_key_secret_file, "sms-aliyun access_key_secret_file")
        self._now = now or (lambda: datetime.now(UTC))
        self._nonce = nonce or (lambda: str(uuid.uuid4()))

    def carries(self, msg: Outgoing) -> bool:
        return super().carries(msg) and msg.kind in self.cfg.templates

    def params(self, msg: Outgoing, phone: str) -> dict[str, str]:
        return {
            "AccessKeyId": self.cfg.access_key_id, "Action": "SendSms", "Format": "JSON", "OutId": msg.id[:64],
            "PhoneNumbers": phone.removeprefix("+86"), "RegionId": self.cfg.region, "SignName": self.cfg.sign_name,
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": self._nonce(), "SignatureVersion": "1.0",
            "TemplateCode": self.cfg.templates[msg.kind], "TemplateParam": self.template_param(msg),
            "Timestamp": self._now().strftime("%Y-%m-%dT%H:%M:%SZ"), "Version": "2017-05-25",
        }

    def template_param(self, msg: Outgoing) -> str:
        """TemplateParam: the names the kind's template uses (`template_params_by_kind`), else the values every
        request carried before folded messages had their own (code, tracking, unit, deadline, qr, link). A folded
        message's `tracking` lists every parcel's number within `param_max_chars`."""
        values = msg.params(self.cfg.param_max_chars)
        names = self.cfg.template_params_by_kind.get(msg.kind)
        need_deadline(msg, names or ["deadline"], given=names is not None)
        chosen = {k: v for k, v in values.items() if (k in names if names else k not in FOLD_VALUES)}
        return json.dumps(chosen, ensure_ascii=False, separators=(",", ":"))

    async def send(self, msg: Outgoing) -> str:
        import httpx  # on first use (decision 0048)
        query = signed_query(self.params(msg, need_phone(msg)), self._secret)
        try:
            r = await self.client.get(self.cfg.endpoint.rstrip("/") + "/?" + query)
        except httpx.HTTPError as exc:
            raise ChannelError(f"Aliyun SMS unreachable: {type(exc).__name__}") from None
        try:
            body = r.json()
        except (ValueError, json.JSONDecodeError):
            raise ChannelError(f"Aliyun SMS answered HTTP {r.status_code} without JSON") from None
        code = str(body.get("Code", ""))
        if code == "OK":
            return str(body.get("BizId", ""))
        if code in PERMANENT:
            raise NotForThisChannel(f"Aliyun SMS refused: {code}")
        raise ChannelError(f"Aliyun SMS: {code or 'HTTP ' + str(r.status_code)} {body.get('Message', '')}".strip())
