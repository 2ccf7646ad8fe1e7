"""CSV exports (parcel list, audit): UTF-8 with a BOM so Excel reads Chinese, and the formula guard.

A cell that starts with = + - @ (or a tab / carriage return) is prefixed with ' so a spreadsheet shows it as
text instead of running it (CSV injection, OWASP).
"""

from __future__ import annotations

import asyncio
import csv
import io
import math
from collections.abc import Iterable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from edge import hant
from edge.services.staff import StaffUser
from edge.web.console import queries
from edge.web.console.guard import require_user
from edge.web.console.page import ctx_of

router = APIRouter(include_in_schema=False)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_response(head: list[str], rows: Iterable[Iterable[Any]], filename: str, *, hk: bool = False,
                 keep: tuple[int, ...] = ()) -> Response:
    """A CSV download; `hk`: the staff member reads 繁體 (ADR 0050), so its words are converted as the page's are,
    the columns in `keep` (tracking numbers, units: what is looked up or imported again) as stored."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([hant.convert(h) for h in head] if hk else head)
    for r in rows:
        w.writerow([guard(hant.convert(v) if hk and i not in keep and isinstance(v, str) else v)
                    for i, v in enumerate(r)])
    return Response("\ufeff" + buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{filename}"', "cache-control": "no-store"})


@router.get("/parcels.csv")
async def parcels_csv(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    """The parcel list as filtered on /parcels, in the staff's words."""
    from edge.web.console.routes_parcels import local_time, location

    ctx = ctx_of(request, user)
    qp = request.query_params
    q, unit, carrier, state = (qp.get(k, "").strip()[:64] for k in ("q", "unit", "carrier", "state"))
    try:
        age = float(qp.get("age") or 0)
    except ValueError:
        age = 0.0
    age = min(max(age, 0.0), 3650.0) if math.isfinite(age) else 0.0
    rows = await ctx.daemon.store.read(lambda tx: queries.search_parcels(
        tx, q=q, unit=unit, carrier=carrier, state=state, min_age_days=age, parcel_ids=None, limit=50_000))
    head = [ctx.t(h) for h in ("Tracking number", "Carrier", "Unit", "Category", "State", "Stage", "Location",
                               "Stored", "Left at")]  # closed_at: collected, returned, disposed or cancelled

    def build() -> Response:
        body = [[p["tracking_number"], ctx.g("carrier", queries.parcel_carrier(p)), p["unit"] or "",
                 ctx.g("category", p["category"]), ctx.g("state", p["state"]),
                 ctx.g("stage", p["stage"]) if p.get("stage") else "", location(p, ctx),
                 local_time(ctx, p["stored_at"]), local_time(ctx, p.get("closed_at"))] for p in rows]
        return csv_response(head, body, "parcels.csv", hk=ctx.hk, keep=(0, 2))

    # off the loop, as /audit.csv: a year's parcels take a second to word (trial42)
    return await asyncio.to_thread(build)
