"""Dashboard, wallboard, the live grid JSON, and the compartments page with its actions."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from edge import glossary, hant
from edge.errors import DomainError
from edge.operations.registry import COMPARTMENT_DISABLE, COMPARTMENT_ENABLE
from edge.services.staff import StaffUser
from edge.web.console import queries
from edge.web.console.forms import run_form
from edge.web.console.guard import actor, require_user
from edge.web.console.page import Ctx, act, ctx_of, form_value, fragment, show
from edge.web.console.parts_view import failed_parts_banner
from edge.web.console.routes_messages import setup_banner
from edge.web.console.routes_parcels import local_time
from edge.web.console.templating import Badge
from edge.web.console.tracking_view import anomaly_grades

if TYPE_CHECKING:
    from edge.daemon import Daemon

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1/console", tags=["console"])

STATE_ORDER = ("free", "occupied", "open", "fault", "disabled", "reserved")


class _SnapshotCache:
    """The grid snapshot, shared by every console browser polling it (one build per change, not per poll).

    An entry lives at most MAX_AGE_S and is dropped at once when a transaction commits events or a
    door changes, so the grid never shows a state older than the last change.
    """

    MAX_AGE_S = 0.5

    def __init__(self, daemon: Daemon) -> None:
        self.daemon = daemon
        self.entries: dict[str, tuple[float, dict[str, Any]]] = {}
        daemon.store.event_listeners.append(lambda _events: self.entries.clear())
        if daemon.services is not None:
            daemon.services.doors.listeners.append(lambda _c, _door: self.entries.clear())

    def get(self, lang: str) -> dict[str, Any] | None:
        hit = self.entries.get(lang)
        if hit and time.monotonic() - hit[0] < self.MAX_AGE_S:
            return hit[1]
        return None

    def put(self, lang: str, data: dict[str, Any]) -> None:
        self.entries[lang] = (time.monotonic(), data)


def _cache(ctx: Ctx) -> _SnapshotCache:
    state = ctx.request.app.state
    cache = getattr(state, "console_snapshot_cache", None)
    if cache is None or cache.daemon is not ctx.daemon:
        cache = state.console_snapshot_cache = _SnapshotCache(ctx.daemon)
    return cache


async def snapshot(ctx: Ctx) -> dict[str, Any]:
    cache = _cache(ctx)
    hit = cache.get(ctx.lang)
    if hit is not None:
        return hit
    data = await _build_snapshot(ctx)
    cache.put(ctx.lang, data)
    return data


GridRead = Callable[[Any, dict[str, str]], dict[str, Any]]


async def _build_snapshot(ctx: Ctx, grid_read: GridRead | None = None) -> dict[str, Any]:
    """The grid snapshot; ``grid_read(tx, anomaly grades)`` builds its cells (the live feed passes one
    that reads only the cells that changed since its last snapshot)."""
    grades_by_parcel = await anomaly_grades(ctx.tracking)
    store = ctx.daemon.store

    def read(tx: Any) -> dict[str, Any]:
        data = grid_read(tx, grades_by_parcel) if grid_read is not None else queries.grid(tx)
        data["grades"] = queries.grades(tx, grades_by_parcel)
        data["alarms"] = queries.alarms(tx)
        data["summary"] = queries.summary(tx)
        return data

    data = await store.read(read)
    data["alarms"] = await _with_desk_alerts(ctx, data["alarms"])
    for a in data["alarms"]:
        a["local"] = local_time(ctx, a["ts"])
        a.setdefault("names", {lang: _alarm_name(a, lang) for lang in ("zh", "en")})
    data["now_local"] = local_time(ctx, data["now"])
    for cell in data["cells"]:
        for p in cell["parcels"]:
            if grades_by_parcel.get(p["id"]) in ("yellow", "red"):
                p["grade"] = grades_by_parcel[p["id"]]
    data["cloud"] = ctx.daemon.cloud.status() if ctx.daemon.cloud is not None else None
    data["labels"] = {s: ctx.t(s) for s in (*STATE_ORDER, "retired", "green", "yellow", "red", "connected", "offline")}
    data["labels"] |= {"retired_next": ctx.t(RETIRED_NEXT), "retired_step": ctx.t(RETIRED_STEP)}
    # a cell's note is a code the software wrote (door_jammed) or a reason staff typed: the live grid's
    # tooltip shows the code in words (the trial of 2026-12-03 read title="door_jammed" on the Chinese grid)
    data["labels"].update({"note:" + code: note_text(ctx, code) for code in NOTE_CODES})
    return data


def _alarm_name(alarm: dict[str, Any], lang: str) -> str:
    """The alarm's kind in words; a door's repeated jams (one row) say how many."""
    name = glossary.label("event", alarm["type"], lang)
    jams = int(alarm.get("jams") or 1)
    if jams > 1:
        name = glossary.qualified(name, f"{jams} 次" if lang == "zh" else f"{jams} times", lang)
    return name


#: desk alerts raised from a door event the alarm area already lists (one row per jammed door, not two)
DOOR_ALERTS = ("door_jammed", "door_forced")


async def _with_desk_alerts(ctx: Ctx, alarms: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The desk's tracking alerts (failed delivery, no update, red anomalies) join the alarm area."""
    from edge.web.console.routes_transit import desk_alerts

    extra = [{"ts": a["created_at"], "type": (a["text_zh"] if ctx.lang == "zh" else a["text_en"]).split("。")[0]
              .split(". ")[0], "data": {},
              "names": {"zh": a["text_zh"].split("。")[0], "en": a["text_en"].split(". ")[0]}}
             for a in await desk_alerts(ctx, 10) if a.get("kind") not in DOOR_ALERTS]
    return sorted(alarms + extra, key=lambda a: a["ts"], reverse=True)[:20]


