"""The fleet page at `/` (server-rendered, Chinese or English): sites online and offline and since when,
stale sites, versions, occupancy, red anomalies, outbox backlog, commands and the carrier report, and
every site a page of PAGE_SITES at a time (the API's keyset paging: `?state=&cursor=`, a next-page link).

Charts are plain HTML bars (no script): occupancy and red anomalies by site, anomalies by carrier.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from edge import hant
from edge.glossary import TERMS, carrier_name, lookup, qualified
from edge.web.console.templating import qs, render_page

T = {
    "title": ("总部 · 全部站点", "HQ · all sites"),
    "sites": ("站点", "Sites"), "online": ("在线", "Online"), "offline": ("离线", "Offline"),
    "stale": ("长时间没有消息", "Silent too long"), "red": ("红色异常", "Red anomalies"),
    "backlog": ("待上传事件", "Events waiting to upload"), "occupancy": ("格口占用", "Compartments in use"),
    "attention": ("需要关注的站点", "Sites that need attention"), "site": ("站点", "Site"),
    "state": ("状态", "State"), "since": ("起始", "Since"), "version": ("软件版本", "Software version"),
    "last_seen": ("最后消息", "Last heard from"), "oldest": ("最早未上传", "Oldest waiting"),
    "commands": ("最近的远程操作", "Recent remote actions"), "action": ("操作", "Action"),
    "issued": ("发出时间", "Sent at"), "outcome": ("结果", "Outcome"),
    "carriers": ("快递公司表现（近 30 天）", "Carrier performance (last 30 days)"),
    "carrier": ("快递公司", "Carrier"), "parcels": ("包裹", "Parcels"), "first_scan": ("及时揽收", "First scan"),
    "on_time": ("准时", "On time"), "exception": ("异常率", "Exceptions"),
    "last_mile": ("派送失败", "Last-mile failures"), "delay": ("平均延误（天）", "Average delay (days)"),
    "anomalies": ("异常", "Anomalies"), "problem": ("问题快递公司", "Problem carriers"),
    "none": ("暂无", "None"), "all_good": ("所有站点正常", "Every site is fine"),
    "occ_chart": ("占用最高的站点", "Fullest sites"), "red_chart": ("红色异常最多的站点", "Most red anomalies"),
    "carrier_chart": ("各快递公司异常数", "Anomalies by carrier"), "versions": ("软件版本分布", "Software versions"),
    "all_sites": ("全部站点", "All sites"), "next_page": ("下一页", "Next page"),
    "first_page": ("回到第一页", "Back to the first page"), "f_all": ("全部", "All"),
    "f_online": ("只看在线", "Online only"), "f_offline": ("只看离线", "Offline only"),
    "no_sites": ("没有符合条件的站点", "No site matches"),
    "unknown": ("未知", "unknown"), "lang": ("English", "中文"), "no_report": ("站点还没有上报快递数据",
                                                                           "No site has reported carrier figures yet"),
}
STATES = {"queued": ("等待发送", "Waiting to send"), "sent": ("已送达站点，等待结果", "Delivered, awaiting the result"),
          "done": ("已完成", "Done"), "failed": ("站点拒绝或失败", "Refused or failed at the site"),
          "expired": ("已过期，未执行", "Expired, not carried out")}
#: the command types in words (edge/glossary's "command" group: the console's audit uses them too)
ACTIONS = TERMS["command"]
#: why a site refused a command (cmd_result.json's codes), in words HQ staff can act on
REFUSALS = TERMS["cmd_refusal"]  # edge/glossary, shared with the console's audit
#: a remote open's outcome by the site's door sensor (the door event naming the command's door command)
DOOR_TRUTH = {
    "opened": ("柜门已打开（站点门磁确认）", "Door opened (the site's door sensor says so)"),
    "already_open": ("柜门本来就是开着的（站点门磁）", "The door was already open (the site's door sensor)"),
    "jammed": ("柜门没有打开（卡住），站点已记为故障", "The door did not open (jammed); the site marked it faulty"),
    "waiting": ("站点已执行开门，等待柜门反馈", "Carried out by the site; waiting for the door sensor"),
}
#: `sent` means the broker took the command for the site's session; for a site that is offline it waits there
#: (until its expiry), it has not reached the site (trial 2026-12-07e)
SENT_OFFLINE = ("消息服务器已收下；站点离线，上线后才会收到（过期前）",
                "Taken by the broker; the site is offline and gets it when it is back (before it expires)")
#: a command the site answered again: it reached the site once more (a broker's redelivery or a replay)
REPEATS = ("；站点又收到这条命令 {n} 次（重复送达或被重放），没有再次执行",
           "; the site received it {n} more time(s) (redelivered or replayed) and did not carry it out again")
#: a site's answer to a command HQ has no record of: forged, an old capture replayed, or another HQ
STRAY_ACTION = ("不是本总部发出的命令", "A command this HQ did not send")
#: at most this many of them among the remote actions, so that a flood of forged commands (anyone on the broker
#: can send them) cannot push HQ's own actions off the list; the last one shown says how many more there are
STRAYS_SHOWN = 5
MORE_STRAYS = ("（另有至少 {n} 条更早的未列出）", " (and at least {n} earlier ones not listed)")
STRAY_REFUSED = ("站点拒绝：", "Refused by the site: ")
STRAY_DONE = ("站点执行了这条命令（签名有效）：请核实是谁用总部的密钥发出的",
              "The site carried it out (its signature was valid): find out who sent it with HQ's key")
STRAY_CODES = {
    "invalid": ("命令格式不对", "the command was malformed"),
    "duplicate": ("重复的命令，没有再次执行", "a repeated command, not carried out again"),
}
#: the thing a command is about, from its data, shown after the action
TARGETS = ("compartment", "tracking_number", "parcel_id", "unit", "company", "version")


#: a link of a zh page that keeps the page's language (`?lang=zh`): on a 繁體 page it keeps 繁體
_ZH_LINK = re.compile(r'(\bhref="[^"]*[?&]lang=)zh(?=[&"#])')


def as_hk(html_text: str) -> str:
    """A rendered zh HQ page as a Hong Kong reader reads it (ADR 0050, as the edge console's `to_hk`): its Chinese
    converted, `lang` zh-HK, what a form sends back and what a link carries kept as stored (edge.hant.convert_page),
    except that the links that keep the page's language (`?lang=zh`) keep 繁體 (`?lang=zh-HK`)."""
    out = hant.convert_page(html_text).replace('<html lang="zh-CN">', '<html lang="zh-HK">', 1)
    return _ZH_LINK.sub(r"\1" + hant.HK, out)


def lang_switch(path: str, zh: bool, hk: bool) -> list[tuple[str, str]]:
    """The language switch of an HQ page at `path`: (label, link) of the two other languages, each named in its own
    script (简体 on a 繁體 page reads 簡體 once converted)."""
    if hk:
        return [("简体", f"{path}?lang=zh-CN"), ("English", f"{path}?lang=en")]
    if zh:
        return [("繁體", f"{path}?lang={hant.HK}"), ("English", f"{path}?lang=en")]
    return [("中文", f"{path}?lang=zh"), ("繁體", f"{path}?lang={hant.HK}")]


def _named(r: Any, key: str = "name", *, zh: bool) -> str:
    """A site as HQ staff know it: its name (from its birth, `[site].name`) with the id beside it in the page's
    brackets (edge.glossary.qualified: "东园小区（gardens-east）" on a Chinese page), or the id alone when the site
    never sent a name (ADR 0041)."""
    name = str(r.get(key) or "").strip()
    return qualified(name, str(r["site"]), "zh" if zh else "en") if name and name != r["site"] else str(r["site"])


def _t(key: str, zh: bool) -> str:
    pair = T[key]
    return pair[0] if zh else pair[1]


def _when(v: Any, zh: bool) -> str:
    if not v:
        return "—"
    try:
        t = datetime.fromisoformat(str(v).replace("Z", "+00:00"))
    except ValueError:
        return str(v)
    secs = (datetime.now(UTC) - t).total_seconds()
    if secs < 90:
        return "刚刚" if zh else "just now"
    if secs < 5400:
        return f"{secs / 60:.0f} 分钟前" if zh else f"{secs / 60:.0f} min ago"
    if secs < 172800:
        return f"{secs / 3600:.0f} 小时前" if zh else f"{secs / 3600:.0f} h ago"
    return t.strftime("%Y-%m-%d %H:%M")


def _state(row: dict[str, Any]) -> str:
    """online, offline or stale (the template marks the last two in red)."""
    if row.get("online") is not True:
        return "offline"
    return "stale" if row.get("stale") else "online"


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.0f}%"


