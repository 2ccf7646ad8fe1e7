"""Build a lock bank from its config section. Which class serves a driver, and how it is addressed,
comes from the driver registry (drivers/registry.py); this module only knows the three ways a bank is
connected (nothing, a bus, a pin factory)."""

from __future__ import annotations

from typing import Any

from drivers.locks.base import LockBank, LockBankError
from drivers.options import option_problems
from drivers.registry import Addressing, driver


def create_bank(bank: Any, doors: Any, clock: Any, *, pin_factory: Any = None, buses: Any = None) -> LockBank:
    """A :class:`LockBank` for `bank` (a BankConfig). Modules are imported lazily, so a site without
    GPIO never imports gpiozero and the simulator never opens a port.

    `pin_factory` is the gpiozero pin factory for the gpio driver (None = gpiozero's default);
    `buses` a :class:`drivers.bus.BusRegistry` (None = the process-wide one).
    Raises LockBankError for a driver or option that cannot be used.
    """
    try:
        spec = driver(bank.driver)
    except LookupError as exc:
        raise LockBankError(f"bank {bank.id}: {exc}") from None
    cls: Any = spec.load_class()
    if spec.addressing is Addressing.NONE:
        return cls(bank, doors, clock, state_file=None)  # type: ignore[no-any-return]
    if spec.addressing is Addressing.PINS:
        emulated = bank.options.get("emulated_pins")
        if pin_factory is None and emulated:
            from drivers.emulators.gpio import lookup_factory

            try:
                pin_factory = lookup_factory(str(emulated))
            except LookupError as exc:
                raise LockBankError(f"bank {bank.id}: {exc}") from None
        return cls(bank, doors, clock, pin_factory=pin_factory)  # type: ignore[no-any-return]
    return cls(bank, doors, clock, buses=buses)  # type: ignore[no-any-return]


def bank_problems(bank: Any, doors: Any) -> list[tuple[str, str]]:
    """(key under the bank, reason) for every reason `bank` cannot be built; [] when it can.

    Checks the options against the driver's options model (the key named), then builds the driver
    object without touching any hardware (no port opened, no pin claimed), so `lockerd check-config`
    reports driver options and addresses with the rest of the file.
    """
    from edge.clock import SystemClock

    try:
        spec = driver(bank.driver)
    except LookupError as exc:
        return [("driver", str(exc))]
    problems = [(f"options.{key}" if key else "options", why)
                for key, why in option_problems(spec.load_options(), dict(bank.options))]
    if problems or spec.addressing is Addressing.NONE:
        return problems
    try:
        if spec.addressing is Addressing.PINS:
            spec.load_class()(bank, doors, SystemClock(), pin_factory=None)  # type: ignore[call-arg]
        else:
            create_bank(bank, doors, SystemClock())
    except LockBankError as exc:
        return [("options", str(exc))]
    return []


def check_bank(bank: Any, doors: Any) -> str | None:
    """Why `bank` cannot be built (unknown option, bad value, address out of range), or None."""
    problems = bank_problems(bank, doors)
    return "; ".join(why for _key, why in problems) if problems else None
