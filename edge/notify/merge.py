"""One message for many parcels (ADR 0043): the folded text of a recipient's messages of one kind.

The notifier writes, with each message of a mergeable kind, what a folded text needs of its parcel
(`Part`, stored as JSON in ``messages.merge_data``): the carrier's name, where the parcel is, the code, the site
heading and the desk's words in the message's language, and for "stored" its deadline with both phrasings. The
dispatcher folds pending messages of one ``merge_key`` (kind, recipient, language and, where the text carries
it, the code) into the first due one; this module words the result. One parcel keeps its own text.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

_T = TypeVar("_T")

#: the folded text per kind and language (several parcels; one parcel keeps the single message's text)
TEMPLATES: dict[str, dict[str, str]] = {
    "stored": {
        "zh-CN": "【{site}】您的{count}件包裹（{carriers}）已存入{places}，取件码 {code}。{deadline}",
        "en": "[{site}] Your {count} parcels ({carriers}) are in {places}. Pickup code {code}.{deadline}",
    },
    "collected": {
        "zh-CN": "【{site}】您的{count}件包裹（{carriers}）已于{places}取出。如非本人操作请联系物业{phone}。",
        "en": "[{site}] Your {count} parcels ({carriers}) were collected from {places}. Not you? Contact the front "
        "desk{phone}.",
    },
    "moved": {
        "zh-CN": "【{site}】您的{count}件包裹（{carriers}）已移至{places}，请凭取件码 {code} 到前台领取{desk}。",
        "en": "[{site}] Your {count} parcels ({carriers}) have been moved to {places}. Collect them at the desk{desk} "
        "with pickup code {code}.",
    },
}


def key(kind: str, parcel: dict[str, Any], lang: str, code: str | None) -> str | None:
    """Which messages may be folded together: same kind, recipient (unit and phone tail, as the channels address
    them), language and, for "stored" and "moved" (the text gives it), the same code. None: never folded."""
    unit, tail = parcel.get("unit") or "", parcel.get("phone_tail") or ""
    if kind not in TEMPLATES or not (unit or tail):
        return None
    if kind in ("stored", "moved") and not code:
        return None
    return "\x1f".join((kind, unit, tail, lang, "" if kind == "collected" else code or ""))


def data(**part: Any) -> str:
    return json.dumps(part, ensure_ascii=False, sort_keys=True)


def parts(merge_data: str | None) -> list[dict[str, Any]]:
    """The parcels a message's ``merge_data`` tells of: one part as queued, or (once folded) the list of every
    parcel's part in queue order, so a second fold after a restart keeps the parcels of the first."""
    if not merge_data:
        return []
    value = json.loads(merge_data)
    items = value if isinstance(value, list) else [value]
    return [p for p in items if isinstance(p, dict)]


def fit(items: list[str], lang: str, limit: int, more: str = "件") -> str:
    """Items joined ("、" / ", "), as many whole ones as fit in `limit` characters, then how many are left
    ("SF1…、JD1…等3件" / "SF1…, JD1… and 1 more"): a provider refuses a template value over its length limit."""
    n = len(items)
    sep = "、" if lang == "zh-CN" else ", "
    for k in range(n, 0, -1):
        head = sep.join(items[:k])
        if k == n:
            text = head
        else:
            text = f"{head}等{n}{more}" if lang == "zh-CN" else f"{head} and {n - k} more"
        if len(text) <= limit:
            return text
    return items[0][:limit] if items else ""


