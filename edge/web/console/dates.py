"""Dates typed on console forms, in one format whatever the browser's language.

A browser's own date picker (an input of type date) follows the browser's locale, not the console's: a
Chinese console in an English Chromium showed "mm/dd/yyyy" and "12/05/2026". The console's date fields
are plain text fields that take the year first (2026-12-09, 2026/12/9, 2026.12.9, 2026年12月9日, with
full-width digits too) and say which day they mean in the console's language (console.js); a date
written day-first or month-first (12/05/2026) is refused, since it cannot be told apart.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from edge.errors import DomainError

#: the year first, then month and day, separated by - / . or 年 月 (日 at the end optional)
_DAY = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")

#: the field's pattern for the browser (console.js checks it and says why in the console's language)
PATTERN = r"\s*\d{4}\s*[\-\/.年]\s*\d{1,2}\s*[\-\/.月]\s*\d{1,2}\s*日?\s*"


def parse_day(text: str) -> date:
    """The day a staff member typed; DomainError `invalid_date` (in both languages) when it is not one."""
    s = unicodedata.normalize("NFKC", text or "").strip()  # full-width digits and separators
    m = _DAY.match(s)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    raise DomainError("invalid_date", f"write the date with the year first, like 2026-12-09 (got {text.strip()!r})",
                      status=422, message_zh=f"日期请按 年-月-日 填写，例如 2026-12-09（填写的是“{text.strip()}”）")


def iso_day(text: str) -> str:
    """`parse_day` as YYYY-MM-DD."""
    return parse_day(text).isoformat()


__all__ = ["PATTERN", "iso_day", "parse_day"]
