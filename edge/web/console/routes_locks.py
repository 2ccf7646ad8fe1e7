"""Safety locks (安全锁定): the wrong-code lockouts, console login lockouts and the rules hold after a
clock step, in words, each with a confirmed "clear" (its own page and button, a reason, audited).

The logic is edge/services/locks.py; this module only shows it. Staff clear a kiosk's lockout and the
rules hold; a site-wide allowance and console login lockouts need an admin (the button is not shown to
others, and the service refuses them anyway).
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from edge.errors import DomainError
from edge.services.locks import Lock, locks_of
from edge.services.staff import StaffUser
from edge.web.console.guard import actor, require_user
from edge.web.console.page import Ctx, act, ctx_of, form_value, show
from edge.web.kiosk_identity import LOCAL_KIOSK

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
KIOSK_KINDS = ("pickup_kiosk", "courier_kiosk")

ZH: dict[str, str] = {
    "Safety locks": "安全锁定",
    "Nothing is locked.": "当前没有锁定。",
    "What": "锁定项", "Applies to": "范围", "Ends by itself in": "自动解除剩余", "Clear": "解除",
    "Admin only": "仅管理员",
    "pickup_kiosk": "取件码输错次数过多，这台柜机暂停取件",
    "pickup_site": "全站取件码输错次数用完，所有柜机暂停取件",
    "courier_kiosk": "快递员码输错次数过多，这台柜机暂停快递员登录",
    "courier_site": "全站快递员码输错次数用完，暂停快递员登录",
    "login_user": "控制台登录失败次数过多，这个用户暂时不能登录",
    "login_ip": "控制台登录失败次数过多，这个地址暂时不能登录",
    "rules_hold": "柜机时钟跳变后，提醒、超期和公告暂停执行",
    "whole site": "全站",
    "the locker's own screen": "柜机本机屏幕", "kiosk": "柜机屏幕",
    "Clear this lock?": "确定解除这个锁定？",
    "Yes, clear it": "确认解除",
    "Cancel": "取消",
    "Lock cleared": "已解除锁定",
    "why_clear": "锁定是为了防止有人猜码或在时间错误时批量发送提醒。只有在确认原因之后再解除；解除会记录你的名字和原因。",
    "why_admin": "解除全站额度或登录锁定会让猜测的人多试几次，所以只有管理员可以解除。",
    "seconds": "秒", "minutes": "分钟", "hours": "小时",
}

EN: dict[str, str] = {
    "pickup_kiosk": "Too many wrong pickup codes: this kiosk paused pickups",
    "pickup_site": "The site's allowance of wrong pickup codes is used up: every kiosk paused pickups",
    "courier_kiosk": "Too many wrong courier codes: this kiosk paused courier logins",
    "courier_site": "The site's allowance of wrong courier codes is used up: courier logins paused",
    "login_user": "Too many failed console logins: this user cannot log in for now",
    "login_ip": "Too many failed console logins: this address cannot log in for now",
    "rules_hold": "The locker's clock jumped: reminders, overdue steps and notices are paused",
    "why_clear": "Locks stop code guessing and mass reminders on a wrong clock. Clear one only once you know why"
                 " it happened; the clearing is recorded with your name and reason.",
    "why_admin": "Clearing a site-wide allowance or a login lock gives a guesser more tries, so it needs an admin.",
}


def tr(ctx: Ctx, key: str) -> str:
    if ctx.lang == "en":
        return EN.get(key, key)
    return ZH.get(key) or ctx.t(key)


def duration(ctx: Ctx, s: int) -> str:
    if s < 120:
        return f"{s} {tr(ctx, 'seconds')}"
    if s < 7200:
        return f"{round(s / 60)} {tr(ctx, 'minutes')}"
    return f"{s / 3600:.1f} {tr(ctx, 'hours')}"


def subject(ctx: Ctx, lk: Lock) -> str:
    if lk.kind in KIOSK_KINDS and lk.subject:  # a kiosk id: the Pi's own browser is "local", not a word for staff
        return tr(ctx, "the locker's own screen") if lk.subject == LOCAL_KIOSK else f"{tr(ctx, 'kiosk')} {lk.subject}"
    return lk.subject or tr(ctx, "whole site")


def _may_clear(user: StaffUser, lk: Lock) -> bool:
    return user.is_admin or not lk.admin_only


@router.get("/locks")
async def locks_page(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    rows = [{"id": lk.id, "what": tr(ctx, lk.kind), "who": subject(ctx, lk), "left": duration(ctx, lk.remaining_s),
             "may_clear": _may_clear(user, lk)} for lk in await locks_of(ctx.daemon).active()]
    labels = {"hint": tr(ctx, "why_clear"), "clear": tr(ctx, "Clear"), "admin_only": tr(ctx, "Admin only"),
              "empty": tr(ctx, "Nothing is locked."),
              "headers": [tr(ctx, "What"), tr(ctx, "Applies to"), tr(ctx, "Ends by itself in"), ctx.t("Actions")]}
    return show(ctx, "locks.html", tr(ctx, "Safety locks"), rows=rows, L=labels)


@router.get("/locks/confirm")
async def confirm_page(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    lock_id = request.query_params.get("id", "")
    found = next((lk for lk in await locks_of(ctx.daemon).active() if lk.id == lock_id), None)
    if found is None:
        return show(ctx, "empty_page.html", tr(ctx, "Safety locks"), status=404, text=ctx.g("error", "lock_not_active"))
    labels = {"question": tr(ctx, "Clear this lock?"), "yes": tr(ctx, "Yes, clear it"), "no": tr(ctx, "Cancel")}
    return show(ctx, "lock_confirm.html", tr(ctx, "Clear this lock?"), L=labels, lock_id=found.id,
                what=tr(ctx, found.kind), who=subject(ctx, found),
                why=tr(ctx, "why_admin") if found.admin_only else tr(ctx, "why_clear"))


@router.post("/locks/clear")
async def clear(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()

    async def run() -> None:
        lock_id = form_value(form, "confirm")
        if not lock_id:
            raise DomainError("confirm_required", "press the confirm button to clear the lock", status=422)
        await locks_of(ctx.daemon).clear(lock_id, actor=actor(user), reason=form_value(form, "reason"),
                                         is_admin=user.is_admin)

    return await act(ctx, "/locks", tr(ctx, "Lock cleared"), run)


__all__ = ["router"]
