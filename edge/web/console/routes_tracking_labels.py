"""Tracking texts to label: the carrier wordings the classifier could not tell, grouped by template and
most frequent first; a staff label becomes a local rule at once (edge/tracking/labels.py).

The page carries its own Chinese/English wording so it needs no change to the shared translation table.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse, Response

from edge import glossary
from edge.services.staff import StaffUser
from edge.tracking.fold import fold_chars
from edge.web.console import tracking_view as V
from edge.web.console.guard import actor, require_user
from edge.web.console.page import Ctx, act, ctx_of, form_value, redirect, show
from edge.web.console.routes_parcels import who_text

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

_T: dict[str, tuple[str, str]] = {
    "title": ("待标注的物流描述", "Tracking texts to label"),
    "hint": ("系统读不懂或不确定的快递公司描述，按模板合并（数字、姓名、电话、地点已折叠），最常见的在前。选择含义后保存，"
             "已收到的同类描述和之后的新描述都按此识别（包裹的物流状态和异常随之更新），并同步给总部。",
             "Carrier wordings the system could not read or was unsure of, merged by template (digits, names, phone "
             "numbers and places folded), most frequent first. Choose the meaning and save: it applies to the texts "
             "already received (the parcel's tracking state and anomalies follow) and to every new one, and is sent "
             "to HQ."),
    "example": ("示例", "Example"), "carrier": ("快递公司", "Carrier"), "seen": ("次数", "Seen"),
    "guess": ("系统判断", "System's reading"), "meaning": ("含义", "Meaning"), "save": ("保存", "Save"),
    "empty": ("没有待标注的描述", "Nothing to label"), "done": ("已保存，已收到的和之后的同类描述都按此识别", "Saved; it applies to the texts received and from now on"),
    "labels": ("已有的标注", "Labels given"), "by": ("标注人", "By"), "when": ("时间", "When"),
    "export": ("导出为规则包（发给其他站点）", "Export as a pack (for other sites)"),
    "all": ("全部", "all"), "bad": ("请选择一个含义", "Choose a meaning"),
    "unnamed": ("未注明（标注后用于所有快递公司）", "not given (the label applies to every carrier)"),
    "from": ("来自哪件包裹", "From which parcels"),
    "now_labelled": ("已有标注：{m}（保存即按此重读已收到的这条）", "Labelled already: {m} (save to re-read the texts received)"),
    "shipped": ("总部规则包中的标注", "Labels from HQ's pack"), "template": ("描述（已折叠）", "Wording (folded)"),
    # ADR 0056: a row staff cannot tell is set aside (kept, counted, undoable); a label can be taken back
    "cannot_tell": ("看不出", "Can't tell"),
    "set_aside": ("看不出的描述", "Wordings set aside as \u201ccan't tell\u201d"),
    "set_aside_hint": ("这些描述已移出列表，系统照旧识别，仍在计数；撤销后回到上面的列表。",
                       "Off the list above; they read as before and are still counted. Undo puts one back."),
    "undo": ("撤销", "Undo"), "action": ("操作", "Action"),
}

MILESTONES: dict[str, tuple[str, str]] = {
    "label_created": ("已下单，待揽收", "Label created"), "picked_up": ("已揽收", "Picked up"),
    "in_transit": ("运输中", "In transit"), "arrived_at_hub": ("到达网点/中心", "Arrived at a facility"),
    "departed_hub": ("离开网点/中心", "Left a facility"), "customs_started": ("清关中", "Customs in progress"),
    "customs_held": ("清关受阻", "Held by customs"), "customs_cleared": ("已清关", "Customs cleared"),
    "out_for_delivery": ("派送中", "Out for delivery"), "delivery_failed": ("派送失败", "Delivery failed"),
    "available_for_pickup": ("已到自提点/快递柜", "At a pickup point or locker"),
    "delivered": ("本人签收/已取件", "Delivered to the recipient"), "exception": ("异常", "Problem"),
    "return_started": ("退回中", "Being returned"), "returned": ("已退回寄件人", "Back with the sender"),
    "unknown": ("无法判断", "Cannot tell"),
}


def _t(ctx: Ctx, key: str) -> str:
    return ctx.pick(_T[key])


def _carrier(ctx: Ctx, code: str | None, *, queued: bool = False) -> str:
    """A label's carrier by name; a label for every carrier says so. A queued text that came with no carrier says
    that and what its label will cover: "全部" beside a 圆通 parcel's text read as every carrier's (trial 2026-12-07)."""
    if code:
        return V.carrier(ctx, code)
    return _t(ctx, "unnamed" if queued else "all")


def milestone_words(ctx: Ctx, milestone: str) -> str:
    """A meaning as the labels page and the "this reading is wrong" form name it."""
    return ctx.pick(MILESTONES.get(milestone, (milestone, milestone)))


def _source(ctx: Ctx, s: dict[str, Any]) -> tuple[str, str]:
    """(link, words) for a waybill a queued text came from: "SF1300000000022（1-101）", to its parcel's page
    when the site has the parcel, else to its complaint dossier (a waybill followed without a parcel here)."""
    tn, unit = str(s["tracking_number"]), s.get("unit")
    words = glossary.qualified(tn, str(unit), ctx.lang) if unit else tn
    href = f"/parcels/{quote(str(s['parcel_id']), safe='')}" if s.get("parcel_id") else f"/dossier/{quote(tn, safe='')}"
    return href, words


@router.get("/tracking/labels")
async def labels_page(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    svc = ctx.tracking
    if svc is None:
        return show(ctx, "unavailable_page.html", _t(ctx, "title"), what=_t(ctx, "title"))
    queue = await svc.label_queue()
    given = await svc.labels()
    clf = svc.classifier
    rows = []
    for r in queue:
        # the reading now, not the one stored when the text came: a label shipped in a pack since (or given at
        # another desk) reads it already, while this row and the text received stay as they were (trial 2026-12-07b)
        now = clf.classify(r["example"], r["carrier"] or None)
        labelled = now.rule == "staff" and now.milestone != "unknown"
        rows.append({"example": r["example"][:200], "carrier": _carrier(ctx, r["carrier"], queued=True),
                     "carrier_code": r["carrier"], "seen": str(r["seen"]),
                     "guess": _t(ctx, "now_labelled").format(m=milestone_words(ctx, now.milestone)) if labelled
                     else milestone_words(ctx, r["milestone"]),
                     "preselect": now.milestone if labelled else "", "template": r["template"],
                     "sources": [_source(ctx, s) for s in r.get("sources") or []]})
    # labels in force that no desk here gave: shipped back by HQ in a pack (<data dir>/tracking_packs/)
    own = {(fold_chars(r["template"]), r["carrier"] or "") for r in given}
    shipped = sorted(((t, _carrier(ctx, c), milestone_words(ctx, m)) for (t, c), m in clf.local.items() if (t, c) not in own),
                     key=lambda x: x[0])
    # the carrier by name, the person by name and the time in the site's zone (not "ZTO", "staff:lin" and UTC)
    done = [(r["example"][:200], _carrier(ctx, r["carrier"]), milestone_words(ctx, r["milestone"]), who_text(ctx, r["actor"]),
             V.when(ctx, r["created_at"])) for r in given[:200]]
    keys = [(r["template"], r["carrier"] or "") for r in given[:200]]
    aside = [((r["example"][:200], _carrier(ctx, r["carrier"], queued=True), str(r["seen"]),
               who_text(ctx, r["set_aside_by"]), V.when(ctx, r["set_aside_at"])), (r["template"], r["carrier"] or ""))
             for r in await svc.set_aside_queue()]
    choices = [(m, milestone_words(ctx, m)) for m in MILESTONES if m != "unknown"]
    return show(ctx, "tracking_labels.html", _t(ctx, "title"), L={k: _t(ctx, k) for k in _T}, queue=rows,
                given=list(zip(done, keys, strict=True)), n_given=len(given), choices=choices, shipped=shipped[:200],
                n_shipped=len(shipped), aside=aside)


@router.post("/tracking/labels")
async def labels_save(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()
    template, carrier = form_value(form, "template")[:2000], form_value(form, "carrier")[:60]
    milestone = form_value(form, "milestone")
    svc = ctx.tracking
    if svc is None:
        return redirect(ctx, "/tracking/labels", "error", _t(ctx, "title"))
    if milestone not in MILESTONES or milestone == "unknown":
        return redirect(ctx, "/tracking/labels", "error", _t(ctx, "bad"))
    return await act(ctx, "/tracking/labels", _t(ctx, "done"),
                     lambda: svc.label_text(template, milestone, carrier=carrier, actor=actor(user)))


@router.get("/tracking/labels/pack.jsonl")
async def labels_pack(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    svc = ctx.tracking
    if svc is None:
        return PlainTextResponse("", status_code=404)
    site = ctx.daemon.config.site.id
    text = await svc.export_labels_pack(site)
    return PlainTextResponse(text, media_type="application/x-ndjson",
                             headers={"Content-Disposition": 'attachment; filename="staff-labels.jsonl"'})
