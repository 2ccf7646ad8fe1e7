"""Operations pages: expected parcels (add, CSV import), anomaly board, overdue and disposal queue with the
printable public notice, and the carrier report (SVG charts, CSV export)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from edge import glossary
from edge.clock import utc_iso
from edge.errors import DomainError
from edge.operations.registry import PARCEL_EXPECT
from edge.services import expected_csv
from edge.services.notifier import desk_hours_words
from edge.services.staff import StaffUser
from edge.services.unit_csv import CsvProblem
from edge.tracking.report import problem_carriers
from edge.web.console import dates, queries
from edge.web.console import tracking_view as V
from edge.web.console.csv_words import csv_reason
from edge.web.console.exports import csv_response
from edge.web.console.forms import fields, run_form
from edge.web.console.guard import actor, require_user
from edge.web.console.page import (
    Ctx,
    act,
    ctx_of,
    finish,
    form_value,
    fragment,
    not_on_this_site,
    redirect,
    show,
    to_hk,
)
from edge.web.console.routes_parcels import local_time
from edge.web.console.svg import hbars
from edge.web.console.templating import Badge, Link, Markup

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

CSV_FIELDS = ("tracking_number", "unit", "carrier", "phone_tail", "category", "expected_by", "cross_border")
MAX_CSV_BYTES = 1024 * 1024


# --- expected parcels ---------------------------------------------------------------------------------
@router.get("/expected")
async def expected(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    rows = await ctx.tracking.register() if ctx.tracking is not None else await ctx.daemon.store.read(queries.expected)
    eta_by = await V.etas(ctx, [r["tracking_number"] for r in rows])
    body_rows = [(Link(f"/parcels/{r.get('parcel_id') or r.get('id')}", r["tracking_number"]),
                  ctx.g("carrier", r["carrier"]), r["unit"] or "", ctx.g("category", r["category"]),
                  local_time(ctx, r["expected_by"]) if r["expected_by"] and "T" in str(r["expected_by"])
                  else r["expected_by"] or "",
                  ctx.t("yes") if r["cross_border"] else "", ctx.g("milestone", r.get("last_milestone")),
                  V.eta_cell(ctx, eta_by.get(r["tracking_number"])),
                  Badge(_anomaly_word(ctx, r["anomaly"]), r["anomaly"]) if r.get("anomaly") else "",
                  ctx.g("source", r["source"]),
                  local_time(ctx, r["created_at"])) for r in rows]
    return show(ctx, "expected.html", ctx.t("Expected"), rows=body_rows,
                categories=[(c, ctx.g("category", c)) for c in queries.CATEGORIES])


def _expect_args(row: dict[str, Any]) -> dict[str, Any]:
    def val(k: str) -> str | None:
        v = (row.get(k) or "").strip()
        return v or None

    return {"tracking_number": val("tracking_number") or "", "unit": val("unit") or "", "carrier": val("carrier"),
            "phone_tail": val("phone_tail"), "category": val("category") or "normal", "expected_by": val("expected_by"),
            "cross_border": (val("cross_border") or "").lower() in ("1", "true", "yes", "y", "是")}


@router.post("/expected")
async def expected_add(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()
    args = {k: v for k, v in _expect_args(fields(form, *CSV_FIELDS)).items() if v != ""}

    async def run() -> None:
        if args.get("expected_by"):  # typed year first in any browser's language (dates.py)
            args["expected_by"] = dates.iso_day(args["expected_by"])
        await run_form(ctx, PARCEL_EXPECT, args, user)

    return await act(ctx, "/expected", f"{args.get('tracking_number', '')}: {ctx.t('Saved')}", run)


@router.post("/expected/import")
async def expected_import(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        return redirect(ctx, "/expected", "error", ctx.t("No file chosen"))
    raw = await upload.read(MAX_CSV_BYTES + 1)
    if len(raw) > MAX_CSV_BYTES:
        return redirect(ctx, "/expected", "error", ctx.t("The file is too large (1 MB at most)"))
    try:  # the one importer (edge/services/expected_csv.py): Chinese or English headers, UTF-8 or GB18030
        res = await expected_csv.import_file(raw, ctx.services.parcels.expect, actor=actor(user),
                                             source="console_csv")
    except CsvProblem as exc:
        return redirect(ctx, "/expected", "error",
                        f"{_csv_where(ctx, exc.line, exc.column, exc.reason)} · {ctx.t('Nothing was imported')}")
    errors = [_csv_where(ctx, p.line, p.column, ctx.refusal(p.error)) for p in res.problems]
    text_out = (ctx.t("Import: {ok} ok").replace("{ok}", str(res.imported))
                + (ctx.t("; {n} refused: ").replace("{n}", str(len(errors))) + "; ".join(errors[:5]) if errors else ""))
    return redirect(ctx, "/expected", "error" if errors else "ok", text_out)


def _csv_where(ctx: Ctx, line: int, column: str, why: str) -> str:
    why = csv_reason(why, ctx.lang)
    if not line:  # the file as a whole
        return why
    if column:
        return ctx.t("line {line}, column {col}: {why}").format(line=line, col=column, why=why)
    return ctx.t("line {line}: {why}").format(line=line, why=why)


# --- anomalies ----------------------------------------------------------------------------------------
def _followup_stats(tx: Any) -> tuple[dict[str, tuple[int, str]], dict[str, str]]:
    """Per tracking number: (follow-ups, last), and the open follow-up/escalation task kinds that are due."""
    counts = {r["tracking_number"]: (r["n"], r["last"]) for r in tx.all(
        "SELECT tracking_number, count(*) AS n, max(ts) AS last FROM followups GROUP BY tracking_number")}
    due: dict[str, str] = {}
    for r in tx.all("SELECT kind, detail FROM tasks WHERE state = 'open' AND kind IN"
                    " ('tracking_followup', 'tracking_escalation') AND due_at <= ?", (tx.ts,)):
        tn = (queries._json(r["detail"]) or {}).get("tracking_number")
        if tn and due.get(tn) != "tracking_escalation":
            due[tn] = r["kind"]
    return counts, due


@router.get("/anomalies")
async def anomalies(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    if ctx.tracking is None:
        return show(ctx, "unavailable_page.html", ctx.t("Anomalies"), what=ctx.t("Tracking"))
    rows = await ctx.tracking.open_anomalies()
    counts, due = await ctx.daemon.store.read(_followup_stats)
    rows.sort(key=lambda a: (a.get("severity") != "red", str(a.get("raised_at") or "")))
    view = []
    for a in rows:
        tn = a.get("tracking_number") or ""
        ref = a.get("parcel_id") or tn
        n, last = counts.get(tn, (0, None))
        flag = due.get(tn)
        view.append({"tracking_number": tn, "kind": a.get("kind", ""), "cells": (
            Link(f"/parcels/{ref}", tn or ref), ctx.g("carrier", a.get("carrier")),
            ctx.g("anomaly", a.get("kind")),
            Badge(ctx.g("severity", a.get("severity")), a.get("severity", "")), ctx.g("owner", a.get("owner")),
            _next_action(ctx, a),
            local_time(ctx, a.get("raised_at")), f"{n} · {local_time(ctx, last)}" if n else "0",
            Badge(ctx.t("Escalation due"), "red") if flag == "tracking_escalation"
            else Badge(ctx.t("Next follow-up"), "yellow") if flag else ctx.g("channel", a.get("escalation")),
        )})
    reds = sum(1 for a in rows if a.get("severity") == "red")
    return show(ctx, "anomalies.html", ctx.t("Anomalies"), rows=view, reds=reds)


@router.post("/anomalies/resolve")
async def anomaly_resolve(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    """Staff close an anomaly by hand (the tracking part records who and why)."""
    ctx = ctx_of(request, user)
    form = await request.form()
    tn, kind, note = form_value(form, "tracking_number"), form_value(form, "kind"), form_value(form, "note")[:200]

    async def run() -> None:
        if ctx.tracking is None:
            raise not_on_this_site("tracking")
        if not note:
            raise DomainError("reason_required", "say why the anomaly is resolved", status=422)
        await ctx.tracking.resolve(tn, kind, actor=actor(user), note=note)

    # what was done, in words: "SF…：已标记解决（显示已送达但未到本小区）", not "SF…: 已保存"
    done = ctx.t("{tn}: marked resolved ({kind})").replace("{tn}", tn).replace("{kind}", _anomaly_word(ctx, kind))
    return await act(ctx, "/anomalies", done, run)


def _anomaly_word(ctx: Ctx, code: str) -> str:
    return ctx.g("anomaly", code) if glossary.lookup("anomaly", code) else ctx.g("severity", code)


def _next_action(ctx: Ctx, a: dict[str, Any]) -> str:
    """The playbook's next step in the staff's language, with where the carrier says the parcel went: the step
    (`anomalies.next_action`) and the place (its detail) are stored apart (ADR 0046) and composed here."""
    return glossary.anomaly_step(a.get("kind"), a.get("next_action") or "", (a.get("detail") or {}).get("place"),
                                 ctx.lang)


# --- public notice ------------------------------------------------------------------------------------
def _where(ctx: Ctx) -> str:
    """Where, when and whom to call, for the printed notice."""
    site = ctx.daemon.config.site
    # the place in the notice's language (the English notice said "Collect at: 1号楼大堂物业前台"), and the
    # desk's number as a telephone (the directory's "Phone" is the resident's 手机号)
    place = (site.desk_place_en if ctx.lang != "zh" else "") or site.desk_place or ctx.g("place", "desk")
    # a Chinese notice in Chinese punctuation: "领取地点：…" (trial38 printed "领取地点: …；开放时间: …")
    colon = "：" if ctx.lang == "zh" else ": "
    parts = [f"{ctx.t('Collect at')}{colon}{place}"]
    if site.desk_hours:  # "工作日 08:00-20:00" unless the desk opens on rest days too (the kiosk's and messages' rule)
        hours = desk_hours_words(site.desk_hours, ctx.lang, not site.desk_open_on_rest_days)
        parts.append(f"{ctx.t('Opening hours')}{colon}{hours}")
    if site.contact:
        parts.append(f"{ctx.t('Desk phone')}{colon}{site.contact}")
    return ("；" if ctx.lang == "zh" else "; ").join(parts)


@router.get("/tasks/notice")
async def notice(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    """The printable public notice of unclaimed parcels (tracking numbers and units masked); "collect before" is the
    service's deadline, the one the notice message states and the disposal falls due at (once recomputed here)."""
    ctx = ctx_of(request, user)
    items = [(r["tracking_number"], ctx.g("carrier", r.get("carrier")), r["unit"], r.get("location") or "",
              local_time(ctx, r.get("stored_at")), local_time(ctx, r.get("deadline")))
             for r in await ctx.rules.notice_list()]
    body = fragment(ctx, "notice.html", items=items, where=_where(ctx),
                    printed=local_time(ctx, ctx.daemon.store.clock.now().isoformat()))
    # 繁體: the notice on the board in the residents' script, converted like every console page (ADR 0050)
    resp = Response(to_hk(body) if ctx.hk else body, media_type="text/html")
    finish(ctx, resp)
    return resp


