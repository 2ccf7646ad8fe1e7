"""HQ's page of one site at `/sites/{site}` (server-rendered, Chinese or English; issue 18, DESIGN.md 4 and 8):
its state and since when, its last telemetry in words (doors, free doors by size, backlog, clock), its open
tracking anomalies, recent events, the remote actions sent to it and their outcomes, and the tracking updates
sent down to it. The words shared with the fleet page come from page.T / page.STATES; event, anomaly, severity
and carrier words from edge.glossary (one definition of each word).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from cloudsync.hq import messagepage
from cloudsync.hq.page import T, _named, _state, _when, as_hk, lang_switch, remote_actions
from edge.glossary import anomaly_step, carrier_name, label, lookup, split_legacy_step
from edge.web.console.templating import render_page

log = logging.getLogger(__name__)

#: the time zone for a site's event times when HQ has not heard it from the site (a birth from before sites sent
#: their `timezone`): every such site so far is in China
SITE_TZ = ZoneInfo("Asia/Shanghai")

S = {
    "back": ("返回全部站点", "Back to all sites"), "status": ("当前状态", "Now"),
    "first_seen": ("总部首次收到", "First heard from"), "telemetry": ("最近一次状态报告", "Last status report"),
    "reported": ("报告时间", "Reported"), "doors": ("柜门", "Doors"), "doors_total": ("格口总数", "Compartments"),
    "doors_open": ("开着的柜门", "Doors open"), "doors_faulty": ("故障格口", "Faulty compartments"),
    "free_by_size": ("各尺寸空闲格口", "Free compartments by size"), "size": ("尺寸", "Size"),
    "free": ("空闲", "Free"), "in_use": ("占用", "In use"), "disabled": ("停用", "Disabled"),
    "clock": ("站点时钟", "Site clock"), "clock_ok": ("已同步", "Synchronised"),
    "clock_bad": ("未同步：站点会拒绝需要时间的远程操作", "Not synchronised: the site refuses time-sensitive actions"),
    "no_telemetry": ("站点还没有发送状态报告", "The site has not sent a status report yet"),
    "open_anomalies": ("未解决的物流异常", "Open tracking anomalies"), "tracking_number": ("快递单号", "Tracking number"),
    "kind": ("异常", "Anomaly"), "severity": ("程度", "Severity"), "next_step": ("下一步", "Next step"), "when": ("时间（站点当地）", "Time (site's local)"),
    "events": ("最近的事件", "Recent events"), "event": ("事件", "Event"), "details": ("内容", "Details"),
    "compartment": ("格口", "Compartment"), "tracking_down": ("发给站点的物流更新", "Tracking updates sent to the site"),
    "read_as": ("含义：", "read as"), "every_carrier": ("用于所有快递公司", "for every carrier"), "relabelled": ("已收到的 {n} 条同类描述已按此重读", "{n} received text(s) re-read"),
    "updates": ("条物流记录", "tracking events"), "update": ("条物流记录", "tracking event"), "created": ("收到时间", "Received"),
    "not_found_title": ("没有这个站点", "No such site"),
    "not_found": ("总部从未收到过这个站点的消息。请检查链接，或回到全部站点列表。",
                  "HQ has never heard from this site. Check the link, or go back to the list of all sites."),
    "clock_unsynced_event": ("站点时钟未同步", "site clock not synchronised"),
}
SIZES = {"S": ("小", "Small"), "M": ("中", "Medium"), "L": ("大", "Large"), "XL": ("特大", "Extra large")}
TRACK_STATES = {"queued": ("等待发送", "Waiting to send"),
                "sent": ("已交给消息服务器（站点不回执）", "Handed to the broker (sites do not acknowledge)"),
                "expired": ("已过期，未发出", "Expired, not sent")}

def _w(key: str, zh: bool) -> str:
    pair = S.get(key) or T[key]
    return pair[0] if zh else pair[1]


def _pick(pairs: dict[str, tuple[str, str]], code: Any, zh: bool) -> str:
    pair = pairs.get(str(code or ""))
    if pair is None:
        return T["unknown"][0 if zh else 1]
    return pair[0] if zh else pair[1]


def site_zone(site: dict[str, Any]) -> ZoneInfo:
    """The site's own time zone from its birth, else SITE_TZ."""
    try:
        return ZoneInfo(str(site["timezone"])) if site.get("timezone") else SITE_TZ
    except (ValueError, KeyError):
        return SITE_TZ


def local_time(v: Any, tz: ZoneInfo = SITE_TZ) -> str:
    """An event's time as the site's local wall clock, "2026-12-03 14:05"."""
    if not v:
        return "—"
    try:
        t = datetime.fromisoformat(str(v).replace("Z", "+00:00"))
    except ValueError:
        return "—"
    return t.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def iso_of(v: Any) -> Any:
    return v.isoformat() if isinstance(v, datetime) else v


def _int(v: Any) -> int:
    return v if isinstance(v, int) and not isinstance(v, bool) else 0


def _dict(v: Any) -> dict[str, Any]:
    return v if isinstance(v, dict) else {}


