"""Parcels: search, detail with one timeline, and the staff actions on a parcel."""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from edge import glossary
from edge.clock import utc_iso
from edge.domain.vocab import CHANNELS as FOLLOW_UP_CHANNELS  # defined once (edge/domain/vocab.py)
from edge.errors import DomainError, NotFound
from edge.operations.registry import PARCEL_HOLD
from edge.services.staff import StaffUser
from edge.web.console import queries
from edge.web.console import tracking_view as V
from edge.web.console.forms import run_form
from edge.web.console.guard import actor, require_user
from edge.web.console.html import Safe, badge, join, options, qs, render, table
from edge.web.console.page import Ctx, act, ctx_of, form_value, not_on_this_site, page

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)



def local_time(ctx: Ctx, ts: str | None) -> str:
    """A stored UTC time shown in the site's zone (YYYY-MM-DD HH:MM)."""
    if not ts:
        return ""
    try:
        dt = datetime.fromisoformat(ts.replace("Z", "+00:00"))
        return dt.astimezone(ZoneInfo(ctx.daemon.config.site.timezone)).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return ts


def state_badge(ctx: Ctx, p: dict[str, Any]) -> Safe:
    kind = {"stored": "occupied", "collected": "free", "expected": "reserved"}.get(p["state"], "disabled")
    text = ctx.g("state", p["state"]) + (f" · {ctx.g('stage', p['stage'])}" if p.get("stage") else "")
    return badge(text, kind)


def location(p: dict[str, Any], ctx: Ctx | None = None) -> str:
    """Where the parcel is now (nothing once it has left: collected, returned, disposed)."""
    if p.get("state") not in (None, "stored", "depositing", "expected"):
        return ""
    if p.get("compartment_id"):
        return p["compartment_id"]
    if p.get("shelf_slot"):
        where = ctx.g("place", "shelf") if ctx is not None else "shelf"
        return f"{where} {p['shelf_slot']}"
    return ""


