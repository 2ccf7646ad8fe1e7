"""Residents' messages HQ sends (ADR 0049) on HQ's pages: the site page's list by state and the fleet page's line.

Never a phone number in full (its last four digits only) and never a pickup code or the message's text (it
holds the code): the kind of message, the unit, the phone's tail, when, and the state with its reason in words.
"""

from __future__ import annotations

from typing import Any

import psycopg
from markupsafe import Markup
from psycopg.rows import dict_row

from cloudsync.hq.notify import gateway_on
from edge.web.console.notify_words import channel_error

KINDS = {
    "stored": ("到件通知（含取件码）", "arrival (with the pickup code)"), "reminder": ("取件提醒", "pickup reminder"),
    "overdue": ("超期通知", "overdue notice"), "notice": ("公告通知", "notice posted"),
    "disposed": ("处置通知", "disposal notice"), "collected": ("取件确认", "collection confirmed"),
    "code_reissued": ("新取件码", "new pickup code"), "anomaly": ("物流异常说明", "tracking problem"),
    "fee_notice": ("保管费通知", "storage fee notice"), "moved": ("包裹移位通知", "parcel moved"),
}
W = {
    "title": ("住户消息（由总部发送）", "Residents' messages (sent by HQ)"),
    "when": ("交给总部的时间（站点当地）", "Handed to HQ (site's local time)"), "kind": ("消息", "Message"), "unit": ("房号", "Unit"),
    "phone": ("手机", "Phone"), "state": ("状态", "State"), "tries": ("尝试次数", "Tries"),
    "none": ("没有", "None"),
    "pending": ("等待发送", "Waiting to be sent"),
    "retrying": ("等待重试（上次：{why}）", "Waiting to retry (last try: {why})"),
    "no_gateway": ("未发送：总部没有配置消息网关", "Not sent: HQ has no message gateway"),
    "sent": ("已发送（{channel}）", "Sent ({channel})"),
    "failed": ("发送失败：{why}", "Failed: {why}"),
    "expired_unsent": ("已过期，一直没有发出", "expired before HQ could send it"),
    "tail": ("尾号 {tail}", "ending {tail}"),
    "counts": ("等待发送 {pending} 条 · 已发送 {sent} 条 · 发送失败 {failed} 条",
               "{pending} waiting · {sent} sent · {failed} failed"),
    "fleet_no_gateway": ("住户消息：{n} 条未发送，总部没有配置消息网关（lockerd hq serve --notify），"
                         "使用默认 hq 渠道的站点的住户收不到取件码",
                         "Residents' messages: {n} not sent, HQ has no message gateway (lockerd hq serve --notify):"
                         " residents of sites on the default hq channel are not told their pickup codes"),
    "fleet_failed": ("住户消息：过去 24 小时有 {n} 条发送失败，请到站点页面查看原因",
                     "Residents' messages: {n} failed in the last 24 hours; the site pages say why"),
}


def _w(key: str, zh: bool) -> str:
    return W[key][0 if zh else 1]


SITE_SQL = """
SELECT kind, unit, phone_tail, state, attempts, last_error, channel, event_ts, received_at, sent_at, expires_at
FROM resident_messages WHERE site = %(site)s ORDER BY event_ts DESC, id DESC LIMIT %(limit)s
"""
COUNTS_SQL = "SELECT state, count(*) FROM resident_messages {where} GROUP BY state"


def counts(conn: psycopg.Connection, site: str | None = None) -> dict[str, int]:
    where, args = ("WHERE site = %s", (site,)) if site else ("", ())
    out = {"pending": 0, "sent": 0, "failed": 0}
    for state, n in conn.execute(COUNTS_SQL.format(where=where), args).fetchall():
        out[str(state)] = int(n)
    return out


def site_messages(conn: psycopg.Connection, site: str, limit: int = 30) -> dict[str, Any]:
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(SITE_SQL, {"site": site, "limit": limit}).fetchall()
    return {"rows": rows, "counts": counts(conn, site), "gateway": gateway_on(conn)}


def _why(error: str | None, zh: bool) -> Markup | str:
    """A channel's reason in the page's language: the console's reading of the channels' English sentences
    (edge/web/console/notify_words.py), each part led by the channel's name at HQ."""
    text = (error or "").strip()
    if text.startswith("expired before HQ could send it"):
        return _w("expired_unsent", zh)
    if not text:
        return "原因不明" if zh else "reason unknown"
    if not zh:
        return text
    names = {part.partition(": ")[0] for part in text.removeprefix("expired: ").split("; ")}
    return channel_error(text, "zh", known=names)


def state_words(row: dict[str, Any], gateway: bool, zh: bool) -> Markup:
    state = row.get("state")
    if state == "sent":
        return Markup(_w("sent", zh)).format(channel=row.get("channel") or "—")
    if state == "failed":
        return Markup(_w("failed", zh)).format(why=_why(row.get("last_error"), zh))
    if not gateway:
        return Markup(_w("no_gateway", zh))
    if row.get("attempts"):
        return Markup(_w("retrying", zh)).format(why=_why(row.get("last_error"), zh))
    return Markup(_w("pending", zh))


def section(detail: dict[str, Any], zh: bool, when: Any) -> dict[str, Any]:
    """The site page's section: a counts line and the rows as words (`when` formats a time)."""
    gateway = bool(detail.get("gateway"))
    rows = []
    for r in detail.get("rows", []):
        kind = KINDS.get(str(r.get("kind") or ""))
        tail = r.get("phone_tail")
        rows.append((when(r.get("event_ts")), kind[0 if zh else 1] if kind else ("消息" if zh else "message"),
                     r.get("unit") or "—", _w("tail", zh).format(tail=tail) if tail else "—",
                     state_words(r, gateway, zh), str(r.get("attempts") or 0)))
    c = detail.get("counts") or {}
    return {"title": _w("title", zh), "counts": _w("counts", zh).format(**{k: c.get(k, 0) for k in
                                                                           ("pending", "sent", "failed")}),
            "no_gateway": _w("no_gateway", zh) if not gateway and c.get("pending") else "",
            "headers": [_w(k, zh) for k in ("when", "kind", "unit", "phone", "state", "tries")], "rows": rows,
            "none": _w("none", zh)}


def fleet_lines(conn: psycopg.Connection, zh: bool) -> list[str]:
    """The fleet page's warnings: messages HQ keeps unsent for want of a gateway, and failed ones."""
    c = counts(conn)
    out = []
    if c["pending"] and not gateway_on(conn):
        out.append(_w("fleet_no_gateway", zh).format(n=c["pending"]))
    row = conn.execute("SELECT count(*) FROM resident_messages WHERE state = 'failed' "
                       "AND finished_at > now() - interval '24 hours'").fetchone()
    failed = int(row[0]) if row else 0
    if failed:
        out.append(_w("fleet_failed", zh).format(n=failed))
    return out
