"""A resident refuses a parcel at the kiosk (damaged, or not wanted) instead of taking it.

China's locker rules give the recipient a way to refuse: the parcel stays recorded and stored (its door
closes on it), the pickup does not count as a collection, and the desk gets a task to deal with it (return
to the sender, a claim with the carrier). The resident proves it is theirs with the pickup code.
"""

from __future__ import annotations

from typing import Any

from edge.domain import codes as codemath
from edge.errors import Conflict, DomainError, NotFound
from edge.store.db import Store, Tx

REASONS = ("damaged", "unwanted")
TITLES = {
    "damaged": {"zh-CN": "住户报告包裹破损并拒收：{tn}（{unit}，{where}），请联系快递公司处理",
                "en": "Resident reports parcel {tn} damaged and refuses it (unit {unit}, {where}): contact the carrier"},
    "unwanted": {"zh-CN": "住户拒收包裹：{tn}（{unit}，{where}），请安排退回寄件人",
                 "en": "Resident refuses parcel {tn} (unit {unit}, {where}): arrange the return to the sender"},
}


def refused(tx: Tx, parcel_id: str) -> bool:
    return tx.scalar("SELECT 1 FROM refusals WHERE parcel_id = ?", (parcel_id,)) is not None


class RefusalService:
    def __init__(self, store: Store, lang: str = "zh-CN") -> None:
        self.store = store
        self.lang = lang

    async def refuse(self, parcel_id: str, code: str, reason: str, *, kiosk: str, note: str = "") -> dict[str, Any]:
        if reason not in REASONS:
            raise DomainError("invalid_reason", "reason is damaged or unwanted", status=422)
        normal = codemath.normalise_code(code or "")
        note = (note or "").strip()[:200]

        def fn(tx: Tx) -> dict[str, Any]:
            p = tx.one("SELECT * FROM parcels WHERE id = ?", (parcel_id,))
            if p is None or normal is None or p["pickup_code"] != normal:
                raise NotFound("parcel_unknown", "no parcel with that code")
            if p["state"] != "stored":
                raise Conflict("parcel_closed", "this parcel has already been collected")
            if refused(tx, p["id"]):
                return {"parcel_id": p["id"], "reason": reason, "already": True}
            tx.execute("INSERT INTO refusals (parcel_id, reason, note, kiosk, ts) VALUES (?, ?, ?, ?, ?)",
                       (p["id"], reason, note, kiosk, tx.ts))
            where = p["compartment_id"] or p["shelf_slot"] or "-"
            title = TITLES[reason].get(self.lang, TITLES[reason]["en"]).format(
                tn=p["tracking_number"], unit=p["unit"] or "-", where=where)
            tx.execute(
                "INSERT INTO tasks (kind, parcel_id, compartment_id, title, created_at) VALUES (?, ?, ?, ?, ?)",
                ("resident_refused", p["id"], p["compartment_id"], title, tx.ts),
            )
            actor = "resident:" + (p["unit"] or "")
            tx.log(p["id"], "refused_by_resident", actor, reason=reason, note=note, kiosk=kiosk)
            tx.audit(actor, "parcel.refused", p["id"], reason, kiosk=kiosk)
            tx.emit("parcel.refused", {"parcel_id": p["id"], "tracking_number": p["tracking_number"],
                                       "unit": p["unit"], "compartment": p["compartment_id"], "reason": reason})
            return {"parcel_id": p["id"], "reason": reason, "already": False}

        return await self.store.write(fn)
