"""HQ's JSON API and fleet page (DESIGN.md section 8), FastAPI over PostgreSQL.

Every `/api/v1` call needs `Authorization: Bearer <token>` (the token from `--api-token-file`); the page at
`/` takes the same token once at `/login` and keeps it in a cookie. Bad input gets a JSON error with a
stable `error` code and a plain message; nothing raises to the caller.
"""

from __future__ import annotations

import hmac
import json
import logging
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import psycopg
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response

from cloudsync.hq import carriers as carrier_report
from cloudsync.hq import fleet, messagepage
from cloudsync.hq import labels as hq_labels
from cloudsync.hq import tracking as tracking_down
from cloudsync.hq.dispatch import queue_command
from cloudsync.hq.page import PAGE_SITES, as_hk, fleet_page, site_list
from cloudsync.hq.sitepage import not_found_page, site_page
from edge import hant
from edge.web.console.templating import render_page

log = logging.getLogger(__name__)

MAX_TTL_S = 7 * 86400
COOKIE = "lockerd_hq"


def error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status)


class Db:
    """One PostgreSQL connection per server thread (autocommit; FastAPI runs sync endpoints in threads)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._local = threading.local()

    @contextmanager
    def conn(self) -> Iterator[psycopg.Connection]:
        c: psycopg.Connection | None = getattr(self._local, "c", None)
        if c is None or c.closed or c.broken:
            c = psycopg.connect(self.url, autocommit=True)
            self._local.c = c
        yield c


def create_app(database: str, *, token: str | None, stale_after_s: float = 180.0,
               wake_dispatch: Callable[[], None] = lambda: None, can_sign: bool = True,
               broker_link: Callable[[], dict[str, Any]] | None = None) -> FastAPI:
    """`broker_link` tells HQ's own broker connection (Dispatcher.link): the summary and the page show it."""
    app = FastAPI(title="lockerd HQ", version="1")
    db = Db(database)

    def authorised(request: Request) -> bool:
        if token is None:
            return True
        given = request.headers.get("authorization", "")
        if given.lower().startswith("bearer ") and hmac.compare_digest(given[7:].strip(), token):
            return True
        return hmac.compare_digest(request.cookies.get(COOKIE, ""), token)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        where = ", ".join(str(e.get("loc", ["?"])[-1]) for e in exc.errors()[:5])
        return error(400, "invalid", f"not a valid value for: {where}")

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        path = request.url.path
        if path.startswith("/api/") and not authorised(request):
            return error(401, "unauthorised", "a valid bearer token is required")
        try:
            return await call_next(request)
        except psycopg.OperationalError:
            log.warning("database unavailable for %s", path, exc_info=True)
            return error(503, "database_unavailable", "the HQ database cannot be reached; try again shortly")
        except Exception:
            log.exception("HQ request %s failed", path)
            return error(500, "internal", "HQ could not answer; see its log")

    @app.get("/api/v1/sites", summary="The sites, in site order: all of them, or one page",
             description="The body is the list of DESIGN.md section 8. Without `limit` and `cursor` it is every "
                         "site (one query; slow for tens of thousands). With `limit` it is one page, keyset on "
                         "the site id: when more follow, the `X-Next-Cursor` header holds the `cursor` of the "
                         "next page and the `Link` header the next page itself (rel=\"next\"). A page costs the "
                         "same however deep it is.")
    def list_sites(
        request: Request,
        state: str | None = Query(None, description="online or offline (offline includes never seen online)"),
        limit: int | None = Query(None, description=f"sites per page, 1..{fleet.PAGE_MAX}; omitted: every site "
                                                   f"(or {fleet.PAGE_DEFAULT} a page when a cursor is given)"),
        cursor: str | None = Query(None, description="X-Next-Cursor of the previous page; omit for the first"),
    ) -> Any:
        if state not in (None, "online", "offline"):
            return error(400, "invalid", "state must be online or offline")
        if limit is not None and not 1 <= limit <= fleet.PAGE_MAX:
            return error(400, "invalid", f"limit must be 1..{fleet.PAGE_MAX}")
        try:
            after = fleet.decode_cursor(cursor) if cursor is not None else ""
        except ValueError:
            return error(400, "invalid", "cursor must be the X-Next-Cursor of a previous page, unchanged")
        paged = limit is not None or cursor is not None
        size = (limit or fleet.PAGE_DEFAULT) if paged else None
        with db.conn() as c:
            rows, last = fleet.sites(c, stale_after_s, state=state, after=after, limit=size)
        # the rows are plain JSON already (times as ISO text): json.dumps, not FastAPI's slower encoder
        resp = Response(json.dumps(rows, ensure_ascii=False), media_type="application/json")
        if last is not None:
            nxt = fleet.encode_cursor(last)
            q = {k: v for k, v in {"state": state, "limit": str(size), "cursor": nxt}.items() if v is not None}
            resp.headers["X-Next-Cursor"] = nxt
            resp.headers["Link"] = f'<{request.url.path}?{urlencode(q)}>; rel="next"'
        return resp

    @app.get("/api/v1/summary")
    def summary() -> Any:
        with db.conn() as c:
            out = {**fleet.summary(c, stale_after_s), "attention": fleet.attention(c, stale_after_s)}
        if broker_link is not None:
            out["broker"] = broker_link()
        return out

    @app.get("/api/v1/sites/{site}/events")
    def site_events(site: str, after_seq: int = 0, type: str | None = None, stream: str | None = None,
                    limit: int = 1000) -> Any:
        if not 1 <= limit <= 10_000 or after_seq < 0:
            return error(400, "invalid", "limit must be 1..10000 and after_seq >= 0")
        with db.conn() as c:
            if c.execute("SELECT 1 FROM sites WHERE site = %s", (site,)).fetchone() is None:
                return error(404, "unknown_site", f"HQ has never heard from site {site[:64]!r}")
            return fleet.events(c, site, after_seq=after_seq, type_=type, stream=stream, limit=limit)

    @app.post("/api/v1/sites/{site}/commands", status_code=202)
    async def post_command(site: str, request: Request) -> Any:
        try:
            body = await request.json()
        except ValueError:
            return error(400, "invalid", "the body must be a JSON object")
        if not isinstance(body, dict):
            return error(400, "invalid", "the body must be a JSON object")
        type_, data, ttl = body.get("type"), body.get("data", {}), body.get("ttl_s", 300)
        if not isinstance(type_, str) or not type_ or len(type_) > 64:
            return error(400, "invalid", "type (a command type such as door.open) is required")
        if not isinstance(data, dict):
            return error(400, "invalid", "data must be a JSON object")
        if not isinstance(ttl, int) or isinstance(ttl, bool) or not 1 <= ttl <= MAX_TTL_S:
            return error(400, "invalid", f"ttl_s must be a whole number of seconds from 1 to {MAX_TTL_S}")
        if not can_sign:
            return error(503, "no_signing_key", "HQ was started without --signing-key; it cannot send commands")
        with db.conn() as c:
            if c.execute("SELECT 1 FROM sites WHERE site = %s", (site,)).fetchone() is None:
                return error(404, "unknown_site", f"HQ has never heard from site {site[:64]!r}")
            with c.transaction():
                cmd_id = queue_command(c, site, type_, data, ttl)
        wake_dispatch()
        return {"id": cmd_id}

    def _known(c: psycopg.Connection, site: str) -> bool:
        return c.execute("SELECT 1 FROM sites WHERE site = %s", (site,)).fetchone() is not None

    async def _json_body(request: Request) -> Any:
        raw = await request.body()
        if len(raw) > 2 * tracking_down.MAX_PAYLOAD:  # before parsing; the exact limit is on the canonical form
            raise tracking_down.BadUpdate(f"the body is larger than {2 * tracking_down.MAX_PAYLOAD // 1024} KiB",
                                          code="too_large", status=413)
        try:
            return json.loads(raw)
        except (ValueError, RecursionError):
            raise tracking_down.BadUpdate("the body must be JSON") from None

    def _queue_tracking(c: psycopg.Connection, site: str, body: Any) -> dict[str, Any]:
        doc = tracking_down.canonical(body)
        with c.transaction():
            up_id, new, state = tracking_down.queue_update(c, site, doc)
        return {"id": up_id, "key": tracking_down.key_of(doc), "state": state, "duplicate": not new}

    @app.post("/api/v1/sites/{site}/tracking", status_code=202,
              summary="Send a tracking update down to a site (lockerd/v1/{site}/tracking)",
              description="The body is the contract's payload `{tracking_number, carrier, events: [{time, text, "
                          "location?, code?}]}` (DESIGN.md section 4). 202 `{id, key, state, duplicate: false}`; "
                          "the same update again answers 200 with the same id and `duplicate: true` (`key` is "
                          "the digest the site deduplicates on). 400 names the bad field, 404 an unknown site, "
                          "413 an update larger than a site accepts. Published at QoS 1, not retained.")
    async def post_tracking(site: str, request: Request) -> Any:
        try:
            body = await _json_body(request)
            with db.conn() as c:
                if not _known(c, site):
                    return error(404, "unknown_site", f"HQ has never heard from site {site[:64]!r}")
                out = _queue_tracking(c, site, body)
        except tracking_down.BadUpdate as exc:
            return error(exc.status, exc.code, str(exc))
        wake_dispatch()
        return JSONResponse(out, status_code=200 if out["duplicate"] else 202)

    @app.post("/api/v1/tracking", summary="Tracking updates for many sites at once",
              description="`{\"updates\": [{\"site\", \"update\": {tracking_number, carrier, events}}]}` (at most "
                          f"{tracking_down.MAX_BULK}) -> 200 `{{\"results\": [...]}}`, one per update in order: "
                          "`{site, id, key, state, duplicate}` or `{site, error, message}`. One bad update does "
                          "not stop the others.")
    async def post_tracking_bulk(request: Request) -> Any:
        try:
            body = await _json_body(request)
        except tracking_down.BadUpdate as exc:
            return error(exc.status, exc.code, str(exc))
        items = body.get("updates") if isinstance(body, dict) else None
        if not isinstance(items, list) or not items or len(items) > tracking_down.MAX_BULK:
            return error(400, "invalid", f"updates must be a list of 1 to {tracking_down.MAX_BULK} "
                                         "{site, update} objects")
        results: list[dict[str, Any]] = []
        with db.conn() as c:
            for item in items:
                site = item.get("site") if isinstance(item, dict) else None
                if not isinstance(site, str) or not site:
                    results.append({"site": None, "error": "invalid", "message": "each item needs a site"})
                    continue
                if not _known(c, site):
                    results.append({"site": site[:64], "error": "unknown_site",
                                    "message": f"HQ has never heard from site {site[:64]!r}"})
                    continue
                try:
                    results.append({"site": site, **_queue_tracking(c, site, item.get("update"))})
                except tracking_down.BadUpdate as exc:
                    results.append({"site": site, "error": exc.code, "message": str(exc)})
        wake_dispatch()
        return {"results": results}

    @app.get("/api/v1/sites/{site}/tracking", summary="The tracking updates HQ has sent or will send to a site",
             description="Newest first: `[{id, key, tracking_number, carrier, payload, events, state "
                         "(queued|sent|expired), created_at, sent_at, attempts, last_refusal, requests, "
                         "acknowledged_by_site}]`. `sent` means the broker accepted it for the site's session; "
                         "the contract has no acknowledgement from the site, so `acknowledged_by_site` is "
                         "always null (docs/decisions/0041).")
    def get_site_tracking(site: str, tracking_number: str | None = None, limit: int = 100) -> Any:
        if not 1 <= limit <= 1000:
            return error(400, "invalid", "limit must be 1..1000")
        with db.conn() as c:
            if not _known(c, site):
                return error(404, "unknown_site", f"HQ has never heard from site {site[:64]!r}")
            return tracking_down.site_updates(c, site, tracking_number, limit)

    @app.get("/api/v1/tracking/{update_id}")
    def get_tracking(update_id: str) -> Any:
        with db.conn() as c:
            row = tracking_down.get_update(c, update_id)
        if row is None:
            return error(404, "unknown_tracking_update", "no tracking update with that id")
        return row

    @app.get("/api/v1/tracking/labels/pack.jsonl", summary="Every site's staff labels as one tracking pack")
    def labels_pack(site: str | None = None) -> Any:
        """The newest staff label of each carrier wording over the fleet (or one `site`), in the pack format a
        site loads from `<data dir>/tracking_packs/` (docs/tracking.md, "Staff teach it")."""
        with db.conn() as c:
            rows = hq_labels.fleet_labels(c, site=site)
        return PlainTextResponse(hq_labels.pack_text(rows), media_type="application/x-ndjson",
                                 headers={"Content-Disposition": 'attachment; filename="staff-labels.jsonl"'})

    @app.get("/api/v1/sites/{site}/messages",
             summary="The residents' messages HQ sends for a site on the hq channel: state, never a full phone or code")
    def site_messages(site: str, limit: int = 100) -> Any:
        with db.conn() as c:
            got = messagepage.site_messages(c, site, max(1, min(limit, 500)))
        rows = [{k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in r.items()} for r in got["rows"]]
        return {"gateway": got["gateway"], "counts": got["counts"], "messages": rows}

    @app.get("/api/v1/commands/{cmd_id}")
    def get_command(cmd_id: str) -> Any:
        with db.conn() as c:
            row = c.execute("SELECT id, site, type, state, result, issued_at, expires_at, sent_at, done_at "
                            "FROM commands WHERE id = %s", (cmd_id,)).fetchone()
        if row is None:
            return error(404, "unknown_command", "no command with that id")
        keys = ("id", "site", "type", "state", "result", "issued_at", "expires_at", "sent_at", "done_at")
        return {k: fleet.iso(v) for k, v in zip(keys, row, strict=True)}

    @app.get("/api/v1/carriers")
    def carriers(request: Request) -> Any:
        q = request.query_params
        try:
            start, end = carrier_report.period(q.get("from"), q.get("to"), q.get("quarter"), datetime.now(UTC).date())
        except ValueError as exc:
            return error(400, "invalid", f"period: {exc} (from/to are dates like 2026-10-01)")
        with db.conn() as c:
            return carrier_report.carrier_report(c, start, end)

    @app.get("/api/v1/metrics")
    def metrics_json() -> Any:
        with db.conn() as c:
            return fleet.metrics(c)

    @app.get("/metrics")
    def metrics_text() -> PlainTextResponse:
        with db.conn() as c:
            m = fleet.metrics(c)
        lines = ["# TYPE lockerd_hq_messages_total counter"]
        lines += [f'lockerd_hq_messages_total{{kind="{k}"}} {v}' for k, v in m.items()]
        return PlainTextResponse("\n".join(lines) + "\n")

    @app.get("/healthz")
    def healthz() -> Any:
        with db.conn() as c:
            c.execute("SELECT 1")
        return {"ok": True}

    @app.get("/login")
    def login_form(request: Request) -> HTMLResponse:
        return HTMLResponse(_login(request, False))

    @app.post("/login")
    async def login(request: Request) -> Response:
        form = await request.form()
        given = str(form.get("token", ""))
        if token is not None and not hmac.compare_digest(given, token):
            return HTMLResponse(_login(request, True), status_code=401)
        resp = RedirectResponse("/", status_code=303)
        resp.set_cookie(COOKIE, given, httponly=True, samesite="strict")
        return resp

    def _lang(request: Request, lang: str | None) -> str:
        """The page's language: zh, en or zh-HK (繁體, the zh page converted, ADR 0050), from the switch's `?lang=`,
        else the browser's Accept-Language (zh-HK, zh-TW, zh-MO, zh-Hant: 繁體; edge.hant's tags), else zh."""
        header = request.headers.get("accept-language")
        chosen = hant.norm(lang, "") or hant.accept_language(header, hant.CN) or "zh"
        return "zh" if chosen == hant.CN else chosen

    def _login(request: Request, wrong: bool) -> str:
        """The sign-in page (in both languages), its Chinese in 繁體 for a Hong Kong browser."""
        out = str(render_page("hq/login.html", {"wrong": wrong}))
        return as_hk(out) if _lang(request, None) == hant.HK else out

    @app.get("/sites/{site}", response_class=HTMLResponse)
    def one_site_page(request: Request, site: str, lang: str | None = None) -> Response:
        """The site's own page (issue 18), same auth as the fleet page; an unknown site is a 404 page in words."""
        if not authorised(request):
            return RedirectResponse("/login", status_code=303)
        lang = _lang(request, lang)
        zh, hk = lang == "zh", lang == hant.HK
        with db.conn() as c:
            detail = fleet.site_detail(c, site, stale_after_s)
        if detail is None:
            return HTMLResponse(not_found_page(zh=zh, hk=hk), status_code=404)
        return HTMLResponse(site_page(zh=zh, detail=detail, hk=hk))

    @app.get("/", response_class=HTMLResponse)
    def page(request: Request, lang: str | None = None, state: str | None = None, cursor: str | None = None) -> Response:
        if not authorised(request):
            return RedirectResponse("/login", status_code=303)
        lang = _lang(request, lang)
        hk = lang == hant.HK
        if hk:
            lang = "zh"  # the zh page, converted by fleet_page
        if state not in ("online", "offline"):
            state = None
        try:
            after = fleet.decode_cursor(cursor) if cursor else ""
        except ValueError:  # a hand-edited link: show the first page rather than an error
            after, cursor = "", None
        with db.conn() as c:
            rows, last = fleet.sites(c, stale_after_s, state=state, after=after, limit=PAGE_SITES)
            site_page = site_list(lang == "zh", rows, state=state, cursor=cursor,
                                  next_cursor=fleet.encode_cursor(last) if last is not None else None)
            summary = fleet.summary(c, stale_after_s)
            att = fleet.attention(c, stale_after_s)
            sites = fleet.chart_sites(c)
            cmds = fleet.recent_commands(c)
            strays = fleet.stray_results(c)
            messages = messagepage.fleet_lines(c, lang == "zh")
            today = datetime.now(UTC).date()
            rep = carrier_report.carrier_report(c, *carrier_report.period(None, None, None, today))
        return HTMLResponse(fleet_page(zh=lang == "zh", summary=summary, attention=att, sites=sites,
                                       commands=cmds, carriers=rep, site_page=site_page,
                                       broker=broker_link() if broker_link is not None else None,
                                       strays=strays, messages=messages, hk=hk))

    return app
