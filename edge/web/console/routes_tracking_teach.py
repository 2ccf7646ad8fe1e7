"""Staff teach it, the two gaps ADR 0053 found (ADR 0056): "can't tell" on a queue row, and "this reading is
wrong" on a parcel's tracking timeline, each undoable from the labels page (/tracking/labels).

- "Can't tell" / 看不出: the row leaves the queue (kept and still counted, listed under "set aside" with an
  undo, audited); the text keeps reading as it does.
- "This reading is wrong" / 这条判断不对: staff pick the right meaning on the timeline; a page says what will
  change ("this wording will read as … for every parcel of 中通") and a button confirms it; the label is given
  through `TrackingService.label_text` like a queue label (folded template, the carrier's or every carrier's,
  sent to HQ in `tracking.label_added`). A label `delivered` is the staff's word: no door opens.
- A label given here or on the queue can be taken back on the labels page.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from edge.errors import DomainError
from edge.services.staff import StaffUser
from edge.tracking.labels import needs_label
from edge.web.console import tracking_view as V
from edge.web.console.guard import actor, require_user
from edge.web.console.page import Ctx, act, ctx_of, form_value, redirect, show
from edge.web.console.routes_tracking_labels import MILESTONES, milestone_words

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

_W: dict[str, tuple[str, str]] = {
    "wrong": ("这条判断不对", "This reading is wrong"),
    "should": ("应为", "It means"), "next": ("下一步", "Next"),
    "scope_carrier": ("只用于{c}", "for {c} only"), "scope_all": ("用于所有快递公司", "for every carrier"),
    "title": ("改正物流判断", "Correct a tracking reading"),
    "text": ("物流描述", "Carrier's wording"), "now": ("现在的判断", "Read now as"), "becomes": ("改为", "Will read as"),
    "will_carrier": ("确认后，这种描述对{c}的每件包裹都读作“{m}”。", "Once confirmed, this wording will read as"
                     " \u201c{m}\u201d for every parcel of {c}."),
    "will_all": ("确认后，这种描述对所有快递公司的每件包裹都读作“{m}”。", "Once confirmed, this wording will read as"
                 " \u201c{m}\u201d for every parcel of every carrier."),
    "reread": ("已收到的 {n} 条同类描述会立即重读，包裹的物流状态和异常随之更新，并同步给总部。之后收到的同类描述也按此识别。",
               "The {n} like it received so far are re-read now (the parcels' tracking state and anomalies follow)"
               " and it is sent to HQ; every new one reads the same way."),
    "undo_hint": ("如果改错了，可以在“待标注描述”页的“已有的标注”里撤销。",
                  "If it is a mistake, undo it under \u201cLabels given\u201d on the Texts to label page."),
    "delivered": ("“{m}”只是员工的判断：不会打开任何柜门，也不会改变包裹在柜里的状态。",
                  "\u201c{m}\u201d is the staff's word only: no door opens and the parcel's state here does not change."),
    "confirm": ("确认修改", "Confirm the change"), "cancel": ("取消", "Cancel"),
    "done": ("已改正：这种描述现在读作“{m}”", "Corrected: this wording now reads as \u201c{m}\u201d"),
    "same": ("现在就是这样判断的，无需修改", "It reads that way already: nothing to change"),
    "bad": ("请选择一个含义", "Choose a meaning"),
    "set_aside": ("已移出待标注列表（仍计数，可在下方撤销）", "Set aside (still counted; undo below)"),
    "restored": ("已放回待标注列表", "Back in the queue"),
    "removed": ("已撤销标注，这种描述重新按系统规则识别", "Label taken back: this wording reads by the rules again"),
}


def w(ctx: Ctx, key: str) -> str:
    return ctx.pick(_W[key])


def _back(raw: str) -> str:
    """Where to go after the form: the parcel page it came from, nothing off the console."""
    return raw if raw.startswith("/parcels/") and "//" not in raw and "\\" not in raw else "/tracking/labels"


def timeline_form(ctx: Ctx, carrier: str | None) -> dict[str, Any]:
    """The words and choices of the "this reading is wrong" form on a parcel's timeline (parcel.html)."""
    scopes = ([("carrier", w(ctx, "scope_carrier").format(c=V.carrier(ctx, carrier)))] if carrier else [])
    return {"wrong": w(ctx, "wrong"), "should": w(ctx, "should"), "next": w(ctx, "next"),
            "choices": [(m, milestone_words(ctx, m)) for m in MILESTONES if m != "unknown"],
            "scopes": scopes + [("all", w(ctx, "scope_all"))]}


