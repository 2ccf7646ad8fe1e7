"""Every lock-bank and scanner driver, declared once: name, class, options model, addressing, emulator.

Config validation (edge/config.py), the bank factory (drivers/locks/factory.py), the scanner factory,
``lockerd doctor`` (drivers/diagnostics.py), the emulator launcher (drivers/emulators/launch.py) and
``lockerd simulate --hardware`` read this table instead of keeping their own lists. Classes are named
as ``"module:attribute"`` and imported only when used, so a site without GPIO never imports gpiozero
and importing this module touches no hardware library.

Adding a driver = its own modules (protocol, bank class with an options model, emulator) plus one
``register(...)`` line below; docs/adding.md shows it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

    from drivers.locks.base import LockBank
    from drivers.scanner.base import Scanner


class Addressing(StrEnum):
    """How a bank's compartments name their lock."""

    #: nothing to address (the in-process simulator)
    NONE = "none"
    #: ``board`` + ``lock`` on a shared RS485 bus (``port`` + ``baud``); one bus thread per port
    BUS = "bus"
    #: ``relay_pin`` (+ optional ``sensor_pin``) on the host's GPIO header, through a pin factory
    PINS = "pins"


@dataclass(frozen=True, slots=True)
class BusLayout:
    """Addresses a bus board kind allows, and what its emulator is started with."""

    first_board: int
    last_board: int
    locks_per_board: int
    baud: int

    def assign(self, n: int, kind: str) -> list[tuple[int, int]]:
        """(board, lock) for n compartments in order, filling each board before the next."""
        out = [(self.first_board + i // self.locks_per_board, i % self.locks_per_board + 1) for i in range(n)]
        if out and out[-1][0] > self.last_board:
            raise ValueError(f"{n} doors do not fit on one {kind} bus (boards {self.first_board}-{self.last_board})")
        return out


def _load(ref: str) -> Any:
    module, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module), attr)


@dataclass(frozen=True, slots=True)
class DriverSpec:
    """One lock-bank driver."""

    name: str
    #: "module:Class" of the LockBank subclass
    bank_class: str
    #: "module:Model" of its options model (a pydantic model, see drivers/options.py)
    options_model: str
    addressing: Addressing
    #: board range and default baud (BUS drivers)
    layout: BusLayout | None = None
    #: "module:Class" of its protocol emulator (``lockerd simulate --hardware NAME``), if any
    emulator: str | None = None
    summary: str = ""

    def load_class(self) -> type[LockBank]:
        cls: type[LockBank] = _load(self.bank_class)
        return cls

    def load_options(self) -> type[BaseModel]:
        model: type[BaseModel] = _load(self.options_model)
        return model

    def load_emulator(self) -> type[Any]:
        if self.emulator is None:
            raise LookupError(f"driver {self.name} has no emulator")
        cls: type[Any] = _load(self.emulator)
        return cls


@dataclass(frozen=True, slots=True)
class ScannerSpec:
    """One barcode-scanner driver (``[scanner] driver``)."""

    name: str
    #: "module:Class" of the Scanner subclass; None for "no scanner"
    scanner_class: str | None
    #: whether it reads a serial port (``scanner.port`` required, probed by doctor, reserved)
    needs_port: bool = False
    summary: str = ""

    def load_class(self) -> type[Scanner] | None:
        if self.scanner_class is None:
            return None
        cls: type[Scanner] = _load(self.scanner_class)
        return cls


DRIVERS: dict[str, DriverSpec] = {}
SCANNERS: dict[str, ScannerSpec] = {}


def register(spec: DriverSpec) -> DriverSpec:
    if spec.name in DRIVERS:
        raise ValueError(f"driver {spec.name} is registered twice")
    if spec.addressing is Addressing.BUS and spec.layout is None:
        raise ValueError(f"bus driver {spec.name} needs a layout")
    DRIVERS[spec.name] = spec
    return spec


def register_scanner(spec: ScannerSpec) -> ScannerSpec:
    if spec.name in SCANNERS:
        raise ValueError(f"scanner driver {spec.name} is registered twice")
    SCANNERS[spec.name] = spec
    return spec


def driver(name: str) -> DriverSpec:
    """The spec of a lock-bank driver; LookupError naming the known ones."""
    try:
        return DRIVERS[name]
    except KeyError:
        raise LookupError(f"unknown driver {name!r}; choose from {', '.join(DRIVERS)}") from None


def scanner(name: str) -> ScannerSpec:
    try:
        return SCANNERS[name]
    except KeyError:
        raise LookupError(f"unknown scanner driver {name!r}; choose from {', '.join(SCANNERS)}") from None


def emulated_kinds() -> list[str]:
    """Drivers ``lockerd simulate --hardware`` can drive through a protocol emulator."""
    return [s.name for s in DRIVERS.values() if s.emulator is not None]


# --- registrations: one line (one call) per driver ---------------------------------------------------
register(DriverSpec("sim", "drivers.locks.sim:SimLockBank", "drivers.options:AnyOptions", Addressing.NONE,
                    summary="in-process simulated doors"))
register(DriverSpec("gpio", "drivers.locks.gpio:GpioLockBank", "drivers.locks.gpio:GpioOptions", Addressing.PINS,
                    emulator="drivers.emulators.gpio:GpioCabinetEmulator",
                    summary="one relay (+ reed switch) per door on the Pi header"))
register(DriverSpec("kerong-cu16", "drivers.locks.kerong:KerongCU16Bank", "drivers.locks.kerong:KerongOptions",
                    Addressing.BUS, BusLayout(0, 15, 16, 19200), "drivers.emulators.kerong:KerongCU16Emulator",
                    summary="Kerong KR-CU16/CU12 boards on RS485"))
register(DriverSpec("kerong-cu48", "drivers.locks.kerong:KerongCU48Bank", "drivers.locks.kerong:KerongOptions",
                    Addressing.BUS, BusLayout(0, 255, 48, 19200), "drivers.emulators.kerong:KerongCU48Emulator",
                    summary="Kerong KR-CU48/CU48B boards on RS485"))
register(DriverSpec("xor8a", "drivers.locks.xor8a:Xor8ABank", "drivers.locks.xor8a:Xor8AOptions",
                    Addressing.BUS, BusLayout(1, 32, 24, 9600), "drivers.emulators.xor8a:Xor8AEmulator",
                    summary="generic 24-way 8A/80 XOR boards on RS485"))
register(DriverSpec("modbus-relay", "drivers.locks.modbus_relay:ModbusRelayBank",
                    "drivers.locks.modbus_relay:ModbusRelayOptions", Addressing.BUS, BusLayout(1, 247, 8, 9600),
                    "drivers.emulators.modbus:ModbusRelayEmulator", summary="Modbus RTU relay boards with inputs"))

register_scanner(ScannerSpec("none", None, summary="no scanner: couriers type the number"))
register_scanner(ScannerSpec("sim", "drivers.scanner.sim:SimScanner", summary="scans posted to /api/v1/sim/scan"))
register_scanner(ScannerSpec("serial", "drivers.scanner.serial_scanner:SerialScanner", needs_port=True,
                             summary="USB-CDC or RS232 scanner sending one line per scan"))
