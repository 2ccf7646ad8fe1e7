"""The fleet page at `/` (server-rendered, Chinese or English): sites online and offline and since when,
stale sites, versions, occupancy, red anomalies, outbox backlog, commands and the carrier report, and
every site a page of PAGE_SITES at a time (the API's keyset paging: `?state=&cursor=`, a next-page link).

Charts are plain HTML bars (no script): occupancy and red anomalies by site, anomalies by carrier.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from edge.web.console.html import Safe, esc, join, qs, render, table

T = {
    "title": ("总部 · 全部站点", "HQ · all sites"),
    "sites": ("站点", "Sites"), "online": ("在线", "Online"), "offline": ("离线", "Offline"),
    "stale": ("长时间没有消息", "Silent too long"), "red": ("红色异常", "Red anomalies"),
    "backlog": ("待上传事件", "Events waiting to upload"), "occupancy": ("格口占用", "Compartments in use"),
    "attention": ("需要关注的站点", "Sites that need attention"), "site": ("站点", "Site"),
    "state": ("状态", "State"), "since": ("自", "Since"), "version": ("软件版本", "Software version"),
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
ACTIONS = {"door.open": ("远程开门", "Open a door"), "compartment.disable": ("停用格口", "Disable a compartment"),
           "compartment.enable": ("启用格口", "Enable a compartment"), "parcel.expect": ("预登记包裹", "Pre-register a parcel"),
           "parcel.hold": ("暂缓计时", "Hold a parcel"), "policy.set": ("更新规则", "Update the rules"),
           "resync": ("补发事件", "Resend events"), "telemetry.now": ("立即上报状态", "Report status now"),
           "courier.upsert": ("更新快递员", "Update a courier"), "unit.upsert": ("更新住户单元", "Update a unit"),
           "unit.remove": ("移除住户单元", "Remove a unit")}

CSS = Safe("""<style>
body{font-family:"WenQuanYi Micro Hei",system-ui,sans-serif;margin:1.5rem;color:#1d2430;background:#f6f7f9}
h1{font-size:1.5rem}h2{font-size:1.1rem;margin-top:2rem}
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{background:#fff;border-radius:8px;padding:.8rem 1.2rem;
min-width:9rem;box-shadow:0 1px 2px #0002}.card b{display:block;font-size:1.6rem}.warn b{color:#b42318}
table{border-collapse:collapse;background:#fff;width:100%}td,th{padding:.35rem .6rem;border-bottom:1px solid #e4e7ec;
text-align:left}.bar{background:#dbe4f3;height:.9rem;border-radius:3px}.bar i{display:block;height:100%;
background:#3b6fd4;border-radius:3px}.bar.red i{background:#d92d20}.charts{display:grid;
grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1.5rem}.off{color:#b42318;font-weight:bold}
.lang{float:right}.pager a{margin-right:1rem}.pager b{margin-right:1rem}
</style>""")


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


def _state(row: dict[str, Any], zh: bool) -> Safe:
    if row.get("online") is not True:
        return render('<span class="off">{t}</span>', t=_t("offline", zh))
    if row.get("stale"):
        return render('<span class="off">{t}</span>', t=_t("stale", zh))
    return esc(_t("online", zh))


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.0f}%"


def _bars(rows: list[tuple[str, float, str]], red: bool = False) -> Safe:
    top = max((v for _, v, _ in rows), default=0) or 1
    cls = "bar red" if red else "bar"
    return table(["", "", ""], [(name, render('<div class="{c}"><i style="width:{w}%"></i></div>', c=cls,
                                              w=f"{100 * v / top:.0f}"), label) for name, v, label in rows])


def _occ(row: dict[str, Any]) -> tuple[float | None, str]:
    occ = row.get("occupancy") or {}
    total, used = occ.get("total") or 0, occ.get("occupied") or 0
    return (used / total, f"{used}/{total}") if total else (None, "—")


PAGE_SITES = 100


def site_list(zh: bool, rows: list[dict[str, Any]], *, state: str | None, cursor: str | None,
              next_cursor: str | None) -> Safe:
    """One page of the site list with its filter and next/first-page links (state and language kept)."""
    lang = "zh" if zh else "en"
    filters = join(render('<b>{t}</b>', t=_t(key, zh)) if state == value else
                   render('<a href="/?{q}#all-sites">{t}</a>', q=qs(lang=lang, state=value), t=_t(key, zh))
                   for key, value in (("f_all", None), ("f_online", "online"), ("f_offline", "offline")))
    links = []
    if cursor:
        links.append(render('<a href="/?{q}#all-sites">{t}</a>', q=qs(lang=lang, state=state), t=_t("first_page", zh)))
    if next_cursor:
        links.append(render('<a rel="next" href="/?{q}#all-sites">{t}</a>',
                            q=qs(lang=lang, state=state, cursor=next_cursor), t=_t("next_page", zh)))
    tbl = table([_t("site", zh), _t("state", zh), _t("since", zh), _t("red", zh), _t("backlog", zh),
                 _t("occupancy", zh), _t("version", zh), _t("last_seen", zh)],
                [(r["site"], _state(r, zh), _when(r["since"], zh), r.get("red_anomalies") or 0,
                  r.get("outbox_depth") or 0, _occ(r)[1], r.get("version") or _t("unknown", zh),
                  _when(r["last_seen"], zh)) for r in rows], empty=_t("no_sites", zh))
    return render('<h2 id="all-sites">{h}</h2><p class="pager">{f}</p>{t}<p class="pager">{l}</p>',
                  h=_t("all_sites", zh), f=filters, t=tbl, l=join(links))


def fleet_page(*, zh: bool, summary: dict[str, Any], attention: list[dict[str, Any]], sites: list[dict[str, Any]],
               commands: list[dict[str, Any]], carriers: dict[str, Any], site_page: Safe = Safe("")) -> str:
    cards = [(_t("sites", zh), summary.get("sites", 0), False), (_t("online", zh), summary.get("online", 0), False),
             (_t("offline", zh), summary.get("offline", 0), bool(summary.get("offline"))),
             (_t("stale", zh), summary.get("stale", 0), bool(summary.get("stale"))),
             (_t("red", zh), summary.get("red_anomalies", 0), bool(summary.get("red_anomalies"))),
             (_t("backlog", zh), summary.get("outbox_depth", 0), False),
             (_t("occupancy", zh), f"{summary.get('occupied', 0)}/{summary.get('compartments', 0)}", False)]
    cards_html = join(render('<div class="card{w}"><b>{v}</b>{k}</div>', w=" warn" if warn else "", v=v, k=k)
                      for k, v, warn in cards)
    att = table([_t("site", zh), _t("state", zh), _t("since", zh), _t("red", zh), _t("backlog", zh),
                 _t("occupancy", zh), _t("version", zh), _t("last_seen", zh)],
                [(r["site"], _state(r, zh), _when(r["since"], zh), r.get("red_anomalies") or 0,
                  r.get("outbox_depth") or 0, _occ(r)[1], r.get("version") or _t("unknown", zh),
                  _when(r["last_seen"], zh)) for r in attention], empty=_t("all_good", zh))
    fullest = sorted(((r["site"], o, label) for r in sites for o, label in [_occ(r)] if o is not None),
                     key=lambda x: -x[1])[:15]
    reds = sorted(((r["site"], float(r.get("red_anomalies") or 0), str(r.get("red_anomalies") or 0)) for r in sites
                   if r.get("red_anomalies")), key=lambda x: -x[1])[:15]
    crows = carriers.get("carriers", [])
    by_carrier = sorted(((c["carrier"], float(c["anomalies"]), str(c["anomalies"])) for c in crows),
                        key=lambda x: -x[1])[:15]
    versions = [(v["version"] or _t("unknown", zh), float(v["sites"]), str(v["sites"]))
                for v in summary.get("versions", [])][:10]
    charts = join(render('<div><h2>{h}</h2>{b}</div>', h=h, b=b if rows else esc(_t("none", zh)))
                  for h, b, rows in [(_t("occ_chart", zh), _bars(fullest), fullest),
                                     (_t("red_chart", zh), _bars(reds, red=True), reds),
                                     (_t("carrier_chart", zh), _bars(by_carrier, red=True), by_carrier),
                                     (_t("versions", zh), _bars(versions), versions)])
    cmds = table([_t("site", zh), _t("action", zh), _t("issued", zh), _t("outcome", zh)],
                 [(c["site"], ACTIONS.get(c["type"], (c["type"], c["type"]))[0 if zh else 1],
                   _when(c["issued_at"], zh), STATES.get(c["state"], (c["state"], c["state"]))[0 if zh else 1])
                  for c in commands], empty=_t("none", zh))
    carr = table([_t("carrier", zh), _t("parcels", zh), _t("first_scan", zh), _t("on_time", zh),
                  _t("exception", zh), _t("last_mile", zh), _t("delay", zh), _t("anomalies", zh)],
                 [(c["carrier"], c["parcels"], _pct(c["first_scan_rate"]), _pct(c["on_time_rate"]),
                   _pct(c["exception_rate"]), _pct(c["last_mile_failure_rate"]),
                   "—" if c["avg_delay_days"] is None else c["avg_delay_days"], c["anomalies"]) for c in crows],
                 empty=_t("no_report", zh))
    problem = ", ".join(carriers.get("problem_carriers", [])) or _t("none", zh)
    body = render(
        '<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{css}</head><body>'
        '<a class="lang" href="/?lang={other}">{switch}</a><h1>{title}</h1><div class="cards">{cards}</div>'
        '<h2>{h_att}</h2>{att}<div class="charts">{charts}</div>{site_page}<h2>{h_cmd}</h2>{cmds}'
        '<h2>{h_car}</h2>{carr}<p><b>{h_prob}:</b> {problem}</p></body></html>',
        lang="zh-CN" if zh else "en", title=_t("title", zh), css=CSS, other="en" if zh else "zh",
        switch=_t("lang", zh), cards=cards_html, site_page=site_page, h_att=_t("attention", zh), att=att, charts=charts,
        h_cmd=_t("commands", zh), cmds=cmds, h_car=_t("carriers", zh), carr=carr, h_prob=_t("problem", zh),
        problem=problem)
    return str(body)