@router.get("/parcels")
async def parcels(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    qp = request.query_params
    q, unit, carrier, state, anomaly = (qp.get(k, "").strip()[:64] for k in ("q", "unit", "carrier", "state", "anomaly"))
    try:
        age = float(qp.get("age") or 0)
    except ValueError:
        age = 0.0
    age = min(max(age, 0.0), 3650.0) if math.isfinite(age) else 0.0
    anomalies = await ctx.tracking.open_anomalies() if ctx.tracking is not None else None
    ids: list[str] | None = None
    if anomaly and anomalies is not None:
        ids = sorted({a["parcel_id"] for a in anomalies if a.get("parcel_id")
                      and (anomaly == "any" or a.get("kind") == anomaly or a.get("severity") == anomaly)})
    rows, carriers = await ctx.daemon.store.read(lambda tx: (
        queries.search_parcels(tx, q=q, unit=unit, carrier=carrier, state=state, min_age_days=age, parcel_ids=ids),
        queries.carriers(tx)))
    states = [("", ctx.t("All"))] + [(s, ctx.g("state", s)) for s in queries.PARCEL_STATES] + [
        (s, ctx.g("stage", s)) for s in ("overdue", "noticed", "disposal_due")]
    kinds = sorted({a.get("kind", "") for a in anomalies or []} - {""})
    anomaly_sel = (render('<label>{l}<select name="anomaly">{o}</select></label>', l=ctx.t("Anomaly"), o=options(
        [("", ctx.t("All"))] + [(k, ctx.g("severity", k)) for k in ("any", "yellow", "red")]
        + [(k, ctx.g("anomaly", k)) for k in kinds], anomaly))
        if anomalies is not None else Safe(""))
    form = render(
        '<form method="get" class="filters" role="search">'
        '<label>{tl}<input name="q" value="{q}" autofocus></label><label>{ul}<input name="unit" value="{unit}" size="8"></label>'
        '<label>{cl}<select name="carrier">{co}</select></label><label>{sl}<select name="state">{so}</select></label>'
        '{anom}<label>{al}<input name="age" type="number" min="0" step="1" value="{age}" size="4"></label>'
        '<button type="submit">{go}</button></form>',
        tl=ctx.t("Tracking number"), q=q, ul=ctx.t("Unit"), unit=unit, cl=ctx.t("Carrier"),
        co=options([("", ctx.t("All"))] + [(c, ctx.g("carrier", c)) for c in carriers], carrier), sl=ctx.t("State"),
        so=options(states, state), anom=anomaly_sel, al=ctx.t("Age (days) at least"), age=qp.get("age", ""),
        go=ctx.t("Search"),
    )
    grade = await V.anomaly_grades(ctx.tracking)
    body_rows = [
        (render('<a href="/parcels/{id}">{tn}</a>', id=p["id"], tn=p["tracking_number"]),
         ctx.g("carrier", queries.parcel_carrier(p)),
         p["unit"] or "", ctx.g("category", p["category"]), state_badge(ctx, p), location(p, ctx),
         local_time(ctx, p["stored_at"] or p["created_at"]),
         badge(ctx.g("severity", grade[p["id"]]), grade[p["id"]]) if p["id"] in grade else "")
        for p in rows
    ]
    export = render('<p><a class="button secondary" href="/parcels.csv?{q}" id="export-parcels">{l}</a></p>',
                    q=qs(q=q, unit=unit, carrier=carrier, state=state, age=qp.get("age", "")), l=ctx.t("Export CSV"))
    body = form + export + table([ctx.t("Tracking number"), ctx.t("Carrier"), ctx.t("Unit"), ctx.t("Category"), ctx.t("State"),
                         ctx.t("Location"), ctx.t("Stored"), ctx.t("Anomaly")], body_rows, empty=ctx.t("not found"))
    return page(ctx, ctx.t("Parcels"), Safe(body))


def _timeline(ctx: Ctx, log_rows: list[dict[str, Any]], tracking: list[dict[str, Any]] | None,
              follow: list[dict[str, Any]] | None) -> Safe:
    items: list[tuple[str, Safe]] = []
    for r in log_rows:
        items.append((r["ts"], render('<li class="t-storage"><time>{ts}</time> {b} <b>{kind}</b> {actor} {text}</li>',
                                      ts=local_time(ctx, r["ts"]), b=badge(ctx.t("Storage"), "occupied"),
                                      kind=ctx.g("event", r["kind"]), actor=who_text(ctx, r["actor"]),
                                      text=detail_text(ctx, r["detail"]))))
    for e in tracking or []:
        ts = str(e.get("time") or e.get("ts") or "")
        items.append((ts, render('<li class="t-tracking"><time>{ts}</time> {b} <b>{m}</b> {text} {loc}</li>',
                                 ts=local_time(ctx, ts), b=badge(ctx.t("Tracking"), "reserved"),
                                 m=ctx.g("milestone", e.get("milestone")), text=e.get("text", ""),
                                 loc=e.get("location") or "")))
    for f in follow or []:
        ts = str(f.get("ts") or f.get("created_at") or f.get("date") or "")
        items.append((ts, render('<li class="t-follow"><time>{ts}</time> {b} <b>{ch}</b> {said} {ticket}</li>',
                                 ts=local_time(ctx, ts), b=badge(ctx.t("Follow-ups"), "open"),
                                 ch=ctx.g("channel", f.get("channel")),
                                 said=f.get("said") or f.get("summary") or f.get("text") or "",
                                 ticket=f.get("ticket") or "")))
    items.sort(key=lambda x: x[0])
    return render('<ol class="timeline">{li}</ol>', li=join(i for _, i in items))


@router.get("/parcels/{ref}")
async def parcel_detail(request: Request, ref: str, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    p = await ctx.daemon.store.read(lambda tx: queries.parcel(tx, ref))
    if p is None:
        raise NotFound("parcel_unknown", "no such parcel")
    log_rows = await ctx.daemon.store.read(lambda tx: queries.parcel_log(tx, p["id"]))
    tracking, follow = await _tracking_of(ctx, p["tracking_number"])
    eta = (await V.etas(ctx, [p["tracking_number"]])).get(p["tracking_number"])
    facts = table([], [
        (ctx.t("Tracking number"), p["tracking_number"]), (ctx.t("Carrier"), ctx.g("carrier", queries.parcel_carrier(p))),
        (ctx.t("Unit"), p["unit"] or ""), (ctx.t("Category"), ctx.g("category", p["category"])),
        (ctx.t("State"), state_badge(ctx, p)),
        (ctx.t("Location"), location(p, ctx)), (ctx.t("Stored"), local_time(ctx, p["stored_at"])),
        (ctx.t("Hold until"), local_time(ctx, p["hold_until"])),
        *([(ctx.t("Expected arrival"), V.eta_cell(ctx, eta)),
           (ctx.t("Dossier"), render('<a href="/dossier/{tn}">{l}</a>', tn=p["tracking_number"], l=ctx.t("Complaint dossier")))]
          if eta and eta.get("known") else []),
    ], cls="facts")
    act_url = f"/parcels/{p['id']}/"
    hold_default = (ctx.daemon.clock.now() + timedelta(days=3)).strftime("%Y-%m-%d")
    in_locker = bool(p["compartment_id"]) and p["state"] == "stored"
    active = p["state"] == "stored"
    forms = [
        render('<p class="row"><a class="button" href="{u}open" id="open-door">{l}</a></p>'
               '<form method="post" action="{u}handed-over" class="inline-form">{c}'
               '<input name="reason" required placeholder="{r}" maxlength="200" aria-label="{r}">'
               '<button>{h}</button></form>', u=act_url, c=ctx.csrf_input, l=ctx.t("Open door for the resident") + "…",
               r=ctx.t("Reason"), h=ctx.t("Taken out and handed over"))
        if in_locker else Safe(""),
        render('<form method="post" action="{u}reissue">{c}<input name="reason" placeholder="{r}" maxlength="200" aria-label="{r}">'
               '<button>{l}</button></form>', u=act_url, c=ctx.csrf_input, r=ctx.t("Reason"), l=ctx.t("Reissue code"))
        if active else Safe(""),
        render('<form method="post" action="{u}hold">{c}<input name="until" type="date" value="{d}" required aria-label="{hl}">'
               '<input name="reason" placeholder="{r}" maxlength="200" aria-label="{r}"><button>{l}</button></form>', u=act_url,
               c=ctx.csrf_input, d=hold_default, r=ctx.t("Reason"), l=ctx.t("Hold"), hl=ctx.t("Hold until"))
        if active else Safe(""),
        render('<form method="post" action="{u}move">{c}<input name="shelf_slot" placeholder="{s}" maxlength="16" aria-label="{s}">'
               '<input name="reason" placeholder="{r}" maxlength="200" aria-label="{r}"><button>{l}</button></form>', u=act_url,
               c=ctx.csrf_input, s=ctx.t("Shelf slot"), r=ctx.t("Reason"), l=ctx.t("Move to parcel room"))
        if in_locker else Safe(""),
        render('<form method="post" action="{u}returned">{c}<input name="reason" required placeholder="{r}" maxlength="200" aria-label="{r}">'
               '<button class="warn">{l}</button></form>', u=act_url, c=ctx.csrf_input, r=ctx.t("Reason"),
               l=ctx.t("Mark returned")) if active else Safe(""),
        render('<form method="post" action="{u}disposed">{c}<select name="how" aria-label="{l}">{o}</select>'
               '<input name="reason" required placeholder="{r}" maxlength="200" aria-label="{r}"><button class="warn">{l}</button></form>',
               u=act_url, c=ctx.csrf_input,
               o=options([(h, ctx.g("disposal", h)) for h in ctx.daemon.policy().disposal_options], None),
               r=ctx.t("Reason"), l=ctx.t("Mark disposed"))
        if active and p.get("stage") == "disposal_due" else Safe(""),
    ]
    if not active:
        forms.append(render('<p class="hint">{t}</p>', t=ctx.t("This parcel has left; nothing more to do.")))
    follow_form = render(
        '<h2>{h}</h2><form method="post" action="{u}follow-up" class="stack" id="follow-up">{c}'
        '<label>{chl}<select name="channel">{cho}</select></label><label>{col}<input name="contact" maxlength="100"></label>'
        '<label>{sl}<textarea name="said" required maxlength="1000" rows="2"></textarea></label>'
        '<label>{tl}<input name="ticket" maxlength="64"></label><label>{nl}<input name="next_at" type="date"></label>'
        '<button>{b}</button></form>', h=ctx.t("Add follow-up"), u=act_url, c=ctx.csrf_input, chl=ctx.t("Channel"),
        cho=options([(c, ctx.g("channel", c)) for c in FOLLOW_UP_CHANNELS], "phone"), col=ctx.t("Contact"), sl=ctx.t("What was said"),
        tl=ctx.t("Ticket"), nl=ctx.t("Next follow-up"), b=ctx.t("Add"),
    ) if ctx.tracking is not None else render('<h2>{h}</h2>{u}', h=ctx.t("Follow-ups"),
                                                     u=_unavail(ctx, ctx.t("Tracking")))
    body = render(
        '<div class="cols"><section>{facts}<h2>{at}</h2><div class="actions">{forms}</div>{follow}</section>'
        '<section><h2>{tt}</h2><p class="hint">{th}</p>{timeline}</section></div>',
        facts=facts, at=ctx.t("Actions"), forms=join(forms), follow=follow_form, tt=ctx.t("Timeline"),
        th=ctx.t("Storage events and tracking milestones"), timeline=_timeline(ctx, log_rows, tracking, follow),
    )
    return page(ctx, p["tracking_number"], body)


async def _tracking_of(ctx: Ctx, tracking_number: str) -> tuple[list[dict[str, Any]] | None, list[dict[str, Any]] | None]:
    """The waybill's carrier events and follow-ups from the tracking part (None, None on a site without it)."""
    if ctx.tracking is None:
        return None, None
    try:
        events = await ctx.tracking.timeline(tracking_number)
    except DomainError:  # a tracking number the tracking part refuses (not a waybill it can follow)
        events = []
    try:
        follow = await ctx.tracking.follow_ups(tracking_number)
    except DomainError:
        follow = []
    return events, follow


def _unavail(ctx: Ctx, what: str) -> Safe:
    from edge.web.console.page import unavailable

    return unavailable(ctx, what)


def _until_iso(ctx: Ctx, day: str) -> str:
    """A date picked in the site's zone -> the end of that local day, as UTC ISO."""
    try:
        d = datetime.strptime(day, "%Y-%m-%d")
    except ValueError:
        raise DomainError("invalid_date", "pick a date (YYYY-MM-DD)", status=422) from None
    local = d.replace(hour=23, minute=59, tzinfo=ZoneInfo(ctx.daemon.config.site.timezone))
    return utc_iso(local)


@router.post("/parcels/{pid}/{action}")
async def parcel_action(request: Request, pid: str, action: str, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()
    svc = ctx.services
    who = actor(user)
    reason = form_value(form, "reason")[:200]

    async def run() -> None:
        p = await svc.parcels.get(pid)
        if action == "reissue":
            await svc.parcels.reissue_code(p["id"], actor=who, reason=reason or "lost code")
        elif action == "hold":
            until = _until_iso(ctx, form_value(form, "until"))
            await run_form(ctx, PARCEL_HOLD, {"parcel_id": p["id"], "until": until, "reason": reason}, user)
        elif action == "move":
            slot = form_value(form, "shelf_slot")
            if not slot:
                raise DomainError("invalid_shelf", "give the shelf slot the parcel goes to", status=422)
            await ctx.rules.move_to_parcel_room(p["id"], slot, actor=who)
        elif action == "returned":
            await svc.parcels.mark_returned(p["id"], actor=who, reason=reason)
        elif action == "disposed":
            if p.get("stage") != "disposal_due":
                raise DomainError("disposal_not_due", "this parcel is not due for disposal yet", status=409)
            await ctx.rules.dispose(p["id"], how=form_value(form, "how"), actor=who, note=reason)
        elif action == "follow-up":
            said = form_value(form, "said")
            if not said:
                raise DomainError("said_required", "write down what was said", status=422)
            next_at = form_value(form, "next_at")
            if ctx.tracking is None:
                raise not_on_this_site("tracking follow-ups")
            await ctx.tracking.add_follow_up(tracking_number=p["tracking_number"], channel=form_value(form, "channel"),
                                             contact=form_value(form, "contact")[:100], said=said[:1000],
                                             ticket=form_value(form, "ticket")[:64] or None,
                                             next_at=_until_iso(ctx, next_at) if next_at else None, actor=who)
        else:
            raise DomainError("unknown_action", f"unknown action {action}", status=404)

    texts = {"reissue": "Reissued: the resident has been sent a new code"}
    return await act(ctx, f"/parcels/{pid}", ctx.t(texts.get(action, "Saved")), run)


def who_text(ctx: Ctx, actor: str | None) -> str:
    """``staff:lin`` -> 员工 lin; ``kiosk:k1`` -> 快递柜; ``courier:cour_8f..`` -> 快递员; ids never shown."""
    if not actor:
        return ""
    kind, _, rest = actor.partition(":")
    if kind == "staff":
        return f"{ctx.g('owner', 'staff')} {rest}"
    if kind == "resident":
        return f"{ctx.g('owner', 'resident')} {rest}".strip()
    if kind == "courier":
        return ctx.g("owner", "courier")
    if kind == "kiosk":
        return ctx.g("place", "locker")
    if kind in ("system", "rules", "tracking", "hq", "cloud"):
        return ctx.g("owner", "system")
    return ctx.g("owner", "system") if not rest else actor


#: parcel-log detail keys shown (in words); the rest (ids, flags, codes) stays in the audit
DETAIL_KEYS = ("reason", "compartment", "shelf", "shelf_slot", "to", "from", "until", "how", "method", "outcome")


def detail_text(ctx: Ctx, detail: Any) -> str:
    if not isinstance(detail, dict):
        return ""
    parts = []
    for k in DETAIL_KEYS:
        v = detail.get(k)
        if v in (None, "", True, False):
            continue
        if k in ("how",):
            v = ctx.g("disposal", str(v))
        elif k in ("method", "outcome"):
            got = glossary.lookup("event", str(v)) or glossary.lookup("state", str(v))
            if got is None:
                continue
            v = got[0] if ctx.lang == "zh" else got[1]
        elif k == "until":
            v = local_time(ctx, str(v))
        parts.append(f"{ctx.t(DETAIL_LABELS.get(k, k))}: {v}")
    return "；".join(parts) if ctx.lang == "zh" else "; ".join(parts)


DETAIL_LABELS = {"reason": "Reason", "compartment": "Compartment", "shelf": "Shelf slot", "shelf_slot": "Shelf slot",
                 "to": "To", "from": "From", "until": "Hold until", "how": "How", "method": "How",
                 "outcome": "Result"}
