"""Console pages of the site directory: couriers (add, disable, rotate a code, last use) and residents'
units (search, edit, remove, CSV import with a preview of the changes, export). Admins only."""

from __future__ import annotations

import base64
import binascii
import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import ValidationError

from edge import glossary
from edge.errors import DomainError
from edge.services import directory as D
from edge.services import unit_csv
from edge.services.staff import StaffUser
from edge.services.unit_rows import UnitIn, describe_errors
from edge.web.console.csv_words import csv_reason
from edge.web.console.guard import actor, require_admin
from edge.web.console.i18n import ZH
from edge.web.console.page import Ctx, ctx_of, finish, form_value, redirect, show
from edge.web.console.routes_parcels import local_time
from edge.web.console.templating import Badge, qs

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

ZH.update({
    "Couriers": "快递员", "Units": "住户", "Messages": "住户通知", "Company": "快递公司", "Name": "姓名",
    "Code": "登录码", "Last use": "最近使用", "never": "从未", "Add courier": "添加快递员",
    "Rotate code": "更换登录码", "leave empty for a random code": "留空则随机生成", "Enabled": "启用",
    "New code for {c}: {code} (shown once: give it to the courier)": "{c} 的新登录码：{code}（只显示一次，请交给快递员）",
    "Courier added: {c}, code {code} (shown once: give it to the courier)": "已添加快递员：{c}，登录码 {code}（只显示一次，请交给快递员）",
    "Courier added: {c}": "已添加快递员：{c}", "Phone": "手机号", "Low door": "低位柜门", "Locker delivery": "同意入柜",
    "Vacation until": "休假至", "E-mail": "邮箱", "Remove": "删除", "Edit": "编辑", "Add or edit a unit": "添加或修改住户",
    "Import preview": "导入预览", "Apply import": "确认导入", "Cancel": "取消",
    "Replace: remove units that are not in the file": "替换：删除文件中没有的房号",
    "Export": "导出", "to add": "新增", "to change": "修改", "unchanged": "不变", "to remove": "删除",
    "Imported: {a} added, {c} changed, {r} removed": "已导入：新增 {a}，修改 {c}，删除 {r}",
    "Removed {u} and its personal data": "已删除 {u} 及其个人信息", "Nothing was imported": "未导入任何数据",
    "CSV: unit/房号, phone/手机号, phone_tail/手机尾号, lang/语言, low_door/低位柜门, locker_consent/同意入柜, email/邮箱, vacation_until/休假至; UTF-8 or GB18030":
        "CSV 列：房号、手机号、手机尾号、语言、低位柜门、同意入柜、邮箱、休假至；UTF-8 或 GB18030 编码",
    "Chinese": "中文", "Traditional Chinese": "繁體中文", "English": "英文", "site default": "按小区默认", "Full phone numbers are not kept: no channel sends to phones":
        "不保存完整手机号：没有发送到手机的通知渠道",
    "line {line}, column {col}: {why}": "第 {line} 行“{col}”列：{why}", "line {line}: {why}": "第 {line} 行：{why}",
    " (and {n} more)": "（另有 {n} 处）", "Import refused": "导入被拒绝",
    "This file was not imported: {n} lines need fixing": "这个文件没有导入：有 {n} 行需要修改",
    "Line": "行", "Column": "列", "What is wrong": "问题",
    "Nothing was imported. Fix every line listed here in the file, then upload it again.":
        "未导入任何数据。请在文件中改好这里列出的每一行，再重新上传。",
    "and {n} more problems not listed": "另有 {n} 处问题未列出",
})

#: the directory's refusals in both languages (DomainError messages are English)
ERRORS_ZH = {
    "code_taken": "这个登录码已被使用", "invalid_code": "登录码为 4-16 位数字", "courier_unknown": "没有这个快递员",
    "unit_unknown": "没有这个房号", "invalid": "输入有误",
}


def _err(ctx: Ctx, exc: DomainError) -> str:
    if ctx.lang == "zh" and exc.code in ERRORS_ZH:
        return ERRORS_ZH[exc.code]
    return exc.message


def _fmt(ctx: Ctx, key: str, **kw: Any) -> str:
    return ctx.t(key).format(**kw)


def svc(ctx: Ctx) -> D.DirectoryService:
    return ctx.services.directory


