"""Every operation, defined once: name, input model, the service method it calls, flags.

Adapters: the MQTT command table (cloudsync/actions.py, every operation with the "mqtt" channel), the
kiosk API (edge/web/kiosk_api.py) and the console's forms (edge/web/console/forms.py). The JSON Schemas
of docs/schemas/cmd.json and the command part of docs/asyncapi.yaml are generated from this table
(edge/operations/schema.py); tests/core/test_operations.py fails when they disagree."""

from __future__ import annotations

from typing import Any

from edge.errors import DomainError
from edge.operations.base import Caller, Channel, Operation
from edge.operations.models import (
    CompartmentChange,
    DepositIn,
    DoorOpen,
    ParcelExpect,
    ParcelHold,
    PickupIn,
    PolicySet,
    Resync,
    TelemetryNow,
)
from edge.operations.targets import FeedPort, RulesPort, Targets
from edge.services.unit_rows import CourierUpsert, UnitIn, UnitRemove

MQTT: frozenset[Channel] = frozenset({"mqtt"})
MQTT_CONSOLE: frozenset[Channel] = frozenset({"mqtt", "console"})
KIOSK: frozenset[Channel] = frozenset({"kiosk"})


def _rules(t: Targets) -> RulesPort:
    if t.rules is None:
        raise DomainError("unavailable", "the rules component is not running on this site", status=503)
    return t.rules


def _feed(t: Targets) -> FeedPort:
    if t.feed is None:
        raise DomainError("unavailable", "cloud sync is not running on this site", status=503)
    return t.feed


# --- doors and compartments ------------------------------------------------------------------------
async def door_open(t: Targets, m: DoorOpen, c: Caller) -> dict[str, Any]:
    return await t.services.doors.open(m.compartment, actor=c.actor, reason=m.reason, purpose="remote")


async def compartment_disable(t: Targets, m: CompartmentChange, c: Caller) -> dict[str, Any]:
    return await t.services.compartments.disable(m.compartment, actor=c.actor, reason=m.reason)


async def compartment_enable(t: Targets, m: CompartmentChange, c: Caller) -> dict[str, Any]:
    return await t.services.compartments.enable(m.compartment, actor=c.actor, reason=m.reason)


# --- parcels and policy ------------------------------------------------------------------------------
async def parcel_expect(t: Targets, m: ParcelExpect, c: Caller) -> dict[str, Any]:
    return await t.services.parcels.expect(
        tracking_number=m.tracking_number, unit=m.unit, carrier=m.carrier, phone_tail=m.phone_tail,
        category=m.category or "normal", expected_by=m.expected_by, cross_border=m.cross_border,
        actor=c.actor, source=c.source)


async def parcel_hold(t: Targets, m: ParcelHold, c: Caller) -> dict[str, Any]:
    # the one hold (edge/services/lifecycle.py, ADR 0016), the same whether or not the rules part runs
    return await t.services.parcels.hold(m.ref, m.until, actor=c.actor, reason=m.reason)


async def policy_set(t: Targets, m: PolicySet, c: Caller) -> dict[str, Any]:
    return await _rules(t).set_policy(m.model_dump(exclude_unset=True), c.actor, c.source)


# --- cloud sync's own --------------------------------------------------------------------------------
async def resync(t: Targets, m: Resync, c: Caller) -> dict[str, Any]:
    out = await _feed(t).resync(m.from_seq, m.to_seq, m.stream)
    if out.get("unknown_stream"):
        raise DomainError("unknown_stream", "this site has no events of that stream (a new database?)")
    return out


async def telemetry_now(t: Targets, m: TelemetryNow, c: Caller) -> dict[str, Any]:
    return await _feed(t).telemetry_now()


# --- the site directory (DESIGN.md section 3) ----------------------------------------------------------
async def courier_upsert(t: Targets, m: CourierUpsert, c: Caller) -> dict[str, Any]:
    return await t.services.directory.courier_upsert(m, c.actor)


async def unit_upsert(t: Targets, m: UnitIn, c: Caller) -> dict[str, Any]:
    return await t.services.directory.unit_upsert(m, c.actor, source=c.source)


async def unit_remove(t: Targets, m: UnitRemove, c: Caller) -> dict[str, Any]:
    return await t.services.directory.unit_remove(m.unit, c.actor)


# --- kiosk -------------------------------------------------------------------------------------------
async def deposit(t: Targets, m: DepositIn, c: Caller) -> dict[str, Any]:
    if c.courier is None:
        raise DomainError("unauthorized", "log in with a courier code first", status=401)
    return await t.services.deposits.start(
        c.courier, tracking_number=m.tracking_number, size=m.size, unit=m.unit, phone_tail=m.phone_tail,
        category=m.category, low_door=m.low_door)


async def pickup(t: Targets, m: PickupIn, c: Caller) -> dict[str, Any]:
    return await t.services.pickups.submit(m.code, kiosk=c.kiosk or "kiosk")


DOOR_OPEN = Operation(
    "door.open", DoorOpen, door_open, "Open one door now (remote open)",
    time_sensitive=True, confirm=True, channels=MQTT_CONSOLE, result="the door command (id, compartment, state)",
    example={"compartment": "A-07", "reason": "resident locked out", "operator": "alice"})