def _bars(rows: list[tuple[str, float, str]]) -> list[tuple[str, str, str]]:
    """(name, bar width in percent of the largest, label) for a plain HTML bar chart."""
    top = max((v for _, v, _ in rows), default=0) or 1
    return [(name, f"{100 * v / top:.0f}", label) for name, v, label in rows]


def _occ(row: dict[str, Any]) -> tuple[float | None, str]:
    occ = row.get("occupancy") or {}
    total, used = occ.get("total") or 0, occ.get("occupied") or 0
    return (used / total, f"{used}/{total}") if total else (None, "—")


def _action(c: dict[str, Any], zh: bool) -> str:
    """"远程开门 A-01": the action, and what it was about."""
    words = ACTIONS.get(c["type"], (c["type"], c["type"]))[0 if zh else 1]
    raw = c.get("data")
    data: dict[str, Any] = raw if isinstance(raw, dict) else {}
    key = next((k for k in TARGETS if data.get(k) not in (None, "")), None)
    if key == "version":  # "更新规则 2" read as a rule called 2 (trial 2026-12-07e)
        return f"{words}（第 {data[key]} 版）" if zh else f"{words} (version {data[key]})"
    return f"{words} {data[key]}" if key else words


def _outcome(c: dict[str, Any], zh: bool) -> str:
    """What became of a command, in words: the site's reason for a refusal, and for a remote open whether the
    door opened (the door event the site sent), not only that the site answered."""
    i = 0 if zh else 1
    raw = c.get("result")
    result: dict[str, Any] = raw if isinstance(raw, dict) else {}
    if c["state"] == "failed":
        code, message = str(result.get("code") or ""), str(result.get("message") or "")
        if code in REFUSALS:
            return REFUSALS[code][i]
        return _service_refusal(code, message, zh)
    if c["state"] == "done" and c["type"] == "door.open":
        if c.get("door_event") == "door.jammed":
            return DOOR_TRUTH["jammed"][i]
        if c.get("door_event") == "door.opened":
            return DOOR_TRUTH["already_open" if c.get("door_outcome") == "already_open" else "opened"][i]
        return DOOR_TRUTH["waiting"][i]
    if c["state"] == "sent" and c.get("site_online") is False:
        return SENT_OFFLINE[i]
    return str(STATES.get(c["state"], (c["state"], c["state"]))[i])


