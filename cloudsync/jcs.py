"""RFC 8785 JSON Canonicalization Scheme (JCS): the bytes a command signature covers (DESIGN.md section 4).

Object members sorted by their names' UTF-16 code units; no whitespace; strings with only `"`, `\\` and
control characters escaped (the short forms \\b \\t \\n \\f \\r, else \\u00xx lowercase); numbers as
ECMAScript's Number.prototype.toString prints the IEEE 754 double (so `1.50` is `1.5`, `1e2` is `100`,
`1e21` is `1e+21`). Any language's JCS library yields the same bytes, so HQ software in Go, Java or
JavaScript can sign commands the site verifies.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

_SHORT = {0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"}
MAX_SAFE = 2**53


class CanonicalError(ValueError):
    """A value JSON (and so JCS) cannot carry: NaN, infinity, a non-string key, an unknown type."""


def _string(s: str) -> str:
    out = ['"']
    for ch in s:
        o = ord(ch)
        if o in _SHORT:
            out.append(_SHORT[o])
        elif o < 0x20:
            out.append(f"\\u{o:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def number(x: float | int) -> str:
    """ECMAScript Number::toString of the double nearest `x` (RFC 8785 section 3.2.2.3)."""
    if isinstance(x, int) and abs(x) < MAX_SAFE:
        return str(x)
    f = float(x)
    if math.isnan(f) or math.isinf(f):
        raise CanonicalError("NaN and infinity are not JSON")
    if f == 0:
        return "0"
    sign = "-" if f < 0 else ""
    # repr gives the shortest digits that round-trip, which is what ECMAScript picks too
    t = Decimal(repr(abs(f))).as_tuple()
    digits = "".join(map(str, t.digits)).rstrip("0") or "0"
    k = len(digits)
    n = len(t.digits) + int(t.exponent)  # value = 0.digits * 10**n
    if k <= n <= 21:
        body = digits + "0" * (n - k)
    elif 0 < n <= 21:
        body = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        body = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        exp = ("+" if e >= 0 else "-") + str(abs(e))
        body = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + exp
    return sign + body


def _utf16_key(s: str) -> bytes:
    return s.encode("utf-16-be")


def _value(v: Any, out: list[str]) -> None:
    if v is None:
        out.append("null")
    elif v is True:
        out.append("true")
    elif v is False:
        out.append("false")
    elif isinstance(v, str):
        out.append(_string(v))
    elif isinstance(v, int | float):
        out.append(number(v))
    elif isinstance(v, dict):
        out.append("{")
        first = True
        for key in sorted(v, key=lambda k: _utf16_key(k) if isinstance(k, str) else b""):
            if not isinstance(key, str):
                raise CanonicalError("object keys must be strings")
            if not first:
                out.append(",")
            first = False
            out.append(_string(key))
            out.append(":")
            _value(v[key], out)
        out.append("}")
    elif isinstance(v, list | tuple):
        out.append("[")
        for i, item in enumerate(v):
            if i:
                out.append(",")
            _value(item, out)
        out.append("]")
    else:
        raise CanonicalError(f"{type(v).__name__} is not a JSON value")


def canonicalize(value: Any) -> bytes:
    """The RFC 8785 canonical form of a parsed JSON value, as UTF-8 bytes."""
    out: list[str] = []
    _value(value, out)
    return "".join(out).encode("utf-8")