def telemetry_words(site: dict[str, Any], zh: bool) -> dict[str, Any] | None:
    """The last telemetry in words: (label, value) lines and the free-by-size table; None before the first."""
    t = site.get("telemetry")
    if not isinstance(t, dict):
        return None
    occ = _dict(t.get("occupancy"))
    sizes = []
    for size, row in sorted(occ.items(), key=lambda kv: list(SIZES).index(kv[0]) if kv[0] in SIZES else 99):
        if isinstance(row, dict):
            sizes.append((_pick(SIZES, size, zh), _int(row.get("free")), _int(row.get("occupied")),
                          _int(row.get("disabled")), _int(row.get("fault")), _int(row.get("total"))))
    faults = t.get("faults") if isinstance(t.get("faults"), list) else []
    outbox = _dict(t.get("outbox"))
    age = outbox.get("oldest_unsent_age_s")
    oldest = "—"
    if isinstance(age, int | float) and not isinstance(age, bool) and age > 0:
        oldest = f"{age / 60:.0f} 分钟" if zh else f"{age / 60:.0f} min"
    sep = "、" if zh else ", "
    lines = [
        (_w("reported", zh), _when(site.get("last_telemetry_at"), zh)),
        (_w("doors_total", zh), str(sum(s[5] for s in sizes))),
        (_w("doors_open", zh), str(_int(t.get("doors_open")))),
        (_w("doors_faulty", zh), (f"{len(faults)}（{sep.join(map(str, faults))}）" if zh else
                                  f"{len(faults)} ({sep.join(map(str, faults))})") if faults else "0"),
        (_w("backlog", zh), str(_int(outbox.get("depth")))),
        (_w("oldest", zh), oldest),
    ]
    return {"lines": lines, "sizes": sizes}


#: a site clock this far from HQ's is named on the page: a command's `expires_at` (HQ's clock) is checked on the
#: site's, so a site hours ahead refuses every command as expired while calling its clock synchronised, and one
#: over 60 s behind refuses them as not yet valid (trial 2026-12-07e)
SKEW_SHOWN_S = 120.0


def clock_skew_s(site: dict[str, Any]) -> float | None:
    """How far the site's clock was ahead of HQ's (negative: behind) at its last telemetry: the time the telemetry
    carries against the time HQ received it (broker delay is seconds, not minutes). None without a telemetry."""
    doc = site.get("telemetry")
    ts = doc.get("ts") if isinstance(doc, dict) else None
    got = site.get("last_telemetry_at")
    if not isinstance(ts, str) or not got:
        return None
    try:
        sent = datetime.fromisoformat(ts.replace("Z", "+00:00"))
        received = datetime.fromisoformat(str(got).replace("Z", "+00:00"))
    except ValueError:
        return None
    return (sent - received).total_seconds()


def _span(secs: float, zh: bool) -> str:
    secs = abs(secs)
    if secs >= 2 * 86400:
        return f"{secs / 86400:.0f} 天" if zh else f"{secs / 86400:.0f} days"
    if secs >= 2 * 3600:
        return f"{secs / 3600:.0f} 小时" if zh else f"{secs / 3600:.0f} hours"
    return f"{secs / 60:.0f} 分钟" if zh else f"{secs / 60:.0f} min"


def _clock(site: dict[str, Any], zh: bool) -> str:
    synced = site.get("clock_synced")
    if synced is None:
        return T["unknown"][0 if zh else 1]
    words = _w("clock_ok" if synced else "clock_bad", zh)
    skew = clock_skew_s(site)
    if skew is not None and abs(skew) > SKEW_SHOWN_S:
        span = _span(skew, zh)
        if zh:
            words += (f"；比总部快 {span}：总部命令的有效期在站点上短了这么多，可能一到就已过期" if skew > 0
                      else f"；比总部慢 {span}：总部的命令到达时会被当作还未生效")
        else:
            words += (f"; {span} ahead of HQ's: HQ's commands have that much less time there and may arrive expired"
                      if skew > 0
                      else f"; {span} behind HQ's: HQ's commands reach it not yet valid")
    return words


def _clock_wrong(site: dict[str, Any]) -> bool:
    skew = clock_skew_s(site)
    return site.get("clock_synced") is False or (skew is not None and abs(skew) > SKEW_SHOWN_S)


def _event_details(e: dict[str, Any], zh: bool) -> str:
    raw = e.get("data")
    data: dict[str, Any] = raw if isinstance(raw, dict) else {}
    lang = "zh" if zh else "en"
    parts = []
    if data.get("compartment"):
        parts.append(f"{_w('compartment', zh)} {data['compartment']}")
    if data.get("tracking_number"):
        parts.append(f"{_w('tracking_number', zh)} {data['tracking_number']}")
    if data.get("carrier"):
        parts.append(carrier_name(str(data["carrier"]), lang))
    if e.get("type") == "tracking.label_added":
        # what was labelled, read as what, by whom: the label is the event (trial 2026-12-07b: only the carrier)
        parts.extend(_label_details(data, zh))
    if data.get("kind") and str(e.get("type", "")).startswith("parcel.anomaly"):
        parts.append(label("anomaly", str(data["kind"]), lang))
    if e.get("clock_synced") is False:
        parts.append(_w("clock_unsynced_event", zh))
    return ("，" if zh else ", ").join(parts) or "—"


