"""After a restore (/reconcile): the doors the backup shows empty, unconfirmed until staff check them
(issue 18; ADR 0057). Each door: "empty" or "holds a parcel" (a found parcel for the desk, with the waybill and
unit when readable); a whole bank confirmed empty after a walk. Nothing here opens a door: "look inside" links
to the console's usual confirmed remote open."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from edge.services.staff import StaffUser
from edge.web.console.guard import actor, require_user
from edge.web.console.page import Ctx, act, ctx_of, form_value, show
from edge.web.console.routes_dash import size_label

router = APIRouter(include_in_schema=False)
BACK = "/reconcile"


def _banks(ctx: Ctx, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    banks: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        banks.setdefault(r["bank"], []).append({"id": r["id"], "size": size_label(ctx, r["size"]),
                                                 "state": ctx.t(r["state"])})
    return [{"bank": b, "doors": doors} for b, doors in banks.items()]


@router.get("/reconcile")
async def reconcile(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    rows = await ctx.services.restore_doors.pending()
    return show(ctx, "reconcile.html", ctx.t("Doors to check after a restore"), banks=_banks(ctx, rows),
                total=len(rows))


@router.post("/reconcile/{compartment}/empty")
async def empty(compartment: str, request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)

    async def do() -> None:
        await ctx.services.restore_doors.confirm_empty(compartment, actor=actor(user))

    return await act(ctx, BACK, ctx.t("{door} is empty: deposits may use it again").replace("{door}", compartment), do)


@router.post("/reconcile/{compartment}/parcel")
async def parcel(compartment: str, request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()

    async def do() -> None:
        await ctx.services.restore_doors.holds_parcel(compartment, actor=actor(user),
                                                      waybill=form_value(form, "waybill"), unit=form_value(form, "unit"))

    return await act(ctx, BACK, ctx.t("Parcel in {door} recorded for the desk; the door stays out of use")
                     .replace("{door}", compartment), do)


@router.post("/reconcile/bank/{bank}/empty")
async def bank_empty(bank: str, request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    done: list[str] = []

    async def do() -> None:
        done.extend(await ctx.services.restore_doors.confirm_bank_empty(bank, actor=actor(user)))

    return await act(ctx, BACK, lambda: ctx.t("Bank {bank}: {n} door(s) confirmed empty")
                     .replace("{bank}", bank).replace("{n}", str(len(done))), do)
