"""Start protocol emulators for a site and rewrite its config to drive them through the real drivers.

``lockerd simulate --hardware kerong-cu16`` (and kerong-cu48, xor8a, modbus-relay, gpio) calls
:func:`start_emulated_banks`: each bank gets its own emulated bus (a pty behind a stable symlink in
`workdir`, or a MockFactory cabinet for gpio) and its compartments get board/lock addresses (or pins)
in order. Stop with :func:`stop_emulators` (each emulator also has ``stop()``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from drivers.emulators.base import BoardEmulator, EmuDoor
from drivers.emulators.gpio import GpioCabinetEmulator
from drivers.emulators.kerong import KerongCU16Emulator, KerongCU48Emulator
from drivers.emulators.modbus import ModbusRelayEmulator
from drivers.emulators.xor8a import Xor8AEmulator

log = logging.getLogger(__name__)

#: driver -> (emulator class, baud, first board address, locks per board, highest board address)
SERIAL_KINDS: dict[str, tuple[type[BoardEmulator], int, int, int, int]] = {
    "kerong-cu16": (KerongCU16Emulator, 19200, 0, 16, 15),
    "kerong-cu48": (KerongCU48Emulator, 19200, 0, 48, 255),
    "xor8a": (Xor8AEmulator, 9600, 1, 24, 32),
    "modbus-relay": (ModbusRelayEmulator, 9600, 1, 8, 247),
}
KINDS = [*SERIAL_KINDS, "gpio"]
GPIO_PINS_PER_CABINET = 46


def assign_addresses(kind: str, n: int) -> list[tuple[int, int]]:
    """(board, lock) for n compartments of a bank, in order."""
    _cls, _baud, first, per_board, last = SERIAL_KINDS[kind]
    out = [(first + i // per_board, i % per_board + 1) for i in range(n)]
    if out and out[-1][0] > last:
        raise ValueError(f"{n} doors do not fit on one {kind} bus (boards {first}-{last})")
    return out


def start_emulated_banks(config: Any, kind: str, workdir: Path) -> tuple[Any, list[Any]]:
    """Start one emulator per bank; return (rewritten SiteConfig, emulators).

    Raises ValueError for an unknown kind or a bank too large for one emulated bus.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown hardware kind {kind!r}; choose from {', '.join(KINDS)}")
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    data: dict[str, Any] = config.model_dump(mode="python")
    emulators: list[Any] = []
    try:
        for bank in data["banks"]:
            comps = bank["compartments"]
            bank["driver"] = kind
            bank["options"] = {}
            if kind == "gpio":
                if 2 * len(comps) > GPIO_PINS_PER_CABINET:
                    raise ValueError(f"bank {bank['id']}: {len(comps)} doors need more than {GPIO_PINS_PER_CABINET} pins")
                name = f"{config.site.id}-{bank['id']}"
                doors = []
                for i, c in enumerate(comps):
                    c.update(board=None, lock=None, relay_pin=2 * i, sensor_pin=2 * i + 1)
                    doors.append({"compartment": c["id"], "size": c["size"], "relay_pin": 2 * i,
                                  "sensor_pin": 2 * i + 1})
                emu: Any = GpioCabinetEmulator(doors, name=name).start()
                bank["port"] = emu.url
                bank["options"] = {"emulated_pins": name}
            else:
                cls, baud, *_ = SERIAL_KINDS[kind]
                addrs = assign_addresses(kind, len(comps))
                for c, (board, lock) in zip(comps, addrs, strict=True):
                    c.update(board=board, lock=lock, relay_pin=None, sensor_pin=None)
                emu_doors = [EmuDoor(c["id"], b, lk, c["size"]) for c, (b, lk) in zip(comps, addrs, strict=True)]
                emu = cls(emu_doors, workdir=workdir, name=f"bank-{bank['id']}").start()
                bank["port"] = emu.url
                bank["baud"] = baud
            emulators.append(emu)
            log.info("bank %s: emulated %s at %s", bank["id"], kind, emu.url)
        new_config = type(config).model_validate(data)
    except Exception:
        stop_emulators(emulators)
        raise
    return new_config, emulators


def stop_emulators(emulators: list[Any]) -> None:
    for emu in emulators:
        try:
            emu.stop()
        except Exception:  # stopping must go on for the others
            log.exception("could not stop emulator %s", getattr(emu, "url", emu))