# --- couriers ----------------------------------------------------------------------------------------
@router.get("/couriers")
async def couriers(request: Request, user: StaffUser = Depends(require_admin)) -> Response:
    ctx = ctx_of(request, user)
    s = svc(ctx)
    rows = await ctx.daemon.store.read(s.couriers.list_tx)
    # a known carrier in the console's language, as the audit names it ("京东物流" on the English page read
    # as untranslated while the audit said "JD Logistics"); a company typed by staff as typed
    lang = "zh-CN" if ctx.lang == "zh" else "en"
    view = [{"id": r["id"], "company": D.company_label(r["company"], lang), "name": r["name"],
             "code_hint": r["code_hint"], "enabled": r["enabled"],
             "last_use": local_time(ctx, r["last_used_at"]) if r["last_used_at"] else ctx.t("never")} for r in rows]
    return show(ctx, "couriers.html", ctx.t("Couriers"), rows=view, companies=_companies(lang))


def _companies(lang: str) -> list[str]:
    from edge.tracking.carriers import CARRIERS

    return [c.name_zh if lang.startswith("zh") else c.name for c in CARRIERS.values() if c.domestic]


@router.post("/couriers")
async def couriers_add(request: Request, user: StaffUser = Depends(require_admin)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()
    s = svc(ctx)
    company, name, code = form_value(form, "company"), form_value(form, "name"), form_value(form, "code")

    def fn(tx: Any) -> tuple[dict[str, Any], str]:
        if code:
            return s.couriers.add_tx(tx, code, company, name, actor=actor(user)), ""
        new = s.couriers.new_code(tx)
        return s.couriers.add_tx(tx, new, company, name, actor=actor(user)), new

    try:
        row, new = await ctx.daemon.store.write(fn)
    except DomainError as exc:
        return redirect(ctx, "/couriers", "error", _err(ctx, exc))
    label = f"{D.company_label(row['company'], ctx.lang)} {row['name']}".strip()
    if new:
        return redirect(ctx, "/couriers", "ok", _fmt(ctx, "Courier added: {c}, code {code} (shown once: give it to the"
                                                          " courier)", c=label, code=new))
    return redirect(ctx, "/couriers", "ok", _fmt(ctx, "Courier added: {c}", c=label))


@router.post("/couriers/{courier_id}/{action}")
async def courier_action(request: Request, courier_id: str, action: str,
                         user: StaffUser = Depends(require_admin)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()
    s = svc(ctx)
    try:
        if action in ("disable", "enable"):
            row = await ctx.daemon.store.write(
                lambda tx: s.couriers.set_active_tx(tx, courier_id, action == "enable", actor=actor(user)))
            done = "Courier {c} can log in again" if action == "enable" else "Courier {c} can no longer log in"
            return redirect(ctx, "/couriers", "ok", _fmt(ctx, done, c=D.company_label(row["company"], ctx.lang)))
        if action == "rotate":
            given = form_value(form, "code") or None
            code = await ctx.daemon.store.write(lambda tx: s.couriers.rotate_tx(tx, courier_id, given, actor=actor(user)))
            row = await ctx.daemon.store.read(lambda tx: s.couriers.get(tx, courier_id))
            return redirect(ctx, "/couriers", "ok", _fmt(ctx, "New code for {c}: {code} (shown once: give it to the"
                                                              " courier)", c=D.company_label(row["company"], ctx.lang), code=code))
    except DomainError as exc:
        return redirect(ctx, "/couriers", "error", _err(ctx, exc))
    return redirect(ctx, "/couriers", "error", ctx.t("not found"))


# --- units -------------------------------------------------------------------------------------------
LANG_NAMES = {"zh-CN": "Chinese", "en": "English", "zh-HK": "Traditional Chinese"}


def _lang_label(ctx: Ctx, lang: str | None) -> str:
    return ctx.t(LANG_NAMES.get(lang, lang)) if lang else ctx.t("site default")


@router.get("/units")
async def units(request: Request, user: StaffUser = Depends(require_admin)) -> Response:
    ctx = ctx_of(request, user)
    q = request.query_params.get("q", "").strip()[:32]
    edit = request.query_params.get("edit", "").strip()[:32]
    rows, keep, current = await ctx.daemon.store.read(
        lambda tx: (D.list_units_tx(tx, q), D.keep_phone(tx), D.unit_row(tx, edit) if edit else None))
    view = [{"unit": u["unit"], "phone_tail": u["phone_tail"] or "", "lang": _lang_label(ctx, u["lang"]),
             "low_door": u["low_door"], "consent": u["locker_consent"],
             "vacation": local_time(ctx, u["vacation_until"]) if u["vacation_until"] else ""} for u in rows]
    shown = (D.public_unit(current) if current else None) or {}
    vacation = local_time(ctx, shown.get("vacation_until")).replace(" ", "T") if shown.get("vacation_until") else ""
    return show(ctx, "units.html", ctx.t("Units"), q=q, rows=view, keep_phone=keep, edit=shown,
                vacation_local=vacation)


def _vacation_iso(ctx: Ctx, typed: str) -> str | None:
    """The form's 休假至 (a browser's datetime-local, "2026-12-20T20:00", site time) as ISO 8601 with the site's zone;
    anything else is passed on for the model to refuse in words. Empty clears it."""
    if not typed:
        return None
    try:
        dt = datetime.strptime(typed, "%Y-%m-%dT%H:%M")
    except ValueError:
        return typed
    return dt.replace(tzinfo=ZoneInfo(ctx.daemon.config.site.timezone)).isoformat()


def _units_back(form: Any) -> str:
    """The Units page with the search the form was posted from (a hidden ``q``)."""
    q = form_value(form, "q").strip()[:32]
    return "/units" + ("?" + qs(q=q) if q else "")


@router.post("/units")
async def units_save(request: Request, user: StaffUser = Depends(require_admin)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()
    given = {k: form_value(form, k) for k in ("unit", "phone", "phone_tail", "lang", "low_door", "locker_consent")}
    data: dict[str, str | None] = {k: v for k, v in given.items() if v != ""}
    for k in ("phone", "phone_tail", "lang"):  # emptied on the form: cleared
        data[k] = given.get(k) or None
    # the e-mail and vacation a CSV sets could not be set or cleared here (trial 2026-12-07); an older form without
    # the fields changes neither
    if "email" in form:
        data["email"] = form_value(form, "email").strip() or None
    if "vacation_until" in form:
        data["vacation_until"] = _vacation_iso(ctx, form_value(form, "vacation_until").strip())
    try:
        u = UnitIn.model_validate(data)
        await svc(ctx).unit_upsert(u, actor(user), source="console")
    except ValidationError as exc:
        return redirect(ctx, _units_back(form), "error", describe_errors(exc))
    except DomainError as exc:
        return redirect(ctx, _units_back(form), "error", _err(ctx, exc))
    # back to the list the page showed (its search kept), not a search for the saved unit: that hid every other
    # unit behind a filled search box (trial of 2026-12-03)
    return redirect(ctx, _units_back(form), "ok", f"{u.unit}: {ctx.t('Saved')}")


@router.post("/units/remove")
async def units_remove(request: Request, user: StaffUser = Depends(require_admin)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()
    unit = form_value(form, "unit")
    try:
        await svc(ctx).unit_remove(unit, actor(user))
    except DomainError as exc:
        return redirect(ctx, _units_back(form), "error", _err(ctx, exc))
    return redirect(ctx, _units_back(form), "ok", _fmt(ctx, "Removed {u} and its personal data", u=unit))


def _one_problem(ctx: Ctx, p: unit_csv.CsvProblem) -> str:
    why = csv_reason(p.reason, ctx.lang)
    if not p.line:  # the file as a whole ("第 0 行" said nothing)
        return why
    if p.column:
        return _fmt(ctx, "line {line}, column {col}: {why}", line=p.line, col=p.column, why=why)
    return _fmt(ctx, "line {line}: {why}", line=p.line, why=why)


def _problem(ctx: Ctx, p: unit_csv.CsvProblem) -> str:
    """Every problem of the refusal, in one line (the flash)."""
    text = ("；" if ctx.lang == "zh" else "; ").join(_one_problem(ctx, q) for q in p.each())
    return text + (_fmt(ctx, " (and {n} more)", n=p.more) if p.more else "")


def _refused(ctx: Ctx, p: unit_csv.CsvProblem) -> Response:
    """A file with bad lines: one problem is a flash on the units page, as before; several are listed on a page
    of their own (line, column, what is wrong) above the upload form, so that the whole file is fixed in one go
    (the trial of 2026-12-03b fixed a file one upload at a time: only the first bad line was named)."""
    if not p.others:
        return redirect(ctx, "/units", "error", f"{_problem(ctx, p)} · {ctx.t('Nothing was imported')}")
    rows = [(q.line or "", q.column, csv_reason(q.reason, ctx.lang)) for q in p.each()]
    lines = len({q.line for q in p.each()})
    return show(ctx, "units_import.html", ctx.t("Import refused"), problems=rows, more=p.more,
                said=_fmt(ctx, "This file was not imported: {n} lines need fixing", n=lines))


@router.post("/units/import")
async def units_import(request: Request, user: StaffUser = Depends(require_admin)) -> Response:
    """Step 1: parse the upload and show what would change (nothing is written yet)."""
    ctx = ctx_of(request, user)
    form = await request.form()
    upload = form.get("file")
    raw = b"" if upload is None or isinstance(upload, str) else await upload.read()
    replace = form_value(form, "replace") == "1"
    try:
        parsed = unit_csv.parse_file(raw)
    except unit_csv.CsvProblem as exc:
        return _refused(ctx, exc)
    units_in = parsed.units
    preview = await ctx.daemon.store.read(lambda tx: D.preview_tx(tx, units_in, replace=replace))
    colon = "：" if ctx.lang == "zh" else ": "
    rows = ([(Badge(ctx.t("to add"), "green"), a["unit"],
              glossary.listed((f"{ctx.t(_FIELD.get(k, k))}{colon}{_show(ctx, v[1])}" for k, v in a["changes"].items()),
                              ctx.lang, clauses=True))
             for a in preview["add"]]
            + [(Badge(ctx.t("to change"), "yellow"), c["unit"],
                glossary.listed((f"{ctx.t(_FIELD.get(k, k))}{colon}{_show(ctx, v[0])} → {_show(ctx, v[1])}"
                                 for k, v in c["changes"].items()), ctx.lang, clauses=True))
               for c in preview["change"]]
            + [(Badge(ctx.t("to remove"), "red"), r, "") for r in preview["remove"]])
    return show(ctx, "units_import.html", ctx.t("Import preview"), rows=rows, replace=replace, problems=[],
                ignored=parsed.warning(ctx.lang),
                data=base64.b64encode(raw).decode(),
                n={"add": len(preview["add"]), "change": len(preview["change"]), "same": preview["same"],
                   "remove": len(preview["remove"])})


_FIELD = {"phone": "Phone", "phone_tail": "Phone tail", "lang": "Language", "low_door": "Low door",
          "locker_consent": "Locker delivery", "vacation_until": "Vacation until", "email": "email"}


def _show(ctx: Ctx, v: Any) -> str:
    if isinstance(v, bool):
        return ctx.t("yes" if v else "no")
    return "—" if v in (None, "") else _lang_label(ctx, str(v)) if v in LANG_NAMES else str(v)


@router.post("/units/import/apply")
async def units_import_apply(request: Request, user: StaffUser = Depends(require_admin)) -> Response:
    """Step 2: the same file again (carried in the preview page), applied in one transaction."""
    ctx = ctx_of(request, user)
    form = await request.form()
    try:
        raw = base64.b64decode(form_value(form, "data"), validate=True)
        parsed = unit_csv.parse_file(raw)
        units_in = parsed.units
        counts = await svc(ctx).import_units(units_in, replace=form_value(form, "replace") == "1", actor=actor(user),
                                             source="csv")
    except (binascii.Error, ValueError):
        return redirect(ctx, "/units", "error", ctx.t("Nothing was imported"))
    except unit_csv.CsvProblem as exc:
        return redirect(ctx, "/units", "error", f"{_problem(ctx, exc)} · {ctx.t('Nothing was imported')}")
    done = _fmt(ctx, "Imported: {a} added, {c} changed, {r} removed",
                a=counts["added"], c=counts["changed"], r=counts["removed"])
    return redirect(ctx, "/units", "ok", " · ".join(filter(None, (done, parsed.warning(ctx.lang)))))


@router.get("/units.csv")
async def units_export(request: Request, user: StaffUser = Depends(require_admin)) -> Response:
    ctx = ctx_of(request, user)
    rows = await ctx.daemon.store.read(lambda tx: D.list_units_tx(tx, "", limit=1_000_000))
    resp = Response(unit_csv.export(rows, chinese=ctx.lang == "zh").encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="units.csv"'})
    finish(ctx, resp)
    return resp
