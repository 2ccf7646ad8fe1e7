"""Login, logout and the console's static files (public: no session needed)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from edge import glossary
from edge.errors import DomainError, NotFound
from edge.services.staff import StaffUser, count_admins
from edge.web.console.auth import DEVICE_COOKIE, DEVICE_DAYS, LOGIN_COOKIE, SESSION_COOKIE, get_auth
from edge.web.console.guard import require_user, safe_next
from edge.web.console.i18n import HK_CODE, LANG_COOKIE, lang_choices, pick_lang, translator, wants_hk
from edge.web.console.page import FLASH_COOKIE, harden, to_hk
from edge.web.console.templating import render_template

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "console"
STATIC_TYPES = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml", ".png": "image/png"}

@dataclass(frozen=True)
class LoginCtx:
    """What the login template translates with before anyone is logged in (no user, no session)."""

    lang: str

    def t(self, key: str) -> str:
        return translator(self.lang)(key)

    def g(self, group: str, code: str | None) -> str:
        return glossary.label(group, code, self.lang)


async def _no_admin(request: Request) -> bool:
    """A new site before its first `lockerd user add ... --role admin`: nobody can log in yet."""
    store = request.app.state.daemon.store
    return bool(await store.read(count_admins) == 0)


async def _login_page(request: Request, lang: str, error: str = "", status: int = 200) -> HTMLResponse:
    auth = get_auth(request.app)
    cookie, token = auth.login_nonce()
    nxt = safe_next(request.query_params.get("next"))
    site = request.app.state.daemon.config.site
    hk = lang == "zh" and wants_hk(request)
    body = render_template("login.html", {
        "ctx": LoginCtx(lang), "lang": lang, "site": (site.name_en or site.name) if lang == "en" else site.name,
        "error": error, "choices": lang_choices(site.language_list(), HK_CODE if hk else lang),
        "csrf": token, "next": nxt, "no_admin": await _no_admin(request)})
    if hk:
        body = to_hk(body)
    resp = HTMLResponse(body, status_code=status)
    resp.set_cookie(LOGIN_COOKIE, cookie, max_age=3600, **auth.cookie_args())
    chosen = HK_CODE if hk else lang
    if request.query_params.get("lang") == chosen:
        resp.set_cookie(LANG_COOKIE, chosen, max_age=365 * 86400, samesite="lax", path="/")
    harden(resp)
    return resp


def _lang(request: Request) -> str:
    if wants_hk(request):
        return "zh"  # 繁體: the zh page converted (ADR 0050)
    default = "en" if request.app.state.daemon.config.site.locale == "en" else "zh"
    return pick_lang(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE), default)


@router.get("/login")
async def login_form(request: Request) -> Response:
    return await _login_page(request, _lang(request))


#: the login refused because the database cannot be written (edge/store/errors.py), in English and Chinese
STORAGE_WORDS = {
    "storage_full": (
        "The locker's storage (its SD card) is full, so nobody can sign in: free space on the data disk (old backups,"
        " logs; docs/operations.md, \"A full disk\"), then sign in again; no restart is needed.",
        "柜机的存储空间（SD 卡）已满，现在无法登录。请清理数据盘上的空间（旧备份、日志，见运维文档“磁盘已满”），"
        "然后重新登录，无需重启。"),
    "storage_unavailable": (
        "The locker cannot write to its storage, so nobody can sign in: check the data disk (docs/operations.md),"
        " then sign in again.",
        "柜机现在无法写入存储，暂时不能登录。请检查数据盘（见运维文档），然后重新登录。"),
}


@router.post("/login")
async def login_submit(request: Request) -> Response:
    auth = get_auth(request.app)
    lang = _lang(request)
    t = translator(lang)
    form = await request.form()
    token = form.get("_csrf")
    if not auth.check_login_csrf(request.cookies.get(LOGIN_COOKIE), token if isinstance(token, str) else None):
        raise DomainError("csrf_failed", "missing or wrong CSRF token; reload the login page", status=403)
    username = form.get("username")
    password = form.get("password")
    client = request.client.host if request.client else "?"
    try:
        user = await auth.login(username if isinstance(username, str) else "",
                                password if isinstance(password, str) else "", client,
                                request.cookies.get(DEVICE_COOKIE))
    except DomainError as exc:
        msg = (t("Too many failed logins; try again later") if exc.status == 429
               # a full disk is not a wrong password (trial 2026-12-07f: staff read "用户名或密码错误")
               else STORAGE_WORDS[exc.code][lang == "zh"] if exc.code in STORAGE_WORDS
               else t("Wrong user name or password"))
        refused = await _login_page(request, lang, msg, status=exc.status)
        if exc.status == 429:
            refused.headers["retry-after"] = str(exc.extra.get("retry_after", 60))
        return refused
    nxt = form.get("next")
    resp = RedirectResponse(safe_next(nxt if isinstance(nxt, str) else "/"), status_code=303)
    resp.set_cookie(SESSION_COOKIE, auth.issue(user), max_age=auth.max_age, **auth.cookie_args())
    resp.delete_cookie(LOGIN_COOKIE, path="/")
    resp.set_cookie(DEVICE_COOKIE, auth.issue_device(user.username, request.cookies.get(DEVICE_COOKIE)),
                    max_age=DEVICE_DAYS * 86400, **auth.cookie_args())
    return resp


@router.post("/logout")
async def logout(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    auth = get_auth(request.app)
    session = auth.read_session(request.cookies.get(SESSION_COOKIE))
    if session is not None:
        await auth.revoke(session)  # a copy of the cookie dies too
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(SESSION_COOKIE, path="/")
    resp.delete_cookie(FLASH_COOKIE, path="/")
    return resp


@router.get("/static/console/{name}")
async def static_file(name: str) -> Response:
    if not name or "\x00" in name or "/" in name or "\\" in name or name.startswith("."):
        raise NotFound("not_found", "no such file")
    path = (STATIC_DIR / name).resolve()
    if path.parent != STATIC_DIR or path.suffix not in STATIC_TYPES or not path.is_file():
        raise NotFound("not_found", "no such file")
    return FileResponse(path, media_type=STATIC_TYPES[path.suffix], headers={"cache-control": "max-age=300"})
