"""Parcels: search, detail with one timeline, and the staff actions on a parcel."""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from edge import glossary
from edge.clock import utc_iso
from edge.domain.vocab import CHANNELS as FOLLOW_UP_CHANNELS  # defined once (edge/domain/vocab.py)
from edge.errors import DomainError, NotFound
from edge.operations.registry import PARCEL_HOLD
from edge.services.staff import StaffUser
from edge.web.console import dates, queries
from edge.web.console import tracking_view as V
from edge.web.console.forms import run_form
from edge.web.console.guard import actor, require_user
from edge.web.console.i18n import ZH
from edge.web.console.page import Ctx, act, ctx_of, form_value, not_on_this_site, show
from edge.web.console.templating import Badge, Link

log = logging.getLogger(__name__)
ZH.update({"Collected from": "取件位置", "door {c}": "格口 {c}"})
router = APIRouter(include_in_schema=False)



def local_time(ctx: Ctx, ts: str | None) -> str:
    """A stored UTC time shown in the site's zone (YYYY-MM-DD HH:MM)."""
    if not ts:
        return ""
    try:
        dt = datetime.fromisoformat(ts.replace("Z", "+00:00"))
        return dt.astimezone(ZoneInfo(ctx.daemon.config.site.timezone)).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return ts


def state_badge(ctx: Ctx, p: dict[str, Any]) -> Badge:
    kind = {"stored": "occupied", "collected": "free", "expected": "reserved"}.get(p["state"], "disabled")
    # the storage stage (overdue, on notice, disposal due) only while it is stored: a disposed parcel read
    # "已退回 · 待处置", a remotely opened one "已取件 · 超期"
    stage = p.get("stage") if p["state"] == "stored" else None
    text = ctx.g("state", p["state"]) + (f" · {ctx.g('stage', stage)}" if stage else "")
    return Badge(text, kind)


def location(p: dict[str, Any], ctx: Ctx | None = None) -> str:
    """Where the parcel is now (nothing once it has left: collected, returned, disposed)."""
    if p.get("state") not in (None, "stored", "depositing", "expected"):
        return ""
    if p.get("compartment_id"):
        return p["compartment_id"]
    if p.get("shelf_slot"):
        where = ctx.g("place", "shelf") if ctx is not None else "shelf"
        return f"{where} {p['shelf_slot']}"
    return ""


def place_row(ctx: Ctx, p: dict[str, Any]) -> list[tuple[str, str]]:
    """The parcel page's place: where it is now; once collected, where it was collected from (its door, or the
    shelf of the parcel room); nothing for a parcel that has left otherwise (a row with an empty 位置 beside it,
    after a handover: trial of 2026-12-07)."""
    where = location(p, ctx)
    if where:
        return [(ctx.t("Location"), where)]
    if p.get("state") == "collected":
        if p.get("compartment_id"):
            return [(ctx.t("Collected from"), ctx.t("door {c}").format(c=p["compartment_id"]))]
        if p.get("shelf_slot"):
            return [(ctx.t("Collected from"), f"{ctx.g('place', 'shelf')} {p['shelf_slot']}")]
    return []


