"""The parcel-room desk: intake by scanning into a shelf slot, handover by code or by unit + phone tail."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from edge import glossary
from edge.domain import codes as codemath
from edge.errors import DomainError
from edge.services.staff import StaffUser
from edge.web.console import queries
from edge.web.console.guard import actor, require_user
from edge.web.console.page import Ctx, ctx_of, form_value, redirect, show
from edge.web.console.routes_parcels import local_time
from edge.web.console.templating import Link

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)


def _room(tx: Any) -> list[dict[str, Any]]:
    return tx.all("SELECT id, tracking_number, carrier, unit, category, shelf_slot, stored_at FROM parcels"
                  " WHERE state = 'stored' AND compartment_id IS NULL ORDER BY shelf_slot, stored_at LIMIT 500")


@router.get("/desk")
async def desk(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    unit = request.query_params.get("unit", "").strip()[:16]
    tail = request.query_params.get("tail", "").strip()[:8]
    room = await ctx.daemon.store.read(_room)
    found: list[dict[str, Any]] | None = None
    if unit and tail:
        same_unit = [p for p in room if p["unit"] == unit]
        found = await ctx.daemon.store.read(lambda tx: [
            p for p in same_unit if tx.scalar("SELECT phone_tail FROM parcels WHERE id = ?", (p["id"],)) == tail])
    room_rows = [(p["shelf_slot"], Link(f"/parcels/{p['id']}", p["tracking_number"]),
                  ctx.g("carrier", p["carrier"]), p["unit"] or "", ctx.g("category", p["category"]),
                  local_time(ctx, p["stored_at"])) for p in room]
    return show(ctx, "desk.html", ctx.t("Desk"), unit=unit, tail=tail, found=found, room=room_rows,
                categories=[(c, ctx.g("category", c)) for c in queries.CATEGORIES])


async def _do(ctx: Ctx, fn: Any, ok: Any) -> Response:
    try:
        result = await fn()
    except DomainError as exc:
        return redirect(ctx, "/desk", "error", ctx.refusal(exc))
    return redirect(ctx, "/desk", "ok", ok(result))


@router.post("/desk/intake")
async def intake(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()
    return await _do(ctx, lambda: ctx.services.desk.intake(
        tracking_number=form_value(form, "tracking_number"), shelf_slot=form_value(form, "shelf_slot"),
        unit=form_value(form, "unit") or None, phone_tail=form_value(form, "phone_tail") or None,
        category=form_value(form, "category") or None, actor=actor(user),
    ), lambda r: _shelved(ctx, form_value(form, "tracking_number").strip().upper(), r))


def _shelved(ctx: Ctx, tracking: str, r: dict[str, Any]) -> str:
    """What the intake did: "code sent" only claimed what the queue does (it said so of a parcel moved from a
    locker, which keeps its code and is sent nothing, and on a site whose channels reach nobody)."""
    key = ("Parcel {n} is on shelf {s}; the resident keeps their pickup code" if r.get("moved") else
           "Parcel {n} is on shelf {s}; the resident's pickup code is queued to be sent (see Messages)")
    return ctx.t(key).replace("{n}", tracking).replace("{s}", str(r.get("shelf_slot", "")))


def _handed(ctx: Ctx, result: dict[str, Any]) -> str:
    slots = glossary.listed((str(p.get("shelf_slot") or "") for p in result.get("parcels", [])), ctx.lang)
    return f"{ctx.t('Handed over')}{'：' if ctx.lang == 'zh' else ': '}{slots}"


@router.post("/desk/handover-code")
async def handover_code(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()
    code = form_value(form, "code")
    try:
        result = await ctx.services.desk.handover_by_code(code, actor=actor(user))
    except DomainError as exc:
        if exc.code == "code_in_locker":
            return await _in_a_door(ctx, code, exc)
        return redirect(ctx, "/desk", "error", ctx.refusal(exc))
    return redirect(ctx, "/desk", "ok", _handed(ctx, result))


async def _in_a_door(ctx: Ctx, code: str, exc: DomainError) -> Response:
    """The resident's code is right but the parcel is in a locker door: go to the parcel's page, where
    staff can open the door or hand it over. When that door jammed for the resident (the kiosk sent
    them here), never send them back to the kiosk: the desk said "请住户在柜机上输入取件码"."""
    normal = codemath.normalise_code(code) or ""
    row = await ctx.daemon.store.read(lambda tx: tx.one(
        "SELECT p.id, p.compartment_id, c.state AS door_state, (SELECT count(*) FROM tasks t WHERE t.parcel_id = p.id"
        " AND t.kind = 'pickup_failed' AND t.state = 'open') AS failed FROM parcels p LEFT JOIN compartments c"
        " ON c.id = p.compartment_id WHERE p.pickup_code = ? AND p.state = 'stored' AND p.compartment_id IS NOT NULL",
        (normal,)))
    if row is None:
        return redirect(ctx, "/desk", "error", ctx.refusal(exc))
    if row["failed"] or row["door_state"] == "fault":
        text = ctx.t("Door {c} did not open for the resident: take the parcel out (remote open below, or the key),"
                     " then press “Taken out and handed over”").format(c=row["compartment_id"])
    else:
        text = ctx.t("This parcel is in door {c}: open it for the resident below, or the resident enters the code"
                     " at the kiosk").format(c=row["compartment_id"])
    return redirect(ctx, f"/parcels/{row['id']}", "error", text)


@router.post("/desk/handover-unit")
async def handover_unit(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()
    ids = [v for v in form.getlist("parcel_id") if isinstance(v, str)]
    return await _do(ctx, lambda: ctx.services.desk.handover_by_unit(
        form_value(form, "unit"), form_value(form, "phone_tail"), ids, reason=form_value(form, "reason")[:200],
        actor=actor(user)), lambda r: _handed(ctx, r))