async def _event(ctx: Ctx, event_id: int) -> dict[str, Any] | None:
    try:
        return await ctx.tracking.event_reading(event_id) if ctx.tracking is not None else None
    except DomainError:
        return None


@router.get("/tracking/reading/{event_id}")
async def wrong_reading_page(request: Request, event_id: int, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    qp = request.query_params
    back, milestone = _back(qp.get("back", "")), qp.get("milestone", "")
    ev = await _event(ctx, event_id)
    if ev is None:
        return redirect(ctx, back, "error", ctx.refusal(DomainError("event_unknown", "no such tracking event")))
    if milestone not in MILESTONES or milestone == "unknown":
        return redirect(ctx, back, "error", w(ctx, "bad"))
    if milestone == ev["milestone"] and not needs_label(ev["milestone"], ev["confidence"]):  # a sure reading already
        return redirect(ctx, back, "error", w(ctx, "same"))
    for_all = qp.get("scope") == "all" or not ev["carrier"]
    m = milestone_words(ctx, milestone)
    will = (w(ctx, "will_all").format(m=m) if for_all
            else w(ctx, "will_carrier").format(m=m, c=V.carrier(ctx, ev["carrier"])))
    n = ev["same_all"] if for_all else ev["same_carrier"]
    notes = [will, w(ctx, "reread").format(n=n), w(ctx, "undo_hint")]
    if milestone == "delivered":
        notes.append(w(ctx, "delivered").format(m=m))
    facts = [(w(ctx, "text"), ev["text"][:300]), (w(ctx, "now"), ctx.g("milestone", ev["milestone"])),
             (w(ctx, "becomes"), m)]
    return show(ctx, "tracking_reading.html", w(ctx, "title"), facts=facts, notes=notes, back=back,
                event_id=event_id, milestone=milestone, scope="all" if for_all else "carrier",
                W={k: w(ctx, k) for k in ("confirm", "cancel")})


@router.post("/tracking/reading/{event_id}")
async def wrong_reading_save(request: Request, event_id: int, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()
    back, milestone = _back(form_value(form, "back")), form_value(form, "milestone")
    svc = ctx.tracking
    if svc is None:
        return redirect(ctx, back, "error", w(ctx, "title"))
    if milestone not in MILESTONES or milestone == "unknown":
        return redirect(ctx, back, "error", w(ctx, "bad"))
    return await act(ctx, back, w(ctx, "done").format(m=milestone_words(ctx, milestone)),
                     lambda: svc.label_text_wrong(event_id, milestone, for_all=form_value(form, "scope") == "all",
                                                  actor=actor(user)))


@router.post("/tracking/labels/cannot-tell")
async def cannot_tell(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()
    template, carrier = form_value(form, "template")[:2000], form_value(form, "carrier")[:60]
    undo = form_value(form, "undo") == "1"
    svc = ctx.tracking
    if svc is None:
        return redirect(ctx, "/tracking/labels", "error", w(ctx, "title"))
    return await act(ctx, "/tracking/labels", w(ctx, "restored" if undo else "set_aside"),
                     lambda: svc.set_aside(template, carrier=carrier, actor=actor(user), undo=undo))


@router.post("/tracking/labels/remove")
async def label_remove(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()
    template, carrier = form_value(form, "template")[:2000], form_value(form, "carrier")[:60]
    svc = ctx.tracking
    if svc is None:
        return redirect(ctx, "/tracking/labels", "error", w(ctx, "title"))
    return await act(ctx, "/tracking/labels", w(ctx, "removed"),
                     lambda: svc.unlabel(template, carrier=carrier, actor=actor(user)))