#: a service refusal whose code the glossary does not know, on a Chinese page: the site's message is English only
#: (trial 2026-12-07e: "站点拒绝或失败：(document): normal: reminders must come before overdue (48.0 h)")
UNWORDED = "站点拒绝或失败：站点的说明只有英文，请在站点控制台的审计记录里查看"


def _service_refusal(code: str, message: str, zh: bool) -> str:
    """A refusal by the site's service (`compartment_unknown`, `policy_invalid`...): in Chinese the glossary's words
    for its code (edge/glossary's "error" group, the console's), in English the site's own message."""
    if zh:
        words = lookup("error", code)
        return "站点拒绝或失败：" + words[0] if words else (UNWORDED if code or message else STATES["failed"][0])
    return "Refused or failed at the site: " + message if message else STATES["failed"][1]


def outcome(c: dict[str, Any], zh: bool) -> str:
    """`_outcome`, and how many more times the site answered it (the command reached it again)."""
    words = _outcome(c, zh)
    n = int(c.get("repeats") or 0)
    return words + REPEATS[0 if zh else 1].format(n=n) if n > 0 else words


def stray_outcome(r: dict[str, Any], zh: bool) -> str:
    """What the site did with a command HQ did not send, in words: why it refused it, or that it carried it out."""
    i = 0 if zh else 1
    if r.get("ok"):
        return STRAY_DONE[i]
    code = str(r.get("code") or "")
    if code in REFUSALS:
        return REFUSALS[code][i]
    if code in STRAY_CODES:
        return STRAY_REFUSED[i] + STRAY_CODES[code][i]
    return _service_refusal(code, str(r.get("message") or ""), zh)


