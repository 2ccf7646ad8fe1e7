"""Admin pages: audit log, staff users, settings (the storage policy, validated and versioned)."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import ValidationError

from edge import glossary
from edge.errors import DomainError
from edge.operations.registry import POLICY_SET
from edge.policy import Policy
from edge.services.staff import StaffUser
from edge.web.console import queries, settings_form
from edge.web.console.exports import csv_response
from edge.web.console.forms import run_form
from edge.web.console.guard import actor, require_admin
from edge.web.console.i18n import ZH
from edge.web.console.page import Ctx, act, ctx_of, form_value, redirect, show
from edge.web.console.routes_parcels import courier_labels, detail_text, local_time, who_text
from edge.web.console.routes_tasks import task_title

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
PAGE = 100

ZH.update({
    "Resident message": "住户通知", "Staff alert": "员工提醒", "HQ command": "总部指令", "the whole site": "全站",
    "storage rules, version {v}": "存放规则 第 {v} 版",
})


@router.get("/audit")
async def audit(request: Request, user: StaffUser = Depends(require_admin)) -> Response:
    ctx = ctx_of(request, user)
    qp = request.query_params
    who, what = qp.get("actor", "").strip()[:64], qp.get("action", "").strip()[:64]
    try:
        pg = min(max(0, int(qp.get("page") or 0)), 100_000)
    except ValueError:
        pg = 0
    rows = await ctx.daemon.store.read(lambda tx: queries.audit(tx, actor=who, action=what, limit=PAGE, offset=pg * PAGE))
    couriers = await courier_labels(ctx)
    body_rows = [(local_time(ctx, r["ts"]), who_text(ctx, r["actor"], couriers), ctx.g("event", r["action"]),
                  _target(ctx, r), _row_reason(ctx, r), detail_text(ctx, queries._json(r["detail"]))) for r in rows]
    return show(ctx, "audit.html", ctx.t("Audit"), who=who, what=what, rows=body_rows, pg=pg, more=len(rows) == PAGE)


def _target(ctx: Ctx, r: dict[str, Any]) -> str:
    """Names instead of ids: a parcel's tracking number, a courier's company and name, a kiosk as 柜机, a task by
    what it was about ("移至包裹室 (A-04) · SF..."; the trial of 2026-12-03b read "完成待办, 1"), a message by its
    unit and parcel, an alert by its words, an HQ command by what it was about, the policy by its version."""
    action = str(r.get("action") or "")
    target = str(r["target"] or "")
    if action.startswith("task."):
        return _task_target(ctx, r.get("task_of"))
    if action.startswith("message."):
        m = r.get("message_of") or {}
        about = " ".join(str(v) for v in (m.get("unit"), m.get("tracking_number")) if v)
        return f"{ctx.t('Resident message')} {about}".strip()
    if action.startswith("alert."):
        a = r.get("alert_of") or {}
        text = str(a.get("zh" if ctx.lang == "zh" else "en") or a.get("tracking_number") or "")
        return f"{ctx.t('Staff alert')} {text[:80]}".strip()
    if action.startswith("cmd."):
        return _command_target(ctx, r.get("command_of"))
    if action in ("policy.set", "policy.currency"):
        m = re.fullmatch(r"policy v(\d+)", target)
        return _fmt(ctx, "storage rules, version {v}", v=m.group(1)) if m else target
    if target == "site" and action.startswith(("security.", "clock.")):  # the rules hold is the whole site's too
        return ctx.t("the whole site")
    if r.get("tracking_number"):
        return str(r["tracking_number"])
    if r.get("courier_name") is not None or r.get("courier_company"):
        code = queries.carrier_of("", None, r.get("courier_company"))
        company = ctx.g("carrier", code) if code != "?" else (r.get("courier_company") or "")
        return f"{ctx.g('owner', 'courier')} {company} {r.get('courier_name') or ''}".strip()
    if target == "local":  # the kiosk on the locker's own screen (edge/web/kiosk_identity.py)
        return ctx.t("Kiosk")
    if target.startswith("kiosk") or str(r["actor"]).startswith("kiosk:") or r.get("action") == "courier.login":
        # a courier signs in at a kiosk: the target is the kiosk's id ("demo" read like a word)
        return f"{ctx.t('Kiosk')} {target.removeprefix('kiosk').lstrip('-_:') or target}"
    return target


def _fmt(ctx: Ctx, key: str, **kw: Any) -> str:
    return ctx.t(key).format(**kw)


def _task_target(ctx: Ctx, task: Any) -> str:
    """A task as the tasks page names it, with the parcel's waybill when it is about one."""
    if not isinstance(task, dict):
        return ctx.t("Task")  # a task since purged: its number would say nothing
    title = task_title(ctx, task)
    number = task.get("tracking_number")
    return f"{title} · {number}" if number and number not in title else title


