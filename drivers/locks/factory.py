"""Build a lock bank from its config section: the one place that knows which class serves a driver."""

from __future__ import annotations

from typing import Any

from drivers.locks.base import LockBank, LockBankError


def create_bank(bank: Any, doors: Any, clock: Any, *, pin_factory: Any = None, buses: Any = None) -> LockBank:
    """A :class:`LockBank` for `bank` (a BankConfig). Modules are imported lazily, so a site without
    GPIO never imports gpiozero and the simulator never opens a port.

    `pin_factory` is the gpiozero pin factory for the gpio driver (None = gpiozero's default);
    `buses` a :class:`drivers.bus.BusRegistry` (None = the process-wide one).
    Raises LockBankError for a driver or option that cannot be used.
    """
    driver = bank.driver
    if driver == "sim":
        from drivers.locks.sim import SimLockBank

        return SimLockBank(bank, doors, clock, state_file=None)
    if driver == "gpio":
        from drivers.locks.gpio import GpioLockBank

        emulated = bank.options.get("emulated_pins")
        if pin_factory is None and emulated:
            from drivers.emulators.gpio import lookup_factory

            try:
                pin_factory = lookup_factory(str(emulated))
            except LookupError as exc:
                raise LockBankError(f"bank {bank.id}: {exc}") from None
        return GpioLockBank(bank, doors, clock, pin_factory=pin_factory)
    if driver == "kerong-cu16":
        from drivers.locks.kerong import KerongCU16Bank

        return KerongCU16Bank(bank, doors, clock, buses=buses)
    if driver == "kerong-cu48":
        from drivers.locks.kerong import KerongCU48Bank

        return KerongCU48Bank(bank, doors, clock, buses=buses)
    if driver == "xor8a":
        from drivers.locks.xor8a import Xor8ABank

        return Xor8ABank(bank, doors, clock, buses=buses)
    if driver == "modbus-relay":
        from drivers.locks.modbus_relay import ModbusRelayBank

        return ModbusRelayBank(bank, doors, clock, buses=buses)
    raise LockBankError(f"bank {bank.id}: unknown driver {driver!r}")


def check_bank(bank: Any, doors: Any) -> str | None:
    """Why `bank` cannot be built (unknown option, bad value, address out of range), or None.

    Builds the driver object without touching any hardware (no port opened, no pin claimed), so
    `lockerd check-config` can report driver options with the rest of the file.
    """
    from edge.clock import SystemClock

    try:
        if bank.driver == "gpio":
            from drivers.locks.gpio import GpioLockBank

            GpioLockBank(bank, doors, SystemClock(), pin_factory=None)
        elif bank.driver != "sim":
            create_bank(bank, doors, SystemClock())
    except LockBankError as exc:
        return str(exc)
    return None
