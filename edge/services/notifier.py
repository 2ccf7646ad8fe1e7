"""Resident notifications: what a resident is told, recorded in the same transaction as the change.

In production the cloud notifies residents from the `parcel.stored` event (it carries the code);
the `notifications` table is the local record, and in `lockerd simulate` it is what
`GET /api/v1/sim/notifications` shows in place of the SMS/app gateway.
"""

from __future__ import annotations

from typing import Any

from edge import glossary
from edge.store.db import Tx

TEMPLATES: dict[str, dict[str, str]] = {
    "stored": {
        "zh-CN": "【{site}】您的包裹（{carrier}{tracking}）已存入{location}，取件码 {code}。",
        "en": "[{site}] Your parcel ({carrier}{tracking}) is in {location}. Pickup code {code}.",
    },
    "code_reissued": {
        "zh-CN": "【{site}】您的包裹（{tracking}）取件码已更新为 {code}，旧取件码作废。",
        "en": "[{site}] The pickup code for your parcel ({tracking}) is now {code}; the old code no longer works.",
    },
    "collected": {
        "zh-CN": "【{site}】您的包裹（{tracking}）已于{location}取出。如非本人操作请联系物业。",
        "en": "[{site}] Your parcel ({tracking}) was collected from {location}. Not you? Contact the front desk.",
    },
}


def location_text(compartment: str | None, shelf: str | None, lang: str) -> str:
    if compartment:
        return f"智能柜 {compartment} 格口" if lang == "zh-CN" else f"locker {compartment}"
    if shelf:
        return f"包裹室 {shelf} 货架" if lang == "zh-CN" else f"the parcel room, shelf {shelf}"
    return "包裹室" if lang == "zh-CN" else "the parcel room"


class Notifier:
    def __init__(self, site_name: str, lang: str) -> None:
        self.site_name = site_name
        self.lang = lang

    def send(self, tx: Tx, kind: str, parcel: dict[str, Any], *, code: str | None = None, text: str | None = None) -> None:
        """Record one message for the parcel's recipient. `text` overrides the template."""
        if text is None:
            tpl = TEMPLATES[kind][self.lang if self.lang in TEMPLATES[kind] else "en"]
            # the carrier's name, not its code: "顺丰速运 SF1234..." rather than "SF SF1234..."
            carrier = glossary.carrier_name(parcel.get("carrier"), self.lang) if parcel.get("carrier") else ""
            text = tpl.format(
                site=self.site_name,
                carrier=f"{carrier} " if carrier else "",
                tracking=parcel["tracking_number"],
                location=location_text(parcel.get("compartment_id"), parcel.get("shelf_slot"), self.lang),
                code=code or "",
            )
        tx.execute(
            "INSERT INTO notifications (parcel_id, unit, phone_tail, tracking_number, pickup_code, kind, lang, text, ts)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                parcel["id"],
                parcel.get("unit"),
                parcel.get("phone_tail"),
                parcel["tracking_number"],
                code,
                kind,
                self.lang,
                text,
                tx.ts,
            ),
        )