# --- carrier report -----------------------------------------------------------------------------------
RATE_COLS = ("first_scan_rate", "on_time_rate", "exception_rate", "last_mile_failure_rate")
COL_LABELS = {"carrier": "Carrier", "parcels": "Parcels", "first_scan_rate": "First-scan rate",
              "on_time_rate": "On-time rate", "exception_rate": "Exception rate", "avg_delay_days": "Avg delay (days)",
              "last_mile_failure_rate": "Last-mile failure", "anomalies": "Anomalies", "collected": "Collected",
              "in_storage": "In storage",
              "overdue": "Overdue", "returned": "Returned or disposed", "avg_storage_h": "Avg storage (h)",
              "false_delivery_rate": "False delivery", "scan_to_received_h": "Scan to received (h)"}


def _num(v: Any) -> float | None:
    return None if v in (None, "") else float(v)


async def _report(ctx: Ctx, days: int) -> tuple[list[str], list[list[Any]], Markup, list[dict[str, Any]]]:
    """(columns, raw rows for CSV, SVG chart, problem carriers) from the tracking part, else from storage."""
    now = ctx.daemon.clock.now()
    tracked = None
    if ctx.tracking is not None:
        got = await ctx.tracking.carrier_report(since=utc_iso(now - timedelta(days=days)),
                                                until=utc_iso(now + timedelta(seconds=1)))
        tracked = {"rows": got, "problems": problem_carriers(got)}
    stats = await ctx.daemon.store.read(lambda tx: queries.carrier_storage_report(tx, days))
    cols = ["carrier", "parcels", "collected", "in_storage", "overdue", "returned", "avg_storage_h"]
    own = len(cols)
    if tracked is not None:  # the tracking part's rates, joined to every deposit by carrier
        rates = {str(r.get("carrier")): r for r in tracked["rows"]}
        seen = {str(r["carrier"]) for r in stats}
        stats += [{"carrier": c, "parcels": r.get("parcels") or 0, "collected": None, "in_storage": None, "overdue": None,
                   "returned": None, "avg_storage_h": None} for c, r in rates.items() if c not in seen]
        cols += [*RATE_COLS[:3], "avg_delay_days", RATE_COLS[3], "false_delivery_rate", "scan_to_received_h", "anomalies"]
        for r in stats:
            for c in cols[own:]:
                r[c] = (rates.get(r["carrier"]) or {}).get(c)
    if tracked is not None and any(r.get(c) is not None for r in stats for c in RATE_COLS):
        chart = hbars(ctx.t("Carriers"), [(_carrier_word(ctx, r["carrier"]), [_num(r.get(c)) for c in RATE_COLS])
                                          for r in stats],
                      [ctx.t(COL_LABELS[c]) for c in RATE_COLS], percent=True)
    else:  # no tracking rates yet (or no tracking part): the deposits' own counts, not an empty rate chart
        chart = hbars(ctx.t("Carriers"), [(_carrier_word(ctx, r["carrier"]), [_num(r["parcels"]), _num(r["overdue"])])
                                          for r in stats], [ctx.t("Parcels"), ctx.t("Overdue")])
    rows = [[r.get(c) if r.get(c) is not None else "" for c in cols] for r in stats]
    return cols, rows, chart, list((tracked or {}).get("problems") or [])


