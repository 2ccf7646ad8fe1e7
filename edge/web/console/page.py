"""Per-request page context and the shared layout (navigation, language switch, flash messages)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from edge import glossary, hant
from edge.errors import DomainError
from edge.services.staff import StaffUser
from edge.web.console.auth import ConsoleAuth, get_auth
from edge.web.console.i18n import HK_CODE, LANG_COOKIE, lang_choices, pick_lang, translator, wants_hk
from edge.web.console.templating import Markup, render_template

if TYPE_CHECKING:
    from edge.daemon import Daemon
    from edge.rules.service import RulesService
    from edge.services import Services
    from edge.tracking.service import TrackingService

FLASH_COOKIE = "lockerd_flash"

NAV: list[tuple[str, str, bool]] = [
    ("/", "Dashboard", False), ("/wallboard", "Wallboard", False), ("/parcels", "Parcels", False),
    ("/compartments", "Compartments", False), ("/desk", "Desk", False), ("/transit", "In transit", False), ("/expected", "Expected", False),
    ("/anomalies", "Anomalies", False), ("/tracking/labels", "Texts to label", False), ("/tasks", "Tasks", False), ("/reports/carriers", "Carriers", False),
    ("/audit", "Audit", True), ("/users", "Users", True), ("/settings", "Settings", True),
    ("/messages", "Messages", False), ("/couriers", "Couriers", True), ("/units", "Units", True),
    ("/locks", "Safety locks", False),
]

@dataclass
class Ctx:
    request: Request
    user: StaffUser
    auth: ConsoleAuth
    lang: str
    csrf: str
    #: 繁體: the zh page converted at output (`show`), docs/decisions/0050-zh-hk-by-conversion.md
    hk: bool = False

    @property
    def lang_code(self) -> str:
        """The language switch's code of this page: zh, en or zh-HK."""
        return HK_CODE if self.hk else self.lang

    @property
    def lang_choices(self) -> list[tuple[str, str, bool]]:
        return lang_choices(self.daemon.config.site.language_list(), self.lang_code)

    def t(self, key: str) -> str:
        return translator(self.lang)(key)

    def pick(self, words: tuple[str, str]) -> str:
        """One of a (zh, en) pair of words, in this page's language."""
        return words[0] if self.lang == "zh" else words[1]

    def g(self, group: str, code: str | None) -> str:
        """A stored code (event kind, task kind, severity, ...) in the staff's words, from the one glossary."""
        return glossary.label(group, code, self.lang)

    def refusal(self, exc: DomainError) -> str:
        """A service's refusal in the staff's language (never the raw code)."""
        if self.lang == "en":  # the service's own sentence, as a flash begins one ("No parcel in the parcel room ...")
            return exc.message[:1].upper() + exc.message[1:]
        if exc.code == "policy_invalid" and not exc.message.isascii():
            return exc.message  # already in Chinese (the settings form explains which field)
        if isinstance(exc.extra.get("message_zh"), str):
            return str(exc.extra["message_zh"])  # the service's own Chinese sentence (it names a door, a parcel)
        got = glossary.lookup("error", exc.code)
        return got[0] if got else "操作没有成功，请检查填写的内容后再试"

    @property
    def daemon(self) -> Daemon:
        daemon: Daemon = self.request.app.state.daemon
        return daemon

    @property
    def services(self) -> Services:
        return self.daemon.require_services()

    @property
    def tracking(self) -> TrackingService | None:
        """The tracking part's service, or None on a site without it (pages then say so)."""
        part = self.daemon.tracking
        return part.service if part is not None else None

    @property
    def rules(self) -> RulesService:
        return self.daemon.rules.service

    @property
    def csrf_input(self) -> Markup:
        return render_template("_csrf.html", {"ctx": self})

    @property
    def site_name(self) -> str:
        """The site's name in the page's language: `[site].name_en` on an English page when set."""
        site = self.daemon.config.site
        return (site.name_en or site.name) if self.lang == "en" else site.name


