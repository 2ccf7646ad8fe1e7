"""Simulator control (/api/v1/sim): only when the simulated drivers are active."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from drivers.locks.base import SimulatedDoors
from drivers.scanner.base import ScanRejected
from edge.clock import SimClock, utc_iso
from edge.daemon import Daemon
from edge.errors import DomainError, NotFound
from edge.web.deps import daemon
from edge.web.kiosk_identity import tokens_of


def _sim(request: Request) -> Daemon:
    d = daemon(request)
    if not d.simulated:
        raise NotFound("not_found", "the simulator API exists only under `lockerd simulate`")
    return d


Sim = Annotated[Daemon, Depends(_sim)]
router = APIRouter(prefix="/api/v1/sim", tags=["simulator"])


class ScanIn(BaseModel):
    text: str = Field(min_length=1, max_length=1024)


class KioskIn(BaseModel):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")


class ClockIn(BaseModel):
    advance_seconds: float = Field(ge=0, le=10 * 365 * 86400)


def _doors(d: Daemon) -> list[SimulatedDoors]:
    return [b for b in d.banks if isinstance(b, SimulatedDoors)] + d.sim_emulators


def _door_owner(d: Daemon, compartment: str) -> SimulatedDoors:
    for sd in _doors(d):
        if any(x["compartment"] == compartment for x in sd.sim_doors()):
            return sd
    raise NotFound("compartment_unknown", f"there is no simulated door {compartment}")


@router.get("/demo", summary="Demo logins: couriers, staff, units")
async def demo(d: Sim) -> dict[str, Any]:
    from edge.demo import DEMO

    return DEMO.public()


@router.post("/kiosks", summary="A token for one more simulated kiosk (its own lockouts)")
async def add_kiosk(body: KioskIn, request: Request, d: Sim) -> dict[str, Any]:
    # kiosks are told apart by their connection; the simulator's many test kiosks all share loopback,
    # so each gets a token, as a kiosk on another machine would be configured with (web.kiosks)
    return {"id": body.id, "token": tokens_of(request.app).add(body.id)}


@router.get("/doors", summary="Simulated doors: state, jam, open commands received")
async def doors(d: Sim) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for sd in _doors(d):
        out.extend(sd.sim_doors())
    return sorted(out, key=lambda x: x["compartment"])


async def _act(d: Daemon, compartment: str, action: str, settle: bool = True) -> dict[str, Any]:
    sd = _door_owner(d, compartment)
    if action == "close":
        sd.sim_close(compartment)
    elif action == "force-open":
        sd.sim_force_open(compartment)
    elif action == "jam":
        sd.sim_jam(compartment, True)
    elif action == "unjam":
        sd.sim_jam(compartment, False)
    # let the door service record what the sensor just reported before answering
    if d.services is not None and settle:
        await _settle(d)
    return next(x for x in sd.sim_doors() if x["compartment"] == compartment)


async def _settle(d: Daemon) -> None:
    import asyncio

    await asyncio.sleep(0.01)
    await d.require_services().doors.drain()


@router.post("/doors/{compartment}/close", summary="Close a simulated door")
async def close(compartment: str, d: Sim, settle: bool = True) -> dict[str, Any]:
    """settle=false: answer at once, without waiting for the door's record (e.g. while writes fail)."""
    return await _act(d, compartment, "close", settle)


@router.post("/doors/{compartment}/force-open", summary="Open a door without a command (an alarm)")
async def force_open(compartment: str, d: Sim) -> dict[str, Any]:
    return await _act(d, compartment, "force-open")


@router.post("/doors/{compartment}/jam", summary="Make opens fail until unjammed")
async def jam(compartment: str, d: Sim) -> dict[str, Any]:
    return await _act(d, compartment, "jam")


@router.post("/doors/{compartment}/unjam", summary="Let a jammed door open again")
async def unjam(compartment: str, d: Sim) -> dict[str, Any]:
    return await _act(d, compartment, "unjam")


@router.post("/scan", summary="A barcode scan, as if from the serial scanner")
async def scan(body: ScanIn, d: Sim) -> dict[str, Any]:
    try:
        text = d.on_scan(body.text)
    except ScanRejected as exc:
        raise DomainError("scan_rejected", str(exc), status=422) from None
    return {"text": text}


@router.get("/notifications", summary="What residents would have been sent")
async def notifications(d: Sim, limit: int = 200) -> list[dict[str, Any]]:
    limit = max(1, min(limit, 1000))
    return await d.store.read(
        lambda tx: tx.all(
            "SELECT unit, phone_tail, tracking_number, pickup_code, kind, text, ts FROM notifications"
            " ORDER BY id DESC LIMIT ?",
            (limit,),
        )
    )


@router.get("/clock", summary="The simulated site clock")
async def get_clock(d: Sim) -> dict[str, Any]:
    return {"now": utc_iso(d.clock.now())}


@router.post("/clock", summary="Move the simulated clock forward")
async def advance_clock(body: ClockIn, d: Sim) -> dict[str, Any]:
    if not isinstance(d.clock, SimClock):
        raise DomainError("not_simulated", "this clock cannot be moved (it is the real one)", status=409)
    now = d.clock.advance(body.advance_seconds)
    if d.persist_sim_clock is not None:
        await d.persist_sim_clock()
    return {"now": utc_iso(now)}


class StoreFaultIn(BaseModel):
    fail: bool = Field(description="true: every write fails as on an unwritable disk; false: back to normal")


@router.post("/store/fail-writes", summary="Make the database refuse writes (a dead disk) until turned off")
async def store_fail_writes(body: StoreFaultIn, d: Sim) -> dict[str, Any]:
    from edge.store.db import StoreWriteError

    store = d.store
    if body.fail and "write" not in vars(store):

        async def failing(fn: Any, **kw: Any) -> Any:
            raise StoreWriteError("simulated: the disk refuses writes")

        store.write = failing  # type: ignore[method-assign]  # deleted again below: the class's own returns
    elif not body.fail and "write" in vars(store):
        del store.write
    pending = sorted(d.require_services().doors.pending_records())
    return {"failing": "write" in vars(store), "doors_record_pending": pending}