def template_values(parts_: list[dict[str, Any]], lang: str, limit: int, first_tracking: str) -> dict[str, str]:
    """What an SMS template may name of the parcels a message tells of (count, tracking numbers, carriers and
    places), each value within `limit` characters. One part: count 1 and its own carrier and place."""
    if not parts_:
        return {"count": "1"}
    n = len(parts_)
    numbers = [str(p.get("tracking") or "") for p in parts_]
    if all(numbers):
        tracking = fit(numbers, lang, limit)
    elif n > 1:  # parts queued before they named their number: the first parcel's, and how many there are
        tracking = f"{first_tracking}等{n}件" if lang == "zh-CN" else f"{first_tracking} and {n - 1} more"
    else:
        tracking = first_tracking
    places = places_text(parts_, lang)
    # cut at a whole place: the first k places named, then how many places there are in all ("等3处") or how
    # many more (" and 2 more"); several parcels may share a place (one shelf), so places are counted, not parcels
    where = _places(parts_)
    total = len(where)
    for k in range(total - 1, 0, -1):
        if len(places) <= limit:
            break
        named = where[:k]
        places = places_text([p for p in parts_ if _place(p) in named], lang) + (
            f"等{total}处" if lang == "zh-CN" else f" and {total - k} more")
    carriers = _unique([str(p.get("name") or "") for p in parts_])
    return {"count": str(n), "tracking": tracking, "carriers": fit(carriers, lang, limit, "家"),
            "places": places[:limit]}


def _join(items: list[str], lang: str) -> str:
    if lang == "zh-CN":
        return "、".join(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _unique(items: list[_T]) -> list[_T]:
    """The items in order, each once, the empty ones left out."""
    return [x for i, x in enumerate(items) if x and x not in items[:i]]


def _place(part: dict[str, Any]) -> tuple[str, str]:
    if part.get("compartment"):
        return ("door", str(part["compartment"]))
    if part.get("shelf"):
        return ("shelf", str(part["shelf"]))
    return ("room", "")


def _places(parts: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The distinct places `places_text` names, in the order of the parcels: each door, each shelf, and the parcel
    room itself only where no shelf is named (places_text then says "包裹室" / "the parcel room")."""
    out = _unique([_place(p) for p in parts])  # a place is a non-empty pair, never left out
    if any(kind == "shelf" for kind, _ in out):
        out = [w for w in out if w[0] != "room"]
    return out


def places_text(parts: list[dict[str, Any]], lang: str) -> str:
    """"智能柜 A-01、A-03 格口和包裹室 R1 货架" / "lockers A-01 and A-03 and the parcel room, shelf R1"."""
    zh = lang == "zh-CN"
    doors = _unique([str(p.get("compartment") or "") for p in parts])
    shelves = _unique([str(p.get("shelf") or "") for p in parts if not p.get("compartment")])
    room_only = any(not p.get("compartment") and not p.get("shelf") for p in parts)
    out: list[str] = []
    if doors:
        joined = _join(doors, lang)
        out.append(f"智能柜 {joined} 格口" if zh else f"{'locker' if len(doors) == 1 else 'lockers'} {joined}")
    if shelves:
        joined = _join(shelves, lang)
        out.append(f"包裹室 {joined} 货架" if zh else
                   f"the parcel room, {'shelf' if len(shelves) == 1 else 'shelves'} {joined}")
    elif room_only:
        out.append("包裹室" if zh else "the parcel room")
    return ("和" if zh else " and ").join(out)


def carriers_text(parts: list[dict[str, Any]], lang: str) -> str:
    """Each carrier once, in the order of the parcels ("顺丰速运、京东物流" / "SF Express, JD Logistics")."""
    return ("、" if lang == "zh-CN" else ", ").join(_unique([str(p.get("name") or "") for p in parts]))


def render(kind: str, lang: str, parts: list[dict[str, Any]]) -> str:
    """The folded text for several parcels (parts in the order their messages were queued)."""
    first = parts[0]
    deadline = ""
    dated = [p for p in parts if p.get("deadline_at")]
    # a parcel stored before NTP answered has no deadline the message may name (notifications.md "A clock not yet
    # right"): the earliest of the others would be later than its real one, so the folded text names none
    if dated and (kind != "stored" or len(dated) == len(parts)):
        earliest = min(dated, key=lambda p: str(p["deadline_at"]))
        # "after that they move to the parcel room" only when one of them is in a locker
        in_locker = any(p.get("compartment") for p in parts)
        deadline = str(earliest.get("when_locker" if in_locker else "when_shelf") or "")
    table = TEMPLATES[kind]
    return (table.get(lang) or table["en"]).format(
        site=first.get("site") or "", count=len(parts), carriers=carriers_text(parts, lang),
        places=places_text(parts, lang), code=first.get("code") or "", deadline=deadline,
        desk=first.get("desk") or "", phone=first.get("phone") or "",
    )
