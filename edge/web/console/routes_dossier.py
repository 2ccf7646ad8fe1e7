"""Complaint dossier per waybill: /dossier/{tracking_number} (a printable page), /dossier/{tn}.zip (the
JSON and the page), and the "complaint filed" step with its reference, which starts the 7-day
escalation clock. Everything shown in the page's language; no phone digits or pickup codes."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from edge import glossary
from edge.errors import DomainError, NotFound
from edge.services.staff import StaffUser
from edge.tracking import dossier as D
from edge.tracking.desk import tn as normalise
from edge.tracking.followups import FollowupError
from edge.web.console import tracking_view as V
from edge.web.console.guard import actor, require_user
from edge.web.console.page import Ctx, act, ctx_of, form_value, fragment, show

router = APIRouter(include_in_schema=False)

LOG_KINDS_ZH = {"expected": "预登记", "stored": "已入柜", "collected": "已取件", "deposit": "投递", "anomaly_raised":
                "发现异常", "anomaly_cleared": "异常解除", "followup": "跟进", "reminder": "提醒", "overdue": "超期",
                "moved": "移至包裹室", "returned": "退回", "disposed": "处置", "code_reissued": "重发取件码",
                "console": "控制台", "cloud": "总部", "kiosk": "快递柜屏幕", "opened": "已打开", "jammed": "卡住",
                "already_open": "原本已开", "unknown": "未知", "failed": "失败", "pending": "等待中", "fired": "已发送",
                "deposit_cancel": "取消投递", "pickup": "取件", "remote_open": "远程开门",
                # a staff reason in a log entry (a resolve's, a remote open's): "reason: …" on the Chinese page
                "reason": "原因"}


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
    colon = "：" if ctx.lang == "zh" else ": "  # as the parcel page's timeline (trial38)
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
        elif k == "source":  # the glossary's word (控制台导入), not "console csv"
            word = ctx.g("source", str(v)) if glossary.lookup("source", str(v)) else _label(ctx, str(v))
            parts.append(f"{ctx.t('Source')}{colon}{word}")
        else:
            parts.append(f"{_label(ctx, k)}{colon}{v}")
    return "，".join(parts) if ctx.lang == "zh" else ", ".join(parts)


def _clock(ctx: Ctx, esc: dict[str, Any] | None) -> dict[str, Any] | None:
    """The escalation clock in words (None before a complaint is filed)."""
    if esc is None:
        return None
    key = ("If unresolved by {due}, escalate to the postal authority's complaint channel."
           if esc["next_step"] == "postal_complaint" else "If unresolved by {due}, escalate.")
    left = esc["days_left"]
    if ctx.lang == "zh":
        status = f"剩余 {left:.0f} 天" if left >= 0 else f"已超出 {-left:.0f} 天"
    else:
        status = f"{left:.0f} days left" if left >= 0 else f"overdue by {-left:.0f} days"
    return {"channel": V.channel(ctx, esc["channel"]), "reference": esc.get("reference") or "—",
            "at": V.when(ctx, esc["from"]), "key": key, "due": V.when(ctx, esc["due_at"]), "status": status,
            "postal_channel": esc["postal_channel"]}


def dossier_view(ctx: Ctx, d: dict[str, Any], *, interactive: bool = True) -> dict[str, Any]:
    """What ``_dossier.html`` draws: every section of the dossier in the page's language."""
    p = d.get("parcel") or {}
    facts = [
        (ctx.t("Tracking number"), d["tracking_number"]), (ctx.t("Carrier"), V.carrier(ctx, d.get("carrier"))),
        (ctx.t("Recipient unit"), p.get("unit") or "—"), (ctx.t("Category"), ctx.t(p.get("category") or "normal")),
        (ctx.t("State"), ctx.t(p["state"]) if p.get("state") else "—"),
        (ctx.t("Expected arrival"), V.eta_cell(ctx, d.get("eta")) or ctx.t("No estimate yet")),
        (ctx.t("Carrier says it went to"), V.place(ctx, d.get("carrier_says_it_went_to")) or "—"),
        (ctx.t("Site"), d["site"]["name"]), (ctx.t("Prepared"), V.when(ctx, d["prepared_at"])),
    ]
    records = [(V.when(ctx, r["ts"]), _label(ctx, r["kind"]), V.actor_name(ctx, r.get("actor")),
                _detail(ctx, r.get("detail") or {})) for r in d["parcel_log"]]
    records += [(V.when(ctx, c["created_at"]), f"{ctx.t('Door')} {c['compartment_id']}: {_label(ctx, c['purpose'])}",
                 V.actor_name(ctx, c.get("actor")), _label(ctx, c["state"])) for c in d["door_commands"]]
    records.sort(key=lambda r: r[0])
    return {
        "interactive": interactive, "tracking_number": d["tracking_number"], "facts": facts,
        "clock": _clock(ctx, d.get("escalation")),
        "channels": [(c, V.channel(ctx, c)) for c in D.COMPLAINT_CHANNELS],
        "timeline": [(V.when(ctx, e["time"]), V.milestone(ctx, e["milestone"]), e.get("location") or "", e["text"],
                      V.source(ctx, e.get("source"))) for e in d["timeline"]],
        "follow": [(V.when(ctx, f["ts"]), V.channel(ctx, f["channel"]), f.get("contact") or "", f.get("said") or "",
                    f.get("ticket") or "", V.when(ctx, f.get("next_at")), V.actor_name(ctx, f.get("actor")))
                   for f in d["follow_ups"]],
        "records": records,
        "anomalies": [(V.when(ctx, a["raised_at"]), V.kind(ctx, a["kind"]), V.grade_badge(ctx, a["severity"]),
                       V.owner(ctx, a.get("assignee") or a.get("owner")),
                       V.when(ctx, a["cleared_at"]) if a.get("cleared_at") else ctx.t("Still open"))
                      for a in d["anomalies"]],
    }


@router.get("/dossier/{tracking_number}.zip")
async def dossier_zip(request: Request, tracking_number: str, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    d = await _doc(ctx, tracking_number)
    html = str(fragment(ctx, "dossier_file.html", **dossier_view(ctx, d, interactive=False)))
    return Response(D.to_zip(d, html), media_type="application/zip", headers={
        "content-disposition": f'attachment; filename="dossier-{d["tracking_number"]}.zip"', "cache-control": "no-store"})


@router.get("/dossier/{tracking_number}")
async def dossier_page(request: Request, tracking_number: str, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    if ctx.daemon.tracking is None:
        return show(ctx, "unavailable_page.html", ctx.t("Complaint dossier"), what=ctx.t("Tracking"))
    d = await _doc(ctx, tracking_number)
    if request.query_params.get("format") == "json":
        return Response(json.dumps(d, ensure_ascii=False, default=str), media_type="application/json")
    return show(ctx, "dossier.html", f"{ctx.t('Complaint dossier')} · {d['tracking_number']}", **dossier_view(ctx, d))


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
