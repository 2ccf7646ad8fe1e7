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
from edge.web.console.page import Ctx, act, ctx_of, form_value, show

router = APIRouter(include_in_schema=False)


def _card(ctx: Ctx, r: dict[str, Any]) -> dict[str, Any]:
    """One in-transit card as ``transit.html`` draws it (every text already in the staff's words)."""
    scan = None
    if not (r.get("no_tracking") or r.get("last_event_at") is None):
        scan = {"milestone": V.milestone(ctx, r["last_milestone"]), "where": r["last_location"] or "—",
                "ago": V.ago(ctx, r["age_h"]), "text": r["last_text"] or ""}
    return {
        "grade": r["grade"], "badge": V.grade_badge(ctx, r["grade"]), "tracking_number": r["tracking_number"],
        "link": f"/parcels/{r['parcel_id']}" if r.get("parcel_id") else f"/dossier/{r['tracking_number']}",
        "category": V.category(ctx, r["category"]), "unit": r["unit"] or "—", "carrier": V.carrier(ctx, r["carrier"]),
        "problems": " · ".join(V.kind(ctx, k) for k in r["kinds"]), "scan": scan,
        "place": V.place(ctx, r["place"]) if r.get("place") else "", "conflict": bool(r.get("conflict")),
        "eta": V.eta_cell(ctx, r) if r.get("arrived_at") else V.eta_text(ctx, r),
        "next": V.next_action(ctx, r["kind"]), "owner": V.owner(ctx, r["owner"]), "kind": r.get("kind") or "",
        "owner_code": r.get("owner")}


async def desk_alerts(ctx: Ctx, limit: int = 10) -> list[dict[str, Any]]:
    comp = ctx.daemon.alerts
    if comp is None:
        return []
    return list(await comp.service.recent(limit))


def _alerts(ctx: Ctx, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The desk alerts as ``_desk_alerts.html`` lists them (the robot delivery state in words)."""
    state = {"sent": "Sent to the group robots", "pending": "Not sent yet", "failed": "Could not be sent",
             "local": "Shown here only (no robot configured)"}
    return [{"severity": a["severity"], "time": V.when(ctx, a["created_at"]),
             "text": a["text_zh"] if ctx.lang == "zh" else a["text_en"], "state": state.get(a["state"], a["state"])}
            for a in rows]


@router.get("/transit")
async def transit(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    comp = ctx.daemon.tracking
    wall = request.query_params.get("wall") == "1"
    if comp is None:
        return show(ctx, "unavailable_page.html", ctx.t("In-transit board"), what=ctx.t("Tracking"))
    rows = await ctx.daemon.store.read(lambda tx: board(tx, comp.settings))
    c = counts(rows)
    people = await ctx.services.staff.active_names()
    alerts = await desk_alerts(ctx, 4)
    return show(ctx, "transit.html", ctx.t("In-transit board"), body_cls="wall" if wall else "", wall=wall,
                counts=c, cards=[_card(ctx, r) for r in rows], alerts=_alerts(ctx, alerts),
                owner_choices=[(o, V.owner(ctx, o)) for o in ROLES] + [(u, u) for u in people])


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
