"""`webhook`: POST the message as JSON (DESIGN.md section 3); any 2xx answer is delivery.

Body: {"id", "kind", "lang", "text", "unit", "phone"?, "phone_tail"?, "tracking_number", "pickup_code"?,
"deadline"?, "pickup_qr"?, "pickup_qr_png"? (base64 PNG), "pickup_link"?}. A retry sends the same id. With `secret_file`, the request carries
``X-Lockerd-Signature: sha256=<hex HMAC-SHA256 of the body>`` so the receiver can check who sent it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from typing import TYPE_CHECKING, Any

from edge.notify.channels.base import BaseChannel, ChannelError, Outgoing, read_secret
from edge.notify.config import WebhookChannel

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)


def body_of(msg: Outgoing, *, send_phone: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"id": msg.id, "kind": msg.kind, "lang": msg.lang, "text": msg.text, "unit": msg.unit,
                           "tracking_number": msg.tracking_number}
    if send_phone and msg.phone:
        out["phone"] = msg.phone
    if msg.phone_tail:
        out["phone_tail"] = msg.phone_tail
    if msg.pickup_code:
        out["pickup_code"] = msg.pickup_code
    if msg.deadline:
        out["deadline"] = msg.deadline
    if msg.subkind:
        out["anomaly"] = msg.subkind
    if msg.pickup_qr:  # for receivers that can show an image (WeCom, a mini program): the payload and its PNG
        from edge.notify import pickup_qr

        out["pickup_qr"] = msg.pickup_qr
        out["pickup_qr_png"] = pickup_qr.png_base64(msg.pickup_qr)
    if msg.pickup_link:
        out["pickup_link"] = msg.pickup_link
    return out


def signature(key: bytes, body: bytes) -> str:
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


class Webhook(BaseChannel):
    kind = "webhook"

    def __init__(self, cfg: WebhookChannel, client: httpx.AsyncClient | None = None) -> None:
        super().__init__(cfg.name, cfg.kinds)
        self.cfg = cfg
        self._key = read_secret(cfg.secret_file, "webhook secret_file").encode() if cfg.secret_file else None
        self._client = client
        self._own = client is None

    async def start(self) -> None:
        import httpx  # on first use (decision 0048)
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self.cfg.timeout_s, follow_redirects=False, trust_env=False)

    async def stop(self) -> None:
        if self._own and self._client is not None:
            await self._client.aclose()
        self._client = None

    async def send(self, msg: Outgoing) -> str:
        import httpx  # on first use (decision 0048)
        assert self._client is not None, "channel not started"
        raw = json.dumps(body_of(msg, send_phone=self.cfg.send_phone), ensure_ascii=False,
                         separators=(",", ":")).encode()
        headers = {"content-type": "application/json; charset=utf-8", "idempotency-key": msg.id,
                   "user-agent": "lockerd"}
        if self._key is not None:
            headers["x-lockerd-signature"] = signature(self._key, raw)
        try:
            r = await self._client.post(self.cfg.url, content=raw, headers=headers)
        except httpx.HTTPError as exc:
            raise ChannelError(f"webhook unreachable: {type(exc).__name__}") from None
        if not 200 <= r.status_code < 300:
            raise ChannelError(f"webhook answered HTTP {r.status_code}")
        return f"HTTP {r.status_code}"
