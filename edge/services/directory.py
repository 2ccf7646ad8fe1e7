"""The site directory: couriers (codes and companies) and residents' units, for a real site.

Every change is a function over one transaction (`*_tx`), so the CLI (`write_sync`, while the daemon runs),
the console, MQTT commands and the CSV import share one definition. Courier codes are stored as keyed
hashes only (the last two digits kept for staff to tell codes apart). A unit's full phone number is kept
only when a configured channel sends to phones (meta `directory.keep_phone`, written by the daemon).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Callable
from typing import Any

from edge import glossary
from edge.errors import Conflict, DomainError, NotFound
from edge.ids import short_id
from edge.services import former
from edge.services.unit_rows import CourierUpsert, UnitIn
from edge.store.db import Store, Tx
from edge.tracking.carriers import CARRIERS, carrier_code, detect_carrier

log = logging.getLogger(__name__)

UNIT_FIELDS = ("phone", "phone_tail", "lang", "low_door", "locker_consent", "email", "vacation_until")
KEEP_PHONE_KEY = "directory.keep_phone"


def parcel_carrier_code(tracking_number: str, company: str | None = None) -> str | None:
    """A deposit's carrier code. A number with a carrier's letter prefix says it (SF…, JD…, ZT…: a courier
    may carry another carrier's parcel); otherwise the courier's company when it names a known carrier
    ("京东", "京东快递", "JD Logistics" -> JD), as all-digit numbers fit several carriers' patterns; else the
    number's pattern; None when neither tells."""
    guess = detect_carrier(tracking_number)
    if guess and guess != "POST" and tracking_number[:1].isalpha():
        return guess
    code = carrier_code(company)
    if code in CARRIERS:
        return code
    # a company the glossary does not know is still the carrier: a Kerry Express courier's 12-digit numbers
    # fit FedEx's pattern and were "FedEx" in the message and the report, a Hongkong Post courier's RR…HK numbers
    # "National post (UPU S10)" (trial39); the name is shown as the courier's record writes it
    name = " ".join((company or "").split())[:32]
    if name and name not in DESK_COMPANIES:
        return name
    return guess


#: couriers' "companies" that are not carriers: the desk's own intake (its parcels are the number's carrier's)
DESK_COMPANIES = frozenset({"物业代收", "物业", "前台", "管理處", "管理处", "property desk", "front desk", "desk"})


def company_label(company: str, lang: str) -> str:
    """A courier's company in the site's language when it is a known carrier ("SF Express" -> 顺丰速运)."""
    code = carrier_code(company)
    return glossary.carrier_name(code, lang) if code in CARRIERS else glossary.carrier_name(company, lang) or company


# --- couriers -------------------------------------------------------------------------------------
class Couriers:
    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def hash(self, code: str) -> str:
        return hmac.new(self._secret, code.encode(), hashlib.sha256).hexdigest()

    @staticmethod
    def check_code(code: str) -> str:
        code = (code or "").strip()
        if not (code.isascii() and code.isdigit() and 4 <= len(code) <= 16):
            raise DomainError("invalid_code", "courier codes are 4-16 digits", status=422)
        return code

    def find(self, tx: Tx, code: str) -> dict[str, Any] | None:
        return tx.one("SELECT * FROM couriers WHERE code_hash = ?", (self.hash(self.check_code(code)),))

    def get(self, tx: Tx, courier_id: str) -> dict[str, Any]:
        row = tx.one("SELECT * FROM couriers WHERE id = ?", (courier_id,))
        if row is None:
            raise NotFound("courier_unknown", "no such courier")
        return row

    def add_tx(self, tx: Tx, code: str, company: str, name: str = "", *, actor: str) -> dict[str, Any]:
        code = self.check_code(code)
        company = _text(company, "company", required=True)
        if self.find(tx, code) is not None:
            raise Conflict("code_taken", "that courier code is already in use")
        cid = short_id("cour")
        tx.execute(
            "INSERT INTO couriers (id, code_hash, company, name, code_tail, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (cid, self.hash(code), company, _text(name, "name"), code[-2:], tx.ts, tx.ts),
        )
        tx.audit(actor, "courier.add", cid, "", company=company)
        return self.get(tx, cid)

    def upsert_tx(self, tx: Tx, data: CourierUpsert, *, actor: str) -> dict[str, Any]:
        row = self.find(tx, data.code)
        if row is None:
            row = self.add_tx(tx, data.code, data.company, data.name or "", actor=actor)
            if data.enabled is False:
                self.set_active_tx(tx, row["id"], False, actor=actor)
            return self.public(self.get(tx, row["id"]))
        tx.execute(
            "UPDATE couriers SET company = ?, name = ?, updated_at = ? WHERE id = ?",
            (data.company, data.name if data.name is not None else row["name"], tx.ts, row["id"]),
        )
        tx.audit(actor, "courier.update", row["id"], "", company=data.company)
        if data.enabled is not None and bool(row["active"]) != data.enabled:
            self.set_active_tx(tx, row["id"], data.enabled, actor=actor)
        return self.public(self.get(tx, row["id"]))

    def set_active_tx(self, tx: Tx, courier_id: str, active: bool, *, actor: str) -> dict[str, Any]:
        self.get(tx, courier_id)
        tx.execute("UPDATE couriers SET active = ?, updated_at = ? WHERE id = ?", (int(active), tx.ts, courier_id))
        if not active:  # refused at once: every open kiosk session of this courier ends now
            tx.execute("DELETE FROM courier_sessions WHERE courier_id = ?", (courier_id,))
        tx.audit(actor, "courier.enable" if active else "courier.disable", courier_id)
        return self.public(self.get(tx, courier_id))

    def set_active_by_code_tx(self, tx: Tx, code: str, active: bool, *, actor: str) -> dict[str, Any]:
        row = self.find(tx, code)
        if row is None:
            raise NotFound("courier_unknown", "no courier has that code")
        return self.set_active_tx(tx, row["id"], active, actor=actor)

    def new_code(self, tx: Tx) -> str:
        """8 random digits that no courier uses yet (shown once, then only its hash is kept)."""
        for _ in range(50):
            code = secrets.choice("123456789") + "".join(secrets.choice("0123456789") for _ in range(7))
            if self.find(tx, code) is None:
                return code
        raise Conflict("code_taken", "could not find a free code; give one")

    def rotate_tx(self, tx: Tx, courier_id: str, new_code: str | None, *, actor: str) -> str:
        """A new code for the courier (given, or 8 random digits); the old one stops working at once."""
        self.get(tx, courier_id)
        code = self.check_code(new_code) if new_code else self.new_code(tx)
        other = self.find(tx, code)
        if other is not None and other["id"] != courier_id:
            raise Conflict("code_taken", "that courier code is already in use")
        tx.execute("UPDATE couriers SET code_hash = ?, code_tail = ?, updated_at = ? WHERE id = ?",
                   (self.hash(code), code[-2:], tx.ts, courier_id))
        tx.execute("DELETE FROM courier_sessions WHERE courier_id = ?", (courier_id,))
        tx.audit(actor, "courier.rotate_code", courier_id)
        return code

    @staticmethod
    def public(row: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": row["id"], "company": row["company"], "name": row["name"], "enabled": bool(row["active"]),
            "code_hint": ("*" * 4 + row["code_tail"]) if row.get("code_tail") else "",
            "last_used_at": row.get("last_used_at"), "created_at": row["created_at"],
        }

    def list_tx(self, tx: Tx) -> list[dict[str, Any]]:
        rows = tx.all("SELECT * FROM couriers ORDER BY active DESC, company, name, created_at")
        return [self.public(r) for r in rows]


# --- units ----------------------------------------------------------------------------------------
def keep_phone(tx: Tx) -> bool:
    return tx.meta_get(KEEP_PHONE_KEY, "0") == "1"


def in_use(tx: Tx) -> bool:
    """The directory is in use once it holds a unit enrolled for real (the simulator's demo units do not count)."""
    return tx.scalar("SELECT 1 FROM units WHERE source != 'demo' LIMIT 1") is not None


def unit_row(tx: Tx, unit: str) -> dict[str, Any] | None:
    return tx.one("SELECT * FROM units WHERE unit = ?", (unit,))


def public_unit(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "unit": row["unit"], "phone": row.get("phone"), "phone_tail": row.get("phone_tail"),
        "lang": row.get("lang"), "low_door": bool(row.get("low_door")),
        "locker_consent": bool(row.get("locker_consent", 1)), "email": row.get("email"),
        "vacation_until": row.get("vacation_until"), "source": row.get("source"),
        "updated_at": row.get("updated_at") or row.get("created_at"),
    }


def _merged(old: dict[str, Any] | None, new: UnitIn, keep: bool) -> dict[str, Any]:
    base = public_unit(old) if old else {"phone": None, "phone_tail": None, "lang": None, "low_door": False,
                                         "locker_consent": True, "email": None, "vacation_until": None}
    given = new.model_dump(exclude_unset=True, exclude={"unit"})
    out = {k: base.get(k) for k in UNIT_FIELDS}
    out.update({k: v for k, v in given.items() if k in UNIT_FIELDS})
    if "phone" in given and given["phone"] and "phone_tail" not in given:
        out["phone_tail"] = given["phone"][-4:]
    if not keep:
        out["phone"] = None
    return out


def diff_unit(tx: Tx, new: UnitIn) -> tuple[str, dict[str, tuple[Any, Any]]]:
    """('add' | 'change' | 'same', {field: (old, new)}) for one incoming unit."""
    old = unit_row(tx, new.unit)
    merged = _merged(old, new, keep_phone(tx))
    if old is None:
        return "add", {k: (None, v) for k, v in merged.items() if v not in (None, False) or k == "locker_consent"}
    before = public_unit(old)
    changes = {k: (before.get(k), v) for k, v in merged.items() if before.get(k) != v}
    return ("change" if changes else "same"), changes


def upsert_unit_tx(tx: Tx, new: UnitIn, *, actor: str, source: str) -> dict[str, Any]:
    old = unit_row(tx, new.unit)
    m = _merged(old, new, keep_phone(tx))
    if old is None:
        tx.execute(
            "INSERT INTO units (unit, phone, phone_tail, lang, low_door, locker_consent, email, vacation_until,"
            " source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (new.unit, m["phone"], m["phone_tail"], m["lang"], int(bool(m["low_door"])),
             int(bool(m["locker_consent"])), m["email"], m["vacation_until"], source, tx.ts, tx.ts),
        )
        tx.audit(actor, "unit.add", new.unit, "", source=source)
    else:
        former.keep_contacts(tx, old, actor=actor, tail=m["phone_tail"])  # another resident's tail: theirs keep their contact
        tx.execute(
            "UPDATE units SET phone = ?, phone_tail = ?, lang = ?, low_door = ?, locker_consent = ?, email = ?,"
            " vacation_until = ?, source = ?, updated_at = ? WHERE unit = ?",
            (m["phone"], m["phone_tail"], m["lang"], int(bool(m["low_door"])), int(bool(m["locker_consent"])),
             m["email"], m["vacation_until"], source, tx.ts, new.unit),
        )
        tx.audit(actor, "unit.update", new.unit, "", source=source,
                 fields=sorted(k for k in UNIT_FIELDS if public_unit(old).get(k) != m[k]))
    row = unit_row(tx, new.unit)
    assert row is not None
    return public_unit(row)