def remote_actions(commands: list[dict[str, Any]], strays: list[dict[str, Any]], zh: bool, *, with_site: bool,
                   limit: int = 20) -> list[tuple[str, ...]]:
    """HQ's own commands and the site answers to commands HQ did not send, newest first, as table rows
    ((site,) action, when, outcome)."""
    rows: list[tuple[str, tuple[str, ...]]] = []
    for c in commands:
        cells = (_action(c, zh), _when(c["issued_at"], zh), outcome(c, zh))
        rows.append((str(c["issued_at"] or ""), ((_named(c, "site_name", zh=zh),) if with_site else ()) + cells))
    shown = strays[:STRAYS_SHOWN]
    for k, r in enumerate(shown):
        action = STRAY_ACTION[0 if zh else 1]
        if k == len(shown) - 1 and len(strays) > len(shown):
            action += MORE_STRAYS[0 if zh else 1].format(n=len(strays) - len(shown))
        cells = (action, _when(r["received_at"], zh), stray_outcome(r, zh))
        rows.append((str(r["received_at"] or ""), ((_named(r, "site_name", zh=zh),) if with_site else ()) + cells))
    rows.sort(key=lambda x: x[0], reverse=True)
    return [cells for _, cells in rows[:limit]]


PAGE_SITES = 100


def _site_row(r: dict[str, Any], zh: bool) -> dict[str, Any]:
    """A site as the fleet page's site tables show it (attention list and the paged list); `href` links its name
    to its own page (`/sites/{site}`) in the same language (fleet.html draws the link)."""
    href = f"/sites/{quote(str(r['site']), safe='')}?lang={'zh' if zh else 'en'}"
    return {"site": _named(r, zh=zh), "href": href, "state": _state(r), "cells": (
        _when(r["since"], zh), r.get("red_anomalies") or 0, r.get("outbox_depth") or 0, _occ(r)[1],
        r.get("version") or _t("unknown", zh), _when(r["last_seen"], zh))}


def site_list(zh: bool, rows: list[dict[str, Any]], *, state: str | None, cursor: str | None,
              next_cursor: str | None) -> dict[str, Any]:
    """One page of the site list with its filter and next/first-page links (state and language kept);
    ``fleet_page(site_page=...)`` draws it."""
    lang = "zh" if zh else "en"
    filters = [(_t(key, zh), None if state == value else "/?" + qs(lang=lang, state=value))
               for key, value in (("f_all", None), ("f_online", "online"), ("f_offline", "offline"))]
    return {"filters": filters, "rows": [_site_row(r, zh) for r in rows],
            "first": "/?" + qs(lang=lang, state=state) if cursor else None,
            "next": "/?" + qs(lang=lang, state=state, cursor=next_cursor) if next_cursor else None}


