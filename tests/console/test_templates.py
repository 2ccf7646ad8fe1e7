"""Console HTML lives in Jinja2 templates (edge/web/templates/console), not in Python strings.

* no console module carries HTML markup in its source (a regex over edge/web/console/*.py);
* every template renders once, in Chinese and in English, from a minimal context, with StrictUndefined
  (a name the template uses but nobody passes fails here, not in front of staff).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from jinja2 import meta, nodes
from markupsafe import Markup

from edge import glossary
from edge.web.console import settings_form, templating
from edge.web.console.i18n import lang_choices, translator
from edge.web.console.templating import Badge, Link

CONSOLE = Path(templating.__file__).resolve().parent
MARKUP = re.compile(r"<(div|table|form|p|a|span|tr|td|th|ul|li|h[1-6]|input|button|label|select|option|section|"
                    r"article|nav|main|svg|rect|text|g|line|path|circle|polyline|br|strong|em|small|textarea|img)\b")
# the console and the HQ page (which shares the template directory)
SOURCES = [*sorted(CONSOLE.glob("*.py")), *sorted((CONSOLE.parents[2] / "cloudsync" / "hq").glob("*.py"))]


def test_no_html_markup_in_console_python() -> None:
    found = []
    assert len(SOURCES) > 20
    for path in SOURCES:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if MARKUP.search(line):
                found.append(f"{path.name}:{n}: {line.strip()[:100]}")
    assert not found, "HTML belongs in edge/web/templates/console:\n" + "\n".join(found)


def test_the_markup_check_can_fail() -> None:
    assert MARKUP.search("render('<td>{x}</td>')") and MARKUP.search('"<a href=x>"')
    assert not MARKUP.search("if a < b and x<y:") and not MARKUP.search("List<int>")


@dataclass
class FakeUser:
    username: str = "staff"
    is_admin: bool = True


@dataclass
class FakeCtx:
    """What templates read from the page context: language, user, CSRF token, translations."""

    lang: str
    user: FakeUser = field(default_factory=FakeUser)
    csrf: str = "csrf-token"
    site_name: str = "测试站点"

    def t(self, key: str) -> str:
        return translator(self.lang)(key)

    def g(self, group: str, code: str | None) -> str:
        return glossary.label(group, code, self.lang)

    @property
    def csrf_input(self) -> Markup:
        return templating.render_template("_csrf.html", {"ctx": self})

    @property
    def lang_choices(self) -> list[tuple[str, str, bool]]:
        """The language switch (base.html): a site offering zh-CN, en and zh-HK (ADR 0050)."""
        return lang_choices(["zh-CN", "en", "zh-HK"], self.lang)


SETTINGS = settings_form.sections({"version": 3, "overdue_hours": 72, "reminder_hours": [24.0, 48],
                                   "disposal_options": ["hand_over"], "storage_fee": {"enabled": True,
                                   "currency": "CNY", "cap": None}}, "zh")
BOARD = {"states": ("free", "occupied"), "cells": [("occupied", "A-01", "M", "占用", "占用", "red", "1-101", "/compartments#c-A-01", ""),
                                                ("retired", "A-16", "S", "已拆除", "已拆除", "green", "2-502", "/parcels/p9",
                                                 "请交付或移至包裹室")], "alarms": [("12:00", Badge("门被撬开", "red"), "A-01")], "data": {
    "counts": {"free": 1}, "grades": {"green": 1}, "summary": {"outbox": 0}, "now_local": "", "cloud": {
        "connected": False, "broker": "127.0.0.1", "oldest_unsent_age_s": 3, "last_error": "拒绝连接"},
    "cells": [{"id": "A-01", "show": "occupied", "note": "", "size": "M", "parcels": [{"unit": "1-101", "grade": "red"}]},
              {"id": "A-02", "show": "free", "note": "", "size": "S", "parcels": []}]}}
ALERTS = [{"severity": "red", "time": "", "text": "派送失败", "state": "Not sent yet"}]
DOSSIER = {"interactive": True, "tracking_number": "SF1", "facts": [("运单号", "SF1")], "channels": [("x", "投诉")],
           "clock": {"channel": "快递公司投诉", "reference": "R1", "at": "", "key": "If unresolved by {due}, escalate.",
                     "due": "2026-01-01", "status": "剩余 3 天", "postal_channel": "12305"},
           "timeline": [("", "运输中", "", "", "")], "follow": [], "records": [("", "", "", "")],
           "anomalies": [("", "停滞", Badge("立即处理", "red"), "", "")]}
BASE = {"title": "T", "body_cls": "", "nav": [{"href": "/", "label": "Dashboard", "active": True}], "path": "/",
        "flash": ("ok", "已保存"), "storage_banner": None}
FRAG = Markup("<p>x</p>")

# the smallest values each template needs (besides ctx); a template missing here fails the coverage test
SAMPLES: dict[str, dict[str, Any]] = {
    "_csrf.html": {},
    "_form_words.html": {},
    "macros.html": {},
    "base.html": {**BASE, "body": FRAG},
    "empty_page.html": {**BASE, "text": "无"},
    "locks.html": {**BASE, "L": {"hint": "h", "clear": "解除", "admin_only": "仅管理员", "empty": "无",
                                 "headers": ["a", "b", "c", "d"]},
                   "rows": [{"id": "code:pickup:kiosk:k1", "what": "w", "who": "k1", "left": "60 秒", "may_clear": m}
                            for m in (True, False)]},
    "lock_confirm.html": {**BASE, "L": {"question": "q", "yes": "y", "no": "n"}, "lock_id": "rules:hold",
                          "what": "w", "who": "全站", "why": "why"},
    "login.html": {"lang": "zh", "site": "站点", "error": "用户名或密码错误", "csrf": "x", "next": "/", "no_admin": True,
                   "choices": [("zh", "简体", True), ("en", "EN", False), ("zh-HK", "繁體", False)]},
    "door_confirm.html": {**BASE, "door": "A-01", "action": "/compartments/A-01/open", "back": "/compartments",
                          "what": "门将打开", "why": "有人在场", "hidden": [], "reason": "",
                          "inside": [{"id": "p1", "tracking_number": "SF1", "unit": "1-101"}]},
    "tasks.html": {**BASE, "late": 1, "rows": [
        {"id": 1, "kind": k, "parcel_id": p, "compartment_id": "A-01", "title": "检查柜门", "tracking_number": "SF1",
         "unit": "1-101", "location": "A-01", "stage": "", "due": "12-01 10:00", "past": True, "who": ""}
        for k, p in (("notice", None), ("door_check", "p1"), ("door_check", None))]},
    "tracking_labels.html": {**BASE, "L": {k: k for k in ("hint", "example", "carrier", "seen", "guess", "meaning",
                                                          "save", "empty", "labels", "by", "when", "export",
                                                          "from", "shipped", "template", "cannot_tell", "set_aside",
                                                          "set_aside_hint", "undo", "action")},
                             "queue": [{"example": "已签收", "carrier": "SF", "carrier_code": "SF", "seen": "3",
                                        "guess": "x", "template": "已签收", "preselect": "delivered",
                                        "sources": [("/parcels/p1", "SF1（1-101）")]}],
                             "given": [(("a", "b", "c", "d", "e"), ("t", "SF"))], "n_given": 1,
                             "choices": [("delivered", "已签收")], "shipped": [("a", "b", "c")], "n_shipped": 1,
                             "aside": [(("a", "b", "3", "d", "e"), ("t", ""))]},
    "tracking_reading.html": {**BASE, "facts": [("物流描述", "x")], "notes": ["确认后"], "back": "/parcels/p1",
                              "event_id": 1, "milestone": "exception", "scope": "carrier",
                              "W": {"confirm": "确认修改", "cancel": "取消"}},
    "audit.html": {**BASE, "who": "", "what": "", "rows": [("t", "a", "b", "c", "d", "e")], "pg": 1, "more": True},
    "users.html": {**BASE, "users": [{"username": "a", "is_admin": True, "active": True, "last_login": ""},
                                     {"username": "b", "is_admin": False, "active": False, "last_login": ""}]},
    "settings.html": {**BASE, "version": 3, "sections": SETTINGS},
    "_settings_form.html": {"version": 3, "sections": SETTINGS},
    "_sources.html": {"sources": [("站点", 3, "0.1", "0.2")]},
    "parcels.html": {**BASE, "rows": [(Link("/parcels/p1", "SF1"), "顺丰", "1-101", "普通", Badge("在存", "occupied"),
                                       "A-01", "", "")], "states": [("", "全部")], "carriers": [("", "全部")],
                     "anomaly_choices": [("", "全部")],
                     "f": {"q": "", "unit": "", "carrier": "", "state": "", "anomaly": "", "age": ""}},
    "parcel.html": {**BASE, "p": {"id": "p1", "stage": "disposal_due"}, "facts": [("运单号", "SF1")], "opening": False,
                    "in_locker": True, "active": True, "hold_default": "2026-01-01", "interrupted": None,
                    "disposal": [("hand_over", "交给住户")], "channels": [("phone", "电话")], "follow_ups": True,
                    "timeline": [{"ts": "", "cls": "storage", "badge": "存放", "badge_kind": "occupied", "what": "入柜",
                                  "parts": ["员工 a", ""]},
                                 {"ts": "", "cls": "tracking", "badge": "物流", "badge_kind": "reserved", "what": "到达",
                                  "parts": ["快件已到达", ""], "event_id": 7}],
                    "wrong": {"wrong": "这条判断不对", "should": "应为", "next": "下一步", "back": "/parcels/p1",
                              "choices": [("exception", "异常")], "scopes": [("all", "用于所有快递公司")]}},
    "_hbars.svg": {"title": "快递", "width": 520, "height": 100, "label_w": 110, "legend": [
        {"x": 1, "color": "#000", "tx": 2, "y": 80, "ty": 91, "name": "准时率"}], "groups": [{"label": "顺丰", "y": 1, "bars": [
            {"y": 1, "w": "1.0", "h": 12, "color": "#000", "series": "准时率", "shown": "50%", "tx": "2", "ty": 3}]}]},
    "expected.html": {**BASE, "rows": [(Link("/parcels/p1", "SF1"), "", "", "", "", "", "", "", Badge("红", "red"),
                                        "", "")], "categories": [("normal", "普通")]},
    "anomalies.html": {**BASE, "reds": 1, "rows": [{"tracking_number": "SF1", "kind": "stalled",
                                                    "cells": (Link("/parcels/SF1", "SF1"), Badge("红", "red"))}]},
    "notice.html": {"items": [("****1234", "顺丰", "1-**", "A-01", "", "")], "where": "前台", "printed": ""},
    "carriers.html": {**BASE, "days": 30, "chart": FRAG, "headers": ["快递公司"], "rows": [["顺丰"]],
                      "problems": [("顺丰", "10%", 1, 2)], "sources": [("站点", 1, "0.1", "0.2")]},
    "unavailable_page.html": {**BASE, "what": "物流"},
    "_board.html": BOARD,
    "dashboard.html": {**BASE, **BOARD, "setup": FRAG},
    "compartments.html": {**BASE, "rows": [{"id": "A-01", "size": "M", "show": "occupied", "door": "closed", "note": "",
                                            "parcels": [{"id": "p1", "tracking_number": "SF1"}], "action": "disable",
                                            "label": "Disable", "cls": "warn", "retired": ""},
                                           {"id": "A-16", "size": "S", "show": "retired", "door": "closed", "note": "",
                                            "parcels": [{"id": "p9", "tracking_number": "ZT7"}], "action": "disable",
                                            "label": "Disable", "cls": "warn", "retired": "这个格口已从配置中拆除"}],
                           "unchecked": 2},
    "_reconcile_banner.html": {"unchecked": 3},
    "reconcile.html": {**BASE, "total": 2, "banks": [{"bank": "A", "doors": [
        {"id": "A-02", "size": "中", "state": "空闲"}, {"id": "A-03", "size": "大", "state": "停用"}]}]},
    "_failed_parts.html": {"text": "以下功能没有启动"},
    "_setup_banner.html": {"missing": [("channel", "还没有通知渠道")]},
    "messages.html": {**BASE, "counts": {"pending": 1}, "age": "-", "channels": [("sms", Badge("正常", "green"), 1, "")],
                      "state": "", "states": [("", "全部")], "pg": 1, "more": True,
                      "rows": [{"id": "m1", "retry": True, "text": "您的包裹", "cells": ("", "到件通知", "1-101")}]},
    "desk.html": {**BASE, "unit": "1-101", "tail": "1234", "found": [{"id": "p1", "tracking_number": "SF1",
                                                                      "shelf_slot": "R1"}],
                  "room": [("R1", Link("/parcels/p1", "SF1"), "", "", "", "")], "categories": [("normal", "普通")]},
    "_desk_alerts.html": {"alerts": ALERTS},
    "transit.html": {**BASE, "wall": True, "counts": {"red": 1, "yellow": 0, "green": 0}, "alerts": ALERTS,
                     "owner_choices": [("desk", "前台")], "cards": [
                         {"grade": "red", "badge": Badge("立即处理", "red"), "tracking_number": "SF1", "link": "/x",
                          "category": "", "unit": "1-101", "carrier": "顺丰", "problems": "停滞", "place": "网点：A",
                          "scan": {"milestone": "运输中", "where": "—", "ago": "1 小时前", "text": ""},
                          "conflict": True, "eta": "", "next": "", "owner": "前台", "kind": "stalled",
                          "owner_code": "desk"},
                         {"grade": "green", "badge": "", "tracking_number": "SF2", "link": "/x", "category": "",
                          "unit": "", "carrier": "", "problems": "", "place": "", "scan": None, "conflict": False,
                          "eta": "", "next": "", "owner": "", "kind": "", "owner_code": None}]},
    "_dossier.html": DOSSIER,
    "dossier.html": {**BASE, **DOSSIER},
    "dossier_file.html": {**DOSSIER, "interactive": False},
    "couriers.html": {**BASE, "companies": ["顺丰速运"], "rows": [
        {"id": "c1", "company": "顺丰", "name": "王", "code_hint": "**12", "enabled": e, "last_use": "从未"}
        for e in (True, False)]},
    "units.html": {**BASE, "q": "", "keep_phone": False, "edit": {"unit": "1-101", "locker_consent": False}, "vacation_local": "",
                   "rows": [{"unit": "1-101", "phone_tail": "1234", "lang": "中文", "low_door": True, "consent": False,
                             "vacation": ""}]},
    "units_import.html": {**BASE, "rows": [(Badge("新增", "green"), "1-101", "")], "replace": True, "data": "eA==", "ignored": "",
                          "n": {"add": 1, "change": 0, "same": 0, "remove": 0}, "problems": [], "said": "", "more": 0},
}


def _names() -> list[str]:
    return [n.split("/", 1)[1] for n in templating.template_names()]


def test_every_template_has_a_sample() -> None:
    assert set(_names()) == set(SAMPLES), "add the new template's minimal context to SAMPLES"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_template_renders_with_a_minimal_context(name: str, lang: str) -> None:
    values = {"ctx": FakeCtx(lang), **SAMPLES[name]}
    if "lang" in values and name == "login.html":
        values["lang"] = lang
    source = templating.ENV.loader.get_source(templating.ENV, f"console/{name}")[0]  # type: ignore[union-attr]
    tree = templating.ENV.parse(source)
    imported = {n.target for n in tree.find_all(nodes.Import)}
    imported |= {n.name for n in tree.find_all(nodes.Name) if n.ctx == "store"}  # {% set %} in a branch
    imported |= {n.name for n in tree.find_all(nodes.Macro)}
    needed = meta.find_undeclared_variables(tree) - set(templating.ENV.globals) - {"ctx"} - imported
    assert needed <= set(values), f"{name} needs {needed - set(values)}"
    out = templating.render_template(name, values)
    assert "None" not in out and "Undefined" not in out
    # a dict key that is also a dict method (L.clear, L.items) renders the method: "<built-in method clear ...>"
    assert "built-in method" not in out and "bound method" not in out, name


@pytest.mark.parametrize("zh", [True, False])
def test_hq_pages_render(zh: bool) -> None:
    from cloudsync.hq.page import fleet_page

    site = {"site": "一号站<b>", "online": False, "since": None, "last_seen": None, "occupancy": {"total": 4, "occupied": 1},
            "red_anomalies": 2}
    out = fleet_page(zh=zh, summary={"sites": 1, "versions": [{"version": None, "sites": 1}]}, attention=[site],
                     sites=[site], commands=[{"site": "s", "type": "door.open", "issued_at": None, "state": "done"}],
                     carriers={"carriers": [{"carrier": "SF", "parcels": 1, "first_scan_rate": 0.5, "on_time_rate": None,
                                             "exception_rate": 0, "last_mile_failure_rate": 0, "avg_delay_days": None,
                                             "anomalies": 3}], "problem_carriers": []})
    assert "一号站&lt;b&gt;" in out and 'style="width:100%"' in out
    assert ("离线" if zh else "Offline") in out and ("远程开门" if zh else "Open a door") in out
    assert "<td>None</td>" not in out and "None%" not in out
    for wrong in (False, True):
        page = str(templating.render_page("hq/login.html", {"wrong": wrong}))
        assert ("令牌不对" in page) is wrong


def test_autoescape_is_on() -> None:
    out = templating.render_template("empty_page.html", {"ctx": FakeCtx("zh"), **BASE, "text": "<b>x</b>"})
    assert "&lt;b&gt;x&lt;/b&gt;" in out and "<b>x</b>" not in out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_door_safety_markup_survives_the_templates(lang: str) -> None:
    """The door opens only from its own page's own button: the confirm form's one submit button carries
    confirm=<door> (the reason field's Enter sends no confirm), and a compartments row's form never opens."""
    ctx = FakeCtx(lang)
    confirm = str(templating.render_template("door_confirm.html", {"ctx": ctx, **SAMPLES["door_confirm.html"]}))
    start = confirm.index('<form method="post" action="/compartments/A-01/open"')
    form = confirm[start:confirm.index("</form>", start)]
    assert 'data-confirm="1"' in form and 'id="confirm-open"' in form
    assert form.count('type="submit"') == 1 and 'name="confirm" value="A-01"' in form
    assert form.count("<input") == 2 and 'name="reason" required' in form  # CSRF + reason, no hidden confirm
    rows = str(templating.render_template("compartments.html", {"ctx": ctx, **SAMPLES["compartments.html"]}))
    assert 'name="confirm"' not in rows and 'action="/compartments/A-01/disable"' in rows
    assert 'href="/compartments/A-01/open"' in rows  # opening is a link to the confirm page, not a form post
    # the reconcile page after a restore (ADR 0057): looking inside is that same link; no form of it opens a door
    page = str(templating.render_template("reconcile.html", {"ctx": ctx, **SAMPLES["reconcile.html"]}))
    assert 'href="/compartments/A-02/open"' in page and 'name="confirm"' not in page
    assert '/open"' not in page.replace('href="/compartments/A-02/open"', "").replace('href="/compartments/A-03/open"', "")