def _carrier_word(ctx: Ctx, code: Any) -> str:
    """A carrier's name; a parcel whose carrier nothing told is "未知快递公司" in the table and the chart alike
    (the chart read "?" beside the table's word: trial of 2026-12-05)."""
    return ctx.g("carrier", str(code)) if code not in (None, "", "?") else ctx.t("Unknown carrier")


def _shown(ctx: Ctx, cols: list[str], row: list[Any]) -> list[Any]:
    out = []
    for c, v in zip(cols, row, strict=True):
        if c == "carrier":
            out.append(_carrier_word(ctx, v))
        elif c in (*RATE_COLS, "false_delivery_rate") and v != "":
            out.append(f"{float(v) * 100:.0f}%")
        else:
            out.append(v if v != "" else "–")
    return out


def _pct(v: Any) -> str:
    return "–" if v in (None, "") else f"{float(v) * 100:.0f}%"


def _days(request: Request) -> int:
    try:
        return max(1, min(366, int(request.query_params.get("days") or 30)))
    except ValueError:
        return 30


@router.get("/reports/carriers")
async def carriers(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    days = _days(request)
    cols, rows, chart, problems = await _report(ctx, days)
    problem_rows = [(ctx.g("carrier", p.get("carrier")), _pct(p.get("exception_rate")), p.get("anomalies"), p.get("parcels"))
                    for p in problems]
    return show(ctx, "carriers.html", ctx.t("Carriers"), days=days, chart=chart,
                headers=[ctx.t(COL_LABELS.get(c, c)) for c in cols], rows=[_shown(ctx, cols, r) for r in rows],
                problems=problem_rows, sources=await V.sources_rows(ctx, days))


@router.get("/reports/carriers.csv")
async def carriers_csv(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    days = _days(request)
    cols, rows, _, _ = await _report(ctx, days)
    # in the staff's words like the parcel and audit exports (it said "carrier,parcels" and "SF", "0.0"):
    # carriers by name, rates as percentages in a "(%)" column
    rate = {*RATE_COLS, "false_delivery_rate"}
    # a Chinese heading takes full-width brackets like its neighbours "平均存放（小时）" (trial38 read "首扫率 (%)")
    pct = "（%）" if ctx.lang == "zh" else " (%)"
    head = [ctx.t(COL_LABELS.get(c, c)) + (pct if c in rate else "") for c in cols]
    body = [[_carrier_word(ctx, v) if c == "carrier"
             else round(float(v) * 100, 1) if c in rate and v != "" else v
             for c, v in zip(cols, r, strict=True)] for r in rows]
    return csv_response(head, body, f"carriers-{days}d.csv", hk=ctx.hk)