def _board(ctx: Ctx, data: dict[str, Any]) -> dict[str, Any]:
    """What ``_board.html`` draws: the snapshot plus the alarm rows in the staff's words."""
    alarms = [(a["local"], Badge((a.get("names") or {}).get(ctx.lang) or ctx.g("event", a["type"]), "red"),
               (a["data"] or {}).get("compartment", "") if isinstance(a["data"], dict) else "") for a in data["alarms"]]
    return {"data": data, "alarms": alarms, "states": STATE_ORDER, "cells": _cells(ctx, data["cells"])}


#: a retired door's next step (the grid cell's line, and its title and the compartments page in full)
RETIRED_NEXT = "Hand over or move to the parcel room"
RETIRED_STEP = ("This door was taken out of the config with a parcel still inside; nothing opens it from here. Take the"
                " parcel out by hand, then hand it over to the resident or move it to the parcel room, on the"
                " parcel's page.")


def _cells(ctx: Ctx, cells: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    """The grid's cells as (state, id, size, state label, title, grade, unit, link, next step): a big grid is
    thousands of values, so they are plain tuples the template only interpolates. A retired door holding a
    parcel links to the parcel (where it is handed over or moved) and says so."""
    out: list[tuple[str, ...]] = []
    labels = {s: ctx.t(s) for s in {c["show"] for c in cells}}
    for c in cells:
        first = c["parcels"][0] if c["parcels"] else {}
        title = note_text(ctx, c["note"]) or labels[c["show"]]
        href, step = f"/compartments#c-{c['id']}", ""
        if c.get("retired") and first:
            href, step = f"/parcels/{first['id']}", ctx.t(RETIRED_NEXT)
            title = f"{first.get('tracking_number') or ''} · {ctx.t(RETIRED_STEP)}"
        out.append((c["show"], c["id"], c["size"], labels[c["show"]], title, first.get("grade") or "none",
                    first.get("unit") or "", href, step))
    return out


@router.get("/")
async def dashboard(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    data = await snapshot(ctx)
    setup = await setup_banner(ctx)
    # doors a restore left unchecked (ADR 0057): said where staff look first, with the way to the reconcile page
    unchecked = await ctx.services.restore_doors.count()
    if unchecked:
        setup = setup + fragment(ctx, "_reconcile_banner.html", unchecked=unchecked)
    # a big grid takes tens of ms to render: off the loop, so door events and pickups are not held up
    return await asyncio.to_thread(
        lambda: show(ctx, "dashboard.html", ctx.t("Dashboard"), setup=setup + failed_parts_banner(ctx),
                     **_board(ctx, data))
    )


@router.get("/wallboard")
async def wallboard(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    data = await snapshot(ctx)
    return await asyncio.to_thread(
        lambda: show(ctx, "dashboard.html", ctx.t("Wallboard"), setup="", body_cls="wall", **_board(ctx, data))
    )


@api.get("/grid")
async def grid_json(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    """The live compartment grid, counts, parcel grades, alarms and cloud status (polled by the pages)."""
    # plain JSON types already: skip FastAPI's pure-Python encoder walk on the event loop
    ctx = ctx_of(request, user)
    data = await snapshot(ctx)
    if ctx.hk:  # 繁體: the labels and alarm names the page draws, converted (ADR 0050)
        return Response(hant.convert(json.dumps(data, ensure_ascii=False)), media_type="application/json")
    return JSONResponse(data)


# --- compartments -------------------------------------------------------------------------------------
@router.get("/compartments")
async def compartments(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    data, reopened = await ctx.daemon.store.read(lambda tx: (queries.grid(tx), queries.opened_since_fault(tx)))
    rows = []
    for c in data["cells"]:
        if c["state"] == "disabled":
            a, label, cls = "enable", "Enable", ""
        elif c["state"] == "fault":
            a, label, cls = "clear-fault", "Clear fault", ""
        else:
            a, label, cls = "disable", "Disable", "warn"
        rows.append({"id": c["id"], "size": size_label(ctx, c["size"]), "show": c["show"], "door": c["door"],
                     "retired": ctx.t(RETIRED_STEP) if c.get("retired") else "",
                     "note": note_text(ctx, c["note"], reopened=local_time(ctx, reopened[c["id"]])
                                       if c["id"] in reopened and c["door"] == "closed" else None),
                     "parcels": c["parcels"], "action": a, "label": label, "cls": cls})
    unchecked = await ctx.services.restore_doors.count()
    return show(ctx, "compartments.html", ctx.t("Compartments"), rows=rows, unchecked=unchecked)


def size_label(ctx: Ctx, size: str) -> str:
    from edge.domain.sizes import SIZE_CM

    w, h, d = SIZE_CM.get(size, (0, 0, 0))
    return f"{size} ({w}×{h}×{d} cm)" if w else size


#: the notes the software itself writes on a compartment (edge/services/doors.py raises these faults; a
#: cancelled deposit's door that did not open writes door_<outcome>, edge/services/deposits.py), each in words
_NOTE_WORDS: dict[str, Callable[[Ctx], str]] = {
    "door_jammed": lambda ctx: ctx.g("event", "door.jammed"),
    "door_unconfirmed": lambda ctx: ctx.g("reason", "door_unconfirmed"),
    "lock_board_unreachable": lambda ctx: ctx.t("Lock board not answering"),
    "door_forced_open": lambda ctx: ctx.g("event", "door.forced_open"),
    "door_failed": lambda ctx: ctx.t("Lock board not answering"),
    "door_unknown": lambda ctx: ctx.g("reason", "door_unconfirmed"),
    "found_parcel": lambda ctx: ctx.t("Parcel found after a restore: take it to the desk, then enable the door"),
}
NOTE_CODES = tuple(_NOTE_WORDS)


def note_text(ctx: Ctx, note: str | None, reopened: str | None = None) -> str:
    """A compartment's stored note (``door_jammed|was=occupied``) in words.

    ``reopened``: a faulted door has since been opened by a command and seen closed again (when, local).
    The fault stays until staff clear it (the lock failed once and may again; docs/console.md), and the
    words say both: what went wrong and that the door has worked since."""
    if not note:
        return ""
    reason = note.split("|", 1)[0]
    words_of = _NOTE_WORDS.get(reason)
    got = words_of(ctx) if words_of is not None else None
    words = got or (ctx.t("Staff note") + ": " + reason if " " in reason or not reason.isascii() else ctx.t("Fault"))
    if reopened:
        words += ctx.t("; the door has opened and closed normally since ({when}): check the lock, then clear the fault"
                       ).replace("{when}", reopened)
    return words


def _reason(form: Any) -> str:
    reason = form_value(form, "reason")
    if not reason:
        raise DomainError("reason_required", "give a reason for this action")
    return reason[:200]


@router.post("/compartments/{compartment}/{action}")
async def compartment_action(request: Request, compartment: str, action: str,
                             user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()
    svc = ctx.services
    who = actor(user)

    async def run() -> None:
        reason = _reason(form)
        if action in ("disable", "enable"):
            op = COMPARTMENT_DISABLE if action == "disable" else COMPARTMENT_ENABLE
            await run_form(ctx, op, {"compartment": compartment, "reason": reason}, user)
        elif action == "clear-fault":
            await svc.compartments.clear_fault(compartment, actor=who, reason=reason)
        else:
            raise DomainError("unknown_action", f"unknown action {action}", status=404)

    done = {"disable": "Door {c} disabled", "enable": "Door {c} enabled again", "clear-fault": "Fault of door {c} cleared"}
    return await act(ctx, f"/compartments#c-{compartment}",
                     ctx.t(done.get(action, "Door {c} disabled")).format(c=compartment), run)
