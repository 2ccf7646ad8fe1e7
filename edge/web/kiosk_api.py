"""Kiosk HTTP API (/api/v1/kiosk): the contract of DESIGN.md section 3, plus live info and a stream.

A deposit and a pickup are operations of the registry (edge/operations/registry.py): their bodies are the
operations' models and the routes run them."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field, ValidationError

from edge import hant
from edge.domain.sizes import sizes_cm
from edge.errors import DomainError
from edge.hub import CLOSED
from edge.notify import pickup_qr
from edge.notify.component import pickup_qr_sent
from edge.operations import Caller, Targets
from edge.operations.models import DepositIn, PickupIn
from edge.operations.registry import DEPOSIT, PICKUP
from edge.rules.calendar import WorkCalendar
from edge.services import Services
from edge.web import inflight
from edge.web.deps import daemon, kiosk_dep, kiosk_id, services, services_dep

if TYPE_CHECKING:
    from edge.daemon import Daemon

router = APIRouter(prefix="/api/v1/kiosk", tags=["kiosk"])


class SessionIn(BaseModel):
    courier_code: str = Field(min_length=1, max_length=32)


class CourierOut(BaseModel):
    id: str
    company: str
    name: str


class SessionOut(BaseModel):
    token: str
    courier: CourierOut
    expires_at: str


class DepositOut(BaseModel):
    deposit_id: str
    compartment: str
    size: str
    parcel_id: str
    door: Literal["open", "failed"] = Field(
        description="the open command (DESIGN.md section 3): sent (open) or could not be sent (failed). Not the"
        " sensor's word: see door_confirmed (ADR 0040)")
    door_confirmed: bool = Field(
        False, description="always false in this answer: the door's sensor has not spoken yet. GET /deposits/{id}"
        " gives the door as its sensor reports it (open, closed, unknown); the kiosk waits for it (ADR 0040)")


class DepositStatus(BaseModel):
    deposit_id: str
    state: Literal["depositing", "stored", "cancelled", "failed"]
    cancelling: bool = False
    parcel_id: str
    compartment: str | None
    door: str = Field(description="the door as its sensor last reported it: open, closed or unknown")
    message: str | None = None
    failure: str | None = None


class KioskPickupIn(BaseModel):
    """The kiosk's body: a typed code, or a scanned pickup QR payload (read here into the code)."""

    code: str = Field(min_length=1, max_length=128, description="the typed code, or a scanned pickup QR payload")


class PickupParcel(BaseModel):
    parcel_id: str
    compartment: str
    door: Literal["opening", "jammed"] = "opening"


class PickupDoor(BaseModel):
    parcel_id: str
    compartment: str | None
    door: Literal["opening", "open", "closed", "jammed", "failed", "restarted"] = Field(
        description="restarted: the locker restarted before the door's outcome was seen; staff check it")
    retries_left: int
    staff_told: bool
    record: Literal["ok", "pending"] = Field(
        "ok", description="pending: the door's last outcome is not saved yet (storage trouble); it will be")


class LockStatus(BaseModel):
    locked: bool
    retry_after: int
    attempts_left: int


class PickupOut(BaseModel):
    parcels: list[PickupParcel]
    at_desk: int = 0
    message: str | None = None


