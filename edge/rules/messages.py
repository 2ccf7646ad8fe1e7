"""Resident messages of the storage rules (zh-CN and en) and masking for public lists.

Which messages carry the full pickup code: the reminders, the fee notice, the overdue message and the
move to the parcel room (the resident needs the code to collect; the desk hands over by code). Notice and
disposal messages show it masked: the notice list is public.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

# the one wording for where a parcel is, shared with the storage notifications
from edge.services.notifier import desk_text as desk_text
from edge.services.notifier import location_text as location_text

TEMPLATES: dict[str, dict[str, str]] = {
    "reminder": {
        "zh-CN": "【{site}】提醒：您的包裹（{tracking}）已在{location}存放{hours}小时，取件码 {code}。{deadline}{fee}",
        "en": "[{site}] Reminder: your parcel ({tracking}) has been in {location} for {hours} h. "
        "Pickup code {code}.{deadline}{fee}",
    },
    # the door did not open when the resident came (a "hand it over" task is open): the kiosk cannot give it
    "reminder_desk": {
        "zh-CN": "【{site}】提醒：您的包裹（{tracking}）已存放{hours}小时。柜门未能打开，请凭取件码 {code} 到前台领取{desk}。{fee}",
        "en": "[{site}] Reminder: your parcel ({tracking}) has been kept for {hours} h. Its locker door did not "
        "open: please collect it at the desk{desk} with pickup code {code}.{fee}",
    },
    "fee_notice": {
        "zh-CN": "【{site}】您的包裹（{tracking}）将于{fee_from}起收取保管费：每{period}小时{amount}，"
        "最高{cap}。取件码 {code}。",
        "en": "[{site}] Your parcel ({tracking}) will be charged a storage fee from {fee_from}: {amount} "
        "per {period} h, at most {cap}. Pickup code {code}.",
    },
    "overdue": {
        "zh-CN": "【{site}】您的包裹（{tracking}）已超期未取，请凭取件码 {code} 尽快取件，"
        "超期包裹将移至包裹室保管。",
        "en": "[{site}] Your parcel ({tracking}) is overdue. Please collect it with pickup code {code}; "
        "overdue parcels are moved to the parcel room.",
    },
    "overdue_shelf": {
        "zh-CN": "【{site}】您的包裹（{tracking}）已在{location}超期未取，请凭取件码 {code} 尽快到前台领取。",
        "en": "[{site}] Your parcel ({tracking}) in {location} is overdue. Please collect it at the desk "
        "with pickup code {code}.",
    },
    "overdue_desk": {
        "zh-CN": "【{site}】您的包裹（{tracking}）已超期未取。柜门未能打开，请凭取件码 {code} 尽快到前台领取{desk}。",
        "en": "[{site}] Your parcel ({tracking}) is overdue. Its locker door did not open: please collect it at "
        "the desk{desk} with pickup code {code}.",
    },
    "moved": {
        "zh-CN": "【{site}】您的包裹（{tracking}）已移至{location}，请凭取件码 {code} 到前台领取{desk}。",
        "en": "[{site}] Your parcel ({tracking}) has been moved to {location}. Collect it at the desk{desk} "
        "with pickup code {code}.",
    },
    "notice": {
        "zh-CN": "【{site}】您的包裹（{tracking}）已逾{days}个工作日未取，现予公示。请于{deadline}前领取{desk}，"
        "逾期将按规定处理（{how}）。",
        "en": "[{site}] Your parcel ({tracking}) has not been collected for {days} working days and is now on "
        "the public notice. Collect it before {deadline}{desk}, or it will be {how}.",
    },
    "disposal": {
        "zh-CN": "【{site}】您的包裹（{tracking}）公示期已满，已{how}。如有疑问请联系物业{phone}。",
        "en": "[{site}] The notice period for your parcel ({tracking}) has ended; it has been {how}. "
        "Questions: contact the front desk{phone}.",
    },
}

#: several parcels of one recipient under one pickup code in one sweep: one message (issue 18)
GROUP_TEMPLATES: dict[str, dict[str, str]] = {
    # where they are, as the first message says it ("智能柜 A-01、A-05 格口"), and that the one code opens every door
    # (trial 2026-12-07c: the reminder named no door); {opens_all} is empty when the parcels share one door
    "reminder": {
        "zh-CN": "【{site}】提醒：您有{count}件包裹待取（{carriers}），存放在{places}，取件码 {code}{opens_all}。"
        "{deadline}{fee}",
        "en": "[{site}] Reminder: you have {count} parcels waiting ({carriers}) in {places}. "
        "Pickup code {code}{opens_all}.{deadline}{fee}",
    },
    "overdue": {
        "zh-CN": "【{site}】您有{count}件包裹（{carriers}）已超期未取，存放在{places}，请凭取件码 {code} 尽快取件，"
        "超期包裹将移至包裹室保管。",
        "en": "[{site}] You have {count} overdue parcels ({carriers}) in {places}. Please collect them with pickup "
        "code {code}; overdue parcels are moved to the parcel room.",
    },
    "overdue_shelf": {
        "zh-CN": "【{site}】您有{count}件包裹（{carriers}）已在{location}超期未取，请凭取件码 {code} 尽快到前台领取。",
        "en": "[{site}] You have {count} overdue parcels ({carriers}) in {location}. Please collect them at the desk "
        "with pickup code {code}.",
    },
    # one code, parcels in the locker and in the parcel room: one message naming both places (trial 2026-12-05)
    "reminder_mixed": {
        "zh-CN": "【{site}】提醒：您有{count}件包裹待取（{carriers}），分别在{places}，取件码 {code}。"
        "智能柜中的包裹在柜机取，包裹室的包裹到前台领取{desk}。{deadline}{fee}",
        "en": "[{site}] Reminder: you have {count} parcels waiting ({carriers}) in {places}. Pickup code {code}. "
        "Collect {ones_locker} in the locker at the kiosk and {ones_room} in the parcel room at the desk{desk}."
        "{deadline}{fee}",
    },
    "overdue_mixed": {
        "zh-CN": "【{site}】您有{count}件包裹（{carriers}）已超期未取，分别在{places}。请凭取件码 {code} 尽快取件："
        "智能柜中的包裹在柜机取，包裹室的包裹到前台领取{desk}；柜中的超期包裹将移至包裹室保管。",
        "en": "[{site}] You have {count} overdue parcels ({carriers}) in {places}. Please collect them with pickup "
        "code {code}: {ones_locker} in the locker at the kiosk, {ones_room} in the parcel room at the desk{desk}. "
        "Overdue parcels in the locker are moved to the parcel room.",
    },
    "notice_mixed": {
        "zh-CN": "【{site}】您有{count}件包裹（{carriers}）已逾{days}个工作日未取，现予公示，分别在{places}。"
        "请于{deadline}前领取，包裹室的包裹请到前台领取{desk}，逾期将按规定处理（{how}）。",
        "en": "[{site}] {count} of your parcels ({carriers}), in {places}, have not been collected for {days} working "
        "days and are now on the public notice. Collect them before {deadline}, {ones_room} in the parcel room at "
        "the desk{desk}, or they will be {how}.",
    },
    "notice": {
        "zh-CN": "【{site}】您有{count}件包裹（{carriers}）已逾{days}个工作日未取，现予公示。请于{deadline}前领取{desk}，"
        "逾期将按规定处理（{how}）。",
        "en": "[{site}] {count} of your parcels ({carriers}) have not been collected for {days} working days and are "
        "now on the public notice. Collect them before {deadline}{desk}, or they will be {how}.",
    },
}


#: a grouped reminder's deadline when some of its parcels are in the locker and some in the parcel room
DEADLINE_TEXT_MIXED = {
    "zh-CN": "请于{when}前取件，逾期柜中的包裹将移至包裹室保管。",
    "en": " Please collect them by {when}; after that, whatever is still in the locker moves to the parcel room.",
}


#: a grouped reminder of parcels behind several doors: the one code opens them all
OPENS_ALL = {"zh-CN": "，输入一次即可打开全部柜门", "en": " opens all of them"}


def render_group(kind: str, lang: str, **values: Any) -> str:
    table = GROUP_TEMPLATES[kind]
    return (table.get(lang) or table["en"]).format(**values)


def carriers_text(names: list[str], lang: str) -> str:
    """"顺丰速运、京东物流" / "SF Express, JD Logistics": each carrier once, in the order of the parcels."""
    seen = [n for i, n in enumerate(names) if n and n not in names[:i]]
    return ("、" if lang == "zh-CN" else ", ").join(seen)


HOW_TEXT: dict[str, dict[str, str]] = {
    "return_to_sender": {"zh-CN": "退回寄件人", "en": "returned to the sender"},
    "hand_over": {"zh-CN": "移交处理", "en": "handed over"},
    "parcel_room": {"zh-CN": "移至包裹室长期保管", "en": "kept in the parcel room"},
}


def mask_code(code: str | None) -> str:
    """Last two digits only: ``********42``."""
    if not code:
        return ""
    return "*" * max(0, len(code) - 2) + code[-2:]


def mask_unit(unit: str | None) -> str:
    """Enough for a neighbour to recognise their own unit, not to read the list: ``12-**03``."""
    if not unit:
        return ""
    flat, comma, building = unit.partition(",")
    if comma and flat.strip():
        # "Flat 12B, Tower 2" -> "Flat **B, Tower 2": the flat masked as a unit is, the building kept as "12-" is
        # (trial39: "************** 1" told nobody in Tower 1 which parcel was theirs)
        words = flat.rstrip().split(" ")
        words[-1] = mask_unit(words[-1])
        return " ".join(words) + comma + building
    keep = 2 if len(unit) > 3 else 1
    head, tail = unit[:-keep], unit[-keep:]
    # keep a building prefix such as "12-"
    prefix, sep, rest = head.rpartition("-")
    masked = (prefix + sep if sep else "") + "*" * len(rest if sep else head)
    return masked + tail


def mask_tracking(tracking: str | None) -> str:
    if not tracking:
        return ""
    return "*" * max(0, len(tracking) - 4) + tracking[-4:]


def fmt_local(t: datetime, tz: ZoneInfo, lang: str) -> str:
    local = t.astimezone(tz)
    if lang == "zh-CN":
        return f"{local.month}月{local.day}日 {local:%H:%M}"
    return f"{local:%d %b %Y %H:%M}"


def render(kind: str, lang: str, **values: Any) -> str:
    table = TEMPLATES[kind]
    tpl = table.get(lang) or table["en"]
    return tpl.format(**values)


def how_text(how: str, lang: str) -> str:
    t = HOW_TEXT.get(how, {})
    return t.get(lang) or t.get("en") or how


TASK_TITLES: dict[str, dict[str, str]] = {
    "move_to_parcel_room": {
        "zh-CN": "将包裹 {tracking}（{unit}）从 {compartment} 格口移至包裹室",
        "en": "Move parcel {tracking} (unit {unit}) from locker {compartment} to the parcel room",
    },
    "dispose": {
        "zh-CN": "处理逾期未取包裹 {tracking}（{unit}，{location}）：公示期已满",
        "en": "Dispose of unclaimed parcel {tracking} (unit {unit}, {location}): the notice period has ended",
    },
}


def task_title(kind: str, lang: str, **values: Any) -> str:
    table = TASK_TITLES[kind]
    return (table.get(lang) or table["en"]).format(**values)