@router.get("/parcels")
async def parcels(request: Request, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    qp = request.query_params
    q, unit, carrier, state, anomaly = (qp.get(k, "").strip()[:64] for k in ("q", "unit", "carrier", "state", "anomaly"))
    try:
        age = float(qp.get("age") or 0)
    except ValueError:
        age = 0.0
    age = min(max(age, 0.0), 3650.0) if math.isfinite(age) else 0.0
    anomalies = await ctx.tracking.open_anomalies() if ctx.tracking is not None else None
    ids: list[str] | None = None
    if anomaly and anomalies is not None:
        ids = sorted({a["parcel_id"] for a in anomalies if a.get("parcel_id")
                      and (anomaly == "any" or a.get("kind") == anomaly or a.get("severity") == anomaly)})
    rows, carriers = await ctx.daemon.store.read(lambda tx: (
        queries.search_parcels(tx, q=q, unit=unit, carrier=carrier, state=state, min_age_days=age, parcel_ids=ids),
        queries.carriers(tx)))
    states = [("", ctx.t("All"))] + [(s, ctx.g("state", s)) for s in queries.PARCEL_STATES] + [
        (s, ctx.g("stage", s)) for s in ("overdue", "noticed", "disposal_due")]
    kinds = sorted({a.get("kind", "") for a in anomalies or []} - {""})
    anomaly_choices = ([("", ctx.t("All"))] + [(k, ctx.g("severity", k)) for k in ("any", "yellow", "red")]
                       + [(k, ctx.g("anomaly", k)) for k in kinds]) if anomalies is not None else None
    grade = await V.anomaly_grades(ctx.tracking)
    body_rows = [
        (Link(f"/parcels/{p['id']}", p["tracking_number"]),
         ctx.g("carrier", queries.parcel_carrier(p)),
         p["unit"] or "", ctx.g("category", p["category"]), state_badge(ctx, p), location(p, ctx),
         local_time(ctx, p["stored_at"]),  # never stored (expected, a cancelled deposit): no "stored" time
         Badge(ctx.g("severity", grade[p["id"]]), grade[p["id"]]) if p["id"] in grade else "")
        for p in rows
    ]
    return show(ctx, "parcels.html", ctx.t("Parcels"), rows=body_rows, states=states,
                carriers=[("", ctx.t("All"))] + [(c, ctx.g("carrier", c)) for c in carriers],
                anomaly_choices=anomaly_choices,
                f={"q": q, "unit": unit, "carrier": carrier, "state": state, "anomaly": anomaly, "age": qp.get("age", "")})


def _timeline(ctx: Ctx, log_rows: list[dict[str, Any]], tracking: list[dict[str, Any]] | None,
              follow: list[dict[str, Any]] | None, couriers: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Storage events, tracking milestones and follow-ups in one list by time (``parcel.html`` draws it)."""
    items: list[dict[str, Any]] = []
    for r in log_rows:
        items.append({"key": r["ts"], "ts": local_time(ctx, r["ts"]), "cls": "storage", "badge": ctx.t("Storage"),
                      "badge_kind": "occupied", "what": ctx.g("event", r["kind"]),
                      "parts": [who_text(ctx, r["actor"], couriers), detail_text(ctx, r["detail"])]})
    for e in tracking or []:
        ts = str(e.get("time") or e.get("ts") or "")
        items.append({"key": ts, "ts": local_time(ctx, ts), "cls": "tracking", "badge": ctx.t("Tracking"),
                      "badge_kind": "reserved", "what": ctx.g("milestone", e.get("milestone")),
                      "parts": [e.get("text", ""), e.get("location") or ""], "event_id": e.get("id")})
    for f in follow or []:
        ts = str(f.get("ts") or f.get("created_at") or f.get("date") or "")
        items.append({"key": ts, "ts": local_time(ctx, ts), "cls": "follow", "badge": ctx.t("Follow-ups"),
                      "badge_kind": "open", "what": ctx.g("channel", f.get("channel")),
                      "parts": [f.get("said") or f.get("summary") or f.get("text") or "", f.get("ticket") or ""]})
    items.sort(key=lambda x: str(x["key"]))
    return items


@router.get("/parcels/{ref}")
async def parcel_detail(request: Request, ref: str, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    p = await ctx.daemon.store.read(lambda tx: queries.parcel(tx, ref))
    if p is None:
        raise NotFound("parcel_unknown", "no such parcel")
    log_rows, disposal = await ctx.daemon.store.read(lambda tx: (
        queries.parcel_log(tx, p["id"]),
        tx.one("SELECT how, actor, note, ts FROM disposals WHERE parcel_id = ?", (p["id"],))))
    tracking, follow = await _tracking_of(ctx, p["tracking_number"])
    couriers = await courier_labels(ctx)
    opening = _removal_opening(ctx, p, log_rows)
    eta = (await V.etas(ctx, [p["tracking_number"]])).get(p["tracking_number"])
    facts = [
        (ctx.t("Tracking number"), p["tracking_number"]), (ctx.t("Carrier"), ctx.g("carrier", queries.parcel_carrier(p))),
        (ctx.t("Unit"), p["unit"] or ""), (ctx.t("Category"), ctx.g("category", p["category"])),
        (ctx.t("State"), Badge(ctx.t(_OPENING_STATE[opening["action"]]).replace("{c}", opening["compartment"]), "open")
         if opening else state_badge(ctx, p)),
        *place_row(ctx, p), (ctx.t("Stored"), local_time(ctx, p["stored_at"])),
        *([(ctx.t("Hold until"), local_time(ctx, p["hold_until"]))] if p["state"] == "stored" and p.get("hold_until")
          else [(ctx.t("Left at"), local_time(ctx, p["closed_at"]))] if p["state"] != "stored" and p.get("closed_at")
          else []),
        *([(ctx.t("Disposed of"), ctx.g("disposal", disposal["how"])),
           (ctx.t("Disposed by"), who_text(ctx, disposal["actor"], couriers)),
           (ctx.t("Disposed at"), local_time(ctx, disposal["ts"])),
           *([(ctx.t("Note"), disposal["note"])] if disposal["note"] else [])]
          if disposal and p["state"] != "stored" else []),
        *([(ctx.t("Expected arrival"), V.eta_cell(ctx, eta)),
           (ctx.t("Dossier"), Link(f"/dossier/{p['tracking_number']}", ctx.t("Complaint dossier")))]
          if eta and eta.get("known") else []),
    ]
    stored = p["state"] == "stored" and not opening
    interrupted = await _interrupted(ctx, p)
    return show(ctx, "parcel.html", p["tracking_number"], interrupted=interrupted, p=p, facts=facts, opening=bool(opening),
                in_locker=bool(p["compartment_id"]) and stored, active=stored,
                hold_default=(ctx.daemon.clock.now().astimezone(ZoneInfo(ctx.daemon.config.site.timezone))
                              + timedelta(days=3)).strftime("%Y-%m-%d"),  # the site's day, not UTC's
                disposal=[(h, ctx.g("disposal", h)) for h in ctx.daemon.policy().disposal_options],
                channels=[(c, ctx.g("channel", c)) for c in FOLLOW_UP_CHANNELS],
                follow_ups=ctx.tracking is not None, timeline=_timeline(ctx, log_rows, tracking, follow, couriers),
                wrong=_wrong_form(ctx, p) if tracking else None)


def _wrong_form(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    """The "this reading is wrong" form under each tracking event (ADR 0056; edge/web/console/routes_tracking_teach.py)."""
    from edge.web.console.routes_tracking_teach import timeline_form

    return timeline_form(ctx, queries.parcel_carrier(p)) | {"back": f"/parcels/{p['id']}"}


async def _interrupted(ctx: Ctx, p: dict[str, Any]) -> dict[str, str] | None:
    """The words of the page's "what did you find in the door" step, for a parcel whose deposit a restart cut."""
    from edge.web.console.routes_doors import interrupted_words

    if p["state"] != "depositing":
        return None
    dep = await ctx.daemon.store.read(lambda tx: tx.one(
        "SELECT compartment_id FROM deposits WHERE parcel_id = ? AND state = 'failed'"
        " AND failure IN ('interrupted', 'door_unconfirmed') ORDER BY created_at DESC LIMIT 1", (p["id"],)))
    if dep is None:
        return None
    c = dep["compartment_id"]
    return {
        "hint": interrupted_words(ctx, "The locker restarted while this parcel was being deposited into {c}: it is not"
                                  " recorded as stored and the resident has not been told. Open {c} (Compartments,"
                                  " or the key), look, then say what you found.", c),
        "stored": interrupted_words(ctx, "The parcel is in {c}: record it as stored and tell the resident", c),
        "empty": interrupted_words(ctx, "{c} is empty: the courier took the parcel away", c),
    }


#: how long a removal whose door has not yet answered shows as "opening" (the door service answers within its
#: confirm timeout, a few seconds; a daemon restarted mid-way must not hide the parcel's actions for ever)
OPENING_FOR = timedelta(seconds=60)
_OPENING_STATE = {"dispose": "Door {c} opening to dispose of it", "move": "Door {c} opening to move it to the parcel room"}


def _removal_opening(ctx: Ctx, p: dict[str, Any], log_rows: list[dict[str, Any]]) -> dict[str, str] | None:
    """A locker parcel whose move or disposal staff have confirmed and whose door has not answered yet
    (edge/rules/removal.py records the move or disposal when the door is seen open): the page says "door
    opening" and offers nothing, not "在存 · 待处置" with the disposal again. None otherwise."""
    from edge.rules.service import REMOVAL_FAILED, REMOVAL_OPENING

    if p["state"] != "stored" or not p.get("compartment_id") or not log_rows:
        return None
    last = next((r for r in reversed(log_rows) if r["kind"] in (REMOVAL_OPENING, REMOVAL_FAILED)), None)
    if last is None or last["kind"] != REMOVAL_OPENING or not isinstance(last["detail"], dict):
        return None
    if last["detail"].get("compartment") != p["compartment_id"] or last["detail"].get("action") not in _OPENING_STATE:
        return None
    try:
        asked = datetime.fromisoformat(str(last["ts"]).replace("Z", "+00:00"))
    except ValueError:
        return None
    if ctx.daemon.clock.now() - asked > OPENING_FOR:
        return None
    return {"action": str(last["detail"]["action"]), "compartment": str(p["compartment_id"])}


async def _tracking_of(ctx: Ctx, tracking_number: str) -> tuple[list[dict[str, Any]] | None, list[dict[str, Any]] | None]:
    """The waybill's carrier events and follow-ups from the tracking part (None, None on a site without it)."""
    if ctx.tracking is None:
        return None, None
    try:
        events = await ctx.tracking.timeline(tracking_number)
    except DomainError:  # a tracking number the tracking part refuses (not a waybill it can follow)
        events = []
    try:
        follow = await ctx.tracking.follow_ups(tracking_number)
    except DomainError:
        follow = []
    return events, follow


def _until_iso(ctx: Ctx, day: str) -> str:
    """A date picked in the site's zone -> the end of that local day, as UTC ISO."""
    d = dates.parse_day(day)  # year first, in any browser's language (2026-12-09, 2026/12/9, 2026年12月9日)
    local = datetime(d.year, d.month, d.day, 23, 59, tzinfo=ZoneInfo(ctx.daemon.config.site.timezone))
    return utc_iso(local)


@router.post("/parcels/{pid}/{action}")
async def parcel_action(request: Request, pid: str, action: str, user: StaffUser = Depends(require_user)) -> Response:
    ctx = ctx_of(request, user)
    form = await request.form()
    svc = ctx.services
    who = actor(user)
    reason = form_value(form, "reason")[:200]

    did: dict[str, str] = {}

    if action in DOOR_OPENING:
        confirm = await _confirm_door_opening(ctx, pid, action, form)
        if confirm is not None:
            return confirm

    async def run() -> None:
        p = await svc.parcels.get(pid)
        did["n"] = p.get("tracking_number") or ""
        if action == "reissue":
            await svc.parcels.reissue_code(p["id"], actor=who, reason=reason or "lost code")
        elif action == "hold":
            until = _until_iso(ctx, form_value(form, "until"))
            await run_form(ctx, PARCEL_HOLD, {"parcel_id": p["id"], "until": until, "reason": reason}, user)
            did["until"] = local_time(ctx, until)
        elif action == "move":
            slot = form_value(form, "shelf_slot")
            if not slot:
                raise DomainError("invalid_shelf", "give the shelf slot the parcel goes to", status=422)
            out = await ctx.rules.move_to_parcel_room(p["id"], slot, actor=who, reason=reason)
            did["s"] = slot
            _door_result(out, did)
        elif action == "returned":
            await svc.parcels.mark_returned(p["id"], actor=who, reason=reason)
        elif action == "disposed":
            if p.get("stage") != "disposal_due":
                raise DomainError("disposal_not_due", "this parcel is not due for disposal yet", status=409)
            out = await ctx.rules.dispose(p["id"], how=form_value(form, "how"), actor=who, note=reason)
            did["how"] = ctx.g("disposal", form_value(form, "how"))
            _door_result(out, did)
        elif action == "follow-up":
            said = form_value(form, "said")
            if not said:
                raise DomainError("said_required", "write down what was said", status=422)
            next_at = form_value(form, "next_at")
            if ctx.tracking is None:
                raise not_on_this_site("tracking follow-ups")
            await ctx.tracking.add_follow_up(tracking_number=p["tracking_number"], channel=form_value(form, "channel"),
                                             contact=form_value(form, "contact")[:100], said=said[:1000],
                                             ticket=form_value(form, "ticket")[:64] or None,
                                             next_at=_until_iso(ctx, next_at) if next_at else None, actor=who)
        else:
            raise DomainError("unknown_action", f"unknown action {action}", status=404)

    def done() -> str:
        words = _OPENING.get(action, "") if did.get("c") else _DONE.get(action, "Saved")
        return ctx.t(words).format(**{"n": "", "until": "", "s": "", "how": "", "c": "", **did})

    return await act(ctx, f"/parcels/{pid}", done, run)


def _door_result(out: dict[str, Any], did: dict[str, str]) -> None:
    """A locker parcel's move or disposal waits for its door: "opening" (recorded once the door is seen open,
    edge/rules/removal.py), or a door that could not be told to open (refused in the staff's words)."""
    if out.get("door") == "opening":
        did["c"] = str(out.get("compartment") or "")
    elif out.get("door") in ("failed", "not_opened"):
        raise DomainError(str(out.get("door_error") or "door_not_opened"), "the door did not open", status=409)


#: the flash while the door of a locker parcel opens: never "moved" before the sensor has seen it open
_OPENING = {"move": "Opening door {c}: parcel {n} is recorded on shelf {s} of the parcel room once the door has opened",
            "disposed": "Opening door {c}: parcel {n} is recorded as disposed of ({how}) once the door has opened"}


#: parcel actions that open the parcel's locker door (edge/rules/service.py `_open`): never from a form's Enter
DOOR_OPENING = ("move", "disposed")


async def _confirm_door_opening(ctx: Ctx, pid: str, action: str, form: Any) -> Response | None:
    """For a parcel still in a locker, moving it to the parcel room or disposing of it opens its door: the
    parcel page's form (where Enter in the shelf or reason field submits) leads to a confirm page, and the
    action runs only from that page's confirm button (``confirm`` = the door). None: go ahead."""
    def read(tx: Any) -> tuple[dict[str, Any] | None, bool]:
        got = queries.parcel(tx, pid)
        door = (got or {}).get("compartment_id")
        # a door retired from the config: no door opens, the parcel was taken out by hand (recorded at once)
        return got, bool(door) and tx.scalar("SELECT configured FROM compartments WHERE id = ?", (door,)) == 0

    p, retired = await ctx.daemon.store.read(read)
    door = (p or {}).get("compartment_id")
    if p is None or not door or retired or form_value(form, "confirm") == door:
        return None
    if action == "move" and not form_value(form, "shelf_slot"):
        return None  # refused with its own words before any door is talked about
    if action == "disposed" and (p.get("stage") != "disposal_due" or not form_value(form, "how")):
        return None
    keep = [(k, form_value(form, k)) for k in ("shelf_slot", "how") if form_value(form, k)]
    if action == "move":
        what = ctx.t("The door of {c} will open so that parcel {n} can be taken to shelf {s} of the parcel room.")
    else:
        what = ctx.t("The door of {c} will open so that parcel {n} can be taken out: {how}.")
    what = (what.replace("{c}", door).replace("{n}", p.get("tracking_number") or "")
            .replace("{s}", form_value(form, "shelf_slot")).replace("{how}", ctx.g("disposal", form_value(form, "how"))))
    return show(ctx, "door_confirm.html", ctx.t("Open door") + " " + door, door=door, action=f"/parcels/{p['id']}/{action}",
                back=f"/parcels/{p['id']}", what=what, hidden=keep, reason=form_value(form, "reason")[:200],
                why=ctx.t("Someone must be at the locker. The opening is recorded with your name and reason."),
                inside=[])  # the parcel's own move or disposal: nothing else to point to


#: the flash after a parcel action says what happened ("包裹 … 已保留至 …"), not "已保存"
_DONE = {"reissue": "Reissued: the resident has been sent a new code", "hold": "Parcel {n} held until {until}",
         "move": "Parcel {n} moved to the parcel room, shelf {s}", "returned": "Parcel {n} marked as returned to the sender",
         "disposed": "Parcel {n} marked as disposed of", "follow-up": "Follow-up with the carrier recorded"}


async def courier_labels(ctx: Ctx) -> dict[str, str]:
    """Courier id -> "顺丰速运 王师傅" (the company in the site's language), for naming couriers in the audit
    and on timelines: "快递员" alone did not say which one."""
    from edge.services.directory import company_label

    rows = await ctx.daemon.store.read(lambda tx: tx.all("SELECT id, company, name FROM couriers"))
    lang = "zh-CN" if ctx.lang == "zh" else "en"
    return {r["id"]: f"{company_label(r['company'], lang)} {r['name'] or ''}".strip() for r in rows}


def who_text(ctx: Ctx, actor: str | None, couriers: dict[str, str] | None = None) -> str:
    """``staff:lin`` -> 员工 lin; ``kiosk:k1`` -> 快递柜; ``courier:cour_8f..`` -> 快递员 顺丰速运 王师傅 (with
    `couriers` from `courier_labels`, else 快递员); ids never shown."""
    if not actor:
        return ""
    kind, _, rest = actor.partition(":")
    if kind == "staff":
        return f"{ctx.g('owner', 'staff')} {rest}"
    if kind == "resident":
        return f"{ctx.g('owner', 'resident')} {rest}".strip()
    if kind == "courier":
        named = (couriers or {}).get(rest)
        return f"{ctx.g('owner', 'courier')} {named}" if named else ctx.g("owner", "courier")
    if kind == "kiosk":
        return ctx.g("place", "locker")
    if kind == "hq":  # hq:<operator> from a signed command; plain "hq" when HQ named no operator
        return f"{ctx.g('owner', 'hq')} {rest}".strip()
    if kind in ("system", "rules", "tracking", "cloud"):
        return ctx.g("owner", "system")
    return ctx.g("owner", "system") if not rest else actor


#: parcel-log detail keys shown (in words); the rest (ids, flags, codes) stays in the audit
DETAIL_KEYS = ("reason", "compartment", "shelf", "shelf_slot", "to", "from", "until", "how", "method", "outcome")


def detail_text(ctx: Ctx, detail: Any) -> str:
    if not isinstance(detail, dict):
        return ""
    parts = []
    # which reminder it was: after a power cut two can be sent the same minute, and the timeline should say so
    action = str(detail.get("action") or "")
    if action.startswith("reminder:") and action[9:].isdigit():
        parts.append(f"第 {action[9:]} 次" if ctx.lang == "zh" else f"reminder {action[9:]}")
    # which tracking anomaly was found or cleared (the timeline said only 发现物流异常 / 物流异常已解除)
    kind = str(detail.get("anomaly") or "")
    if kind and glossary.lookup("anomaly", kind):
        parts.append(ctx.g("anomaly", kind))
    for k in DETAIL_KEYS:
        v = detail.get(k)
        if v in (None, "", True, False):
            continue
        if k in ("how",):
            v = ctx.g("disposal", str(v))
        elif k in ("method", "outcome"):
            got = glossary.lookup("event", str(v)) or glossary.lookup("state", str(v))
            if got is None:
                continue
            v = got[0] if ctx.lang == "zh" else got[1]
        elif k == "until":
            v = local_time(ctx, str(v))
        # "格口：A-02" on a Chinese timeline (trial38 read "格口: A-02" beside "；")
        parts.append(f"{ctx.t(DETAIL_LABELS.get(k, k))}{'：' if ctx.lang == 'zh' else ': '}{v}")
    # a staff label given, set aside or taken back (ADR 0056): its meaning and carrier by name, not "exception", "ZTO"
    if detail.get("milestone") and glossary.lookup("milestone", str(detail["milestone"])):
        parts.append(f"{ctx.t('Milestone')}{'：' if ctx.lang == 'zh' else ': '}{ctx.g('milestone', str(detail['milestone']))}")
    if isinstance(detail.get("carrier"), str) and detail["carrier"]:
        parts.append(f"{ctx.t('Carrier')}{'：' if ctx.lang == 'zh' else ': '}"
                     f"{glossary.carrier_name(detail['carrier'], ctx.lang)}")
    return "；".join(parts) if ctx.lang == "zh" else "; ".join(parts)


DETAIL_LABELS = {"reason": "Reason", "compartment": "Compartment", "shelf": "Shelf slot", "shelf_slot": "Shelf slot",
                 "to": "To", "from": "From", "until": "Hold until", "how": "How", "method": "How",
                 "outcome": "Result"}
