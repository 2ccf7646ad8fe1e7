"""The pickup QR code: what a resident's message carries so that the kiosk's scanner can open the door.

Payload: ``LKP1:<site id>:<pickup code>`` (docs/decisions/0019-pickup-qr.md). Plain ASCII with no
characters that keyboard-wedge scanners mistype, short enough for a version-2 QR code, and naming the
site so that a code from another locker site is told apart from a wrong code. The payload carries
nothing the message text does not already say (the code); scanning it is entering the code: the
same attempt counting and lockout as typed codes.

The link (``site.public_url`` set): ``<public_url>/p/<payload>``, a page that only draws the QR of
the payload in its own address (no database lookup: it tells nothing a visitor did not bring).
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass
from urllib.parse import quote

PREFIX = "LKP1"
_SITE = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"
_PAYLOAD = re.compile(rf"^{PREFIX}:({_SITE}):([0-9A-Za-z]{{4,32}})$")
#: what a scan that is meant to be a pickup QR starts with (any case: some scanners change case)
_LOOKS = re.compile(rf"^{PREFIX}[:;]", re.IGNORECASE)


def payload(site_id: str, code: str) -> str:
    return f"{PREFIX}:{site_id}:{code}"


def looks_like_payload(text: str) -> bool:
    return bool(_LOOKS.match(text.strip()))


def is_payload(text: str) -> bool:
    """Well formed (any site)."""
    return _PAYLOAD.match(text.strip()) is not None


@dataclass(frozen=True)
class Scanned:
    """A scan read as a pickup QR: ``code`` when it is one of this site's, else ``error``."""

    code: str | None
    error: str | None = None  # "qr_other_site" | "qr_unreadable"
    site: str | None = None


def read(text: str, site_id: str) -> Scanned:
    m = _PAYLOAD.match(text.strip())
    if m is None:
        return Scanned(None, "qr_unreadable")
    if m.group(1) != site_id:
        return Scanned(None, "qr_other_site", m.group(1))
    return Scanned(m.group(2), None, site_id)


#: what the link adds after the payload, for its page to say which doors and until when (trial 2026-12-07d: the
#: page named neither): d=A-01.A-05 (the doors), k=1 (the desk), u=the deadline in site time as YYMMDDHHMM. Only
#: what the message itself says; the page checks each part and drops what is not so. The page's language is the
#: visitor's browser's (Accept-Language), else the site's: a language in the link would cost an SMS part.
_DOOR = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,15}$")
_UNTIL = re.compile(r"^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$")
MAX_DOORS = 12


def link(public_url: str, data: str, *, doors: tuple[str, ...] = (), desk: bool = False, until: str = "") -> str:
    """The pickup link; with the doors (or `desk`) and `until` ("YYYY-MM-DD HH:MM", site time) its page says them."""
    url = public_url.rstrip("/") + "/p/" + quote(data, safe=":")
    query: list[str] = []
    shown = [d for d in doors if _DOOR.match(d)][:MAX_DOORS]
    if shown:
        query.append("d=" + ".".join(shown))
    if desk:
        query.append("k=1")
    digits = "".join(ch for ch in until if ch.isdigit())[2:]
    if _UNTIL.match(digits):
        query.append("u=" + digits)
    return url + ("?" + "&".join(query) if query else "")


@dataclass(frozen=True)
class LinkDetails:
    """What a pickup link's query says, each part checked: the doors, whether (also) at the desk, and the deadline
    as (year, month, day, hour, minute) or None."""

    doors: tuple[str, ...] = ()
    desk: bool = False
    until: tuple[int, int, int, int, int] | None = None


def details(doors: str = "", desk: str = "", until: str = "") -> LinkDetails:
    got = _UNTIL.match(until or "")
    when: tuple[int, int, int, int, int] | None = None
    if got:
        y, mo, d, h, mi = (int(x) for x in got.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31 and h < 24 and mi < 60:
            when = (2000 + y, mo, d, h, mi)
    return LinkDetails(doors=tuple(x for x in (doors or "").split(".") if _DOOR.match(x))[:MAX_DOORS],
                       desk=desk == "1", until=when)


def _qr(data: str) -> object:
    import segno

    return segno.make_qr(data, error="m")


def png(data: str, *, scale: int = 8) -> bytes:
    buf = io.BytesIO()
    _qr(data).save(buf, kind="png", scale=scale, border=4)  # type: ignore[attr-defined]
    return buf.getvalue()


def png_base64(data: str) -> str:
    return base64.b64encode(png(data)).decode("ascii")


def svg(data: str, *, scale: int = 8) -> str:
    buf = io.BytesIO()
    _qr(data).save(buf, kind="svg", scale=scale, border=4, xmldecl=False, svgns=True,  # type: ignore[attr-defined]
                   title="QR")
    return buf.getvalue().decode("utf-8")
