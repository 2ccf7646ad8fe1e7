"""Complaint dossier per waybill: /dossier/{tracking_number} (a printable page), /dossier/{tn}.zip (the
JSON and the page), and the "complaint filed" step with its reference, which starts the 7-day
escalation clock. Everything shown in the page's language; no phone digits or pickup codes."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from edge.errors import DomainError, NotFound
from edge.services.staff import StaffUser
from edge.tracking import dossier as D
from edge.tracking.desk import tn as normalise
from edge.tracking.followups import FollowupError
from edge.web.console import tracking_view as V
from edge.web.console.guard import actor, require_user
from edge.web.console.html import Safe, options, render, table
from edge.web.console.page import Ctx, act, ctx_of, form_value, page, unavailable

router = APIRouter(include_in_schema=False)

LOG_KINDS_ZH = {"expected": "预登记", "stored": "已入柜", "collected": "已取件", "deposit": "投递", "anomaly_raised":
                "发现异常", "anomaly_cleared": "异常解除", "followup": "跟进", "reminder": "提醒", "overdue": "超期",
                "moved": "移至包裹室", "returned": "退回", "disposed": "处置", "code_reissued": "重发取件码",
                "console": "控制台", "cloud": "总部", "kiosk": "快递柜屏幕", "opened": "已打开", "jammed": "卡住",
                "already_open": "原本已开", "unknown": "未知", "failed": "失败", "pending": "等待中", "fired": "已发送",
                "deposit_cancel": "取消投递", "pickup": "取件", "remote_open": "远程开门"}


async def _doc(ctx: Ctx, tracking_number: str) -> dict[str, Any]:
    comp = ctx.daemon.tracking
    if comp is None:
        raise DomainError("not_available", "tracking is not running", status=503)
    tn = normalise(tracking_number)
    site = {"id": ctx.daemon.config.site.id, "name": ctx.daemon.config.site.name}
    try:
        return await ctx.daemon.store.read(lambda tx: D.gather(tx, tn, comp.settings, site))
    except D.NoWaybill:
        raise NotFound("waybill_unknown", "this site has no record of that tracking number") from None


def _label(ctx: Ctx, key: str) -> str:
    if ctx.lang == "zh":
        return LOG_KINDS_ZH.get(key, key.replace("_", " "))
    return {"followup": "follow-up", "deposit_cancel": "deposit cancelled"}.get(key, key.replace("_", " "))


def _detail(ctx: Ctx, detail: dict[str, Any]) -> str:
    parts = []
    for k, v in detail.items():
        if v in (None, ""):
            continue
        if k == "anomaly":
            parts.append(V.kind(ctx, str(v)))
        elif k == "severity":
            parts.append(ctx.t({"red": "Act now", "yellow": "Watch"}.get(str(v), str(v))))
        elif k == "channel":
            parts.append(V.channel(ctx, str(v)))
        elif k == "ticket":
            parts.append(f"{ctx.t('Ticket')} {v}")
        elif k in ("compartment", "compartment_id", "shelf_slot"):
            parts.append(f"{ctx.t('Location')} {v}")
        elif k == "source":
            parts.append(f"{ctx.t('Source')}: {_label(ctx, str(v))}")
        else:
            parts.append(f"{_label(ctx, k)}: {v}")
    return "，".join(parts) if ctx.lang == "zh" else ", ".join(parts)


def _clock(ctx: Ctx, esc: dict[str, Any] | None) -> Safe:
    if esc is None:
        return render('<p>{t}</p>', t=ctx.t("No complaint filed yet."))
    due = V.when(ctx, esc["due_at"])
    key = ("If unresolved by {due}, escalate to the postal authority's complaint channel."
           if esc["next_step"] == "postal_complaint" else "If unresolved by {due}, escalate.")
    left = esc["days_left"]
    if ctx.lang == "zh":
        status = f"剩余 {left:.0f} 天" if left >= 0 else f"已超出 {-left:.0f} 天"
    else:
        status = f"{left:.0f} days left" if left >= 0 else f"overdue by {-left:.0f} days"
    return render('<p><b>{filed}</b>: {ch} · {refl} {ref} · {at}</p><p>{next} <b>{status}</b></p><p class="hint">{pc}</p>',
                  filed=ctx.t("Complaint filed"), ch=V.channel(ctx, esc["channel"]), refl=ctx.t("Reference"),
                  ref=esc.get("reference") or "—", at=V.when(ctx, esc["from"]), next=ctx.t(key).replace("{due}", due),
                  status=status, pc=esc["postal_channel"])


def _complaint_form(ctx: Ctx, tn: str) -> Safe:
    return render(
        '<form method="post" action="/dossier/{tn}/complaint" class="stack noprint">{c}'
        '<label>{wl}<select name="channel">{wo}</select></label><label>{rl}<input name="reference" required maxlength="64">'
        '</label><label>{sl}<textarea name="said" rows="2" maxlength="1000"></textarea></label><button>{b}</button></form>',
        tn=tn, c=ctx.csrf_input, wl=ctx.t("Where filed"),
        wo=options([(c, V.channel(ctx, c)) for c in D.COMPLAINT_CHANNELS], "carrier_complaint"), rl=ctx.t("Reference"),
        sl=ctx.t("What was said"), b=ctx.t("Record a complaint filed"))


def render_dossier(ctx: Ctx, d: dict[str, Any], *, interactive: bool = True) -> Safe:
    p = d.get("parcel") or {}
    facts = table([], [
        (ctx.t("Tracking number"), d["tracking_number"]), (ctx.t("Carrier"), V.carrier(ctx, d.get("carrier"))),
        (ctx.t("Recipient unit"), p.get("unit") or "—"), (ctx.t("Category"), ctx.t(p.get("category") or "normal")),
        (ctx.t("State"), ctx.t(p["state"]) if p.get("state") else "—"),
        (ctx.t("Expected arrival"), V.eta_cell(ctx, d.get("eta")) or ctx.t("No estimate yet")),
        (ctx.t("Carrier says it went to"), V.place(ctx, d.get("carrier_says_it_went_to")) or "—"),
        (ctx.t("Site"), d["site"]["name"]), (ctx.t("Prepared"), V.when(ctx, d["prepared_at"])),
    ], cls="facts")
    timeline = table([ctx.t("Time"), ctx.t("Milestone"), ctx.t("Where"), ctx.t("Text"), ctx.t("Source")],
                     [(V.when(ctx, e["time"]), V.milestone(ctx, e["milestone"]), e.get("location") or "", e["text"],
                       V.source(ctx, e.get("source"))) for e in d["timeline"]], empty=ctx.t("Nothing recorded yet"))
    follow = table([ctx.t("Time"), ctx.t("Channel"), ctx.t("Contact"), ctx.t("Said"), ctx.t("Ticket"),
                    ctx.t("Next follow-up"), ctx.t("By")],
                   [(V.when(ctx, f["ts"]), V.channel(ctx, f["channel"]), f.get("contact") or "", f.get("said") or "",
                     f.get("ticket") or "", V.when(ctx, f.get("next_at")), V.actor_name(ctx, f.get("actor")))
                    for f in d["follow_ups"]], empty=ctx.t("Nothing recorded yet"))
    records = [(V.when(ctx, r["ts"]), _label(ctx, r["kind"]), V.actor_name(ctx, r.get("actor")),
                _detail(ctx, r.get("detail") or {})) for r in d["parcel_log"]]
    records += [(V.when(ctx, c["created_at"]), f"{ctx.t('Door')} {c['compartment_id']}: {_label(ctx, c['purpose'])}",
                 V.actor_name(ctx, c.get("actor")), _label(ctx, c["state"])) for c in d["door_commands"]]
    records.sort(key=lambda r: r[0])
    doors = table([ctx.t("Time"), ctx.t("What"), ctx.t("By"), ctx.t("Detail")], records, empty=ctx.t("Nothing recorded yet"))
    anomalies = table([ctx.t("Raised"), ctx.t("Kind"), ctx.t("Severity"), ctx.t("Owner"), ctx.t("Cleared")],
                      [(V.when(ctx, a["raised_at"]), V.kind(ctx, a["kind"]), V.grade_badge(ctx, a["severity"]),
                        V.owner(ctx, a.get("assignee") or a.get("owner")),
                        V.when(ctx, a["cleared_at"]) if a.get("cleared_at") else ctx.t("Still open"))
                       for a in d["anomalies"]], empty=ctx.t("Nothing recorded yet"))
    tools = render('<p class="noprint"><button type="button" id="print">{p}</button> <a class="button" href="/dossier/{tn}.zip">'
                   '{z}</a></p>', p=ctx.t("Print"), tn=d["tracking_number"], z=ctx.t("Download ZIP (JSON)")) \
        if interactive else Safe("")
    return render(
        '<link rel="stylesheet" href="/static/console/transit.css"><div class="dossier-page">{tools}'
        '<section>{facts}</section><section><h2>{eh}</h2>{clock}{form}</section>'
        '<section><h2>{th}</h2>{timeline}</section><section><h2>{fh}</h2>{follow}</section>'
        '<section><h2>{dh}</h2>{doors}</section><section><h2>{ah}</h2>{anomalies}</section></div>'
        '<script src="/static/console/print.js"></script>',
        tools=tools, facts=facts, eh=ctx.t("Escalation clock"), clock=_clock(ctx, d.get("escalation")),
        form=_complaint_form(ctx, d["tracking_number"]) if interactive else Safe(""), th=ctx.t("Tracking timeline"),
        timeline=timeline, fh=ctx.t("Follow-up log"), follow=follow, dh=ctx.t("Door and deposit records"),
        doors=doors, ah=ctx.t("Anomaly history"), anomalies=anomalies)


@router.get("/dossier/{tracking_number}.zip")
async def dossier_zip(request: Request, tracking_number: str, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    d = await _doc(ctx, tracking_number)
    html = f"<!doctype html><meta charset='utf-8'><title>{d['tracking_number']}</title>" + str(
        render_dossier(ctx, d, interactive=False)).replace('<link rel="stylesheet" href="/static/console/transit.css">', "")
    return Response(D.to_zip(d, html), media_type="application/zip", headers={
        "content-disposition": f'attachment; filename="dossier-{d["tracking_number"]}.zip"', "cache-control": "no-store"})


@router.get("/dossier/{tracking_number}")
async def dossier_page(request: Request, tracking_number: str, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    if ctx.daemon.tracking is None:
        return page(ctx, ctx.t("Complaint dossier"), unavailable(ctx, ctx.t("Tracking")))
    d = await _doc(ctx, tracking_number)
    if request.query_params.get("format") == "json":
        return Response(json.dumps(d, ensure_ascii=False, default=str), media_type="application/json")
    return page(ctx, f"{ctx.t('Complaint dossier')} · {d['tracking_number']}", render_dossier(ctx, d))


@router.post("/dossier/{tracking_number}/complaint")
async def file_complaint(request: Request, tracking_number: str, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    comp = ctx.daemon.tracking
    tn = normalise(tracking_number)
    form = await request.form()
    back = f"/dossier/{tn}"

    async def do() -> None:
        if comp is None:
            raise DomainError("not_available", "tracking is not running", status=503)

        def fn(tx: Any) -> Any:
            try:
                return D.file_complaint(tx, tn, comp.settings, channel=form_value(form, "channel"),
                                        reference=form_value(form, "reference"), said=form_value(form, "said"),
                                        actor=actor(user))
            except FollowupError as exc:
                raise DomainError("invalid_complaint", str(exc), status=422) from None

        await ctx.daemon.store.write(fn)

    return await act(ctx, back, ctx.t("Complaint recorded"), do)
