"""/docs: the OpenAPI description rendered on the server as one plain HTML page.

FastAPI's default /docs loads Swagger UI from a CDN, on the console's origin: an outside script with
the staff session's cookies in reach. This page has no script at all (CSP ``default-src 'none'``);
it lists each operation with its summary, parameters and request/response schemas. ``web.docs = false``
turns /docs and /openapi.json off (for sites that want no API description on the port).
"""

from __future__ import annotations

import html
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
STYLE = (
    "body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:980px;padding:0 1em;color:#222}"
    "h2{margin-top:2em;border-bottom:1px solid #ccc}details{margin:.4em 0 1em}"
    ".op{margin:1.2em 0}.m{display:inline-block;min-width:4.5em;font-weight:700}"
    "pre{background:#f5f5f5;padding:.6em;overflow:auto;font-size:13px}"
)


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def render(spec: dict[str, Any]) -> str:
    info = spec.get("info", {})
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{_esc(info.get('title', 'API'))} API</title><style>{STYLE}</style></head><body>",
        f"<h1>{_esc(info.get('title', 'API'))} <small>{_esc(info.get('version', ''))}</small></h1>",
        f"<p>{_esc(info.get('description', ''))}</p><p><a href='/openapi.json'>openapi.json</a></p>",
    ]
    by_tag: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
    for path, ops in sorted(spec.get("paths", {}).items()):
        for method, op in ops.items():
            if not isinstance(op, dict):
                continue
            tag = (op.get("tags") or ["other"])[0]
            by_tag.setdefault(tag, []).append((method.upper(), path, op))
    for tag, ops in by_tag.items():
        parts.append(f"<h2>{_esc(tag)}</h2>")
        for method, path, op in ops:
            parts.append(f"<div class='op'><span class='m'>{_esc(method)}</span> <code>{_esc(path)}</code>"
                         f" &mdash; {_esc(op.get('summary', ''))}")
            params = op.get("parameters") or []
            if params:
                items = "".join(f"<li><code>{_esc(p.get('name'))}</code> ({_esc(p.get('in'))})</li>" for p in params)
                parts.append(f"<ul>{items}</ul>")
            body = op.get("requestBody", {}).get("content", {})
            for ctype, media in body.items():
                parts.append(f"<details><summary>request {_esc(ctype)}</summary>"
                             f"<pre>{_esc(json.dumps(media.get('schema', {}), indent=1))}</pre></details>")
            for status, resp in (op.get("responses") or {}).items():
                parts.append(f"<details><summary>{_esc(status)} {_esc(resp.get('description', ''))}</summary>"
                             f"<pre>{_esc(json.dumps(resp.get('content', {}), indent=1))}</pre></details>")
            parts.append("</div>")
    schemas = spec.get("components", {}).get("schemas", {})
    if schemas:
        parts.append("<h2>schemas</h2>")
        for name, schema in sorted(schemas.items()):
            parts.append(f"<details id='{_esc(name)}'><summary>{_esc(name)}</summary>"
                         f"<pre>{_esc(json.dumps(schema, indent=1))}</pre></details>")
    parts.append("</body></html>")
    return "".join(parts)


@router.get("/docs")
async def docs(request: Request) -> HTMLResponse:
    return HTMLResponse(render(request.app.openapi()), headers={
        "content-security-policy": CSP, "x-content-type-options": "nosniff", "cache-control": "no-store"})

