"""``GET /p/<payload>``: the page a pickup link in an SMS opens (site.public_url set): the pickup QR
drawn large for the kiosk's scanner, with one line in Chinese and English. It reads nothing from the
database: it draws the payload in its own address, so it tells a visitor nothing they did not bring
(docs/decisions/0019-pickup-qr.md)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from edge import hant
from edge.notify import pickup_qr

router = APIRouter(include_in_schema=False)

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; frame-ancestors 'none'"
HEADERS = {"Content-Security-Policy": CSP, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
           "X-Robots-Tag": "noindex"}

_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>取件二维码 · Pickup QR code</title>
<style>body{{font:18px/1.5 system-ui,sans-serif;margin:0;padding:24px;text-align:center;color:#111;background:#fff}}
.qr svg{{width:min(80vw,320px);height:auto}}p{{margin:12px auto;max-width:32em}}.en{{color:#333}}</style></head>
<body>{body}</body></html>"""


def _hk_first(request: Request) -> bool:
    """The site writes 繁體 before 简体 (`site.languages`, ADR 0050): the page's Chinese is converted."""
    daemon = getattr(request.app.state, "daemon", None)
    langs = daemon.config.site.language_list() if daemon is not None else []
    return hant.HK in langs and (hant.CN not in langs or langs.index(hant.HK) < langs.index(hant.CN))


def _page(body: str, hk: bool) -> str:
    page = _PAGE.format(body=body)
    return hant.convert(page).replace('<html lang="zh-CN">', '<html lang="zh-HK">', 1) if hk else page


@router.get("/p/{data:path}")
async def pickup_qr_page(data: str, request: Request) -> HTMLResponse:
    hk = _hk_first(request)
    if not pickup_qr.is_payload(data):
        body = ("<p>这个取件链接不完整，请打开最新的取件短信，或在柜机上输入取件码。</p>"
                '<p class="en" lang="en">This pickup link is incomplete. Open your latest pickup message, or type the'
                " pickup code at the locker.</p>")
        return HTMLResponse(_page(body, hk), status_code=404, headers=HEADERS)
    body = (f'<div class="qr" role="img" aria-label="取件二维码 pickup QR code">{pickup_qr.svg(data.strip())}</div>'
            "<p>在柜机前，把这个二维码对准扫码口，柜门就会打开。请把屏幕调亮。</p>"
            '<p class="en" lang="en">At the locker, hold this QR code up to the scanner and the door opens. Turn your'
            " screen brightness up.</p>")
    return HTMLResponse(_page(body, hk), headers={**HEADERS, "X-Content-Type-Options": "nosniff"})