#: the field of an HQ command's data that says what it was about, in the order looked for
_COMMAND_ABOUT = ("compartment", "tracking_number", "parcel_id", "unit", "code", "company")


def _command_target(ctx: Ctx, cmd: Any) -> str:
    """An HQ command by what it was about ("总部指令 A-04"), never its id (the action names its type)."""
    head = ctx.t("HQ command")
    data = cmd.get("data") if isinstance(cmd, dict) else None
    if isinstance(data, str):
        data = queries._json(data)
    if not isinstance(data, dict):
        return head
    for key in _COMMAND_ABOUT:
        v = data.get(key)
        if isinstance(v, (str, int)) and not isinstance(v, bool) and str(v) and key != "parcel_id":
            return f"{head} {v}"
    return head


def _row_reason(ctx: Ctx, r: dict[str, Any]) -> str:
    """An audit row's reason in words; an HQ command the site refused by its code (`cmd.*` rows carry it), whose
    message is the contract's English ("signature does not verify…" on the Chinese audit, trial 2026-12-08)."""
    if str(r.get("action") or "").startswith("cmd."):
        detail = queries._json(r.get("detail"))
        words = glossary.lookup("cmd_refusal", detail.get("code") if isinstance(detail, dict) else None)
        if words:
            return words[0] if ctx.lang == "zh" else words[1]
    return _reason(ctx, r.get("reason"))


def _reason(ctx: Ctx, reason: str | None) -> str:
    """Reasons the software wrote (``pickup``) in words; a person's reason as typed."""
    got = glossary.lookup("reason", reason)
    if got:
        return got[0] if ctx.lang == "zh" else got[1]
    task = glossary.lookup("task", reason)  # a task marked done: its kind
    if task:
        return task[0] if ctx.lang == "zh" else task[1]
    if ctx.lang != "zh":
        # audit rows written before 2026-12-07 said "wall clock stepped by forward 17 minutes"
        return re.sub(r"^wall clock stepped by ", "the locker's clock jumped ", reason or "")
    for pattern, zh in _REASONS_ZH:
        m = re.fullmatch(pattern, reason or "")
        if m:
            return zh.format(*m.groups())
    return reason or ""


#: reasons the software writes with a number in them, in Chinese
_REASONS_ZH = (
    (r"open for more than (\d+(?:\.\d+)?) s", "开着超过 {0} 秒"),
    # the clock step (edge/rules/clockguard.py), and its words before 2026-12-07 ("wall clock stepped by forward …")
    (r"(?:the locker's clock jumped|wall clock stepped by) forward (\S+) minutes", "柜机时钟向前跳了 {0} 分钟"),
    (r"(?:the locker's clock jumped|wall clock stepped by) back (\S+) minutes", "柜机时钟向后跳了 {0} 分钟"),
    (r"(?:the locker's clock jumped|wall clock stepped by) forward (\S+) hours", "柜机时钟向前跳了 {0} 小时"),
    (r"(?:the locker's clock jumped|wall clock stepped by) back (\S+) hours", "柜机时钟向后跳了 {0} 小时"),
    (r"(?:the locker's clock jumped|wall clock stepped by) forward (\S+) days", "柜机时钟向前跳了 {0} 天"),
    (r"(?:the locker's clock jumped|wall clock stepped by) back (\S+) days", "柜机时钟向后跳了 {0} 天"),
    (r"older than (\d+) days", "超过 {0} 天"),
    (r"move to the parcel room", "移至包裹室"),
    (r"disposal \(return_to_sender\)", "处置：退回寄件人"),
    (r"disposal \(hand_over\)", "处置：移交处理"),
    (r"disposal \(parcel_room\)", "处置：移至包裹室保管"),
)