def remove_unit_tx(tx: Tx, unit: str, *, actor: str) -> dict[str, Any]:
    """The unit leaves the directory with its phone, e-mail and language (its parcels stay recorded)."""
    old = unit_row(tx, unit)
    if old is None:
        raise NotFound("unit_unknown", f"unit {unit} is not in the directory")
    former.keep_contacts(tx, old, actor=actor)  # its parcels still held keep the contact of the resident they were stored for
    tx.execute("DELETE FROM units WHERE unit = ?", (unit,))
    tx.audit(actor, "unit.remove", unit)
    return {"unit": unit, "removed": True}


def unit_order(unit: str) -> tuple[tuple[int, int | str], ...]:
    """A unit's place in a list: its numbers as numbers, "Flat 3C" before "Flat 12A" and "5-802" before "5-1201"
    (as text, "Flat 1A, Tower 1" came after "Flat 15E, Tower 3": trial39)."""
    return tuple((0, int(p)) if p.isdigit() else (1, p.casefold()) for p in _NUMBERS.split(unit) if p)


_NUMBERS = re.compile(r"(\d+)")


def list_units_tx(tx: Tx, query: str = "", limit: int = 500, offset: int = 0) -> list[dict[str, Any]]:
    q = (query or "").strip()
    if q:
        like = f"%{q.replace('%', '').replace('_', '')}%"
        rows = tx.all("SELECT * FROM units WHERE unit LIKE ? OR phone_tail LIKE ?", (like, like))
    else:
        rows = tx.all("SELECT * FROM units")
    rows.sort(key=lambda r: unit_order(r["unit"]))  # a site's directory is at most unit_csv.MAX_ROWS units
    return [public_unit(r) for r in rows[offset:offset + limit]]


