"""`sms-twilio`: Twilio Programmable Messaging (POST /2010-04-01/Accounts/{sid}/Messages.json, HTTP Basic
auth with the account SID and auth token), for sites outside mainland China.

`twilio_signature` is Twilio's request signature (HMAC-SHA1 over the URL and the sorted form parameters,
base64), the X-Twilio-Signature a status callback carries; tests check it against Twilio's published example.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import TYPE_CHECKING

from drivers.protocols.sms import international
from edge.notify.channels.base import (
    ChannelError,
    HttpChannel,
    NotForThisChannel,
    Outgoing,
    need_phone,
    read_secret,
)
from edge.notify.config import TwilioSmsChannel

if TYPE_CHECKING:
    pass

#: Twilio error codes for a number that will never take this message
PERMANENT = {21211, 21214, 21408, 21610, 21612, 21614}


def twilio_signature(auth_token: str, url: str, params: dict[str, str]) -> str:
    data = url + "".join(k + params[k] for k in sorted(params))
    return base64.b64encode(hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def basic_auth(account_sid: str, token: str) -> str:
    return "Basic " + base64.b64encode(f"{account_sid}:{token}".encode()).decode()


class TwilioSms(HttpChannel):
    kind = "sms-twilio"

    def __init__(self, cfg: TwilioSmsChannel) -> None:
        super().__init__(cfg.name, cfg.kinds, cfg.timeout_s)
        self.cfg = cfg
        self._token = read_secret(cfg.auth_token_file, "sms-twilio auth_token_file")

    async def send(self, msg: Outgoing) -> str:
        import httpx  # on first use (decision 0048)
        phone = need_phone(msg)
        # the site's country: the message's (HQ sends for many sites, trial 07d), else the channel's (NotifyComponent
        # fills it from site.holiday_calendar: trial39)
        country = msg.country_code or self.cfg.country_code
        if not phone.startswith("+") and country:
            phone = international(phone, country)
        if not phone.startswith("+"):
            raise NotForThisChannel("Twilio needs the number in international form (+...)")
        url = f"{self.cfg.endpoint.rstrip('/')}/2010-04-01/Accounts/{self.cfg.account_sid}/Messages.json"
        form = {"To": phone, "From": self.cfg.from_number, "Body": msg.text_with_link()}
        try:
            r = await self.client.post(url, data=form, headers={
                "authorization": basic_auth(self.cfg.account_sid, self._token), "i-twilio-idempotency-token": msg.id})
        except httpx.HTTPError as exc:
            raise ChannelError(f"Twilio unreachable: {type(exc).__name__}") from None
        try:
            body = r.json()
        except ValueError:
            body = {}
        if 200 <= r.status_code < 300:
            return str(body.get("sid", ""))
        code = body.get("code")
        if isinstance(code, int) and code in PERMANENT:
            raise NotForThisChannel(f"Twilio refused the number (error {code})")
        raise ChannelError(f"Twilio answered HTTP {r.status_code}" + (f" (error {code})" if code else ""))
