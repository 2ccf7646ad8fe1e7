"""`sms-tencent`: Tencent Cloud SMS (SendSms, API 2021-01-11) over its documented HTTP API, signed with
TC3-HMAC-SHA256 as Tencent Cloud's "Signature v3" page describes (tests check the page's worked example).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from edge.notify.channels.base import (
    ChannelError,
    HttpChannel,
    NotForThisChannel,
    Outgoing,
    need_deadline,
    need_phone,
    read_secret,
)
from edge.notify.config import TencentSmsChannel

if TYPE_CHECKING:
    pass

SERVICE = "sms"
VERSION = "2021-01-11"
PERMANENT = {"FailedOperation.PhoneNumberInBlacklist", "InvalidParameterValue.IncorrectPhoneNumber",
             "FailedOperation.TemplateIncorrectOrUnapproved", "FailedOperation.SignatureIncorrectOrUnapproved",
             "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber"}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def canonical_request(method: str, query: str, headers: dict[str, str], payload: bytes) -> tuple[str, str]:
    """(canonical request, signed headers). Header names lower-cased and sorted, values trimmed."""
    items = sorted((k.lower(), v.strip().lower() if k.lower() == "content-type" else v.strip())
                   for k, v in headers.items())
    canon_headers = "".join(f"{k}:{v}\n" for k, v in items)
    signed = ";".join(k for k, _ in items)
    return f"{method}\n/\n{query}\n{canon_headers}\n{signed}\n{_sha256(payload)}", signed


def tc3_sign(secret_key: str, service: str, timestamp: int, canonical: str) -> tuple[str, str]:
    """(signature hex, credential scope) for a canonical request."""
    date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    scope = f"{date}/{service}/tc3_request"
    to_sign = f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{_sha256(canonical.encode())}"
    k = _hmac(("TC3" + secret_key).encode(), date)
    k = _hmac(k, service)
    k = _hmac(k, "tc3_request")
    return hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest(), scope


def authorization(secret_id: str, secret_key: str, service: str, timestamp: int, method: str, query: str,
                  headers: dict[str, str], payload: bytes) -> str:
    canonical, signed = canonical_request(method, query, headers, payload)
    sig, scope = tc3_sign(secret_key, service, timestamp, canonical)
    return f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, SignedHeaders={signed}, Signature={sig}"


class TencentSms(HttpChannel):
    kind = "sms-tencent"

    def __init__(self, cfg: TencentSmsChannel, *, now: Callable[[], datetime] | None = None) -> None:
        super().__init__(cfg.name, cfg.kinds, cfg.timeout_s)
        self.cfg = cfg
        self._key = read_secret(cfg.secret_key_file, "sms-tencent secret_key_file")
        self._now = now or (lambda: datetime.now(UTC))

    def carries(self, msg: Outgoing) -> bool:
        return super().carries(msg) and msg.kind in self.cfg.templates

    def template_params(self, msg: Outgoing) -> list[str]:
        """The names of this message's template values in order: the kind's own list, else the common one.
        A list with 'qr' or 'link' is refused at start when the site has no public address (edge/config.py)."""
        return self.cfg.template_params_by_kind.get(msg.kind, self.cfg.template_params)

    def request(self, msg: Outgoing, phone: str) -> tuple[dict[str, str], bytes]:
        need_deadline(msg, self.template_params(msg), given=msg.kind in self.cfg.template_params_by_kind)
        values = msg.params(self.cfg.param_max_chars)
        body = {
            "PhoneNumberSet": [phone if phone.startswith("+") else "+86" + phone],
            "SmsSdkAppId": self.cfg.sdk_app_id, "SignName": self.cfg.sign_name,
            "TemplateId": self.cfg.templates[msg.kind],
            "TemplateParamSet": [values.get(p, "") for p in self.template_params(msg)],
            "SessionContext": msg.id,
        }
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        ts = int(self._now().timestamp())
        host = urlsplit(self.cfg.endpoint).netloc
        signed = {"content-type": "application/json; charset=utf-8", "host": host}
        auth = authorization(self.cfg.secret_id, self._key, SERVICE, ts, "POST", "", signed, payload)
        headers = {**signed, "authorization": auth, "x-tc-action": "SendSms", "x-tc-version": VERSION,
                   "x-tc-timestamp": str(ts), "x-tc-region": self.cfg.region}
        return headers, payload

    async def send(self, msg: Outgoing) -> str:
        import httpx  # on first use (decision 0048)
        headers, payload = self.request(msg, need_phone(msg))
        try:
            r = await self.client.post(self.cfg.endpoint, content=payload, headers=headers)
            resp = r.json().get("Response", {})
        except httpx.HTTPError as exc:
            raise ChannelError(f"Tencent SMS unreachable: {type(exc).__name__}") from None
        except ValueError:
            raise ChannelError(f"Tencent SMS answered HTTP {r.status_code} without JSON") from None
        err = resp.get("Error")
        if err:
            code = str(err.get("Code", ""))
            if code in PERMANENT:
                raise NotForThisChannel(f"Tencent SMS refused: {code}")
            raise ChannelError(f"Tencent SMS: {code}")
        status = (resp.get("SendStatusSet") or [{}])[0]
        code = str(status.get("Code", ""))
        if code.lower() == "ok":
            return str(status.get("SerialNo", ""))
        if code in PERMANENT:
            raise NotForThisChannel(f"Tencent SMS refused: {code}")
        raise ChannelError(f"Tencent SMS: {code or 'no status'}")