def ctx_of(request: Request, user: StaffUser) -> Ctx:
    auth = get_auth(request.app)
    default = "en" if request.app.state.daemon.config.site.locale == "en" else "zh"
    lang = pick_lang(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE), default)
    sid = getattr(request.state, "console_sid", "")
    hk = wants_hk(request)  # 繁體 is the zh page converted, whatever the site's first language
    lang = "zh" if hk else lang
    return Ctx(request=request, user=user, auth=auth, lang=lang, csrf=auth.csrf_token(sid), hk=hk)


@dataclass(frozen=True)
class NavItem:
    href: str
    label: str
    active: bool


def _nav(ctx: Ctx) -> list[NavItem]:
    path = ctx.request.url.path
    return [NavItem(href, label, path == href or (href != "/" and path.startswith(href)))
            for href, label, admin_only in NAV if ctx.user.is_admin or not admin_only]


def fragment(ctx: Ctx, template: str, **values: Any) -> Markup:
    """A partial (``console/<template>``) rendered with ``ctx`` and the translation helpers."""
    return render_template(template, {"ctx": ctx, **values})


def show(ctx: Ctx, template: str, title: str, *, status: int = 200, body_cls: str = "",
         **values: Any) -> HTMLResponse:
    """A full console page: ``console/<template>`` extends ``base.html`` (nav, flash, language switch)."""
    got = ctx.auth.read_flash(ctx.request.cookies.get(FLASH_COOKIE))
    html_text = render_template(template, {
        "ctx": ctx, "title": title, "body_cls": body_cls, "nav": _nav(ctx), "path": ctx.request.url.path,
        "flash": got, "storage_banner": storage_banner(ctx), **values})
    if ctx.hk:
        html_text = to_hk(html_text)
    resp = HTMLResponse(html_text, status_code=status)
    finish(ctx, resp)
    if got:
        resp.delete_cookie(FLASH_COOKIE, path="/")
    return resp


CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
       " frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'")


def to_hk(html_text: str) -> Markup:
    """A rendered zh page as a Hong Kong reader reads it (ADR 0050): its Chinese converted, `lang` zh-HK; the
    language switch's 简体 stays in its own script."""
    out = hant.convert_page(html_text).replace('<html lang="zh-CN">', '<html lang="zh-HK">', 1)
    return Markup(out.replace(">簡體</a>", ">简体</a>"))


def harden(resp: Response) -> None:
    """Security headers for every console page: no inline script, no framing, no caching, no sniffing."""
    resp.headers["content-security-policy"] = CSP
    resp.headers["x-frame-options"] = "DENY"
    resp.headers["x-content-type-options"] = "nosniff"
    resp.headers["referrer-policy"] = "same-origin"
    resp.headers["cache-control"] = "no-store"


def finish(ctx: Ctx, resp: Response) -> None:
    """Remember an explicit language choice; add the security headers."""
    chosen = ctx.request.query_params.get("lang")
    if chosen and hant.norm(chosen, "") == hant.norm(ctx.lang_code, ""):  # ?lang=zh-TW is 繁體's choice too
        resp.set_cookie(LANG_COOKIE, ctx.lang_code, max_age=365 * 86400, samesite="lax", path="/")
    harden(resp)


def redirect(ctx: Ctx, to: str, kind: str = "", text: str = "") -> RedirectResponse:
    resp = RedirectResponse(to, status_code=303)
    if text:
        resp.set_cookie(FLASH_COOKIE, ctx.auth.sign_flash(kind or "ok", text), max_age=60, httponly=True,
                        samesite="lax", path="/")
    return resp


async def act(ctx: Ctx, back: str, ok_text: str | Callable[[], str], fn: Callable[[], Awaitable[Any]]) -> RedirectResponse:
    """Run a service call for a form post; redirect back with a flash message (success or the refusal).
    `ok_text` may be a function, called after the action, when the words depend on what it did."""
    try:
        await fn()
    except DomainError as exc:
        return redirect(ctx, back, "error", ctx.refusal(exc))
    return redirect(ctx, back, "ok", ok_text if isinstance(ok_text, str) else ok_text())


