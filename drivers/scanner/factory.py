"""Build the scanner from the `[scanner]` config section."""

from __future__ import annotations

from typing import Any

from drivers.scanner.base import Scanner


def create_scanner(cfg: Any) -> Scanner | None:
    """None for driver "none"; the sim scanner for "sim"; a serial scanner for "serial".

    Raises ValueError when a serial scanner has no port.
    """
    if cfg.driver == "none":
        return None
    if cfg.driver == "sim":
        from drivers.scanner.sim import SimScanner

        return SimScanner(prefix=cfg.prefix, suffix=cfg.suffix, max_length=cfg.max_length)
    if cfg.driver == "serial":
        if not cfg.port:
            raise ValueError("scanner.port is required for the serial scanner (e.g. /dev/ttyACM0)")
        from drivers.scanner.serial_scanner import SerialScanner

        return SerialScanner(cfg.port, cfg.baud, prefix=cfg.prefix, suffix=cfg.suffix, max_length=cfg.max_length)
    raise ValueError(f"unknown scanner driver {cfg.driver!r}")