def _who(actor: str, zh: bool) -> str:
    """A site's actor in words: "staff:lin" is 员工 lin / staff lin; HQ's "hq:alice" 总部 alice / HQ alice."""
    kind, _, name = actor.partition(":")
    word = {"staff": ("员工", "staff"), "hq": ("总部", "HQ")}.get(kind)
    if word is None or not name:
        return actor
    return f"{word[0 if zh else 1]} {name}"


def _label_details(data: dict[str, Any], zh: bool) -> list[str]:
    lang = "zh" if zh else "en"
    out = []
    example = str(data.get("example") or data.get("template") or "")
    if example:
        out.append(f"“{example}”" if zh else f"\"{example}\"")
    if not data.get("carrier"):
        out.append(_w("every_carrier", zh))
    if lookup("milestone", str(data.get("milestone") or "")) is not None:  # a newer site's milestone: left out
        meaning = label("milestone", str(data["milestone"]), lang)
        out.append(f"{_w('read_as', zh)}{meaning}" if zh else f"{_w('read_as', zh)} {meaning}")
    if data.get("actor"):
        out.append(_who(str(data["actor"]), zh))
    n = data.get("relabelled_events")
    if isinstance(n, int) and n > 0:
        out.append(_w("relabelled", zh).format(n=n))
    return out


def anomaly_step_words(a: dict[str, Any], lang: str) -> str:
    """The next step an anomaly event names, in `lang`, with where the carrier says the parcel went.

    Events from sites since ADR 0046 carry the step alone (`next_step`) beside `place`; older ones only
    `next_action`, which for a named place ends with the English " (carrier text: <kind> <name>)" their site
    appended: that exact suffix, built from the event's own `place`, is taken off, so both read alike."""
    place = a.get("place") if isinstance(a.get("place"), dict) else None
    step = a.get("next_step")
    if not isinstance(step, str):
        step = split_legacy_step(str(a.get("next_action") or ""), place)
    if not step and not place:
        return ""
    return anomaly_step(a.get("kind"), step, place, lang)


def _count(n: Any, zh: bool) -> str:
    """"3 条物流记录" / "1 tracking event": how many carrier events a tracking update carries."""
    return f"{n} {_w('update' if n == 1 else 'updates', zh)}"


def site_page(*, zh: bool, detail: dict[str, Any], hk: bool = False) -> str:
    """The site's page; `hk`: the zh page in 繁體 (page.as_hk)."""
    zh = zh or hk
    lang = "zh" if zh else "en"
    site = detail["site"]
    state = _state(site)
    tz = site_zone(site)
    status = [(_w("state", zh), T[state][0 if zh else 1], state != "online"),
              (_w("since", zh), _when(site.get("since"), zh), False),
              (_w("last_seen", zh), _when(site.get("last_seen"), zh), False),
              (_w("first_seen", zh), _when(site.get("first_seen"), zh), False),
              (_w("version", zh), site.get("version") or T["unknown"][0 if zh else 1], False),
              (_w("clock", zh), _clock(site, zh), _clock_wrong(site))]
    anomalies = [(a["tracking_number"] or "—", carrier_name(a.get("carrier"), lang) or "—",
                  label("anomaly", a.get("kind"), lang), label("severity", a.get("severity"), lang),
                  anomaly_step_words(a, lang) or "—", local_time(a["ts"], tz)) for a in detail["anomalies"]]
    events = [(local_time(e["ts"], tz), label("event", e["type"], lang), _event_details(e, zh)) for e in detail["events"]]
    cmds = remote_actions(detail["commands"], detail.get("strays", []), zh, with_site=False)
    track = [(u["tracking_number"], carrier_name(u.get("carrier"), lang) or "—", _count(u["events"], zh),
              _when(u["created_at"], zh), _pick(TRACK_STATES, u["state"], zh)) for u in detail["tracking"]]
    path = f"/sites/{quote(str(site['site']), safe='')}"
    out = str(render_page("hq/site.html", {
        "zh": zh, "lang": lang, "L": {k: _w(k, zh) for k in (*T, *S)}, "name": _named(site, zh=zh), "site_id": site["site"],
        "status": status, "telemetry": telemetry_words(site, zh), "anomalies": anomalies, "events": events,
        "commands": cmds, "tracking": track,
        "messages": messagepage.section(detail.get("messages") or {}, zh, lambda v: local_time(iso_of(v), tz)),
        "switch": lang_switch(path, zh, hk)}))
    return as_hk(out) if hk else out


def not_found_page(*, zh: bool, hk: bool = False) -> str:
    zh = zh or hk
    out = str(render_page("hq/site_404.html", {"zh": zh, "L": {k: _w(k, zh) for k in (*T, *S)}}))
    return as_hk(out) if hk else out
