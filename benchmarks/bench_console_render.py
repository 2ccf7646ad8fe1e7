"""Console page rendering: the dashboard's board (the largest page: one cell per compartment) drawn by the
Jinja2 template (edge/web/templates/console/_board.html, decision 0018) against the string templates it
replaced (the old edge/web/console/html.py way, kept here only as the baseline), same data, same output
after whitespace between tags.

    .venv/bin/python benchmarks/bench_console_render.py [--cells 1000] [--repeat 50] [--quick]

Prints ms per render for each and the ratio, then one JSON line. The board renders off the event loop
(routes_dash.py, asyncio.to_thread), so this is the time one dashboard request spends in a worker thread.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import time
from typing import Any

from edge import glossary
from edge.web.console import templating
from edge.web.console.i18n import translator
from edge.web.console.routes_dash import STATE_ORDER, _board


class Ctx:
    """What the board reads from the page context."""

    csrf = "x"
    site_name = "site"

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def t(self, key: str) -> str:
        return translator(self.lang)(key)

    def g(self, group: str, code: str | None) -> str:
        return glossary.label(group, code, self.lang)


# --- the baseline: the string templates as they were (html.py's render/join, routes_dash's _board) ---------
class Safe(str):
    __slots__ = ()


def esc(v: Any) -> Safe:
    return v if isinstance(v, Safe) else Safe("") if v is None else Safe(html.escape(str(v), quote=True))


def render(tpl: str, **values: Any) -> Safe:
    return Safe(tpl.format_map({k: esc(v) for k, v in values.items()}))


def join(parts: Any) -> Safe:
    return Safe("".join(esc(p) for p in parts))


def table(headers: list[str], rows: list[Any], empty: str) -> Safe:
    head = join(render("<th>{h}</th>", h=h) for h in headers)
    body = [render("<tr>{c}</tr>", c=join(render("<td>{c}</td>", c=c) for c in row)) for row in rows]
    if not body:
        return render('<p class="empty">{e}</p>', e=empty)
    return render('<table class="data"><thead><tr>{h}</tr></thead><tbody>{b}</tbody></table>', h=head, b=join(body))


def strings_board(ctx: Ctx, data: dict[str, Any]) -> str:
    cells = join(render(
        '<a class="cell s-{show}" href="/compartments#c-{id}" data-id="{id}" title="{title}">'
        '<b>{id}</b><small>{size}</small><span class="st">{label}</span><span class="g g-{grade}">{unit}</span></a>',
        show=c["show"], id=c["id"], size=c["size"], label=ctx.t(c["show"]),
        grade=(c["parcels"][0]["grade"] if c["parcels"] else "") or "none",
        unit=(c["parcels"][0]["unit"] if c["parcels"] else "") or "", title=c["note"] or ctx.t(c["show"]))
        for c in data["cells"])
    counts = join(render('<div class="count s-{s}"><span data-count="{s}">{n}</span><label>{l}</label></div>',
                         s=s, n=data["counts"].get(s, 0), l=ctx.t(s)) for s in STATE_ORDER)
    names = {"green": "normal", "yellow": "delayed", "red": "stuck"}
    grades = join(render('<div class="count g-{g}"><span data-grade="{g}">{n}</span><label>{l}</label></div>',
                         g=g, n=data["grades"].get(g, 0), l=ctx.t(names[g])) for g in ("green", "yellow", "red"))
    alarms = table([ctx.t("Time"), ctx.t("Kind"), ctx.t("Compartment")],
                   [(a["local"], render('<span class="badge b-red">{t}</span>', t=ctx.g("event", a["type"])), "")
                    for a in data["alarms"]], ctx.t("No alarms"))
    cloud = render('<p>{c}: <span class="badge b-grey" id="cloud-state">{t}</span> · {o}: <b id="outbox">{n}</b></p>',
                   c=ctx.t("Cloud"), t=ctx.t("not available"), o=ctx.t("Outbox"), n=data["summary"]["outbox"])
    return render(
        '<section class="counts" id="counts">{counts}</section><section class="grid" id="grid">{cells}</section>'
        '<div class="cols"><section><h2>{gt}</h2><p class="hint">{gh}</p><div class="counts" id="grades">{grades}</div>'
        '<h2>{ct}</h2><div id="cloud">{cloud}</div></section><section><h2>{at}</h2><div id="alarms" data-heads="{heads}">'
        '{alarms}</div></section></div><p class="hint">{upd}: <span id="updated">{now}</span></p>',
        counts=counts, cells=cells, gt=ctx.t("Parcel grades"), gh=ctx.t("Green: normal, yellow: delayed, red: stuck"),
        grades=grades, ct=ctx.t("Cloud"), cloud=cloud, at=ctx.t("Alarms"), alarms=alarms,
        heads="|".join(ctx.t(k) for k in ("Time", "Kind", "Compartment")), upd=ctx.t("Updated"), now=data["now_local"])


def template_board(ctx: Ctx, data: dict[str, Any]) -> str:
    return str(templating.render_template("_board.html", {"ctx": ctx, **_board(ctx, data)}))  # type: ignore[arg-type]


def snapshot(n: int) -> dict[str, Any]:
    cells = [{"id": f"A-{i:04d}", "show": "occupied" if i % 3 else "free", "note": "", "size": "M",
              "parcels": [{"unit": f"{i % 30}-{i % 7}01", "grade": "red" if i % 11 == 0 else ""}] if i % 3 else []}
             for i in range(n)]
    return {"counts": {"free": n // 3, "occupied": n - n // 3}, "grades": {"green": n // 2}, "summary": {"outbox": 0},
            "now_local": "2026-12-02 08:00", "cloud": None, "cells": cells,
            "alarms": [{"local": "2026-12-02 08:00", "type": "door.forced_open", "data": {}}] * 20}


def per_render_ms(fn: Any, repeat: int) -> float:
    fn()
    best = float("inf")
    for _ in range(3):  # best of three batches: the machine is shared
        t0 = time.perf_counter()
        for _ in range(repeat):
            fn()
        best = min(best, (time.perf_counter() - t0) / repeat * 1000)
    return best


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cells", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=50)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    cells, repeat = (100, 10) if args.quick else (args.cells, args.repeat)
    data = snapshot(cells)
    out: dict[str, Any] = {}
    for lang in ("zh", "en"):
        ctx = Ctx(lang)
        norm = lambda h: re.sub(r">\s+<", "><", h).strip()  # noqa: E731
        same = norm(strings_board(ctx, data)) == norm(template_board(ctx, data))
        s = per_render_ms(lambda c=ctx: strings_board(c, data), repeat)
        j = per_render_ms(lambda c=ctx: template_board(c, data), repeat)
        out[lang] = {"strings_ms": round(s, 2), "jinja2_ms": round(j, 2), "ratio": round(j / s, 2), "same_html": same}
        print(f"{lang}: {cells} cells  strings {s:7.2f} ms  jinja2 {j:7.2f} ms  ratio {j / s:4.2f}x  "
              f"same HTML: {same}")
    print(json.dumps({"bench": "console_render", "cells": cells, **out}))
    return 0 if all(v["same_html"] for v in out.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
