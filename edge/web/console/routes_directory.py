"""Console pages of the site directory: couriers (add, disable, rotate a code, last use) and residents'
units (search, edit, remove, CSV import with a preview of the changes, export). Admins only."""

from __future__ import annotations

import base64
import binascii
import logging
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import ValidationError

from edge.errors import DomainError
from edge.services import directory as D
from edge.services import unit_csv
from edge.services.staff import StaffUser
from edge.services.unit_rows import UnitIn, describe_errors
from edge.web.console.guard import actor, require_admin
from edge.web.console.html import Safe, badge, join, qs, render, table
from edge.web.console.i18n import ZH
from edge.web.console.page import Ctx, ctx_of, finish, form_value, page, redirect
from edge.web.console.routes_parcels import local_time

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

ZH.update({
    "Couriers": "快递员", "Units": "住户", "Messages": "住户通知", "Company": "快递公司", "Name": "姓名",
    "Code": "登录码", "Last use": "最近使用", "never": "从未", "Add courier": "添加快递员",
    "Rotate code": "更换登录码", "leave empty for a random code": "留空则随机生成", "Enabled": "启用",
    "New code for {c}: {code} (shown once: give it to the courier)": "{c} 的新登录码：{code}（只显示一次，请交给快递员）",
    "Courier added: {c}, code {code} (shown once: give it to the courier)": "已添加快递员：{c}，登录码 {code}（只显示一次，请交给快递员）",
    "Courier added: {c}": "已添加快递员：{c}", "Phone": "手机号", "Low door": "低位柜门", "Locker delivery": "同意入柜",
    "Vacation until": "休假至", "Remove": "删除", "Edit": "编辑", "Add or edit a unit": "添加或修改住户",
    "Import preview": "导入预览", "Apply import": "确认导入", "Cancel": "取消",
    "Replace: remove units that are not in the file": "替换：删除文件中没有的房号",
    "Export": "导出", "to add": "新增", "to change": "修改", "unchanged": "不变", "to remove": "删除",
    "Imported: {a} added, {c} changed, {r} removed": "已导入：新增 {a}，修改 {c}，删除 {r}",
    "Removed {u} and its personal data": "已删除 {u} 及其个人信息", "Nothing was imported": "未导入任何数据",
    "CSV: unit/房号, phone/手机号, phone_tail/手机尾号, lang/语言, low_door/低位柜门, locker_consent/同意入柜; UTF-8 or GB18030":
        "CSV 列：房号、手机号、手机尾号、语言、低位柜门、同意入柜；UTF-8 或 GB18030 编码",
    "Chinese": "中文", "English": "英文", "site default": "按小区默认", "Full phone numbers are not kept: no channel sends to phones":
        "不保存完整手机号：没有发送到手机的通知渠道",
    "line {line}, column {col}: {why}": "第 {line} 行，{col} 列：{why}", "line {line}: {why}": "第 {line} 行：{why}",
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
    lang = ctx.daemon.config.site.locale
    body_rows = []
    for r in rows:
        toggle = "disable" if r["enabled"] else "enable"
        actions = render(
            '<form method="post" action="/couriers/{id}/{t}" class="row-form">{c}<button class="{cls}">{tl}</button></form>'
            '<form method="post" action="/couriers/{id}/rotate" class="row-form">{c}<input name="code" inputmode="numeric"'
            ' pattern="[0-9]{{4,16}}" placeholder="{ph}" maxlength="16"><button>{rl}</button></form>',
            id=r["id"], t=toggle, c=ctx.csrf_input, cls="warn" if r["enabled"] else "",
            tl=ctx.t("Disable" if r["enabled"] else "Enable"), ph=ctx.t("leave empty for a random code"),
            rl=ctx.t("Rotate code"))
        body_rows.append((D.company_label(r["company"], lang), r["name"], r["code_hint"],
                          badge(ctx.t("yes" if r["enabled"] else "no"), "green" if r["enabled"] else "grey"),
                          local_time(ctx, r["last_used_at"]) if r["last_used_at"] else ctx.t("never"), actions))
    add = render(
        '<h2>{h}</h2><form method="post" action="/couriers" class="filters" data-testid="courier-add">{c}'
        '<label>{cl}<input name="company" required maxlength="60" list="companies"></label>'
        '<label>{nl}<input name="name" maxlength="60"></label>'
        '<label>{kl}<input name="code" inputmode="numeric" pattern="[0-9]{{4,16}}" maxlength="16" placeholder="{ph}">'
        '</label><button>{b}</button></form><datalist id="companies">{opts}</datalist>',
        h=ctx.t("Add courier"), c=ctx.csrf_input, cl=ctx.t("Company"), nl=ctx.t("Name"), kl=ctx.t("Code"),
        ph=ctx.t("leave empty for a random code"), b=ctx.t("Add"),
        opts=join(render('<option value="{v}">', v=v) for v in _companies(lang)))
    head = [ctx.t("Company"), ctx.t("Name"), ctx.t("Code"), ctx.t("Enabled"), ctx.t("Last use"), ctx.t("Actions")]
    return page(ctx, ctx.t("Couriers"), Safe(add + table(head, body_rows, empty=ctx.t("not found"))))


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
    label = f"{row['company']} {row['name']}".strip()
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
            return redirect(ctx, "/couriers", "ok", f"{row['company']}: {ctx.t('Saved')}")
        if action == "rotate":
            given = form_value(form, "code") or None
            code = await ctx.daemon.store.write(lambda tx: s.couriers.rotate_tx(tx, courier_id, given, actor=actor(user)))
            row = await ctx.daemon.store.read(lambda tx: s.couriers.get(tx, courier_id))
            return redirect(ctx, "/couriers", "ok", _fmt(ctx, "New code for {c}: {code} (shown once: give it to the"
                                                              " courier)", c=row["company"], code=code))
    except DomainError as exc:
        return redirect(ctx, "/couriers", "error", _err(ctx, exc))
    return redirect(ctx, "/couriers", "error", ctx.t("not found"))


# --- units -------------------------------------------------------------------------------------------
LANG_NAMES = {"zh-CN": "Chinese", "en": "English"}


def _lang_label(ctx: Ctx, lang: str | None) -> str:
    return ctx.t(LANG_NAMES.get(lang, lang)) if lang else ctx.t("site default")


def _unit_form(ctx: Ctx, u: dict[str, Any] | None) -> Safe:
    u = u or {}

    def sel(name: str, value: str | None, choices: list[tuple[str, str]]) -> Safe:
        return render('<select name="{n}">{o}</select>', n=name, o=join(
            render('<option value="{v}"{s}>{lab}</option>', v=v, lab=lab,
                   s=Safe(" selected") if (value or "") == v else Safe(""))
            for v, lab in choices))

    yn = [("1", ctx.t("yes")), ("0", ctx.t("no"))]
    return render(
        '<h2>{h}</h2><form method="post" action="/units" class="filters" data-testid="unit-form">{c}'
        '<label>{ul}<input name="unit" required maxlength="32" value="{unit}"></label>'
        '<label>{pl}<input name="phone" maxlength="24" inputmode="tel" value="{phone}"></label>'
        '<label>{tl}<input name="phone_tail" maxlength="4" inputmode="numeric" pattern="[0-9]{{4}}" value="{tail}"></label>'
        '<label>{ll}{lang}</label><label>{dl}{low}</label><label>{kl}{consent}</label>'
        '<button>{b}</button></form>',
        h=ctx.t("Add or edit a unit"), c=ctx.csrf_input, ul=ctx.t("Unit"), unit=u.get("unit", ""), pl=ctx.t("Phone"),
        phone=u.get("phone") or "", tl=ctx.t("Phone tail"), tail=u.get("phone_tail") or "", ll=ctx.t("Language"),
        lang=sel("lang", u.get("lang"), [("", ctx.t("site default")), ("zh-CN", ctx.t("Chinese")), ("en", ctx.t("English"))]),
        dl=ctx.t("Low door"), low=sel("low_door", "1" if u.get("low_door") else "0", yn), kl=ctx.t("Locker delivery"),
        consent=sel("locker_consent", "0" if u.get("locker_consent") is False else "1", yn), b=ctx.t("Save"))


@router.get("/units")
async def units(request: Request, user: StaffUser = Depends(require_admin)) -> Response:
    ctx = ctx_of(request, user)
    q = request.query_params.get("q", "").strip()[:32]
    edit = request.query_params.get("edit", "").strip()[:32]
    rows, keep, current = await ctx.daemon.store.read(
        lambda tx: (D.list_units_tx(tx, q), D.keep_phone(tx), D.unit_row(tx, edit) if edit else None))
    search = render('<form method="get" class="filters"><label>{l}<input name="q" value="{q}" maxlength="32"></label>'
                    '<button>{b}</button> <a class="button" href="/units.csv">{e}</a></form>',
                    l=ctx.t("Search"), q=q, b=ctx.t("Search"), e=ctx.t("Export"))
    body_rows = []
    for u in rows:
        actions = render(
            '<a href="/units?{qs}">{el}</a> <form method="post" action="/units/remove" class="row-form">{c}'
            '<input type="hidden" name="unit" value="{u}"><button class="warn">{rl}</button></form>',
            qs=qs(edit=u["unit"], q=q), el=ctx.t("Edit"), c=ctx.csrf_input, u=u["unit"], rl=ctx.t("Remove"))
        body_rows.append((u["unit"], u["phone_tail"] or "", _lang_label(ctx, u["lang"]),
                          ctx.t("yes" if u["low_door"] else "no"),
                          badge(ctx.t("yes" if u["locker_consent"] else "no"), "green" if u["locker_consent"] else "red"),
                          local_time(ctx, u["vacation_until"]) if u["vacation_until"] else "", actions))
    head = [ctx.t("Unit"), ctx.t("Phone tail"), ctx.t("Language"), ctx.t("Low door"), ctx.t("Locker delivery"),
            ctx.t("Vacation until"), ctx.t("Actions")]
    imp = render(
        '<h2>{h}</h2><p class="hint">{hint}</p><form method="post" action="/units/import" enctype="multipart/form-data"'
        ' class="filters" data-testid="unit-import">{c}<input type="file" name="file" accept=".csv,text/csv" required>'
        '<label><input type="checkbox" name="replace" value="1"> {rl}</label><button>{b}</button></form>',
        h=ctx.t("Import CSV"), hint=ctx.t("CSV: unit/房号, phone/手机号, phone_tail/手机尾号, lang/语言, low_door/低位柜门,"
                                           " locker_consent/同意入柜; UTF-8 or GB18030"),
        c=ctx.csrf_input, rl=ctx.t("Replace: remove units that are not in the file"), b=ctx.t("Upload"))
    note = Safe("") if keep else render('<p class="hint">{t}</p>', t=ctx.t("Full phone numbers are not kept: no channel"
                                                                           " sends to phones"))
    return page(ctx, ctx.t("Units"), Safe(search + table(head, body_rows, empty=ctx.t("not found"))
                                          + _unit_form(ctx, D.public_unit(current) if current else None) + note + imp))


@router.post("/units")
async def units_save(request: Request, user: StaffUser = Depends(require_admin)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()
    given = {k: form_value(form, k) for k in ("unit", "phone", "phone_tail", "lang", "low_door", "locker_consent")}
    data: dict[str, str | None] = {k: v for k, v in given.items() if v != ""}
    for k in ("phone", "phone_tail", "lang"):  # emptied on the form: cleared
        data[k] = given.get(k) or None
    try:
        u = UnitIn.model_validate(data)
        await svc(ctx).unit_upsert(u, actor(user), source="console")
    except ValidationError as exc:
        return redirect(ctx, "/units", "error", describe_errors(exc))
    except DomainError as exc:
        return redirect(ctx, "/units", "error", _err(ctx, exc))
    return redirect(ctx, "/units?" + qs(q=u.unit), "ok", f"{u.unit}: {ctx.t('Saved')}")


@router.post("/units/remove")
async def units_remove(request: Request, user: StaffUser = Depends(require_admin)) -> Response:
    ctx = ctx_of(request, user)
    unit = form_value(await request.form(), "unit")
    try:
        await svc(ctx).unit_remove(unit, actor(user))
    except DomainError as exc:
        return redirect(ctx, "/units", "error", _err(ctx, exc))
    return redirect(ctx, "/units", "ok", _fmt(ctx, "Removed {u} and its personal data", u=unit))


def _problem(ctx: Ctx, p: unit_csv.CsvProblem) -> str:
    why = p.reason
    if p.column:
        return _fmt(ctx, "line {line}, column {col}: {why}", line=p.line, col=p.column, why=why)
    return _fmt(ctx, "line {line}: {why}", line=p.line, why=why)


@router.post("/units/import")
async def units_import(request: Request, user: StaffUser = Depends(require_admin)) -> Response:
    """Step 1: parse the upload and show what would change (nothing is written yet)."""
    ctx = ctx_of(request, user)
    form = await request.form()
    upload = form.get("file")
    raw = b"" if upload is None or isinstance(upload, str) else await upload.read()
    replace = form_value(form, "replace") == "1"
    try:
        units_in = unit_csv.parse(raw)
    except unit_csv.CsvProblem as exc:
        return redirect(ctx, "/units", "error", f"{_problem(ctx, exc)} · {ctx.t('Nothing was imported')}")
    preview = await ctx.daemon.store.read(lambda tx: D.preview_tx(tx, units_in, replace=replace))
    rows = ([(badge(ctx.t("to add"), "green"), a["unit"],
              ", ".join(f"{ctx.t(_FIELD.get(k, k))}: {_show(ctx, v[1])}" for k, v in a["changes"].items()))
             for a in preview["add"]]
            + [(badge(ctx.t("to change"), "yellow"), c["unit"],
                ", ".join(f"{ctx.t(_FIELD.get(k, k))}: {_show(ctx, v[0])} → {_show(ctx, v[1])}" for k, v in c["changes"].items()))
               for c in preview["change"]]
            + [(badge(ctx.t("to remove"), "red"), r, "") for r in preview["remove"]])
    summary = render('<p data-testid="import-summary">{a} {na} · {c} {nc} · {s} {ns} · {r} {nr}</p>',
                     a=len(preview["add"]), na=ctx.t("to add"), c=len(preview["change"]), nc=ctx.t("to change"),
                     s=preview["same"], ns=ctx.t("unchanged"), r=len(preview["remove"]), nr=ctx.t("to remove"))
    apply = render(
        '<form method="post" action="/units/import/apply" class="filters">{c}<input type="hidden" name="data" value="{d}">'
        '<input type="hidden" name="replace" value="{r}"><button data-testid="apply-import">{b}</button>'
        ' <a href="/units">{cl}</a></form>',
        c=ctx.csrf_input, d=base64.b64encode(raw).decode(), r="1" if replace else "0", b=ctx.t("Apply import"),
        cl=ctx.t("Cancel"))
    return page(ctx, ctx.t("Import preview"), Safe(summary + table([ctx.t("Action"), ctx.t("Unit"), ctx.t("Detail")], rows,
                                                                    empty=ctx.t("unchanged")) + apply))


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
        units_in = unit_csv.parse(raw)
        counts = await svc(ctx).import_units(units_in, replace=form_value(form, "replace") == "1", actor=actor(user),
                                             source="csv")
    except (binascii.Error, ValueError):
        return redirect(ctx, "/units", "error", ctx.t("Nothing was imported"))
    except unit_csv.CsvProblem as exc:
        return redirect(ctx, "/units", "error", f"{_problem(ctx, exc)} · {ctx.t('Nothing was imported')}")
    return redirect(ctx, "/units", "ok", _fmt(ctx, "Imported: {a} added, {c} changed, {r} removed",
                                              a=counts["added"], c=counts["changed"], r=counts["removed"]))


@router.get("/units.csv")
async def units_export(request: Request, user: StaffUser = Depends(require_admin)) -> Response:
    ctx = ctx_of(request, user)
    rows = await ctx.daemon.store.read(lambda tx: D.list_units_tx(tx, "", limit=1_000_000))
    resp = Response(unit_csv.export(rows, chinese=ctx.lang == "zh").encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="units.csv"'})
    finish(ctx, resp)
    return resp
