"""One resident unit as the directory takes it: the typed input of `unit.upsert`, a CSV row and the console
form, with the normalising rules (phone, language, yes/no) shared by all three."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from edge.services.parcels import UNIT_RE

_PHONE_STRIP = re.compile(r"[\s\-().]")
_PHONE_RE = re.compile(r"^\+?\d{6,15}$")
_EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}$")

LANGS: dict[str, str] = {
    "zh": "zh-CN", "zh-cn": "zh-CN", "zh_cn": "zh-CN", "cn": "zh-CN", "chinese": "zh-CN", "中文": "zh-CN",
    "汉语": "zh-CN", "简体中文": "zh-CN", "en": "en", "en-us": "en", "en-gb": "en", "english": "en", "英文": "en",
    "英语": "en",
    "英語": "en",
    # Hong Kong and Taiwan residents' words for their Chinese: traditional characters, converted at output
    # (docs/decisions/0050-zh-hk-by-conversion.md); Cantonese speakers read standard written Chinese
    "繁體中文": "zh-HK", "繁体中文": "zh-HK", "中文（繁體）": "zh-HK", "中文(繁體)": "zh-HK", "繁體": "zh-HK",
    "繁体": "zh-HK", "粵語": "zh-HK", "粤语": "zh-HK", "廣東話": "zh-HK", "广东话": "zh-HK", "cantonese": "zh-HK",
    "traditional chinese": "zh-HK", "chinese (traditional)": "zh-HK", "zh-hk": "zh-HK", "zh_hk": "zh-HK",
    "zh-hant": "zh-HK", "zh_hant": "zh-HK", "zh-hant-hk": "zh-HK", "zh-tw": "zh-HK", "zh_tw": "zh-HK",
    "zh-mo": "zh-HK",
}
YES = {"1", "y", "yes", "true", "t", "on", "是", "要", "需要", "同意", "√", "✓"}
NO = {"0", "n", "no", "false", "f", "off", "否", "不", "不需要", "不同意", "×", "✗"}


def norm_phone(value: str) -> str:
    """A phone number with spaces, dashes and brackets removed; a leading + kept. Raises ValueError."""
    p = _PHONE_STRIP.sub("", value)
    if p.startswith("00"):
        p = "+" + p[2:]
    if not _PHONE_RE.match(p):
        raise ValueError("not a phone number (6 to 15 digits, may start with +)")
    if p.startswith("+86") and not re.fullmatch(r"\+861[3-9]\d{9}", p):
        raise ValueError("not a mainland China mobile number (+86 and 11 digits starting 13-19)")
    if not p.startswith("+") and len(p) == 11 and p.startswith("1") and not re.fullmatch(r"1[3-9]\d{9}", p):
        raise ValueError("not a mainland China mobile number (11 digits starting 13-19)")
    return p


def norm_lang(value: str) -> str:
    lang = LANGS.get(value.strip().lower())
    if lang is None:
        raise ValueError("language is zh-CN (简体中文), zh-HK (繁體中文) or en (English)")
    return lang


def norm_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError("expected yes or no (是/否, 1/0)")


class UnitIn(BaseModel):
    """A unit in the directory. Fields left out keep their stored value (or the default for a new unit)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    unit: str = Field(min_length=1, max_length=32, description="the unit (房号), e.g. 5-801")
    phone: str | None = Field(None, max_length=24, description="full phone number; kept only if a channel needs it")
    phone_tail: str | None = Field(None, description="last 4 digits of the phone (derived from phone when absent)")
    lang: str | None = Field(None, description="zh-CN, zh-HK (繁體中文) or en: the language of the resident's messages")
    low_door: bool | None = Field(None, description="needs a door within reach (accessible low door)")
    locker_consent: bool | None = Field(None, description="false: parcels go to the parcel-room desk, never a locker")
    email: str | None = Field(None, max_length=254, description="for the smtp channel")
    vacation_until: str | None = Field(None, max_length=32, description="ISO 8601 time; the storage clock pauses")

    @field_validator("unit")
    @classmethod
    def _unit(cls, v: str) -> str:
        if not UNIT_RE.match(v):
            raise ValueError("unit is 1-32 letters, digits, spaces or - / . , #")
        return v

    @field_validator("phone")
    @classmethod
    def _phone(cls, v: str | None) -> str | None:
        return norm_phone(v) if v else None

    @field_validator("phone_tail")
    @classmethod
    def _tail(cls, v: str | None) -> str | None:
        if not v:
            return None
        if not (v.isascii() and v.isdigit() and len(v) == 4):
            raise ValueError("phone tail is the last 4 digits of the phone number")
        return v

    @field_validator("lang")
    @classmethod
    def _lang(cls, v: str | None) -> str | None:
        return norm_lang(v) if v else None

    @field_validator("low_door", "locker_consent", mode="before")
    @classmethod
    def _bool(cls, v: Any) -> Any:
        if v is None or v == "":
            return None
        if isinstance(v, bool):
            return v
        if isinstance(v, str):
            return norm_bool(v)
        raise ValueError("expected true or false")

    @field_validator("email")
    @classmethod
    def _email(cls, v: str | None) -> str | None:
        if not v:
            return None
        if not _EMAIL_RE.match(v):
            raise ValueError("not an e-mail address")
        return v

    @field_validator("vacation_until")
    @classmethod
    def _vacation(cls, v: str | None) -> str | None:
        if not v:
            return None
        from edge.clock import parse_iso, utc_iso

        try:
            return utc_iso(parse_iso(v))
        except (ValueError, TypeError):  # not Python's own words ("month must be in 1..12", "has no time zone")
            raise ValueError(f"vacation_until {v!r} is not a date and time with its time zone, e.g."
                             " 2026-12-31T20:00+08:00") from None

    @model_validator(mode="after")
    def _tail_matches(self) -> UnitIn:
        if self.phone:
            tail = self.phone[-4:]
            if self.phone_tail and self.phone_tail != tail:
                raise ValueError(f"phone_tail {self.phone_tail} is not the end of the phone number")
            self.phone_tail = tail
        return self


class UnitRemove(BaseModel):
    """`unit.remove`: the unit and its personal data leave the directory."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    unit: str = Field(min_length=1, max_length=32, description="the unit (房号) to remove")


class CourierUpsert(BaseModel):
    """`courier.upsert`: a courier code and its company (created, renamed, disabled or enabled)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(pattern=r"^\d{4,16}$", description="the courier's code, 4-16 digits")
    company: str = Field(min_length=1, max_length=60, description="the courier company, e.g. 顺丰速运")
    name: str | None = Field(None, max_length=60, description="the courier's name (shown to staff)")
    enabled: bool | None = Field(None, description="false: the code is refused at the kiosk at once; "
                                                   "left out: unchanged (a new courier is enabled)")


def describe_errors(exc: Any) -> str:
    """A pydantic ValidationError as one line: `field: reason; field: reason`."""
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(x) for x in err.get("loc", ())) or "unit"
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        if err.get("type") == "extra_forbidden":
            msg = "unknown field"
        parts.append(f"{loc}: {msg}")
    return "; ".join(parts)
