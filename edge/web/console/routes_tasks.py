"""Tasks: every open staff task with act / done / assign; past-due rows highlighted.

"Act" goes where the work is done (the parcel, the compartment, the notice); "done" closes the task with
who and when; "assign" records who takes it (kept in the task's detail, shown on the row).
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from edge import glossary
from edge.errors import DomainError, NotFound
from edge.services.staff import StaffUser
from edge.web.console import queries
from edge.web.console.guard import actor, require_user
from edge.web.console.page import Ctx, act, ctx_of, form_value, show
from edge.web.console.routes_parcels import local_time, location

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)


def task_title(ctx: Ctx, r: dict[str, Any]) -> str:
    """The task in the staff's words: its kind from the glossary plus the door or parcel it is about."""
    what = ctx.g("task", r["kind"])
    if what == "其他" or (ctx.lang == "en" and what == r["kind"].replace("_", " ")):
        title = r["title"] or ""
        in_own = bool(title) and title.isascii() == (ctx.lang == "en")  # a title written in the staff's language
        what = _own_half(ctx, title) or (title if in_own or ctx.lang == "en" else ctx.t("Task"))
    where = r.get("compartment_id") or ""
    if not where:
        return what
    # Chinese in full-width brackets ("移至包裹室（A-02）"; trial38 read "移至包裹室 (A-02)" on the Chinese page)
    return glossary.qualified(what, where, ctx.lang)


def _own_half(ctx: Ctx, title: str) -> str:
    """A title written in both languages ("The locker's clock jumped ... / 柜机时钟跳变了 ...", edge/rules/
    clockguard.py): the half in the staff's language. A Chinese console showed only "待办" for it."""
    halves = [h.strip() for h in title.split(" / ")]
    if len(halves) != 2:
        return ""
    en, zh = (halves[0], halves[1]) if halves[0].isascii() else (halves[1], halves[0])
    return _OLD_STEP.sub(r"柜机时钟\1跳了 ", zh) if ctx.lang == "zh" else en


#: the clock-step task's words before 2026-12-07 ("柜机时钟跳变了向前 3.0 小时"), still on open tasks of a site
_OLD_STEP = re.compile(r"柜机时钟跳变了(向前|向后) ")


@router.get("/tasks")
async def tasks(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    rows = await ctx.daemon.store.read(queries.tasks)
    now = ctx.daemon.clock.now().isoformat()
    view = []
    late = 0
    for r in rows:
        due = r["due_at"] or ""
        past = bool(due) and due < now
        late += past
        parcel = {"state": "stored", "compartment_id": r["p_compartment"], "shelf_slot": r["p_shelf"]}
        view.append({
            "id": r["id"], "kind": r["kind"], "parcel_id": r["parcel_id"], "compartment_id": r["compartment_id"],
            "title": task_title(ctx, r), "tracking_number": r["tracking_number"] or "", "unit": r["unit"] or "",
            "location": location(parcel, ctx) if r["parcel_id"] else (r["compartment_id"] or ""),
            "stage": ctx.g("stage", r["stage"]) if r["stage"] else "", "due": local_time(ctx, due), "past": past,
            "who": (r["detail"] or {}).get("assignee") or ""})
    return show(ctx, "tasks.html", ctx.t("Tasks"), rows=view, late=late)


@router.post("/tasks/{task_id}/{action}")
async def task_action(request: Request, task_id: str, action: str, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()
    who = actor(user)

    async def run() -> None:
        if not task_id.isdigit():
            raise NotFound("task_unknown", "no such task")
        tid = int(task_id)
        if action not in ("done", "assign"):
            raise DomainError("unknown_action", f"unknown action {action}", status=404)
        assignee = form_value(form, "assignee")[:32]

        def fn(tx: Any) -> None:
            row = tx.one("SELECT * FROM tasks WHERE id = ?", (tid,))
            if row is None:
                raise NotFound("task_unknown", "no such task")
            if action == "done":
                tx.execute("UPDATE tasks SET state = 'done', done_at = ?, done_by = ? WHERE id = ? AND state = 'open'",
                           (tx.ts, who, tid))
                tx.audit(who, "task.done", str(tid), row["kind"])
                if row["parcel_id"]:
                    tx.log(row["parcel_id"], "task_done", who, task=row["kind"])
            else:
                detail = json.loads(row["detail"] or "{}")
                detail["assignee"] = assignee or user.username
                tx.execute("UPDATE tasks SET detail = ? WHERE id = ?", (json.dumps(detail, ensure_ascii=False), tid))
                tx.audit(who, "task.assign", str(tid), detail["assignee"])

        await ctx.daemon.store.write(fn)

    def done() -> str:
        if action == "done":
            return ctx.t("Task marked done")
        return ctx.t("Task assigned to {who}").format(who=form_value(form, "assignee")[:32] or user.username)

    return await act(ctx, "/tasks", done, run)


__all__ = ["router", "task_title"]
