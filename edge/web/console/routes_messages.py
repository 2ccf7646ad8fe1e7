"""Console: residents' messages (the durable queue: state, attempts, last error, channel, a retry) and the
first page's "what is still missing" list for a new site."""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from markupsafe import escape

from edge.notify import firstrun
from edge.notify import queue as Q
from edge.notify.channels.base import Outgoing
from edge.notify.dispatcher import with_pickup_qr
from edge.services.staff import StaffUser
from edge.web.console.guard import actor, require_user
from edge.web.console.i18n import ZH
from edge.web.console.notify_words import channel_error, channel_name
from edge.web.console.page import Ctx, ctx_of, form_value, fragment, redirect, show
from edge.web.console.routes_locks import duration
from edge.web.console.routes_parcels import local_time
from edge.web.console.templating import Badge, Markup

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
PAGE = 100

ZH.update({
    "pending": "待发送", "sent": "已发送", "failed": "发送失败", "Attempts": "尝试次数", "Last error": "最近错误",
    "Next attempt": "下次尝试", "Retry now": "立即重试", "Message": "内容", "Sent at": "发送时间",
    "Channels": "通知渠道", "delivering": "正常", "not delivering": "故障", "no attempt since the start": "柜机启动后尚未发送",
    "Retry queued": "已安排重试", "Before the first parcel": "接收第一个包裹前还需要：", "Oldest pending": "最早待发送",
    "merged": "已合并", "merged into the message of {when}": "已并入 {when} 的消息，一并告知",
    "reminder": "提醒", "code_reissued": "取件码重发", "anomaly": "物流异常", "fee_notice": "收费提醒", "moved": "移至包裹室",
})
KINDS: dict[str, tuple[str, str]] = {
    "stored": ("Parcel arrived", "到件通知"), "collected": ("Collected", "取件通知"), "reminder": ("Reminder", "催取提醒"),
    "overdue": ("Overdue", "超期通知"), "notice": ("Public notice", "公告通知"), "disposed": ("Disposed", "处置通知"),
    "code_reissued": ("New pickup code", "取件码重发"), "anomaly": ("Tracking problem", "物流异常"),
    "fee_notice": ("Storage fee", "保管费提醒"), "moved": ("Moved to the parcel room", "移至包裹室"),
}


def _kind(ctx: Ctx, kind: str) -> str:
    names = KINDS.get(kind)
    return (names[1] if ctx.lang == "zh" else names[0]) if names else kind


def _as_sent(ctx: Ctx, row: dict[str, Any]) -> str:
    """The text as the resident got it: the pickup link (site.public_url set) is added at sending
    (edge/notify/dispatcher.py, with_pickup_qr), so the stored text alone was another text than the SMS (trial
    of 2026-12-07). A folded message went as the one it was merged into: its own text, as stored."""
    comp = ctx.daemon.notify
    if comp is None or row["state"] == "merged" or not row.get("pickup_code"):
        return str(row["text"])
    d = comp.dispatcher
    msg = with_pickup_qr(Outgoing(id=row["id"], kind=row["kind"], lang=row["lang"] or "", text=row["text"],
                                  unit=row["unit"], tracking_number=row["tracking_number"],
                                  pickup_code=row["pickup_code"]), d.site_id, d.public_url)
    return msg.text_with_link()


def _mask(text: str, code: str | None) -> str:
    """Staff lists do not need the pickup codes the messages carry."""
    if not code:
        return text
    return text.replace(code, "*" * (len(code) - 2) + code[-2:])


async def setup_banner(ctx: Ctx) -> Markup:
    """The dashboard's checklist for a real site still being set up (nothing once all is in place)."""
    if ctx.daemon.simulated:
        return Markup("")
    comp = ctx.daemon.notify
    channels = comp.real_channels() if comp is not None else []
    calendar = ctx.daemon.config.site.holiday_calendar
    missing = await ctx.daemon.store.read(lambda tx: firstrun.missing(tx, channels, calendar))
    if not missing:
        return Markup("")
    return fragment(ctx, "_setup_banner.html", missing=[(k, _commands(firstrun.text(k, ctx.lang))) for k in missing])


def _commands(text: str) -> Markup:
    """A command (`lockerd ...`) or a config section ([[notify.channels]]) in the checklist is set apart as
    code: typed as it is, in any language (it read as a raw code inside the Chinese sentence)."""
    html = str(escape(text))
    html = re.sub(r"`([^`]+)`", r'<code class="raw">\1</code>', html)
    html = re.sub(r"(\[\[[a-z_.]+\]\])", r'<code class="raw">\1</code>', html)
    return Markup(html)


@router.get("/messages")
async def messages(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    state = request.query_params.get("state", "")
    try:
        pg = min(max(0, int(request.query_params.get("page") or 0)), 10_000)
    except ValueError:
        pg = 0
    rows, counts = await ctx.daemon.store.read(
        lambda tx: (Q.recent(tx, state=state, limit=PAGE, offset=pg * PAGE), Q.counts(tx)))
    kinds = {"pending": "yellow", "sent": "green", "failed": "red", "merged": "grey"}
    age = counts.get("oldest_pending_age_s")
    comp = ctx.daemon.notify
    statuses = comp.status()["channels"] if comp is not None else {}
    known = set(statuses)
    view = []
    for r in rows:
        when = local_time(ctx, r["sent_at"]) if r["sent_at"] else (
            local_time(ctx, r["next_at"]) if r["state"] == "pending" else "")
        error = "" if r["state"] in ("sent", "merged") else r["last_error"] or ""
        if r["state"] == "merged":  # folded into another message (ADR 0043): say which, in words
            when = ctx.t("merged into the message of {when}").format(
                when=local_time(ctx, r["merged_into_created_at"]) or "-")
        view.append({"id": r["id"], "retry": r["state"] in ("pending", "failed"),
                     "text": _mask(_as_sent(ctx, r), r["pickup_code"]),
                     "lang": r["lang"] or "",
                     "cells": (local_time(ctx, r["created_at"]), _kind(ctx, r["kind"]), r["unit"] or "",
                               Badge(ctx.t(r["state"]), kinds.get(r["state"], "grey")), r["attempts"],
                               channel_name(r["channel"], ctx.lang) if r["channel"] else "", when,
                               channel_error(error, ctx.lang, known))})
    ch_rows = []
    for name, st in statuses.items():
        ok = st.get("ok")
        ch_rows.append((channel_name(name, ctx.lang), Badge(ctx.t("no attempt since the start" if ok is None else "delivering" if ok else "not delivering"),
                                    "grey" if ok is None else "green" if ok else "red"), st.get("sent", 0),
                        channel_error(st.get("last_error") or "", ctx.lang)))
    return show(ctx, "messages.html", ctx.t("Messages"), counts=counts,
                age=duration(ctx, int(age)) if age else "-",  # "1765 s" read as a number, not a wait
                channels=ch_rows, state=state, rows=view, pg=pg, more=len(rows) == PAGE,
                states=[("", ctx.t("All"))] + [(s, ctx.t(s)) for s in Q.STATES])


@router.post("/messages/{message_id}/retry")
async def retry(request: Request, message_id: str, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    form_value(await request.form(), "_csrf")
    await ctx.daemon.store.write(lambda tx: Q.retry_now(tx, message_id, actor(user)))
    comp = ctx.daemon.notify
    if comp is not None:
        comp.dispatcher.kick()
    return redirect(ctx, "/messages", "ok", ctx.t("Retry queued"))
