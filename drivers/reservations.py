"""Site-wide reservation of hardware: each (port, board, lock) and each GPIO pin is claimed once.

Moonraker's ``reserved_gpios`` idea applied to the whole site file: every bank's compartments claim
their lock address (bus drivers) or their relay and sensor pins (pin drivers), the serial scanner
claims its port, and a second claim is refused naming **both** keys, e.g.

    banks[B].compartments[B-01]: port /dev/ttyUSB0 board 1 lock 3 is already used by banks[A].compartments[A-03]

Pins are compared as the Pi header sees them: ``17``, ``"17"``, ``"GPIO17"``, ``"BCM17"``,
``"BOARD11"`` and ``"J8:11"`` are one pin. Pins of an emulated cabinet (``options.emulated_pins``)
belong to that cabinet, not to the host. Pure: no hardware is touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from drivers.registry import DRIVERS, SCANNERS, Addressing

#: physical pin of the Raspberry Pi 40-pin header -> BCM GPIO number
BOARD_TO_BCM: dict[int, int] = {
    3: 2, 5: 3, 7: 4, 8: 14, 10: 15, 11: 17, 12: 18, 13: 27, 15: 22, 16: 23, 18: 24, 19: 10, 21: 9,
    22: 25, 23: 11, 24: 8, 26: 7, 27: 0, 28: 1, 29: 5, 31: 6, 32: 12, 33: 13, 35: 19, 36: 16, 37: 26,
    38: 20, 40: 21,
}
_BCM = re.compile(r"^(?:GPIO|BCM)?(\d+)$")
_BOARD = re.compile(r"^(?:BOARD|J8:)(\d+)$")


def pin_identity(pin: str | int) -> str:
    """One name per physical pin: "GPIO17" for any spelling of BCM 17, else the spelling upper-cased."""
    if isinstance(pin, int) and not isinstance(pin, bool):
        return f"GPIO{pin}"
    text = str(pin).strip().upper()
    m = _BCM.match(text)
    if m:
        return f"GPIO{int(m.group(1))}"
    m = _BOARD.match(text)
    if m and int(m.group(1)) in BOARD_TO_BCM:
        return f"GPIO{BOARD_TO_BCM[int(m.group(1))]}"
    return text


def port_identity(port: str) -> str:
    return port.strip().rstrip("/") if port.startswith("/") else port.strip().lower()


@dataclass
class Reservations:
    """Claims of hardware resources, each by one config key."""

    claims: dict[tuple[Any, ...], str] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)

    def reserve(self, resource: tuple[Any, ...], key: str, what: str) -> bool:
        """Claim `resource` for `key`; False (and a problem naming both keys) when already claimed."""
        holder = self.claims.get(resource)
        if holder is not None and holder != key:
            self.problems.append((key, f"{what} is already used by {holder}"))
            return False
        self.claims.setdefault(resource, key)
        return True


def reserve_hardware(config: Any) -> list[tuple[str, str]]:
    """(key, reason) for every hardware resource of `config` (a SiteConfig) claimed twice."""
    res = Reservations()
    for bank in config.banks:
        spec = DRIVERS.get(bank.driver)
        if spec is None or spec.addressing is Addressing.NONE:
            continue
        bank_key = f"banks[{bank.id}]"
        if spec.addressing is Addressing.BUS:
            port = port_identity(bank.port)
            # banks may share a bus (same port, same protocol): the port is only noted, for the scanner
            res.claims.setdefault(("port", port), f"{bank_key}.port")
            for c in bank.compartments:
                if c.board is None or c.lock is None:
                    continue
                res.reserve(("lock", port, c.board, c.lock), f"{bank_key}.compartments[{c.id}]",
                            f"port {bank.port} board {c.board} lock {c.lock}")
        else:
            header = str(bank.options.get("emulated_pins") or "host")
            where = "" if header == "host" else f" of emulated cabinet {header}"
            for c in bank.compartments:
                for attr in ("relay_pin", "sensor_pin"):
                    pin = getattr(c, attr)
                    if pin is None:
                        continue
                    res.reserve(("pin", header, pin_identity(pin)), f"{bank_key}.compartments[{c.id}].{attr}",
                                f"GPIO pin {pin}{where}")
    scanner = getattr(config, "scanner", None)
    sspec = SCANNERS.get(getattr(scanner, "driver", "")) if scanner is not None else None
    if scanner is not None and sspec is not None and sspec.needs_port and scanner.port:
        holder = res.claims.get(("port", port_identity(scanner.port)))
        if holder is not None:
            res.problems.append(("scanner.port", f"port {scanner.port} is already used by {holder}"))
    return res.problems
