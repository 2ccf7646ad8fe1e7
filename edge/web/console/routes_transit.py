"""In-transit board (/transit, also ?wall=1 for the wallboard screen): every parcel on its way, graded
green / yellow / red, with the last scan, where, how long ago, the ETA window and its confidence, the
next action and its owner; red first, fresh food and medicine first within a grade. Desk alerts listed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from edge.errors import DomainError
from edge.services.staff import StaffUser
from edge.tracking.board import board, counts
from edge.tracking.desk import ROLES
from edge.web.console import tracking_view as V
from edge.web.console.guard import actor, require_user
from edge.web.console.html import Safe, join, options, render
from edge.web.console.page import Ctx, act, ctx_of, form_value, page, unavailable

router = APIRouter(include_in_schema=False)


def _assign_form(ctx: Ctx, r: dict[str, Any], people: list[str]) -> Safe:
    if not r.get("kind"):
        return Safe("")
    choices = [(o, V.owner(ctx, o)) for o in ROLES] + [(u, u) for u in people]
    return render('<form method="post" action="/transit/assign" class="assign noprint">{c}'
                  '<input type="hidden" name="tracking_number" value="{tn}"><input type="hidden" name="kind" value="{k}">'
                  '<select name="owner" aria-label="{l}">{o}</select><button>{b}</button></form>', c=ctx.csrf_input,
                  tn=r["tracking_number"], k=r["kind"], l=ctx.t("Owner"), o=options(choices, r.get("owner")),
                  b=ctx.t("Assign"))


def _card(ctx: Ctx, r: dict[str, Any], people: list[str] | None = None) -> Safe:
    link = f"/parcels/{r['parcel_id']}" if r.get("parcel_id") else f"/dossier/{r['tracking_number']}"
    if r.get("no_tracking") or r.get("last_event_at") is None:
        scan = render('<p class="scan">{t}</p>', t=ctx.t("No tracking yet"))
    else:
        scan = render('<p class="scan"><b>{m}</b> · {where} · <time>{ago}</time></p><p class="text">{text}</p>',
                      m=V.milestone(ctx, r["last_milestone"]), where=r["last_location"] or "—",
                      ago=V.ago(ctx, r["age_h"]), text=r["last_text"] or "")
    extra = []
    if r.get("place"):
        extra.append(render('<p class="where">{l}：{p}</p>' if ctx.lang == "zh" else '<p class="where">{l}: {p}</p>',
                            l=ctx.t("Carrier says it went to"), p=V.place(ctx, r["place"])))
    if r.get("conflict"):
        extra.append(render('<p class="conflict">{t}</p>', t=ctx.t("Sources disagree")))
    problems = " · ".join(V.kind(ctx, k) for k in r["kinds"])
    return render(
        '<article class="tcard g-{g}"><header>{badge} <a href="{link}">{tn}</a> {cat}<span class="who">{unit} · {carrier}'
        '</span></header>{problems}{scan}{extra}<dl><dt>{etal}</dt><dd>{eta}</dd><dt>{nextl}</dt><dd>{next}</dd>'
        '<dt>{ownl}</dt><dd>{owner}</dd></dl>{assign}<a class="dossier" href="/dossier/{tn}">{dl}</a></article>',
        g=r["grade"], badge=V.grade_badge(ctx, r["grade"]), link=link, tn=r["tracking_number"],
        cat=V.category(ctx, r["category"]), unit=r["unit"] or "—", carrier=V.carrier(ctx, r["carrier"]),
        problems=render('<p class="problem">{p}</p>', p=problems) if problems else Safe(""), scan=scan,
        extra=join(extra), etal=ctx.t("ETA"), eta=V.eta_cell(ctx, r) if r.get("arrived_at") else V.eta_text(ctx, r), nextl=ctx.t("Next step"),
        next=V.next_action(ctx, r["kind"]), ownl=ctx.t("Owner"), owner=V.owner(ctx, r["owner"]), dl=ctx.t("Dossier"),
        assign=_assign_form(ctx, r, people or []))


async def desk_alerts(ctx: Ctx, limit: int = 10) -> list[dict[str, Any]]:
    comp = ctx.daemon.alerts
    if comp is None:
        return []
    return list(await comp.service.recent(limit))


def alerts_block(ctx: Ctx, rows: list[dict[str, Any]]) -> Safe:
    if not rows:
        return Safe("")
    state = {"sent": "Sent to the group robots", "pending": "Not sent yet", "failed": "Could not be sent",
             "local": "Shown here only (no robot configured)"}
    items = [render('<li class="g-{sev}"><time>{t}</time> {text} <small>{st}</small></li>', sev=a["severity"],
                    t=V.when(ctx, a["created_at"]), text=a["text_zh"] if ctx.lang == "zh" else a["text_en"],
                    st=ctx.t(state.get(a["state"], a["state"]))) for a in rows]
    return render('<section class="desk-alerts"><h2>{h}</h2><ul>{items}</ul></section>', h=ctx.t("Desk alerts"),
                  items=join(items))


@router.get("/transit")
async def transit(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    comp = ctx.daemon.tracking
    wall = request.query_params.get("wall") == "1"
    if comp is None:
        return page(ctx, ctx.t("In-transit board"), unavailable(ctx, ctx.t("Tracking")))
    rows = await ctx.daemon.store.read(lambda tx: board(tx, comp.settings))
    c = counts(rows)
    summary = join(render('<div class="count g-{g}"><span>{n}</span><label>{l}</label></div>', g=g, n=c[g],
                          l=ctx.t({"red": "Act now", "yellow": "Watch", "green": "On its way"}[g]))
                   for g in ("red", "yellow", "green"))
    people = await ctx.services.staff.active_names()
    cards = join(_card(ctx, r, people) for r in rows) if rows else render('<p class="empty">{t}</p>',
                                                                   t=ctx.t("Everything that was due has arrived."))
    body = render(
        '<link rel="stylesheet" href="/static/console/transit.css">{refresh}'
        '<div class="counts">{summary}</div><p class="hint">{hint}</p>{alerts}<div class="tboard">{cards}</div>',
        refresh=Safe('<meta http-equiv="refresh" content="60">') if wall else Safe(""), summary=summary,
        hint=ctx.t("Stalest first within each grade; fresh food and medicine first."),
        alerts=alerts_block(ctx, await desk_alerts(ctx, 4)), cards=cards)
    return page(ctx, ctx.t("In-transit board"), body, body_cls="wall" if wall else "")


@router.post("/transit/assign")
async def assign(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()
    svc = ctx.tracking

    async def do() -> None:
        if svc is None:
            raise DomainError("not_available", "tracking is not running", status=503)
        await svc.assign(form_value(form, "tracking_number"), form_value(form, "kind"), form_value(form, "owner"),
                         actor=actor(user))

    return await act(ctx, "/transit", ctx.t("Owner named"), do)