#: the banner of every page while the data disk is full or nearly so (trial 2026-12-07f: the dashboard said
#: "无告警" with the SD card full and every change refused)
STORAGE_BANNER = {
    "full": ("The locker's storage (its SD card) is full: deliveries, pickups and changes here are refused until"
             " there is room. Free space on the data disk (old backups, logs; docs/operations.md, \"A full disk\");"
             " no restart is needed.",
             "柜机的存储空间（SD 卡）已满：投递、取件和这里的修改都无法保存，直到腾出空间。请清理数据盘上的空间（旧备份、"
             "日志，见运维文档“磁盘已满”），无需重启。"),
    # a Pi without a real-time clock before NTP answers (edge/timesync.py): the times on these pages may be wrong
    "clock": ("The locker's clock is not synchronised with network time yet: times shown here may be wrong, and"
              " reminders, overdue and notices wait until it is. Check the locker's network (docs/operations.md,"
              " \"Clock steps\").",
              "柜机时钟还没有与网络时间同步：页面上的时间可能不准，催取提醒、超期和公告会等同步后再处理。请检查柜机的网络"
              "（见运维文档“时钟跳变”）。"),
    "low": ("The locker's storage is nearly full ({mb} MB left): free space on the data disk soon (old backups, logs;"
            " docs/operations.md, \"A full disk\").",
            "柜机的存储空间快满了（剩余 {mb} MB）：请尽快清理数据盘上的空间（旧备份、日志，见运维文档“磁盘已满”）。"),
}


def storage_banner(ctx: Ctx) -> tuple[str, str] | None:
    """(kind, words) when the data disk is full or low, for base.html; None otherwise."""
    try:
        space = ctx.daemon.store.space()
    except Exception:  # a page must render whatever the disk does
        return None
    free = space.get("free_mb")
    if not space.get("writable") or (free is not None and free < 1):
        return "error", STORAGE_BANNER["full"][ctx.lang == "zh"]
    if not getattr(ctx.daemon.clock, "synchronised", True):
        return "warn", STORAGE_BANNER["clock"][ctx.lang == "zh"]
    if space.get("low_space") and free is not None:
        return "warn", STORAGE_BANNER["low"][ctx.lang == "zh"].replace("{mb}", f"{free:.0f}")
    return None


def not_on_this_site(what: str) -> DomainError:
    """The refusal of an action that needs a part this site does not run (tracking)."""
    return DomainError("not_available", f"{what} is not running on this site", status=503)


def form_value(form: Any, key: str, default: str = "") -> str:
    v = form.get(key)
    return v.strip() if isinstance(v, str) else default




__all__ = ["Ctx", "act", "ctx_of", "form_value", "fragment", "redirect", "show"]


#: what a refused console page says, by refusal (its title comes from the glossary's error words otherwise)
_REFUSED_PAGE = {
    "forbidden": "Only an admin can open this page. Ask an admin if you need it.",
    "not_found": "There is no such page. Choose one from the menu.",
}


def refusal_page(request: Request, code: str, message: str, status: int) -> HTMLResponse | None:
    """A refused page a logged-in member of staff opened in the browser, as a console page in their language.

    A desk account that opened /audit or /settings (a link from an admin, a bookmark) and a parcel page whose
    parcel is gone got the API's JSON, `{"error":"forbidden","message":"this needs an admin account"}`, in
    English on the Chinese console (trial 2026-12-07). Scripts and the API (no text/html in Accept, /api/) keep
    the JSON; a page before login is redirected by the guard; None when this is not a page view."""
    user = getattr(request.state, "console_user", None)
    if (user is None or request.method != "GET" or "text/html" not in request.headers.get("accept", "")
            or request.url.path.startswith("/api/")):
        return None
    ctx = ctx_of(request, user)
    text = ctx.t(_REFUSED_PAGE[code]) if code in _REFUSED_PAGE else ctx.refusal(DomainError(code, message, status=status))
    return show(ctx, "empty_page.html", ctx.t("This page cannot be shown"), status=status, text=text)

