"""The parcel-room desk: intake by scanning into a shelf slot, handover by code or by unit + phone tail."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from edge.errors import DomainError
from edge.services.staff import StaffUser
from edge.web.console import queries
from edge.web.console.guard import actor, require_user
from edge.web.console.html import Safe, options, render, table
from edge.web.console.page import Ctx, ctx_of, form_value, page, redirect
from edge.web.console.routes_parcels import local_time

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
    intake = render(
        '<section><h2>{h}</h2><form method="post" action="/desk/intake" class="stack" id="intake">{c}'
        '<label>{tl}<input name="tracking_number" required maxlength="64" autofocus data-scan="1" autocomplete="off"'
        ' placeholder="{ph}"></label>'
        '<label>{ul}<input name="unit" maxlength="16"></label><label>{pl}<input name="phone_tail" maxlength="8"'
        ' inputmode="numeric"></label><label>{cl}<select name="category">{co}</select></label>'
        '<label>{sl}<input name="shelf_slot" required maxlength="16" pattern="[A-Za-z0-9][A-Za-z0-9\\-]*"></label>'
        '<button>{b}</button></form></section>',
        h=ctx.t("Intake"), c=ctx.csrf_input, tl=ctx.t("Tracking number"),
        ph=ctx.t("Scan or type the tracking number, then Enter"), ul=ctx.t("Unit"), pl=ctx.t("Phone tail"),
        cl=ctx.t("Category"), co=options([(c, ctx.t(c)) for c in queries.CATEGORIES], "normal"), sl=ctx.t("Shelf slot"),
        b=ctx.t("Intake"),
    )
    by_code = render(
        '<h2>{h}</h2><form method="post" action="/desk/handover-code" class="stack" id="handover-code">{c}'
        '<label>{cl}<input name="code" required maxlength="16" inputmode="numeric" autocomplete="off"></label>'
        '<button>{b}</button></form>', h=ctx.t("Handover"), c=ctx.csrf_input, cl=ctx.t("Pickup code"),
        b=ctx.t("Hand over"))
    lookup = render(
        '<h3>{h}</h3><form method="get" action="/desk" class="filters"><label>{ul}<input name="unit" value="{u}" required'
        ' maxlength="16"></label><label>{pl}<input name="tail" value="{t}" required maxlength="8"></label>'
        '<button>{b}</button></form>', h=ctx.t("Lost code: unit and phone tail"), ul=ctx.t("Unit"), u=unit,
        pl=ctx.t("Phone tail"), t=tail, b=ctx.t("Search"))
    by_unit = Safe("")
    if unit and tail:
        found = [p for p in room if p["unit"] == unit]
        found = await ctx.daemon.store.read(lambda tx: [
            p for p in found if tx.scalar("SELECT phone_tail FROM parcels WHERE id = ?", (p["id"],)) == tail])
        rows = [(render('<input type="checkbox" name="parcel_id" value="{id}" checked>', id=p["id"]),
                 p["tracking_number"], p["shelf_slot"]) for p in found]
        by_unit = render(
            '<form method="post" action="/desk/handover-unit" class="stack" id="handover-unit">{c}'
            '<input type="hidden" name="unit" value="{u}"><input type="hidden" name="phone_tail" value="{t}">{tbl}'
            '<label>{rl}<input name="reason" required maxlength="200"></label><button>{b}</button></form>',
            c=ctx.csrf_input, u=unit, t=tail, tbl=table(["", ctx.t("Tracking number"), ctx.t("Shelf slot")], rows,
                                                       empty=ctx.t("not found")),
            rl=ctx.t("Code lost: reason"), b=ctx.t("Hand over")) if found else render('<p class="empty">{n}</p>',
                                                                                   n=ctx.t("not found"))
    room_rows = [(p["shelf_slot"], render('<a href="/parcels/{id}">{tn}</a>', id=p["id"], tn=p["tracking_number"]),
                  ctx.g("carrier", p["carrier"]), p["unit"] or "", ctx.g("category", p["category"]),
                  local_time(ctx, p["stored_at"])) for p in room]
    body = render(
        '<div class="cols">{intake}<section>{code}{lookup}{unit}</section></div><h2>{rh} ({n})</h2>{room}',
        intake=intake, code=by_code, lookup=lookup, unit=by_unit, rh=ctx.t("On the shelves"), n=len(room),
        room=table([ctx.t("Shelf slot"), ctx.t("Tracking number"), ctx.t("Carrier"), ctx.t("Unit"), ctx.t("Category"),
                    ctx.t("Stored")], room_rows, empty=ctx.t("not found")))
    return page(ctx, ctx.t("Desk"), body)


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
    ), lambda r: f"{ctx.t('Parcel stored on the shelf; code sent to the resident')}: {r.get('shelf_slot', '')}")


def _handed(ctx: Ctx, result: dict[str, Any]) -> str:
    slots = ", ".join(str(p.get("shelf_slot") or "") for p in result.get("parcels", []))
    return f"{ctx.t('Handed over')}: {slots}"


@router.post("/desk/handover-code")
async def handover_code(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()
    return await _do(ctx, lambda: ctx.services.desk.handover_by_code(form_value(form, "code"), actor=actor(user)),
                     lambda r: _handed(ctx, r))


@router.post("/desk/handover-unit")
async def handover_unit(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()
    ids = [v for v in form.getlist("parcel_id") if isinstance(v, str)]
    return await _do(ctx, lambda: ctx.services.desk.handover_by_unit(
        form_value(form, "unit"), form_value(form, "phone_tail"), ids, reason=form_value(form, "reason")[:200],
        actor=actor(user)), lambda r: _handed(ctx, r))
