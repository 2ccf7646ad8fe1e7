"""Opening a door from the console: always its own page and its own button, never a form's Enter.

``GET /compartments/{id}/open`` and ``GET /parcels/{id}/open`` show what will open and why it is asked;
the POST needs the reason AND ``confirm`` equal to the door's id (sent only by the confirm button; the
page's script also refuses implicit submission from the reason field). Opening a parcel's door for the
resident completes the parcel (collected, with who and why).
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from edge.errors import DomainError
from edge.operations.registry import DOOR_OPEN
from edge.services.staff import StaffUser
from edge.web.console import queries
from edge.web.console.forms import run_form
from edge.web.console.guard import actor, require_user
from edge.web.console.page import Ctx, act, ctx_of, form_value, show

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

def _confirm_page(ctx: Ctx, door: str, action: str, back: str, what: str, why: str,
                  inside: list[dict[str, str]] | None = None) -> Response:
    return show(ctx, "door_confirm.html", ctx.t("Open door") + " " + door, door=door, action=action, back=back,
                what=what, why=why, hidden=[], reason="", inside=inside or [])


def _checked(form: object, door: str) -> str:
    if form_value(form, "confirm") != door:
        raise DomainError("confirm_required", "press the confirm button to open the door", status=422)
    reason = form_value(form, "reason")
    if not reason:
        raise DomainError("reason_required", "give a reason for this action", status=422)
    return reason[:200]


@router.get("/compartments/{compartment}/open")
async def compartment_open_page(request: Request, compartment: str, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    cells = (await ctx.daemon.store.read(lambda tx: queries.grid(tx, only=[compartment])))["cells"]
    # a parcel inside stays "in the locker" after this open: its own open hands it over (collected, who, why)
    inside = [{"id": p["id"], "tracking_number": p["tracking_number"], "unit": p["unit"] or "-"}
              for cell in cells for p in cell["parcels"]]
    return _confirm_page(ctx, compartment, f"/compartments/{compartment}/open", f"/compartments#c-{compartment}",
                         ctx.t("The door of {c} will open now.").replace("{c}", compartment),
                         ctx.t("Someone must be at the locker. The opening is recorded with your name and reason."),
                         inside)


@router.post("/compartments/{compartment}/open")
async def compartment_open(request: Request, compartment: str, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()

    async def run() -> None:
        reason = _checked(form, compartment)  # the confirm screen was passed, with a reason
        await run_form(ctx, DOOR_OPEN, {"compartment": compartment, "reason": reason, "operator": user.username},
                       user, confirmed=True)

    return await act(ctx, f"/compartments#c-{compartment}", f"{compartment}: {ctx.t('Door open command sent')}", run)


@router.get("/parcels/{pid}/open")
async def parcel_open_page(request: Request, pid: str, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    p = await ctx.daemon.store.read(lambda tx: queries.parcel(tx, pid))
    if p is None or not p.get("compartment_id"):
        return show(ctx, "empty_page.html", ctx.t("Open door"), text=ctx.g("error", "not_in_locker"), status=404)
    c = p["compartment_id"]
    return _confirm_page(ctx, c, f"/parcels/{p['id']}/open", f"/parcels/{p['id']}",
                         ctx.t("The door of {c} opens for the resident of {u}; the parcel counts as collected once the door has opened and closed again.")
                         .replace("{c}", c).replace("{u}", p.get("unit") or "-"),
                         ctx.t("Someone must be at the locker. The opening is recorded with your name and reason."))


@router.post("/parcels/{pid}/open")
async def parcel_open(request: Request, pid: str, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()

    door: dict[str, str] = {}

    async def run() -> None:
        p = await ctx.services.parcels.get(pid)
        if not p.get("compartment_id"):
            raise DomainError("not_in_locker", "this parcel is not in a locker", status=409)
        reason = _checked(form, p["compartment_id"])
        door["c"] = p["compartment_id"]
        await ctx.services.pickups.staff_complete(p["id"], actor=actor(user), reason=reason, how="remote_open")

    # never "opened" before the sensor says so: the parcel is collected when the door has opened and closed
    return await act(ctx, f"/parcels/{pid}", lambda: ctx.t(
        "Opening door {c} for the resident: the parcel counts as collected once the door has opened and closed again")
        .format(c=door.get("c", "")), run)


@router.post("/parcels/{pid}/handed-over")
async def parcel_handed_over(request: Request, pid: str, user: StaffUser = Depends(require_user)) -> Response:
    """A locker parcel staff took out and gave to the resident (e.g. a jammed door opened with the key)."""
    ctx = ctx_of(request, user)
    form = await request.form()
    reason = form_value(form, "reason")[:200]
    return await act(ctx, f"/parcels/{pid}", ctx.t("Handed over"), lambda: ctx.services.pickups.staff_complete(
        pid, actor=actor(user), reason=reason, how="handed_over"))


#: an interrupted deposit (a restart while its door was open: edge/services/door_boot.py) is resolved on the
#: parcel's page; before trial 2026-12-07f the task said "confirm stored or empty" and no page could
INTERRUPTED_ZH = {
    "The locker restarted while this parcel was being deposited into {c}: it is not recorded as stored and the"
    " resident has not been told. Open {c} (Compartments, or the key), look, then say what you found.":
        "这件包裹投递到 {c} 号格口时快递柜重启了：包裹没有登记为已存入，住户也还没有收到通知。请打开 {c} 号柜门"
        "（格口页的开门，或用钥匙）查看，再选择看到的情况。",
    "The parcel is in {c}: record it as stored and tell the resident": "包裹在 {c} 号格口里：登记存入并通知住户",
    "{c} is empty: the courier took the parcel away": "{c} 号格口是空的：快递员已把包裹带走",
    "Recorded as stored in {c}; the resident is told": "已登记存入 {c} 号格口，住户会收到通知",
    "Recorded: {c} was empty": "已记录：{c} 号格口是空的",
}


def interrupted_words(ctx: Ctx, key: str, c: str) -> str:
    text = INTERRUPTED_ZH.get(key, key) if ctx.lang == "zh" else key
    return text.replace("{c}", c)


@router.post("/parcels/{pid}/interrupted")
async def parcel_interrupted(request: Request, pid: str, user: StaffUser = Depends(require_user)) -> Response:
    """Staff looked into the door of a deposit interrupted by a restart: the parcel is inside, or not."""
    ctx = ctx_of(request, user)
    form = await request.form()
    found = form_value(form, "found") == "1"
    dep = await ctx.daemon.store.read(lambda tx: tx.one(
        "SELECT id, compartment_id FROM deposits WHERE parcel_id = ? AND state = 'failed'"
        " AND failure IN ('interrupted', 'door_unconfirmed') ORDER BY created_at DESC LIMIT 1", (pid,)))
    c = dep["compartment_id"] if dep else ""

    async def run() -> None:
        if dep is None:
            raise DomainError("deposit_not_interrupted", "the deposit was not interrupted", status=409)
        await ctx.services.deposits.resolve_interrupted(dep["id"], found=found, actor=actor(user))

    done = "Recorded as stored in {c}; the resident is told" if found else "Recorded: {c} was empty"
    return await act(ctx, f"/parcels/{pid}", lambda: interrupted_words(ctx, done, c), run)


__all__ = ["router"]