@router.get("/audit.csv")
async def audit_csv(request: Request, user: StaffUser = Depends(require_admin)) -> Response:
    ctx = ctx_of(request, user)
    qp = request.query_params
    who, what = qp.get("actor", "").strip()[:64], qp.get("action", "").strip()[:64]
    rows = await ctx.daemon.store.read(lambda tx: queries.audit(tx, actor=who, action=what, limit=50_000))
    head = [ctx.t(h) for h in ("Time", "Actor", "Action", "Target", "Reason", "Detail")]
    couriers = await courier_labels(ctx)

    def build() -> Response:
        body = [[local_time(ctx, r["ts"]), who_text(ctx, r["actor"], couriers), ctx.g("event", r["action"]),
                 _target(ctx, r), _row_reason(ctx, r), detail_text(ctx, queries._json(r["detail"]))] for r in rows]
        return csv_response(head, body, "audit.csv", hk=ctx.hk)

    # a year's 40,000 rows take seconds to word: off the loop, so pickups and door events are not held up (trial42)
    return await asyncio.to_thread(build)


@router.get("/users")
async def users_page(request: Request, user: StaffUser = Depends(require_admin)) -> Response:
    ctx = ctx_of(request, user)
    rows = await ctx.services.staff.all()
    view = [{"username": u.username, "is_admin": u.is_admin, "active": u.active,
             "last_login": local_time(ctx, u.last_login_at)} for u in rows]
    return show(ctx, "users.html", ctx.t("Users"), users=view)


@router.post("/users")
async def users_add(request: Request, user: StaffUser = Depends(require_admin)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()
    name, role = form_value(form, "username"), form_value(form, "role")

    async def run() -> None:
        await ctx.services.staff.add(name, form_value(form, "password"), role, actor=actor(user))

    return await act(ctx, "/users", f"{name}: {ctx.t('Saved')}", run)


@router.post("/users/{username}/{action}")
async def users_action(request: Request, username: str, action: str, user: StaffUser = Depends(require_admin)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()

    async def run() -> None:
        if action == "passwd":
            await ctx.services.staff.set_password(username, form_value(form, "password"), actor=actor(user))
        elif action in ("disable", "enable"):
            await ctx.services.staff.set_active(username, action == "enable", actor=actor(user))
        else:
            raise DomainError("unknown_action", f"unknown action {action}", status=404)

    return await act(ctx, "/users", f"{username}: {ctx.t('Saved')}", run)


@router.get("/settings")
async def settings(request: Request, user: StaffUser = Depends(require_admin)) -> Response:
    ctx = ctx_of(request, user)
    current = ctx.daemon.policy()
    doc = current.model_dump(mode="json")
    return show(ctx, "settings.html", ctx.t("Settings"), version=current.version,
                sections=settings_form.sections(doc, ctx.lang))


@router.post("/settings")
async def settings_save(request: Request, user: StaffUser = Depends(require_admin)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()

    typed: dict[str, Any] = {}

    async def run() -> None:
        current = ctx.daemon.policy()
        if "policy" in form:  # a JSON document (scripts and older pages)
            try:
                doc: Any = json.loads(form_value(form, "policy"))
            except ValueError as exc:
                raise DomainError("policy_invalid", f"not valid JSON: {exc}") from None
        else:
            if form_value(form, "base_version") != str(current.version):
                raise DomainError("stale_version", "the settings changed meanwhile; reload the page", status=409)
            doc = settings_form.parse(form, current.model_dump(mode="json"))
            typed.update(doc=dict(doc), version=current.version)
            doc["version"] = current.version + 1
        try:
            Policy.model_validate(doc)
        except (ValidationError, ValueError) as exc:
            raise DomainError("policy_invalid", settings_form.explain(exc, ctx.lang), status=422) from None
        await run_form(ctx, POLICY_SET, doc, user)

    try:
        await run()
    except DomainError as exc:
        if exc.code == "policy_invalid" and typed:
            # the form again with what was typed and why it was refused: nothing the admin typed is lost
            return show(ctx, "settings.html", ctx.t("Settings"), version=typed["version"],
                        sections=settings_form.sections(typed["doc"], ctx.lang), flash=("error", ctx.refusal(exc)))
        return redirect(ctx, "/settings", "error", ctx.refusal(exc))
    return redirect(ctx, "/settings", "ok", ctx.t("Saved"))
