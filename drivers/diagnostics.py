"""Hardware probing for `lockerd doctor`: serial ports, GPIO chips, and a status read of every board.

Probing never opens a door: serial boards get a status query, GPIO relays are claimed switched off and
released. Each check gives :class:`Finding`s in plain words; none raises.
"""

from __future__ import annotations

import glob
import logging
import os
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

import serial
from serial.tools import list_ports

from drivers.bus import Bus
from drivers.locks.base import LockBankError
from drivers.registry import DRIVERS, SCANNERS, Addressing

log = logging.getLogger(__name__)

#: drivers probed with a status read over their bus (drivers/registry.py)
SERIAL_DRIVERS = tuple(s.name for s in DRIVERS.values() if s.addressing is Addressing.BUS)


@dataclass(frozen=True, slots=True)
class Finding:
    name: str
    ok: bool
    detail: str
    required: bool = True


def serial_ports() -> list[dict[str, str]]:
    """USB/onboard serial ports the OS knows: device, description, hardware id."""
    try:
        ports = list_ports.comports()
    except Exception as exc:  # listing must never crash doctor
        log.warning("cannot list serial ports: %s", exc)
        return []
    return [{"device": p.device, "description": p.description or "", "hwid": p.hwid or ""} for p in ports]


def gpio_chips() -> list[str]:
    return sorted(glob.glob("/dev/gpiochip*"))


def _port_finding(bank: Any) -> Finding | None:
    """A plain-words reason the port cannot be used, or None when it looks usable."""
    port = bank.port
    if port.startswith("socket://"):
        return None
    if "://" in port:
        return Finding(f"bank {bank.id}", False, f"port {port} is not a serial device or socket:// URL")
    if not os.path.exists(port):
        hint = " (is the USB-RS485 adapter plugged in? `ls /dev/serial/by-id/`)"
        return Finding(f"bank {bank.id}", False, f"serial port {port} does not exist{hint}")
    if not os.access(port, os.R_OK | os.W_OK):
        return Finding(f"bank {bank.id}", False, f"no permission on {port}: add the lockerd user to the dialout group")
    return None


def probe_serial_bank(bank: Any, doors: Any, clock: Any, *, timeout: float = 2.0) -> list[Finding]:
    from drivers.bus import BusRegistry
    from drivers.locks.factory import create_bank

    problem = _port_finding(bank)
    if problem is not None:
        return [problem]
    try:
        lockbank = create_bank(bank, doors, clock, buses=BusRegistry())
    except LockBankError as exc:
        return [Finding(f"bank {bank.id}", False, str(exc))]
    bus = Bus(bank.port, bank.baud, reply_timeout=lockbank.reply_timeout)  # type: ignore[attr-defined]
    bus.start()
    findings: list[Finding] = []
    try:
        for board in lockbank.board_ids:  # type: ignore[attr-defined]
            fut = bus.submit(lockbank.status_job(board), board=str(board), retries=1)  # type: ignore[attr-defined]
            name = f"bank {bank.id} board {board}"
            try:
                states = fut.result(timeout)
            except (LockBankError, FutureTimeout) as exc:
                detail = str(exc) or "no answer"
                if not bus.online:
                    detail = f"cannot use {bank.port}: {bus.detail}"
                else:
                    detail += f" (check the board address, A/B wiring, {bank.baud} baud and the 120 ohm terminator)"
                findings.append(Finding(name, False, detail))
                continue
            opened = sorted(lock for lock, st in states.items() if st.value == "open")
            detail = f"answers at {bank.baud} baud; {len(states)} doors, open: {opened or 'none'}"
            findings.append(Finding(name, True, detail))
    finally:
        bus.stop()
    return findings


def probe_gpio_bank(bank: Any, doors: Any, clock: Any, *, pin_factory: Any = None) -> list[Finding]:
    if pin_factory is None and not gpio_chips():
        return [Finding(f"bank {bank.id}", False, "no /dev/gpiochip*: this is not a Raspberry Pi (or GPIO is off)")]
    try:
        gb: Any = DRIVERS[bank.driver].load_class()(bank, doors, clock, pin_factory=pin_factory)  # type: ignore[call-arg]
        findings: list[Finding] = gb.probe()
    except LockBankError as exc:
        return [Finding(f"bank {bank.id}", False, str(exc))]
    return findings


def probe_banks(config: Any, clock: Any, *, pin_factory: Any = None, timeout: float = 2.0) -> list[Finding]:
    out: list[Finding] = []
    for bank in config.banks:
        spec = DRIVERS.get(bank.driver)
        try:
            if spec is None:
                out.append(Finding(f"bank {bank.id}", False, f"unknown driver {bank.driver}"))
            elif spec.addressing is Addressing.NONE:
                out.append(Finding(f"bank {bank.id}", True, "simulated (no hardware)", required=False))
            elif spec.addressing is Addressing.PINS:
                out.extend(probe_gpio_bank(bank, config.doors, clock, pin_factory=pin_factory))
            else:
                out.extend(probe_serial_bank(bank, config.doors, clock, timeout=timeout))
        except Exception as exc:  # doctor reports, never crashes
            log.exception("probing bank %s failed", bank.id)
            out.append(Finding(f"bank {bank.id}", False, f"probe failed: {exc}"))
    return out


def probe_scanner(cfg: Any) -> Finding:
    spec = SCANNERS.get(cfg.driver)
    if spec is None or not spec.needs_port:
        return Finding("scanner", True, f"driver {cfg.driver} (nothing to probe)", required=False)
    if not cfg.port:
        return Finding("scanner", False, "scanner.port is empty")
    if cfg.port.startswith("socket://"):
        return Finding("scanner", True, f"network scanner at {cfg.port} (not probed)", required=False)
    if not os.path.exists(cfg.port):
        return Finding("scanner", False, f"{cfg.port} does not exist (is the scanner plugged in?)")
    try:
        s = serial.serial_for_url(cfg.port, baudrate=cfg.baud, timeout=0.1, exclusive=True)
        s.close()
    except (serial.SerialException, OSError, ValueError) as exc:
        return Finding("scanner", False, f"cannot open {cfg.port}: {exc} (busy if lockerd is running)")
    return Finding("scanner", True, f"{cfg.port} opens")
