"""A GPIO door cabinet on gpiozero's MockFactory, with door physics.

When a relay pin is energised the latch releases: the door opens (unless jammed) and its reed-switch pin
changes, exactly as the wiring in docs/hardware.md would make it. The reed switch is wired to ground
with the pull-up on: a closed door pulls the pin low (gpiozero "active"), an open door lets it float
high. The physics runs in whatever thread gpiozero drives the relay from (the ``blink`` thread), so
the driver's hand-off to the event loop is exercised as on a real Pi.

The factory is reached by the gpio driver either directly (``create_bank(..., pin_factory=f)``) or by
name through the bank option ``emulated_pins`` (what :mod:`drivers.emulators.launch` writes), looked up
in this module's registry.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from gpiozero.pins.mock import MockFactory, MockPin

from drivers.locks.base import SimulatedDoors, sim_rows

#: a Compute Module revision: 46 GPIOs, so up to 23 doors with sensors per cabinet
CM_REVISION = "a020a0"

_REGISTRY: dict[str, MockFactory] = {}
_REGISTRY_LOCK = threading.Lock()


def register_factory(name: str, factory: MockFactory) -> None:
    with _REGISTRY_LOCK:
        _REGISTRY[name] = factory


def unregister_factory(name: str) -> None:
    with _REGISTRY_LOCK:
        _REGISTRY.pop(name, None)


def lookup_factory(name: str) -> MockFactory:
    with _REGISTRY_LOCK:
        try:
            return _REGISTRY[name]
        except KeyError:
            raise LookupError(f"no emulated GPIO cabinet named {name!r} is running") from None


class PhysicsPin(MockPin):  # type: ignore[misc]  # gpiozero has no type hints
    """A mock pin that tells its cabinet when it is driven (relays) or reconfigured (sensors)."""

    def _set_state(self, value: Any) -> None:
        before = self._state
        super()._set_state(value)
        cabinet = getattr(self._factory, "cabinet", None)
        if cabinet is not None and before != self._state:
            cabinet.relay_changed(self, bool(self._state))

    def _set_pull(self, value: Any) -> None:
        super()._set_pull(value)
        cabinet = getattr(self._factory, "cabinet", None)
        if cabinet is not None:
            cabinet.sensor_reconfigured(self)


@dataclass(slots=True)
class _Door:
    compartment: str
    size: str
    relay: Any
    sensor: Any | None
    open: bool = False
    jammed: bool = False
    opens: int = 0


class GpioCabinetEmulator(SimulatedDoors):
    kind = "gpio"

    def __init__(self, doors: list[dict[str, Any]], *, relay_active_high: bool = True, name: str = "gpio") -> None:
        """`doors`: [{"compartment", "size", "relay_pin", "sensor_pin"}]."""
        self.name = name
        self.factory = MockFactory(revision=CM_REVISION, pin_class=PhysicsPin)
        self.factory.cabinet = self
        self.relay_active_high = relay_active_high
        self.lock = threading.RLock()
        self.doors: dict[str, _Door] = {}
        self._by_relay: dict[int, _Door] = {}
        self._by_sensor: dict[int, _Door] = {}
        for d in doors:
            relay = self.factory.pin(d["relay_pin"])
            sensor = self.factory.pin(d["sensor_pin"]) if d.get("sensor_pin") is not None else None
            door = _Door(d["compartment"], d.get("size", "M"), relay, sensor)
            self.doors[door.compartment] = door
            self._by_relay[id(relay)] = door
            if sensor is not None:
                self._by_sensor[id(sensor)] = door
                self._drive(door)

    # --- lifecycle (same shape as the serial emulators) -----------------------------------------
    @property
    def url(self) -> str:
        return f"emulated-gpio://{self.name}"

    def start(self) -> GpioCabinetEmulator:
        register_factory(self.name, self.factory)
        return self

    def stop(self) -> None:
        unregister_factory(self.name)
        self.factory.reset()

    # --- physics --------------------------------------------------------------------------------
    def relay_changed(self, pin: Any, high: bool) -> None:
        door = self._by_relay.get(id(pin))
        if door is None:
            return
        energised = high == self.relay_active_high
        if not energised:
            return
        with self.lock:
            door.opens += 1
            if door.jammed or door.open:
                return
            door.open = True
        self._drive(door)

    def sensor_reconfigured(self, pin: Any) -> None:
        door = self._by_sensor.get(id(pin))
        if door is not None:
            self._drive(door)

    def _drive(self, door: _Door) -> None:
        pin = door.sensor
        if pin is None or pin.function != "input":
            return
        if door.open:
            pin.drive_high()
        else:
            pin.drive_low()

    # --- SimulatedDoors -------------------------------------------------------------------------
    def sim_doors(self) -> list[dict[str, Any]]:
        with self.lock:
            return sim_rows(self.doors.values())

    def _set(self, compartment: str, is_open: bool) -> None:
        door = self.doors[compartment]
        with self.lock:
            door.open = is_open
        self._drive(door)

    def sim_close(self, compartment: str) -> None:
        self._set(compartment, False)

    def sim_force_open(self, compartment: str) -> None:
        self._set(compartment, True)

    def sim_jam(self, compartment: str, jammed: bool = True) -> None:
        with self.lock:
            self.doors[compartment].jammed = jammed
