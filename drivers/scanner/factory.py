"""Build the scanner from the `[scanner]` config section; the class comes from drivers/registry.py."""

from __future__ import annotations

from typing import Any

from drivers.registry import scanner
from drivers.scanner.base import Scanner


def create_scanner(cfg: Any) -> Scanner | None:
    """None for driver "none"; otherwise the registered scanner class ("sim", "serial", ...).

    Raises ValueError for an unknown driver or a port-reading scanner with no port.
    """
    try:
        spec = scanner(cfg.driver)
    except LookupError as exc:
        raise ValueError(str(exc)) from None
    cls: Any = spec.load_class()
    if cls is None:
        return None
    common = {"prefix": cfg.prefix, "suffix": cfg.suffix, "max_length": cfg.max_length}
    if spec.needs_port:
        if not cfg.port:
            raise ValueError(f"scanner.port is required for the {spec.name} scanner (e.g. /dev/ttyACM0)")
        return cls(cfg.port, cfg.baud, **common)  # type: ignore[no-any-return]
    return cls(**common)  # type: ignore[no-any-return]
