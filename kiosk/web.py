"""Serves the kiosk page at /kiosk and its files at /kiosk/static/*, from kiosk/static/.

Everything the page needs comes from here (no CDN, no outside fonts); a Content-Security-Policy
of 'self' enforces that in the browser. Files are read once, kept in memory with a gzip copy and
an ETag, and re-read when they change on disk, so a Pi answers revalidations with a bare 304.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
INDEX = "index.html"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".woff2": "font/woff2",
}

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class _Asset:
    body: bytes
    gz: bytes | None
    etag: str
    content_type: str
    stamp: tuple[int, int]


_cache: dict[Path, _Asset] = {}


def _resolve(rel: str) -> Path | None:
    """The file under STATIC_DIR that `rel` names, or None (traversal, hidden, unknown type, missing)."""
    if not rel or "\x00" in rel or "\\" in rel:
        return None
    parts = rel.split("/")
    if any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        return None
    path = (STATIC_DIR / rel).resolve()
    if not path.is_relative_to(STATIC_DIR) or path.suffix not in CONTENT_TYPES or not path.is_file():
        return None
    return path


def _load(path: Path) -> _Asset:
    st = path.stat()
    stamp = (st.st_mtime_ns, st.st_size)
    cached = _cache.get(path)
    if cached is not None and cached.stamp == stamp:
        return cached
    body = path.read_bytes()
    ctype = CONTENT_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    gz = gzip.compress(body, 9, mtime=0) if path.suffix in (".html", ".js", ".css", ".json", ".svg") else None
    if gz is not None and len(gz) >= len(body):
        gz = None
    asset = _Asset(body, gz, '"' + hashlib.sha256(body).hexdigest()[:20] + '"', ctype, stamp)
    _cache[path] = asset
    log.debug("kiosk asset loaded: %s (%d bytes)", path.name, len(body))
    return asset


def _serve(request: Request, path: Path) -> Response:
    asset = _load(path)
    headers = {
        "ETag": asset.etag,
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
        "Vary": "Accept-Encoding",
    }
    if path.suffix == ".html":
        headers["Content-Security-Policy"] = CSP
        headers["Referrer-Policy"] = "no-referrer"
    inm = request.headers.get("if-none-match", "")
    if asset.etag in [t.strip().removeprefix("W/") for t in inm.split(",")]:
        return Response(status_code=304, headers=headers)
    if asset.gz is not None and "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(asset.gz, media_type=asset.content_type, headers=headers)
    return Response(asset.body, media_type=asset.content_type, headers=headers)


def _not_found(what: str) -> JSONResponse:
    return JSONResponse({"error": "not_found", "message": f"no kiosk file {what}"}, status_code=404)


@router.get("/kiosk")
async def kiosk_page(request: Request) -> Response:
    path = _resolve(INDEX)
    if path is None:
        log.error("kiosk page missing: %s", STATIC_DIR / INDEX)
        return _not_found(INDEX)
    return _serve(request, path)


@router.get("/kiosk/")
async def kiosk_slash(request: Request) -> Response:
    query = ("?" + request.url.query) if request.url.query else ""
    return RedirectResponse("/kiosk" + query, status_code=307)


@router.get("/kiosk/glossary.js")
async def kiosk_glossary(request: Request) -> Response:
    """The console's glossary (edge/glossary.py) as an ES module: one set of words for both UIs."""
    from edge.glossary import as_js

    daemon = getattr(request.app.state, "daemon", None)
    hk = daemon is not None and "zh-HK" in daemon.config.site.language_list()
    body = as_js(hk=hk).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=CONTENT_TYPES[".js"], headers=headers)


def zh_hk_js() -> bytes:
    """The kiosk's 繁體中文 dictionary: static/i18n/zh-CN.js converted (edge/hant.py, ADR 0050), built when first
    asked for (a site that does not offer zh-HK never loads it) and again when zh-CN.js changes on disk."""
    global _zh_hk
    asset = _load(STATIC_DIR / "i18n" / "zh-CN.js")
    if _zh_hk[0] != asset.etag:
        from edge import hant

        src = asset.body.decode("utf-8")
        body = src.split("\n", 1)[1] if src.startswith("//") else src
        head = "// 繁體中文（香港）: zh-CN.js converted at output (kiosk/web.py, docs/decisions/0050-zh-hk-by-conversion.md).\n"
        _zh_hk = (asset.etag, (head + hant.convert(body)).encode("utf-8"))
    return _zh_hk[1]


_zh_hk: tuple[str, bytes] = ("", b"")


@router.get("/kiosk/i18n/zh-HK.js")
async def kiosk_zh_hk(request: Request) -> Response:
    body = zh_hk_js()
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=CONTENT_TYPES[".js"], headers=headers)


@router.get("/kiosk/static/{rel:path}")
async def kiosk_static(request: Request, rel: str) -> Response:
    path = _resolve(rel)
    if path is None:
        return _not_found(rel[:100])
    return _serve(request, path)


def page_weight() -> dict[str, int]:
    """Bytes the page loads: every file under static/, raw and gzipped (what the daemon sends)."""
    raw = gz = files = 0
    for path in sorted(STATIC_DIR.rglob("*")):
        if path.is_file() and path.suffix in CONTENT_TYPES:
            asset = _load(path)
            files += 1
            raw += len(asset.body)
            gz += len(asset.gz if asset.gz is not None else asset.body)
    return {"files": files, "raw_bytes": raw, "gzip_bytes": gz}
