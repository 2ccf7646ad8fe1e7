"""Provider callback routes (public: each provider proves itself with its signature).

    POST /api/v1/tracking/push/kuaidi100   form: param, sign
    POST /api/v1/tracking/push/kdniao      form: RequestData, DataSign, EBusinessID, RequestType=101
    POST /api/v1/tracking/push/17track     JSON body, header `sign`

Answers use the provider's own success shape, plus `error`/`message` when refused: 401 bad signature,
400 unreadable push, 413 too large, 404 provider not enabled, 503 busy (Retry-After; the provider pushes
again). A replayed push is answered as received and changes nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from edge.errors import DomainError
from edge.tracking.providers import kdniao, kuaidi100, track17
from edge.tracking.providers.base import PushError, PushItem

if TYPE_CHECKING:
    from edge.daemon import Daemon
    from edge.tracking.component import TrackingComponent

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1/tracking/push", tags=["tracking providers"])


def _part(request: Request) -> TrackingComponent | None:
    daemon: Daemon = request.app.state.daemon
    return daemon.tracking


def _component(request: Request) -> TrackingComponent:
    """The tracking part (the routes below run only after `_enabled` found it)."""
    part = _part(request)
    if part is None:
        raise DomainError("not_enabled", "tracking is not running at this site", status=404)
    return part


async def _body(request: Request, limit: int) -> bytes:
    size = request.headers.get("content-length")
    if size is not None and size.isdigit() and int(size) > limit:
        raise DomainError("too_large", f"a push is at most {limit} bytes", status=413)
    body = await request.body()
    if len(body) > limit:
        raise DomainError("too_large", f"a push is at most {limit} bytes", status=413)
    return body


def _form(body: bytes) -> dict[str, str]:
    try:
        parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=20)
    except (UnicodeDecodeError, ValueError):
        raise PushError("the form is not URL-encoded UTF-8") from None
    return {k: v[0] for k, v in parsed.items() if v}


def _reply(status: int, shape: dict[str, Any], error: str = "", message: str = "", **headers: str) -> JSONResponse:
    body = dict(shape)
    if error:  # lockerd's error shape beside the provider's own fields
        body.update(error=error, message_en=message)
        body.setdefault("message", message)
    return JSONResponse(body, status_code=status, headers=headers or None)


async def _take(request: Request, provider: str, signed: str | bytes, items_fn: Any,
                shape: Any) -> JSONResponse:
    comp = _component(request)
    inbox = comp.push_inbox
    try:
        items: list[PushItem] = items_fn()
    except PushError as exc:
        inbox.count("invalid")
        return _reply(400, shape(False, "无法解析推送内容"), "invalid_push", str(exc))
    try:
        res = await inbox.accept(provider, signed, items)
    except DomainError as exc:
        if exc.code == "busy":
            retry = str(exc.extra.get("retry_after", 5))
            return _reply(503, shape(False, "系统繁忙，请稍后重试"), "busy", exc.message, **{"Retry-After": retry})
        raise
    if res["state"] == "duplicate":
        return _reply(200, shape(True, "已收到（重复推送）"))
    return _reply(200, shape(True, "成功"))


def _enabled(request: Request, name: str) -> tuple[Any, str] | None:
    comp = _part(request)
    if comp is None:
        return None
    cfg = getattr(comp.settings.providers, name)
    secret = cfg.secret() if cfg.enabled else ""
    return (cfg, secret) if secret else None


def _not_enabled(shape: dict[str, Any]) -> JSONResponse:
    return _reply(404, shape, "not_enabled", "this provider's push is not enabled at this site")


@router.post("/kuaidi100")
async def push_kuaidi100(request: Request) -> JSONResponse:
    got = _enabled(request, "kuaidi100")
    if got is None:
        return _not_enabled(kuaidi100.answer(False, "未启用"))
    _cfg, salt = got
    limit = _component(request).settings.providers.max_body_bytes
    try:
        form = _form(await _body(request, limit))
    except PushError as exc:
        return _reply(400, kuaidi100.answer(False, "无法解析推送内容"), "invalid_push", str(exc))
    param, sign = form.get("param", ""), form.get("sign", "")
    if not kuaidi100.verify(param, sign, salt):
        _component(request).push_inbox.count("bad_signature")
        log.warning("kuaidi100 push with a bad signature refused")
        return _reply(401, kuaidi100.answer(False, "签名错误"), "bad_signature", "sign does not match param + salt")
    return await _take(request, kuaidi100.NAME, param, lambda: kuaidi100.parse(param), kuaidi100.answer)


@router.post("/kdniao")
async def push_kdniao(request: Request) -> JSONResponse:
    got = _enabled(request, "kdniao")
    now = datetime.now().strftime("%Y-%m-%d %H:%M:%S")

    def shape(ok: bool, reason: str) -> dict[str, Any]:
        return kdniao.answer(ok, reason, got[0].ebusiness_id if got else "", now)

    if got is None:
        return _not_enabled(shape(False, "未启用"))
    _cfg, key = got
    limit = _component(request).settings.providers.max_body_bytes
    try:
        form = _form(await _body(request, limit))
    except PushError as exc:
        return _reply(400, shape(False, "无法解析推送内容"), "invalid_push", str(exc))
    data, sign = form.get("RequestData", ""), form.get("DataSign", "")
    if not kdniao.verify(data, sign, key):
        _component(request).push_inbox.count("bad_signature")
        log.warning("kdniao push with a bad signature refused")
        return _reply(401, shape(False, "签名错误"), "bad_signature", "DataSign does not match RequestData + AppKey")
    if form.get("RequestType", "101") != "101":
        return _reply(400, shape(False, "不支持的请求类型"), "invalid_push", "RequestType must be 101 (track push)")
    return await _take(request, kdniao.NAME, data, lambda: kdniao.parse(data), shape)


@router.post("/17track")
async def push_17track(request: Request) -> JSONResponse:
    got = _enabled(request, "track17")

    def shape(ok: bool, message: str) -> dict[str, Any]:
        return {"ok": ok, "message": message}

    if got is None:
        return _not_enabled(shape(False, "not enabled"))
    _cfg, key = got
    body = await _body(request, _component(request).settings.providers.max_body_bytes)
    if not track17.verify(body, request.headers.get("sign", ""), key):
        _component(request).push_inbox.count("bad_signature")
        log.warning("17track push with a bad signature refused")
        return _reply(401, shape(False, "bad signature"), "bad_signature", "sign does not match body + '/' + key")
    return await _take(request, track17.NAME, body, lambda: track17.parse(body), shape)
