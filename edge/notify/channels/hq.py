"""`hq` (the default) and `sim`: channels that hand the message on rather than sending it.

`hq`: HQ sends the message (`lockerd hq serve --notify`, ADR 0049). Accepting a message commits, in the same
transaction that marks it handed over, a `notify.message` event carrying what HQ needs to send it: the message's
stable id, kind, the worded text in the resident's language (exactly as a local SMS channel sends it, the pickup
link included when `site.public_url` is set), the unit, the parcels, the resident's full phone number (the hq
channel is a phone kind: the directory keeps full numbers for it) and when it expires. The outbox delivers the
event at least once, HQ stores it once per (site, stream, seq) and its message table once per message id: the
resident is told once. With cloud sync off, hq refuses and the next channel is tried; a site whose own channel
comes first and accepts never emits the event. `sim`: the simulator's gateway (the notifications list).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from edge.notify.channels.base import BaseChannel, ChannelError, Outgoing

if TYPE_CHECKING:
    from edge.store.db import Tx

#: the event type HQ sends residents' messages from (docs/mqtt.md, docs/schemas/envelope.json)
EVENT_TYPE = "notify.message"


def event_data(msg: Outgoing, created_at: str | None = None, expires_at: str | None = None,
               country_code: str = "") -> dict[str, Any]:
    """The `notify.message` event's data: everything HQ's channels need to send `msg` as the site would have."""
    parcels = [{"parcel_id": p.get("parcel_id"), "tracking_number": p.get("tracking_number") or p.get("tracking")}
               for p in msg.parts if isinstance(p, dict)]
    parcels = [p for p in parcels if p["parcel_id"] or p["tracking_number"]]
    if not parcels and (msg.parcel_id or msg.tracking_number):
        parcels = [{"parcel_id": msg.parcel_id, "tracking_number": msg.tracking_number}]
    out: dict[str, Any] = {
        "message_id": msg.id, "kind": msg.kind, "lang": msg.lang,
        "text": msg.text_with_link(),  # what an SMS carries
        "words": msg.text,  # the same without the link (webhook and e-mail send the link apart)
        "unit": msg.unit, "parcel_id": msg.parcel_id, "tracking_number": msg.tracking_number, "parcels": parcels,
        "phone": msg.phone, "phone_tail": msg.phone_tail, "email": msg.email,
        "pickup_code": msg.pickup_code, "deadline": msg.deadline, "subkind": msg.subkind,
        "pickup_qr": msg.pickup_qr, "pickup_link": msg.pickup_link, "parts": list(msg.parts), "timezone": msg.tz,
        "created_at": created_at, "expires_at": expires_at,
        # the site's calling code, for a phone the directory holds without + (HQ's Twilio: trial 07d)
        "country_code": country_code,
    }
    return {k: v for k, v in out.items() if v not in (None, "", [])}


class HqChannel(BaseChannel):
    kind = "hq"
    durable_mark = True  # the mark carries the event: fsynced before the publisher may send it

    def __init__(self, name: str, kinds: list[str], cloud_on: Callable[[], bool], country_code: str = "") -> None:
        super().__init__(name, kinds)
        self._cloud_on = cloud_on
        #: the site's calling code (NotifyComponent, from site.holiday_calendar)
        self.country_code = country_code

    async def send(self, msg: Outgoing) -> str:
        if not self._cloud_on():
            raise ChannelError("cloud sync is off: HQ cannot notify the resident")
        return "in the outbox for HQ"

    def handed_over(self, tx: Tx, msg: Outgoing) -> None:
        row = tx.one("SELECT created_at, expires_at FROM messages WHERE id = ?", (msg.id,)) or {}
        tx.emit(EVENT_TYPE, event_data(msg, row.get("created_at"), row.get("expires_at"), self.country_code))


class SimChannel(BaseChannel):
    kind = "sim"

    async def send(self, msg: Outgoing) -> str:
        return "listed at /api/v1/sim/notifications"
