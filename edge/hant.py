"""Traditional Chinese as written in Hong Kong (`zh-HK`): the Chinese text converted when it is output.

Inside lockerd Chinese is one language, `zh-CN`; a zh-HK reader (a resident whose directory entry says 繁體中文,
a kiosk or console switched to 繁) gets the same text converted here, by longest match over a phrase table and
then a character table (docs/decisions/0050-zh-hk-by-conversion.md). The table, edge/hant_table.py, is generated
by `python -m edge.hant_gen` from the Chinese we ship and is imported the first time a zh-HK text is converted.
"""

from __future__ import annotations

import re
from typing import Any

HK = "zh-HK"
CN = "zh-CN"
#: the languages a screen, a message and the directory know, in a site's default order
LANGS = (CN, "en", HK)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


class _Table:
    def __init__(self, ns: dict[str, Any]) -> None:
        self.chars = str.maketrans(ns["SIMPLIFIED"], ns["TRADITIONAL"])
        phrases: dict[str, str] = ns["PHRASES"]
        self.phrases = phrases
        alts = "|".join(re.escape(p) for p in sorted(phrases, key=lambda p: (-len(p), p)))
        self.pattern = re.compile(f"({alts})") if alts else None

    def convert(self, text: str) -> str:
        if self.pattern is None:
            return text.translate(self.chars)
        parts = self.pattern.split(text)
        # split keeps the matched phrases at the odd places: those are converted whole, the gaps by character
        return "".join(self.phrases[p] if i % 2 else p.translate(self.chars) for i, p in enumerate(parts))


_table: _Table | None = None


def _get() -> _Table:
    global _table
    if _table is None:
        from edge import hant_table

        _table = _Table(vars(hant_table))
    return _table


def convert(text: str) -> str:
    """`text` with its simplified Chinese in Hong Kong traditional characters and words; the rest unchanged."""
    if not text or not _CJK.search(text):
        return text
    return _get().convert(text)


# A form field's value, a textarea's text and a link or form target are data, not words: converted, a staff member's
# note or a unit's name would be saved back, or looked up, in another script than the one stored.
_AS_STORED = re.compile(r'(\bvalue="[^"]*"|<textarea\b[^>]*>.*?</textarea>|\b(?:href|action)="[^"]*")', re.S)


def convert_page(html_text: str) -> str:
    """A rendered HTML page's words converted; what a form sends back or a link carries kept as stored."""
    parts = _AS_STORED.split(html_text)  # odd parts: the kept ones
    return "".join(p if i % 2 else convert(p) for i, p in enumerate(parts))


def base(lang: str | None) -> str:
    """The language text is written in: zh-CN for zh-HK (converted at output), else `lang`."""
    if lang is None:
        return CN
    return CN if lang == HK else lang


def out(text: str, lang: str | None) -> str:
    """`text` as a reader of `lang` gets it: converted for zh-HK, else as it is."""
    return convert(text) if lang == HK else text


#: the tags of each language as a site config, a kiosk, a console or a browser names them
_HK_TAGS = ("zh-hk", "zh-hant", "zh-tw", "zh-mo", "hk", "hant", "繁", "繁體", "繁体")
_CN_TAGS = ("zh", "zh-cn", "zh-hans", "cn", "简", "簡")


def norm(value: str | None, default: str = CN, *, prefix: bool = False) -> str:
    """A language as a site config, a kiosk or a console names it: "zh" and "zh-cn" are zh-CN, "zh-hk", "zh-hant",
    "zh-tw", "zh-mo" are zh-HK, "en*" en; anything else `default`. With `prefix` (a browser's Accept-Language tag)
    a tag's subtags may follow: "zh-Hant-TW", "zh-HK-u-nu-hanidec" are zh-HK, "zh-Hans-SG", "zh-SG" zh-CN."""
    v = (value or "").strip().lower().replace("_", "-")
    if v.startswith("en"):
        return "en"
    if prefix:
        if any(v == t or v.startswith(t + "-") for t in _HK_TAGS):
            return HK
        return CN if v == "zh" or v.startswith("zh-") else default
    if v in _HK_TAGS:
        return HK
    if v in _CN_TAGS:
        return CN
    return default


# RFC 9110 section 12.4.2: a weight is 0 to 1 with at most three decimals ("q=0" means "not acceptable")
_QVALUE = re.compile(r"(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)")


def _ranges(header: str) -> list[tuple[str, float]]:
    """The language ranges of an Accept-Language header with their weights, in the header's order; a range with
    a malformed weight (q=2, q=0.5555, q=high) is dropped, as RFC 9110 leaves it no meaning."""
    ranges: list[tuple[str, float]] = []
    for part in header.split(","):
        tag, *params = (p.strip() for p in part.split(";"))
        if not tag:
            continue
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                value = value.strip()
                weight = float(value) if _QVALUE.fullmatch(value) else -1.0
        if weight >= 0:
            ranges.append((tag, weight))
    return ranges


_LAST = 1 << 20  # a position after any range of a header


def accept_language(header: str | None, default: str | None = None) -> str | None:
    """The language lockerd speaks (zh-CN, zh-HK or en) that an Accept-Language header weighs highest, else None.

    Weights per RFC 9110 (a range without one weighs 1; "q=0" means not acceptable); of equal weights the one
    named first wins. Each range reads as `norm` reads a browser's tag ("zh-TW", "zh-Hant", "zh-MO": zh-HK; "zh",
    "zh-Hans-SG": zh-CN); a language named by several ranges weighs as its heaviest. "*" weighs the languages no
    range names: when that is the best weight, the answer is `default` (the caller's own language) if "*" covers
    it, else the first language of LANGS it covers. None when no language lockerd speaks is acceptable."""
    named: dict[str, tuple[float, int]] = {}  # language -> (weight, position of its heaviest range)
    star: float | None = None  # the weight of "*", the first one
    for pos, (tag, weight) in enumerate(_ranges(header or "")):
        if tag == "*":
            star = weight if star is None else star
            continue
        lang = norm(tag, "", prefix=True)
        if lang and (lang not in named or weight > named[lang][0]):
            named[lang] = (weight, pos)
    weighed = dict(named)
    if star is not None:
        covered = [lang for lang in LANGS if lang not in named]
        if default in covered:
            covered.remove(default)
            covered.insert(0, default)
        # the languages "*" covers come after every named one of the same weight, the caller's first
        weighed.update({lang: (star, _LAST + i) for i, lang in enumerate(covered)})
    best = max(((w, -p, lang) for lang, (w, p) in weighed.items() if w > 0), default=None)
    return best[2] if best is not None else None


def site_languages(configured: list[str] | None, timezone: str, holiday_calendar: str, locale: str) -> list[str]:
    """The languages a site offers, its first language first: `site.languages` when set; else `locale`, the other
    of zh-CN and en, and zh-HK at a Hong Kong site (time zone Asia/Hong_Kong or holiday calendar HK)."""
    if configured:
        return list(dict.fromkeys(norm(v) for v in configured))
    langs = [locale, "en" if locale == CN else CN]
    if timezone == "Asia/Hong_Kong" or holiday_calendar.upper() == "HK":
        langs.append(HK)
    return langs


def hk_first(langs: list[str]) -> bool:
    """A site's Chinese is 繁體: its languages (`site_languages`) list zh-HK, and before zh-CN when both."""
    return HK in langs and (CN not in langs or langs.index(HK) < langs.index(CN))
