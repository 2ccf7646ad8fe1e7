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
from drivers.registry import DRIVERS, Addressing, emulated_kinds

log = logging.getLogger(__name__)

#: every driver with an emulator (drivers/registry.py)
KINDS = emulated_kinds()
#: bus drivers -> (emulator class, baud, first board, locks per board, highest board): a view of the
#: registry kept for the tests and benchmarks that start one emulator by hand
SERIAL_KINDS: dict[str, tuple[type[BoardEmulator], int, int, int, int]] = {
    s.name: (s.load_emulator(), s.layout.baud, s.layout.first_board, s.layout.locks_per_board, s.layout.last_board)
    for s in DRIVERS.values() if s.layout is not None and s.emulator is not None
}
GPIO_PINS_PER_CABINET = 46


def assign_addresses(kind: str, n: int) -> list[tuple[int, int]]:
    """(board, lock) for n compartments of a bank, in order (the driver's registered bus layout)."""
    layout = DRIVERS[kind].layout
    if layout is None:
        raise ValueError(f"driver {kind} has no board addresses")
    return layout.assign(n, kind)


def start_emulated_banks(config: Any, kind: str, workdir: Path) -> tuple[Any, list[Any]]:
    """Start one emulator per bank; return (rewritten SiteConfig, emulators).

    Raises ValueError for an unknown kind or a bank too large for one emulated bus.
    """
    kinds = emulated_kinds()  # read now: a driver registered after import counts too
    if kind not in kinds:
        raise ValueError(f"unknown hardware kind {kind!r}; choose from {', '.join(kinds)}")
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    data: dict[str, Any] = config.model_dump(mode="python")
    emulators: list[Any] = []
    try:
        for bank in data["banks"]:
            comps = bank["compartments"]
            bank["driver"] = kind
            bank["options"] = {}
            spec = DRIVERS[kind]
            if spec.addressing is Addressing.PINS:
                if 2 * len(comps) > GPIO_PINS_PER_CABINET:
                    raise ValueError(f"bank {bank['id']}: {len(comps)} doors need more than {GPIO_PINS_PER_CABINET} pins")
                name = f"{config.site.id}-{bank['id']}"
                doors = []
                for i, c in enumerate(comps):
                    c.update(board=None, lock=None, relay_pin=2 * i, sensor_pin=2 * i + 1)
                    doors.append({"compartment": c["id"], "size": c["size"], "relay_pin": 2 * i,
                                  "sensor_pin": 2 * i + 1})
                emu: Any = spec.load_emulator()(doors, name=name).start()
                bank["port"] = emu.url
                bank["options"] = {"emulated_pins": name}
            else:
                assert spec.layout is not None
                cls, baud = spec.load_emulator(), spec.layout.baud
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