COMPARTMENT_DISABLE = Operation(
    "compartment.disable", CompartmentChange, compartment_disable, "Take a compartment out of service",
    time_sensitive=True, channels=MQTT_CONSOLE, result="the compartment",
    example={"compartment": "A-02", "reason": "broken hinge", "operator": "alice"})
COMPARTMENT_ENABLE = Operation(
    "compartment.enable", CompartmentChange, compartment_enable, "Put a compartment back in service",
    time_sensitive=True, channels=MQTT_CONSOLE, result="the compartment",
    example={"compartment": "A-02", "reason": "hinge replaced"})
PARCEL_EXPECT = Operation(
    "parcel.expect", ParcelExpect, parcel_expect, "Pre-register an expected parcel",
    channels=MQTT_CONSOLE, result="the expected parcel",
    example={"tracking_number": "SF1400000000001", "unit": "3-1202", "carrier": "sf", "phone_tail": "5678",
             "category": "fresh", "expected_by": "2026-11-23", "cross_border": False})
PARCEL_HOLD = Operation(
    "parcel.hold", ParcelHold, parcel_hold, "Pause a parcel's storage clock until a time",
    time_sensitive=True, channels=MQTT_CONSOLE, result="{parcel_id, tracking_number, hold_until}",
    example={"tracking_number": "SF1400000000001", "until": "2026-11-25T15:59:00Z", "reason": "resident travelling"})
POLICY_SET = Operation(
    "policy.set", PolicySet, policy_set, "Replace the storage policy with a newer version",
    time_sensitive=True, roles=("admin",), channels=MQTT_CONSOLE, result="{version, policy}",
    example={"version": 4, "overdue_hours": 72})
RESYNC = Operation(
    "resync", Resync, resync, "Publish events again from a seq",
    channels=MQTT, result="{queued, from_seq, to_seq, stream}",
    example={"from_seq": 4700, "to_seq": 4711})
TELEMETRY_NOW = Operation(
    "telemetry.now", TelemetryNow, telemetry_now, "Publish telemetry now",
    channels=MQTT, result="the telemetry document", example={})
COURIER_UPSERT = Operation(
    "courier.upsert", CourierUpsert, courier_upsert, "Create, rename, disable or enable a courier",
    roles=("admin",), channels=MQTT, result="the courier (code_hint, never the code)",
    example={"code": "200001", "company": "极兔速递", "name": "赵师傅", "enabled": True})
UNIT_UPSERT = Operation(
    "unit.upsert", UnitIn, unit_upsert, "Create or change a unit of the directory",
    roles=("admin",), channels=MQTT, result="the unit; fields left out keep their values",
    example={"unit": "5-801", "phone": "+8613912345678", "lang": "zh-CN", "low_door": False, "locker_consent": True})
UNIT_REMOVE = Operation(
    "unit.remove", UnitRemove, unit_remove, "Remove a unit and its personal data",
    roles=("admin",), channels=MQTT, result="{unit, removed}; unit_unknown when absent",
    example={"unit": "5-801"})
DEPOSIT = Operation(
    "deposit", DepositIn, deposit, "A courier starts a deposit: a free door is told to open",
    channels=KIOSK, result="{deposit_id, compartment, size, parcel_id, door: open or failed (the command), door_confirmed: false (ADR 0040)}",
    example={"tracking_number": "SF1400000000001", "size": "M", "unit": "3-1202"})
PICKUP = Operation(
    "pickup", PickupIn, pickup, "A resident's pickup code opens the parcels' doors",
    channels=KIOSK, result="{parcels: [{parcel_id, compartment}]}", example={"code": "482913"})

OPERATIONS: tuple[Operation[Any], ...] = (
    DOOR_OPEN, COMPARTMENT_DISABLE, COMPARTMENT_ENABLE, PARCEL_EXPECT, PARCEL_HOLD, POLICY_SET, RESYNC,
    TELEMETRY_NOW, COURIER_UPSERT, UNIT_UPSERT, UNIT_REMOVE, DEPOSIT, PICKUP,
)
REGISTRY: dict[str, Operation[Any]] = {op.name: op for op in OPERATIONS}
assert len(REGISTRY) == len(OPERATIONS), "two operations with one name"


def on(channel: Channel) -> dict[str, Operation[Any]]:
    """The operations an adapter offers, by name, in the registry's order."""
    return {op.name: op for op in OPERATIONS if channel in op.channels}


#: the MQTT command types (DESIGN.md section 4), and those refused while the clock is not synchronised
COMMANDS: dict[str, Operation[Any]] = on("mqtt")
TIME_SENSITIVE: frozenset[str] = frozenset(name for name, op in COMMANDS.items() if op.time_sensitive)
#: the MQTT command types that fire a door (those a person confirms on the console): after a restore from a backup,
#: one issued before the restore is refused, since the unit it replaced may have carried it out already
DOOR_FIRING: frozenset[str] = frozenset(name for name, op in COMMANDS.items() if op.confirm)
