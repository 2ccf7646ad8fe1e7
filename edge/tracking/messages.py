"""Plain-words texts about a waybill for residents and staff (pure): the anomaly message with its ETA
("expected Thursday to Saturday") and where the carrier says it left the parcel.

Kept apart from the sending so any notification queue can call `resident_text` to build an anomaly
message (edge/tracking/tasks.py calls it inside the anomaly's transaction today).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from edge.tracking.handover import Place
from edge.tracking.settings import TrackingSettings

WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CONFIDENCE_ZH = {"high": "把握较大", "medium": "大致", "low": "仅供参考"}
CONFIDENCE_EN = {"high": "likely", "medium": "roughly", "low": "a rough guess"}


def _zh(lang: str) -> bool:
    return lang.lower().startswith("zh")


def _day(iso: str, tz: ZoneInfo, zh: bool, now: datetime | None) -> str:
    dt = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(tz)
    if now is not None:
        delta = (dt.date() - now.astimezone(tz).date()).days
        if delta == 0:
            return "今天" if zh else "today"
        if delta == 1:
            return "明天" if zh else "tomorrow"
        if delta > 6 or delta < 0:
            return f"{dt.month}月{dt.day}日" if zh else dt.strftime("%d %b").lstrip("0")
    return WEEKDAYS_ZH[dt.weekday()] if zh else WEEKDAYS_EN[dt.weekday()]


def eta_phrase(eta: dict[str, Any] | None, lang: str, tz: str | ZoneInfo = "Asia/Shanghai",
               now: datetime | None = None, *, with_confidence: bool = False) -> str:
    """'expected Thursday to Saturday' / '预计周四至周六送达'; '' when there is no window."""
    if not eta or not eta.get("eta_from") or not eta.get("eta_to"):
        return ""
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    zh = _zh(lang)
    lo, hi = _day(eta["eta_from"], zone, zh, now), _day(eta["eta_to"], zone, zh, now)
    if zh:
        text = f"预计{lo}送达" if lo == hi else f"预计{lo}至{hi}送达"
    else:
        text = f"expected {lo}" if lo == hi else f"expected {lo} to {hi}"
    conf = eta.get("confidence")
    if with_confidence and conf:
        text += f"（{CONFIDENCE_ZH.get(conf, conf)}）" if zh else f" ({CONFIDENCE_EN.get(conf, conf)})"
    return text


def resident_text(settings: TrackingSettings, kind: str, tracking: str, lang: str, *,
                  eta: dict[str, Any] | None = None, place: dict[str, Any] | Place | None = None,
                  tz: str | ZoneInfo = "Asia/Shanghai", now: datetime | None = None) -> str:
    """The resident's message for an anomaly, or '' when the playbook has none for this language."""
    pb = settings.playbook(kind)
    zh = _zh(lang)
    template = pb.message_zh if zh else pb.message_en
    if not template:
        return ""
    where = ""
    if place:
        p = place if isinstance(place, Place) else Place(str(place.get("kind", "point")), str(place.get("name", "")))
        if p.name:
            where = (f"快递信息显示：{p.describe('zh')}。" if zh else f"The carrier's record says: {p.describe('en')}. ")
    text = template.replace("{where}", where).format(tracking=tracking)
    phrase = eta_phrase(eta, lang, tz, now) if kind not in ("delivered_not_here", "returned") else ""
    if phrase:
        text += (f"{phrase}。" if zh else f" It is {phrase}.")
    return text