def suggest(tx: Tx, text: str, limit: int = 5) -> list[str]:
    """Units a courier may have meant: same prefix first, then the closest spellings."""
    text = (text or "").strip()
    units = sorted((r["unit"] for r in tx.all("SELECT unit FROM units")), key=unit_order)
    if not text:
        return units[:limit]
    pre = [u for u in units if u.startswith(text)]
    if len(pre) >= limit:
        return pre[:limit]
    # the kiosk's keyboard has no space or comma: "12B" or "FLAT12BTOWER2" finds "Flat 12B, Tower 2" (trial39)
    key = _compact(text)
    inside = sorted((u for u in units if u not in pre and key and key in _compact(u)),
                    key=lambda u: (_distance(_compact(u), key), u))
    pre += inside
    if len(pre) >= limit:
        return pre[:limit]
    rest = sorted((u for u in units if u not in pre), key=lambda u: (_distance(u, text), u))
    return (pre + [u for u in rest if _distance(u, text) <= max(2, len(text) // 3)])[:limit]


def _compact(unit: str) -> str:
    """A unit's letters and digits, lower-cased: what the kiosk's keyboard can type of it."""
    return "".join(ch for ch in unit.lower() if ch.isalnum())


def _distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def check_recipient(tx: Tx, unit: str, category: str, locker_categories: list[str]) -> None:
    """Refuse a locker deposit the directory or China's locker rules do not allow (before a door opens)."""
    if in_use(tx):
        row = unit_row(tx, unit)
        if row is None:
            raise DomainError("unit_unknown", f"unit {unit} is not in this site's directory", status=422,
                              suggestions=suggest(tx, unit))
        if not row["locker_consent"]:
            raise Conflict("locker_refused", "this resident has not agreed to locker delivery: please hand the"
                           " parcel in at the parcel-room desk", way="desk")
    if category not in locker_categories:
        raise Conflict("category_not_in_locker", f"{category} parcels are not put in a locker at this site: please"
                       " hand the parcel in at the parcel-room desk", way="desk", category=category)


def _text(v: str | None, field: str, *, required: bool = False, max_len: int = 60) -> str:
    v = (v or "").strip()
    if required and not v:
        raise DomainError("invalid", f"{field} is required", status=422)
    if len(v) > max_len or not v.isprintable():
        raise DomainError("invalid", f"{field}: at most {max_len} printable characters", status=422)
    return v


class DirectoryService:
    """Async face of the directory for the console, the kiosk and MQTT commands."""

    def __init__(self, store: Store, secret: bytes) -> None:
        self.store = store
        self.couriers = Couriers(secret)

    async def write(self, fn: Callable[[Tx], Any]) -> Any:
        return await self.store.write(fn)

    async def courier_upsert(self, data: CourierUpsert, actor: str) -> dict[str, Any]:
        return await self.store.write(lambda tx: self.couriers.upsert_tx(tx, data, actor=actor))

    async def unit_upsert(self, data: UnitIn, actor: str, source: str) -> dict[str, Any]:
        return await self.store.write(lambda tx: upsert_unit_tx(tx, data, actor=actor, source=source))

    async def unit_remove(self, unit: str, actor: str) -> dict[str, Any]:
        return await self.store.write(lambda tx: remove_unit_tx(tx, unit, actor=actor))

    async def suggest(self, text: str, limit: int = 6) -> list[str]:
        return await self.store.read(lambda tx: suggest(tx, text, limit))

    async def import_units(self, units: list[UnitIn], *, replace: bool, actor: str, source: str) -> dict[str, int]:
        return await self.store.write(lambda tx: import_tx(tx, units, replace=replace, actor=actor, source=source))


def preview_tx(tx: Tx, units: list[UnitIn], *, replace: bool) -> dict[str, Any]:
    """What an import would change: units added, changed (field by field), unchanged, removed."""
    out: dict[str, Any] = {"add": [], "change": [], "same": 0, "remove": []}
    names = {u.unit for u in units}
    for u in units:
        kind, changes = diff_unit(tx, u)
        if kind == "same":
            out["same"] += 1
        else:
            out[kind].append({"unit": u.unit, "changes": {k: [a, b] for k, (a, b) in changes.items()}})
    if replace:
        out["remove"] = [r["unit"] for r in tx.all("SELECT unit FROM units ORDER BY unit") if r["unit"] not in names]
    return out


def import_tx(tx: Tx, units: list[UnitIn], *, replace: bool, actor: str, source: str) -> dict[str, int]:
    """Apply an import in one transaction (all or nothing)."""
    p = preview_tx(tx, units, replace=replace)
    for u in units:
        upsert_unit_tx(tx, u, actor=actor, source=source)
    for name in p["remove"]:
        remove_unit_tx(tx, name, actor=actor)
    counts = {"added": len(p["add"]), "changed": len(p["change"]), "unchanged": p["same"], "removed": len(p["remove"])}
    tx.audit(actor, "unit.import", "", "", **counts)
    return counts
