"""``GET /p/<payload>``: the page a pickup link in an SMS opens (site.public_url set): the pickup QR
drawn large for the kiosk's scanner, with which site, which doors (or the desk) and until when, in the visitor's
language. It reads nothing from the database: the QR is the payload in its own address, the doors and the
deadline are what the link itself carries (`?d=&k=&u=`, as the message says them), the site's name and desk are
the site's public words from its config; so it tells a visitor nothing they did not bring
(docs/decisions/0019-pickup-qr.md)."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from edge import glossary, hant
from edge.config import SiteInfo
from edge.notify import pickup_qr
from edge.web.deps import daemon

router = APIRouter(include_in_schema=False)

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; frame-ancestors 'none'"
HEADERS = {"Content-Security-Policy": CSP, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
           "X-Robots-Tag": "noindex"}

_PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>body{{font:18px/1.5 system-ui,sans-serif;margin:0;padding:24px;text-align:center;color:#111;background:#fff}}
.qr svg{{width:min(80vw,320px);height:auto}}p{{margin:12px auto;max-width:32em}}.en{{color:#333}}
h1{{font-size:1.3rem;margin:0 0 8px}}.where{{font-size:1.25rem;font-weight:700}}</style></head>
<body>{body}</body></html>"""

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _lang(request: Request, site: SiteInfo | None) -> str:
    """The visitor's language: the one of zh and en that Accept-Language weighs highest (edge.hant's tags: a phone
    set to traditional Chinese, zh-HK, zh-TW, zh-MO or zh-Hant, reads the page converted, ADR 0050), else the
    site's."""
    own = "en" if site is not None and site.locale.startswith("en") else hant.CN
    lang = hant.accept_language(request.headers.get("accept-language"), own) or own
    return "zh" if lang == hant.CN else lang


def _site(request: Request, site_id: str) -> SiteInfo | None:
    """The site's config when the link is this site's (a link of another site names no site)."""
    site = daemon(request).config.site
    return site if site.id == site_id else None


def _list(items: tuple[str, ...], zh: bool) -> str:
    if zh:
        return "、".join(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _words(site: SiteInfo | None, got: pickup_qr.LinkDetails, zh: bool) -> tuple[str, list[str]]:
    """The heading (the site) and the lines: where to collect, until when."""
    name = ""
    if site is not None:
        name = site.name if zh or not site.name_en else site.name_en
    title = (f"{name} · 取件二维码" if zh else f"{name} · pickup QR code") if name else (
        "取件二维码" if zh else "Pickup QR code")
    lines = []
    if got.doors:
        n = len(got.doors)
        lines.append(f"柜门：{_list(got.doors, True)}" if zh else
                     f"{'Locker' if n == 1 else 'Lockers'} {_list(got.doors, False)}")
    if got.desk:
        place = ""
        if site is not None:
            place = site.desk_place if zh or not site.desk_place_en else site.desk_place_en
        desk = "包裹室前台" if zh else "the parcel-room desk"  # the glossary's one word for the parcel room
        desk = glossary.qualified(desk, place, "zh" if zh else "en") if place else desk
        lines.append(desk if zh else desk[0].upper() + desk[1:])
    if got.until is not None:
        y, mo, d, h, mi = got.until
        lines.append(f"请在 {y}年{mo}月{d}日 {h:02d}:{mi:02d} 前取件" if zh else
                     f"Collect by {d} {_MONTHS[mo - 1]} {y} {h:02d}:{mi:02d}")
    return title, lines


def _hk_first(request: Request) -> bool:
    """The site writes 繁體 before 简体 (`site.languages`, ADR 0050): the page's Chinese is converted."""
    return hant.hk_first(daemon(request).config.site.language_list())


def _page(body: str, hk: bool, title: str = "取件二维码 · Pickup QR code", lang: str = "zh-CN") -> str:
    page = _PAGE.format(lang=lang, title=title, body=body)
    return hant.convert(page).replace('<html lang="zh-CN">', '<html lang="zh-HK">', 1) if hk else page


@router.get("/p/{data:path}")
async def pickup_qr_page(request: Request, data: str, d: str = "", k: str = "", u: str = "") -> HTMLResponse:
    hk = _hk_first(request)
    if not pickup_qr.is_payload(data):
        body = ("<p>这个取件链接不完整，请打开最新的取件短信，或在柜机上输入取件码。</p>"
                '<p class="en" lang="en">This pickup link is incomplete. Open your latest pickup message, or type the'
                " pickup code at the locker.</p>")
        return HTMLResponse(_page(body, hk), status_code=404, headers=HEADERS)
    payload = data.strip()
    site = _site(request, payload.split(":")[1])
    lang = _lang(request, site)
    if hk and not request.headers.get("accept-language"):
        lang = "zh-HK"  # no language from the phone: the site's first, 繁體 where it writes that first
    zh = lang != "en"
    hk = lang == "zh-HK" or (hk and lang == "zh")
    title, lines = _words(site, pickup_qr.details(d, k, u), zh)
    how = ("在柜机前，把这个二维码对准扫码口，柜门就会打开。请把屏幕调亮。" if zh else
           "At the locker, hold this QR code up to the scanner and the door opens. Turn your screen brightness up.")
    if k == "1" and not d:
        how = ("在前台出示这个二维码或取件码领取包裹。" if zh else
               "Show this QR code or your pickup code at the desk to collect your parcel.")
    body = (f"<h1>{escape(title)}</h1>"
            + "".join(f'<p class="where" data-testid="where">{escape(line)}</p>' for line in lines)
            + f'<div class="qr" role="img" aria-label="{"取件二维码" if zh else "pickup QR code"}">'
            f"{pickup_qr.svg(payload)}</div><p>{how}</p>")
    return HTMLResponse(_page(body, hk and zh, escape(title), "zh-CN" if zh else "en"),
                        headers={**HEADERS, "X-Content-Type-Options": "nosniff"})
