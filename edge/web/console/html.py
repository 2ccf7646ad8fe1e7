"""Tiny auto-escaping HTML templates (no Jinja2): every value is escaped unless it is `Safe`.

    render('<a href="/parcels/{id}">{tn}</a>', id=p["id"], tn=p["tracking_number"])

Templates are Python strings with ``{name}`` fields (``str.format_map``); CSS and JS live in static files
so templates have no literal braces.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode


class Safe(str):
    """Markup that is already escaped (or built only from escaped parts)."""

    __slots__ = ()


def esc(value: Any) -> Safe:
    if isinstance(value, Safe):
        return value
    if value is None:
        return Safe("")
    return Safe(html.escape(str(value), quote=True))


def render(template: str, **values: Any) -> Safe:
    return Safe(template.format_map({k: esc(v) for k, v in values.items()}))


def join(parts: Iterable[Any], sep: str = "") -> Safe:
    return Safe(sep.join(esc(p) for p in parts))


def qs(**params: Any) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def options(values: Iterable[tuple[str, str]], selected: str | None) -> Safe:
    return join(
        render('<option value="{v}"{sel}>{label}</option>', v=v, label=label,
               sel=Safe(" selected") if v == selected else Safe(""))
        for v, label in values
    )


def table(headers: Iterable[Any], rows: Iterable[Iterable[Any]], cls: str = "data", empty: Any = "") -> Safe:
    head = join(render("<th>{h}</th>", h=h) for h in headers)
    body = [render("<tr>{cells}</tr>", cells=join(render("<td>{c}</td>", c=c) for c in row)) for row in rows]
    if not body:
        return render('<p class="empty">{e}</p>', e=empty)
    return render('<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>',
                  cls=cls, head=head, body=join(body))


def csrf_field(token: str) -> Safe:
    return render('<input type="hidden" name="_csrf" value="{t}">', t=token)


def badge(text: Any, kind: str) -> Safe:
    return render('<span class="badge b-{k}">{t}</span>', k=kind, t=text)