def fleet_page(*, zh: bool, summary: dict[str, Any], attention: list[dict[str, Any]], sites: list[dict[str, Any]],
               commands: list[dict[str, Any]], carriers: dict[str, Any],
               site_page: dict[str, Any] | None = None, broker: dict[str, Any] | None = None,
               strays: list[dict[str, Any]] | None = None, messages: list[str] | None = None,
               hk: bool = False) -> str:
    """The fleet page; `hk`: the zh page in 繁體 (as_hk)."""
    zh = zh or hk
    lang = "zh" if zh else "en"
    cards = [(_t("sites", zh), summary.get("sites", 0), False), (_t("online", zh), summary.get("online", 0), False),
             (_t("offline", zh), summary.get("offline", 0), bool(summary.get("offline"))),
             (_t("stale", zh), summary.get("stale", 0), bool(summary.get("stale"))),
             (_t("red", zh), summary.get("red_anomalies", 0), bool(summary.get("red_anomalies"))),
             (_t("backlog", zh), summary.get("outbox_depth", 0), False),
             (_t("occupancy", zh), f"{summary.get('occupied', 0)}/{summary.get('compartments', 0)}", False)]
    att = [_site_row(r, zh) for r in attention]
    fullest = sorted(((_named(r, zh=zh), o, label) for r in sites for o, label in [_occ(r)] if o is not None),
                     key=lambda x: -x[1])[:15]
    reds = sorted(((_named(r, zh=zh), float(r.get("red_anomalies") or 0), str(r.get("red_anomalies") or 0)) for r in sites
                   if r.get("red_anomalies")), key=lambda x: -x[1])[:15]
    crows = carriers.get("carriers", [])
    by_carrier = sorted(((carrier_name(c["carrier"], lang), float(c["anomalies"]), str(c["anomalies"])) for c in crows),
                        key=lambda x: -x[1])[:15]
    versions = [(v["version"] or _t("unknown", zh), float(v["sites"]), str(v["sites"]))
                for v in summary.get("versions", [])][:10]
    charts = [(_t("occ_chart", zh), _bars(fullest), False), (_t("red_chart", zh), _bars(reds), True),
              (_t("carrier_chart", zh), _bars(by_carrier), True), (_t("versions", zh), _bars(versions), False)]
    cmds = remote_actions(commands, strays or [], zh, with_site=True)
    carr = [(carrier_name(c["carrier"], lang), c["parcels"], _pct(c["first_scan_rate"]), _pct(c["on_time_rate"]),
             _pct(c["exception_rate"]), _pct(c["last_mile_failure_rate"]),
             "—" if c["avg_delay_days"] is None else c["avg_delay_days"], c["anomalies"]) for c in crows]
    problem = ("、" if zh else ", ").join(carrier_name(p, lang) for p in carriers.get("problem_carriers", [])) \
        or _t("none", zh)
    out = str(render_page("hq/fleet.html", {
        "zh": zh, "L": {k: _t(k, zh) for k in T}, "cards": cards, "attention": att, "charts": charts,
        "commands": cmds, "carriers": carr, "problem": problem, "site_page": site_page,
        "link_down": _link_down(broker, zh), "messages": messages or [], "switch": lang_switch("/", zh, hk)}))
    return as_hk(out) if hk else out


def _link_down(broker: dict[str, Any] | None, zh: bool) -> str:
    """The banner when HQ itself has no broker connection (empty while it has one, or nobody tells)."""
    if not broker or broker.get("connected"):
        return ""
    since = _when(broker.get("since"), zh) if broker.get("since") else ""
    where = broker.get("broker") or ""
    if zh:
        when = f"（{since}起）" if since else ""
        return (f"总部与消息服务器 {where} 的连接已断开{when}：下面的站点状态、在线离线和待上传数可能已过时，"
                "站点的事件仍保存在站点上；远程操作会等连接恢复后再发出。")
    when = f" (since {since})" if since else ""
    return (f"HQ has lost its connection to the broker {where}{when}: the site states, online and offline "
            "counts and backlogs below may be out of date; the sites keep their events; remote actions wait "
            "until the connection is back.")
