"""Where a carrier's text says the parcel went (pure): a named station, locker, point or signer.

    where_it_went("您的快件已由【阳光小区东门菜鸟驿站】代收") -> Place(kind="station", name="阳光小区东门菜鸟驿站")
    where_it_went("已签收，签收人是【门卫】") -> Place(kind="signer", name="门卫")

Used by the `delivered_not_here` playbook so the desk knows where to look first. It reads the text only,
never decides the milestone (edge/tracking/classify.py does that). Unknown wording gives None.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Place(NamedTuple):
    kind: str  # station | locker | point | signer
    name: str

    def describe(self, lang: str) -> str:
        """One phrase for staff or residents, e.g. '放在了菜鸟驿站（阳光小区东门）'."""
        zh = lang.lower().startswith("zh")
        if self.kind == "signer":
            return f"签收人：{self.name}" if zh else f"signed for by {self.name}"
        word = {"station": ("驿站/代收点", "a pickup station"), "locker": ("快递柜", "a parcel locker"),
                "point": ("代收点", "a pickup point")}[self.kind]
        return f"放在了{word[0]}：{self.name}" if zh else f"left at {word[1]}: {self.name}"


_MAX = 60
_BRACKET = r"[【\[「『(（]\s*([^】\]」』)）]{1,60}?)\s*[】\]」』)）]"
_ZH_PLACE_VERB = r"(?:投递至|投递到|放入|放至|存放至|存放在|存放于|暂存至|暂存于|送至|送达|已到达|到达|由|代收点|取件地址|地址)"
_ZH_BRACKETED = re.compile(_ZH_PLACE_VERB + r"\s*[:：]?\s*" + _BRACKET)
_ZH_SIGNER = re.compile(r"(?:签收人|代收人|收件人)\s*(?:是|为|:|：)?\s*(?:" + _BRACKET + r"|([^，,。.；;\s【】()（）]{1,20}))")
_ZH_SIGNED_BY = re.compile(r"(?:已由|由)\s*([^，,。.；;\s【】]{1,12}?)\s*(?:代签收|代收|签收)")
_EN_SIGNER = re.compile(r"\bsigned(?:\s+for)?\s+by\s*[:\-]?\s*([A-Za-z][A-Za-z .'\-]{0,40}?)(?=\s*(?:[,.;()]|$|\bat\b))",
                        re.IGNORECASE)
_EN_LEFT_WITH = re.compile(r"\bleft with\s+(?:the\s+)?([A-Za-z][A-Za-z .'\-]{0,40}?)(?=\s*(?:[,.;()]|$))", re.IGNORECASE)
_EN_POINT = re.compile(
    r"\b(?:delivered|left|dropped off)\s+(?:to|at|in)\s+(?:the\s+|a\s+)?"
    r"(parcel locker|parcel shop|pickup point|pick-up point|access point|post office|locker|collection point)"
    r"(?:\s*(?:at|:|-)\s*([^,.;]{1,60}))?", re.IGNORECASE)

_LOCKER_WORDS = ("丰巢", "蜂巢", "快递柜", "智能柜", "柜", "hive box", "locker")
_STATION_WORDS = ("驿站", "代收点", "服务站", "站", "菜鸟", "妈妈驿站", "兔喜", "shop", "point", "post office")
_KEYWORDS: tuple[tuple[str, str, str], ...] = (
    ("丰巢", "locker", "丰巢快递柜"), ("hive box", "locker", "Hive Box"), ("菜鸟驿站", "station", "菜鸟驿站"),
    ("妈妈驿站", "station", "妈妈驿站"), ("兔喜", "station", "兔喜生活"), ("驿站", "station", "驿站"),
    ("门卫", "signer", "门卫"), ("保安", "signer", "保安"), ("前台", "signer", "前台"), ("物业", "signer", "物业"),
    ("传达室", "signer", "传达室"), ("快递柜", "locker", "快递柜"), ("智能柜", "locker", "智能柜"),
)


def _kind_of(name: str) -> str:
    low = name.lower()
    if any(w in low for w in _LOCKER_WORDS):
        return "locker"
    if any(w in low for w in _STATION_WORDS):
        return "station"
    return "point"


def _clean(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip(" :：-，,。.")[:_MAX]


def where_it_went(text: str | None, location: str | None = None) -> Place | None:
    """The place or signer a carrier text names, or None when it names none."""
    if not text:
        return None
    t = text.strip()
    m = _ZH_SIGNER.search(t)
    if m:
        name = _clean(m.group(1) or m.group(2) or "")
        if name and name not in ("您", "本人") and not name.startswith("凭") and "签收" not in name:
            return Place("signer", name)
        if name == "本人":
            return Place("signer", "本人" if _has_cjk(t) else "the recipient")
    m = _ZH_BRACKETED.search(t)
    if m:
        name = _clean(m.group(1))
        if name:
            return Place(_kind_of(name), name)
    m = _ZH_SIGNED_BY.search(t)
    if m and _clean(m.group(1)) not in ("", "您", "快递员"):
        name = _clean(m.group(1))
        return Place(_kind_of(name) if any(w in name for w in (*_LOCKER_WORDS, *_STATION_WORDS)) else "signer", name)
    m = _EN_SIGNER.search(t) or _EN_LEFT_WITH.search(t)
    if m and _clean(m.group(1)):
        return Place("signer", _clean(m.group(1)))
    m = _EN_POINT.search(t)
    if m:
        what, where = m.group(1).lower(), _clean(m.group(2) or "")
        kind = "locker" if "locker" in what else "station"
        return Place(kind, f"{what} {where}".strip() if where else what)
    low = t.lower()
    for word, kind, name in _KEYWORDS:
        if word in low:
            return Place(kind, _clean(location) if location and kind != "signer" else name)
    return None


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