async def courier(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> dict[str, Any]:
    kiosk_id(request)  # a courier session is used at a kiosk only (403 from anywhere else)
    token = None
    if authorization and authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
    return await services(request).couriers.authenticate(token)


Svc = Annotated[Services, Depends(services_dep)]
Courier = Annotated[dict[str, Any], Depends(courier)]
Kiosk = Annotated[str, Depends(kiosk_dep)]


@router.post("/courier/session", response_model=SessionOut, summary="Courier logs in with a courier code")
async def courier_session(body: SessionIn, svc: Svc, kiosk: Kiosk) -> dict[str, Any]:
    # `kiosk` is decided by the connection (edge/web/kiosk_identity.py), never by a request header
    return await svc.couriers.login(body.courier_code, kiosk=kiosk)


@router.delete("/courier/session", status_code=204, summary="Courier logs out")
async def courier_logout(svc: Svc, who: Courier, authorization: Annotated[str | None, Header()] = None) -> None:
    if authorization:
        await svc.couriers.logout(authorization[7:].strip())


@router.post("/deposits", status_code=201, response_model=DepositOut, summary="Start a deposit: the chosen door is told to open")
async def start_deposit(body: DepositIn, svc: Svc, who: Courier) -> dict[str, Any]:
    caller = Caller(f"courier:{who.get('id', '')}", "kiosk", courier=who)
    out: dict[str, Any] = await DEPOSIT.run(Targets(svc), body, caller)
    return out


@router.get("/deposits/{deposit_id}", response_model=DepositStatus, summary="Deposit state (poll until stored)")
async def deposit_status(deposit_id: str, svc: Svc, who: Courier) -> dict[str, Any]:
    return await svc.deposits.status(deposit_id, who)


@router.post("/deposits/{deposit_id}/cancel", response_model=DepositStatus, summary="Take the parcel back")
async def cancel_deposit(deposit_id: str, svc: Svc, who: Courier) -> dict[str, Any]:
    return await svc.deposits.cancel(deposit_id, who)


@router.post("/deposits/{deposit_id}/confirm", response_model=DepositStatus,
             summary="Door closed (only for doors without a sensor)")
async def confirm_deposit(deposit_id: str, svc: Svc, who: Courier) -> dict[str, Any]:
    return await svc.deposits.confirm_closed(deposit_id, who)


@router.post("/pickup", response_model=PickupOut, summary="Resident enters a pickup code: doors open",
             responses={404: {"description": "code_invalid, with attempts_left"},
                        422: {"description": "qr_other_site / qr_unreadable: a scanned QR that is not this site's"},
                        429: {"description": "too_many_attempts, with retry_after"}})
async def pickup(request: Request, body: KioskPickupIn, svc: Svc, kiosk: Kiosk) -> dict[str, Any]:
    # a well-formed pickup is answered by edge/web/kiosk_fast.py before it gets here (decision 0039); this route
    # answers the others (and every pickup with kiosk_fast.ENABLED off), by the same run_pickup
    busy = inflight.of(request.app.state)
    busy.enter()  # the console feed waits for a moment with no pickup in flight (edge/web/inflight.py)
    try:
        return await run_pickup(daemon(request), body.code, svc, kiosk)
    finally:
        busy.leave()


async def run_pickup(d: Daemon, code: str, svc: Services, kiosk: str) -> dict[str, Any]:
    """A kiosk's pickup once its body is read: a scanned QR read into its code, the operation run."""
    if pickup_qr.looks_like_payload(code):
        # a scanned pickup QR (docs/decisions/0019-pickup-qr.md): its code goes the way of a typed one
        # (same attempt counting and lockout); another site's QR or a garbled one is said plainly
        scanned = pickup_qr.read(code, d.config.site.id)
        if scanned.code is None:
            raise DomainError(scanned.error or "qr_unreadable", QR_ERRORS[scanned.error or "qr_unreadable"], status=422)
        code = scanned.code
    try:
        model = PickupIn(code=code)
    except ValidationError:
        raise DomainError("invalid_request", "code: not a pickup code (too long)", status=422) from None
    out: dict[str, Any] = await PICKUP.run(Targets(svc), model, Caller(f"kiosk:{kiosk}", "kiosk", kiosk=kiosk))
    return out


QR_ERRORS = {
    "qr_other_site": "this pickup QR code is for another locker site",
    "qr_unreadable": "this QR code could not be read as a pickup code",
}


@router.get("/pickup/lock", response_model=LockStatus, summary="Is this kiosk locked out of codes now?")
async def pickup_lock(svc: Svc, kiosk: Kiosk) -> dict[str, Any]:
    return await svc.pickups.lock_status(kiosk=kiosk)


@router.get("/pickup/{parcel_id}", response_model=PickupDoor, summary="The door a code opened: seen open yet?")
async def pickup_door(parcel_id: str, svc: Svc) -> dict[str, Any]:
    view = await svc.pickups.door_status(parcel_id)
    c = view.get("compartment")
    view["record"] = "pending" if c and svc.doors.record_pending(c) else "ok"
    return view


@router.post("/pickup/{parcel_id}/retry", response_model=PickupDoor,
             summary="\"Door didn't open?\": try once more, then staff are told")
async def pickup_retry(parcel_id: str, svc: Svc, kiosk: Kiosk) -> dict[str, Any]:
    return await svc.pickups.retry(parcel_id, kiosk=kiosk)


def desk_now(cal: WorkCalendar, t: datetime) -> dict[str, Any]:
    """Is the desk the kiosk sends people to staffed at `t`, and if not when it opens (docs/config.md,
    `site.desk_hours`, `site.desk_open_on_rest_days`): {"open"; "opens": its next opening "HH:MM" ("" when open or
    without desk hours); "opens_on": that opening's local date "YYYY-MM-DD" when the kiosk must name the day (a rest
    day, or an opening after tomorrow: Friday evening to Monday), else ""; "rest_day": the desk does not open today}.
    No desk hours: always open."""
    if cal.desk_open_now(t):
        return {"open": True, "opens": "", "opens_on": "", "rest_day": False}
    nxt = cal.desk_next_open(t)
    if nxt is None:  # no desk hours (desk_open_now said open)
        return {"open": True, "opens": "", "opens_on": "", "rest_day": False}
    today = cal.local(t).date()
    rest = not cal.is_desk_day(today)
    local = cal.local(nxt)
    named = rest or (local.date() - today).days > 1
    return {"open": False, "opens": local.strftime("%H:%M"), "opens_on": local.date().isoformat() if named else "",
            "rest_day": rest}


@router.get("/info", summary="Site name, help contact, free compartments by size")
async def info(request: Request, svc: Svc) -> dict[str, Any]:
    d = daemon(request)
    site = d.config.site
    langs = site.language_list()
    return {
        "site": {"name": site.name, "name_en": site.name_en, "contact": site.contact, "locale": site.locale, "id": site.id,
                 "desk_hours": site.desk_hours, "desk_place": site.desk_place, "desk_place_en": site.desk_place_en,
                 # the hours are kept on working days only: the kiosk says so beside them ("工作日 08:00-20:00")
                 "desk_working_days_only": bool(site.desk_hours) and not site.desk_open_on_rest_days,
                 # the languages the toggle offers, the first the default; at a site offering 繁體 the site's
                 # Chinese words converted too (docs/decisions/0050-zh-hk-by-conversion.md)
                 "languages": langs, **({"name_hk": hant.convert(site.name), "desk_place_hk": hant.convert(
                     site.desk_place)} if hant.HK in langs else {})},
        # is the desk the kiosk sends people to staffed now, and if not when it opens (site time, injected clock)
        "desk_now": desk_now(d.rules.calendar, d.clock.now()),  # the rules' calendar: one for deadlines and kiosk
        "confirm_timeout_s": d.config.doors.confirm_timeout_s,
        "sizes_cm": sizes_cm(d.config),
        "free": await svc.compartments.free_by_size(),
        # doors a restore left unchecked (not in "free"): the kiosk says the parcel goes to the desk meanwhile
        "unchecked": await svc.restore_doors.count(),
        "code_length": d.policy().pickup_code.length,
        # the kiosk speaks of a QR code only when residents' messages can carry one (edge/notify/component.py)
        "pickup_qr": pickup_qr_sent(d.config, d.simulated),
        # a scanner lockerd reads (serial, or the simulator's): the courier screens ask for a scan first. With
        # `driver = "none"` couriers type the number; a USB keyboard-wedge scanner (which needs no driver) may
        # still type it, so those screens say "type or scan", typing first (docs/hardware.md)
        "scanner": d.config.scanner.driver != "none",
        "simulated": d.simulated,
    }


@router.get("/stream", summary="Server-sent events: scans and door changes, live (the kiosk itself only)",
            responses={403: {"description": "kiosk_unknown: not the loopback kiosk browser, no valid kiosk token"}})
async def stream(request: Request, kiosk: Kiosk) -> StreamingResponse:
    # scans carry pickup QR codes: only the kiosk itself may watch them (kiosk_id refuses anyone else)
    d = daemon(request)
    if not d.ready:
        raise DomainError("not_ready", "the locker is starting", status=503)

    async def gen() -> AsyncIterator[bytes]:
        async with d.hub.subscribe() as q:
            yield b"retry: 2000\n\n"
            while True:
                if await request.is_disconnected():
                    return
                try:
                    kind, data = await asyncio.wait_for(q.get(), 15)
                except TimeoutError:
                    yield b": keepalive\n\n"
                    continue
                if kind == CLOSED:
                    return  # the web server is stopping: the kiosk reconnects when it is back
                if kind in ("scan", "door", "scan_rejected", "alarm"):
                    yield f"event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()

    return StreamingResponse(gen(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})
