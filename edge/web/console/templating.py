"""The console's Jinja2 environment: templates under ``edge/web/templates/console``, autoescaped, strict.

Route bodies gather data and call :func:`page` (a full page that ``{% extends "console/base.html" %}``) or
:func:`fragment` (a partial). Every template gets ``ctx`` and the translation helpers as globals of the
render: ``t("Reason")``, ``t("Yes, open door {c}", c=door)`` (the staff's language), ``g("event", kind)``
(a stored code in the staff's words, from the one glossary), ``qs(...)`` (a query string) and the filter
``|g("group")``. Undefined names raise (``StrictUndefined``): a missing value is a bug, not a blank.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from edge import glossary

TEMPLATE_DIR = "console"


@dataclass(frozen=True)
class Badge:
    """A coloured label in a cell (CSS class ``badge b-{kind}``), drawn by ``macros.html``."""

    text: str
    kind: str

    def __html__(self) -> str:
        return str(_macros().cell(self))


@dataclass(frozen=True)
class Link:
    """A link in a cell, drawn by ``macros.html`` (``cls`` "button" for a button-looking link)."""

    href: str
    text: str
    id: str = ""
    cls: str = ""

    def __html__(self) -> str:
        return str(_macros().cell(self))


def qs(**params: Any) -> str:
    """A query string of the non-empty parameters (for links that keep a list's filters)."""
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def sub(text: str, **values: Any) -> str:
    """Fill ``{name}`` places in a translated text (the texts keep their braces in both languages)."""
    for k, v in values.items():
        text = text.replace("{" + k + "}", "" if v is None else str(v))
    return text


@pass_context
def _t(context: Context, key: str, **values: Any) -> str:
    return sub(context["ctx"].t(key), **values)


@pass_context
def _g(context: Context, group: str, code: str | None) -> str:
    return str(context["ctx"].g(group, code))


@pass_context
def _g_filter(context: Context, code: str | None, group: str) -> str:
    return str(context["ctx"].g(group, code))


def _blank_none(value: Any) -> Any:
    """``None`` prints as nothing (as the old string templates did), never as the word None."""
    return "" if value is None else value


def _build() -> Environment:
    env = Environment(
        loader=PackageLoader("edge.web", "templates"),
        autoescape=select_autoescape(["html", "svg"], default_for_string=True, default=True),
        undefined=StrictUndefined, finalize=_blank_none, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False,
    )
    # a name with its qualifier in brackets, full-width on Chinese pages: edge.glossary.qualified, the one place
    env.globals.update(t=_t, g=_g, qs=qs, sub=sub,
                       qualified=lambda text, q, lang: glossary.qualified(str(text), str(q), str(lang)))
    env.filters["g"] = _g_filter
    env.tests["badge"] = lambda v: isinstance(v, Badge)
    env.tests["link"] = lambda v: isinstance(v, Link)
    return env


ENV = _build()


def _macros() -> Any:
    return ENV.get_template(f"{TEMPLATE_DIR}/macros.html").make_module({})


def _bound(ctx: Any) -> dict[str, Any]:
    """``t`` and ``g`` bound to this request's ``ctx``: plain callables, so a call inside a loop does not
    make Jinja2 derive a new context per call (the ``pass_context`` globals do; 3x slower on a big grid)."""
    def t(key: str, **values: Any) -> str:
        return sub(ctx.t(key), **values) if values else str(ctx.t(key))

    return {"t": t, "g": ctx.g}


def render_template(name: str, values: dict[str, Any]) -> Markup:
    """Render ``console/<name>`` with ``values`` (which carry ``ctx`` when the template translates)."""
    ctx = values.get("ctx")
    if ctx is not None:
        values = {**_bound(ctx), **values}
    return Markup(ENV.get_template(f"{TEMPLATE_DIR}/{name}").render(values))


def render_page(name: str, values: dict[str, Any]) -> Markup:
    """Render any template under ``edge/web/templates`` (``hq/fleet.html``); no console context needed."""
    return Markup(ENV.get_template(name).render(values))


def template_names() -> list[str]:
    return sorted(n for n in ENV.list_templates() if n.startswith(TEMPLATE_DIR + "/"))


__all__ = ["ENV", "Badge", "Link", "Markup", "qs", "render_page", "render_template", "sub", "template_names"]
