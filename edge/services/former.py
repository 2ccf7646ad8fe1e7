"""A former resident's parcel: stored for the unit's resident before the unit's directory entry changed.

When a resident moves out (the unit removed, or another resident's phone imported for it) a parcel stored for
them may still be in the locker or the parcel room. Its messages must not go to the unit's new resident: they
name the waybill, and a code in them would open the door (trial 2026-12-07g). So, in the transaction of the
directory's change, each such parcel keeps the contact it was stored for (`parcels.former_contact`: phone,
e-mail and language as the directory had them), and its messages go there (`messages.former`, `to_phone`,
`to_email`). When that contact is gone (the directory kept no phone or e-mail for the resident, or the unit
changed before lockerd kept contacts) the message is not queued: a staff task says whose parcel it is and
what the resident was to be told, once per parcel, with an audit entry for each message it holds back
(docs/notifications.md "A former resident's parcel"; ADR 0051).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from edge.clock import utc_iso
from edge.store.db import Tx

log = logging.getLogger(__name__)

#: the parcel states whose messages may still come (reminders, notices, a move, the collection)
HELD = ("expected", "depositing", "stored")
TASK_KIND = "former_resident"


def resident_changed(tx: Tx, p: dict[str, Any]) -> bool:
    """The unit's directory entry is not the one the parcel was stored for (the resident moved out and a new one
    moved in, or the unit's phone changed): its code must not go to the unit's phone now (trial41)."""
    unit = tx.one("SELECT phone_tail, created_at FROM units WHERE unit = ?", (p["unit"],))
    if unit is None:
        return False
    if p.get("phone_tail") and unit["phone_tail"] and p["phone_tail"] != unit["phone_tail"]:
        return True
    stored = _stamp(p)
    return bool(stored and unit["created_at"] and unit["created_at"] > stored)


def _stamp(p: dict[str, Any]) -> str:
    """When the parcel came for its resident (stored, else registered), as the tables write times."""
    at = p.get("stored_at") or p.get("created_at")
    return utc_iso(at) if isinstance(at, datetime) else str(at or "")


def keep_contacts(tx: Tx, old: dict[str, Any], *, actor: str, tail: str | None = None) -> int:
    """The unit's entry `old` is about to go (removed) or to name another resident (a new phone tail, `tail`):
    its held parcels stored for that resident keep the contact, in this transaction. A parcel that kept an
    earlier resident's contact keeps that one. Returns how many parcels kept it."""
    if tail is not None and tail == old.get("phone_tail"):
        return 0  # the same resident (a new number with the same tail, a language changed)
    contact = json.dumps({"phone": old.get("phone"), "email": old.get("email"), "lang": old.get("lang")},
                         ensure_ascii=False)
    since = old.get("created_at") or ""
    # the parcels stored for `old`: since its entry began, with its tail (or none), and not the new tail's
    n = tx.execute(
        f"UPDATE parcels SET former_contact = ? WHERE unit = ? AND former_contact IS NULL"
        f" AND state IN ({', '.join('?' * len(HELD))}) AND COALESCE(stored_at, created_at) >= ?"
        " AND (phone_tail IS NULL OR ? IS NULL OR phone_tail = ?) AND (phone_tail IS NULL OR ? IS NULL"
        " OR phone_tail != ?)",
        (contact, old["unit"], *HELD, since, old.get("phone_tail"), old.get("phone_tail"), tail, tail),
    ).rowcount
    if n:
        log.info("unit %s changed resident: %d held parcel(s) keep the former resident's contact", old["unit"], n)
        tx.audit(actor, "unit.former_parcels", old["unit"], "former resident", parcels=n)
    return int(n)


def contact(tx: Tx, parcel: dict[str, Any]) -> dict[str, Any] | None:
    """Where a message of the parcel goes when it is a former resident's: the contact it kept (phone, email,
    lang; None values where the directory had none), or {} when it kept none (the unit's entry is newer than the
    parcel, from before contacts were kept); None for the unit's own resident. A phone tail the courier typed
    that differs from the directory's is not by itself a former resident (the parcel's first message went to
    the unit as always)."""
    pid = parcel.get("id")
    if not pid or not parcel.get("unit"):
        return None
    own = tx.one("SELECT former_contact FROM parcels WHERE id = ?", (pid,))
    if own is None:
        return None  # not a recorded parcel (a message the tools compose)
    unit = tx.one("SELECT created_at FROM units WHERE unit = ?", (parcel["unit"],))
    kept = own["former_contact"]
    if kept and (unit is None or resident_changed(tx, parcel)):
        try:
            got = json.loads(kept)
        except ValueError:
            got = None
        return {k: got.get(k) or None for k in ("phone", "email", "lang")} if isinstance(got, dict) else {}
    stored = _stamp(parcel)
    if unit is not None and stored and unit["created_at"] and unit["created_at"] > stored:
        return {}
    return None


def reachable(found: dict[str, Any]) -> bool:
    return bool(found.get("phone") or found.get("email"))


def withhold(tx: Tx, kind: str, parcel: dict[str, Any], actor: str = "system") -> str:
    """A message for a former resident whose contact is gone: not queued; one open staff task for the parcel
    (the kinds it holds back in its detail), a timeline line and an audit entry. Returns "" (no message id)."""
    pid = str(parcel["id"])
    row = tx.one("SELECT id, detail FROM tasks WHERE state = 'open' AND kind = ? AND parcel_id = ?", (TASK_KIND, pid))
    if row is None:
        detail = {"unit": parcel.get("unit"), "phone_tail": parcel.get("phone_tail"), "held": [kind]}
        tx.execute(
            "INSERT INTO tasks (kind, parcel_id, compartment_id, title, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (TASK_KIND, pid, parcel.get("compartment_id"), title(parcel), json.dumps(detail, ensure_ascii=False),
             tx.ts),
        )
    else:
        detail = json.loads(row["detail"] or "{}")
        held = list(detail.get("held") or [])
        if kind not in held:
            detail["held"] = held + [kind]
            tx.execute("UPDATE tasks SET detail = ? WHERE id = ?", (json.dumps(detail, ensure_ascii=False), row["id"]))
    tx.log(pid, "message_withheld", actor, message=kind)
    tx.audit(actor, "notify.withheld", pid, "former resident", message=kind, unit=parcel.get("unit"))
    log.info("parcel %s: a %s message for the unit's former resident held back (no contact); staff task", pid, kind)
    return ""


def title(parcel: dict[str, Any]) -> str:
    """The task's own words, both languages (the console shows the half in the staff's language)."""
    unit, tail, number = parcel.get("unit") or "-", parcel.get("phone_tail"), parcel.get("tracking_number") or ""
    zh_tail = f"（手机尾号 {tail}）" if tail else ""
    en_tail = f" (phone ending {tail})" if tail else ""
    return (f"The parcel {number} of a former resident of {unit}: the unit has a new resident, so its messages were"
            f" not sent; call the former resident{en_tail} / {unit} 原住户的包裹 {number}：这户已换了住户，提醒没有发给"
            f"现在的住户，请联系原住户{zh_tail}")
