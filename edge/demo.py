"""Demo logins and sample parcels for `lockerd simulate`. Never used by `lockerd run`."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from drivers.locks.base import SimulatedDoors
from edge.store.db import Tx

if TYPE_CHECKING:
    from edge.daemon import Daemon
    from edge.services.couriers import CourierService

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Demo:
    couriers: list[dict[str, str]] = field(default_factory=list)
    staff: list[dict[str, str]] = field(default_factory=list)
    units: list[dict[str, Any]] = field(default_factory=list)

    def public(self) -> dict[str, Any]:
        return {
            "couriers": [{"code": c["code"], "company": c["company"]} for c in self.couriers],
            "staff": [dict(s) for s in self.staff],
            "units": [{"unit": u["unit"], "phone_tail": u["phone_tail"]} for u in self.units],
        }


DEMO = Demo(
    couriers=[
        {"code": "100001", "company": "SF Express", "name": "王师傅"},
        {"code": "100002", "company": "ZTO Express", "name": "李师傅"},
        {"code": "100003", "company": "JD Logistics", "name": "张师傅"},
    ],
    staff=[
        {"username": "admin", "password": "admin-demo-pass", "role": "admin"},
        {"username": "staff", "password": "staff-demo-pass", "role": "staff"},
    ],
    units=[
        {"unit": "1-101", "phone_tail": "1234", "low_door": False},
        {"unit": "2-502", "phone_tail": "5678", "low_door": False},
        {"unit": "3-1201", "phone_tail": "0420", "low_door": True},
        {"unit": "5-801", "phone_tail": "8888", "low_door": False},
    ],
)

SAMPLE_EXPECTED: list[dict[str, Any]] = [
    {"tracking_number": "SF1234567890123", "unit": "1-101", "phone_tail": "1234", "category": "normal"},
    {"tracking_number": "JD0123456789012", "unit": "2-502", "phone_tail": "5678", "category": "fresh"},
    {"tracking_number": "YT7788990011223", "unit": "3-1201", "phone_tail": "0420", "category": "medicine"},
    {"tracking_number": "1Z999AA10123456784", "unit": "5-801", "phone_tail": "8888", "category": "normal",
     "cross_border": True},
]


def seed_logins(tx: Tx, couriers: CourierService) -> None:
    """Demo couriers, units and staff (idempotent). `lockerd simulate` seeds each kind only where the data has
    none of a site's own (edge/cli/simulate.py seed_demo_logins)."""
    seed_couriers(tx, couriers)
    seed_units(tx)
    seed_staff(tx)


def seed_couriers(tx: Tx, couriers: CourierService) -> None:
    for c in DEMO.couriers:
        # the README's six-digit demo codes: no warning on every first start of `lockerd simulate`
        couriers.add_tx(tx, c["code"], c["company"], c["name"], warn_short=False)


def seed_units(tx: Tx) -> None:
    for u in DEMO.units:
        tx.execute(
            "INSERT INTO units (unit, phone_tail, low_door, created_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(unit) DO NOTHING",
            (u["unit"], u["phone_tail"], int(u["low_door"]), tx.ts),
        )


def seed_staff(tx: Tx) -> None:
    """The demo staff with their published passwords: an existing account of a demo name is reset to it."""
    from edge.services.staff import ensure_user

    for s in DEMO.staff:
        ensure_user(tx, s["username"], s["password"], s["role"])


async def seed_parcels(daemon: Daemon) -> None:
    """Sample parcels: the expected register filled, and two parcels already in lockers (both SF numbers: the demo
    courier is an SF courier, and a parcel takes its carrier from the courier who deposits it)."""
    svc = daemon.require_services()
    already = await daemon.store.read(lambda tx: tx.scalar("SELECT value FROM meta WHERE key = 'demo_parcels'"))
    if already:
        return
    for e in SAMPLE_EXPECTED:
        await svc.parcels.expect(actor="demo", source="demo", **e)
    courier = await svc.couriers.login(DEMO.couriers[0]["code"], kiosk="demo")
    who = courier["courier"]
    for tn, unit, tail in (("SF9900112233445", "1-101", "1234"), ("SF4455667788990", "2-502", "5678")):
        dep = await svc.deposits.start(who, tracking_number=tn, unit=unit, phone_tail=tail)
        await svc.doors.drain()
        await _wait_open(daemon, dep["compartment"])
        for b in daemon.banks:
            if dep["compartment"] in b.compartments and isinstance(b, SimulatedDoors):
                b.sim_close(dep["compartment"])
        await svc.doors.drain()
    await daemon.store.write(lambda tx: tx.meta_set("demo_parcels", "1"))


async def _wait_open(daemon: Daemon, compartment: str) -> None:
    import asyncio

    for _ in range(100):
        if daemon.require_services().doors.door_state(compartment) == "open":
            return
        await asyncio.sleep(0.02)
