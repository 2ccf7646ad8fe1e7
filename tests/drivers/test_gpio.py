"""GPIO bank on gpiozero's MockFactory, the door-physics cabinet, and the thread hand-off to the loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from gpiozero.pins.mock import MockFactory

from drivers.emulators.gpio import GpioCabinetEmulator
from drivers.locks.base import DoorState, LockBankError
from drivers.locks.factory import create_bank
from drivers.locks.gpio import GpioLockBank
from edge.config import BankConfig, DoorsConfig
from tests.drivers.conftest import Recorder, wait_for

DOORS = DoorsConfig(poll_interval_s=0.05, pulse_ms=60)


def gpio_bank(pins: list[tuple[int, int | None]], **options: Any) -> BankConfig:
    comps = [{"id": f"A-{i + 1:02d}", "size": "S", "relay_pin": r, "sensor_pin": s} for i, (r, s) in enumerate(pins)]
    return BankConfig(id="A", driver="gpio", options=options, compartments=comps)


@pytest.fixture
def factory() -> Iterator[MockFactory]:
    f = MockFactory()
    yield f
    f.reset()  # mock pins stay reserved after close: clean up for the next test


async def test_relays_off_at_start_and_doors_read(factory: MockFactory, clock: Any) -> None:
    bank = GpioLockBank(gpio_bank([(17, 27), (22, 23)]), DOORS, clock, pin_factory=factory)
    rec = Recorder()
    await bank.start(rec)
    try:
        assert factory.pin(17).state is False and factory.pin(22).state is False
        # inputs float high with the pull-up (no reed closed): read open; the first read is no change
        assert bank.door_states() == {"A-01": DoorState.OPEN, "A-02": DoorState.OPEN}
        assert rec.changes == []
        factory.pin(27).drive_low()  # reed closed: pulled to ground
        await wait_for(lambda: rec.states("A-01") == ["closed"])
        assert rec.states("A-02") == []
    finally:
        await bank.stop()


async def test_active_low_relay_stays_off(factory: MockFactory, clock: Any) -> None:
    bank = GpioLockBank(gpio_bank([(17, 27)], relay_active_high=False), DOORS, clock, pin_factory=factory)
    await bank.start(Recorder())
    try:
        assert factory.pin(17).state is True  # active-low: high = off
        await bank.open("A-01")
        await wait_for(lambda: [s.state for s in factory.pin(17).states][-2:] == [False, True])
    finally:
        await bank.stop()


async def test_pulse_fires_even_with_door_open_and_drops(factory: MockFactory, clock: Any) -> None:
    bank = GpioLockBank(gpio_bank([(17, 27)]), DOORS, clock, pin_factory=factory)
    await bank.start(Recorder())
    try:
        factory.pin(27).drive_high()  # door already reads open
        factory.pin(17).clear_states()
        await bank.open("A-01")
        await wait_for(lambda: [s.state for s in factory.pin(17).states] == [False, True, False], 2)
        on_time = factory.pin(17).states[2].timestamp
        assert 0.04 <= on_time <= 0.5
    finally:
        await bank.stop()


async def test_sensor_edges_reported_once_on_loop(factory: MockFactory, clock: Any) -> None:
    bank = GpioLockBank(gpio_bank([(17, 27)]), DOORS, clock, pin_factory=factory)
    rec = Recorder()
    await bank.start(rec)
    try:
        factory.pin(27).drive_low()
        await wait_for(lambda: rec.states("A-01") == ["closed"])
        factory.pin(27).drive_high()  # opened (callback fires in this thread, queued to the loop)
        await wait_for(lambda: rec.states("A-01") == ["closed", "open"])
        await asyncio.sleep(0.15)  # the poll sees the same state: no second report
        factory.pin(27).drive_low()
        await wait_for(lambda: rec.states("A-01") == ["closed", "open", "closed"])
        assert all(t is threading.main_thread() for t in rec.threads)
    finally:
        await bank.stop()


async def test_handoff_from_another_thread(factory: MockFactory, clock: Any) -> None:
    """Real lgpio fires callbacks on its own thread: the change must still reach on_change on the loop."""
    bank = GpioLockBank(gpio_bank([(17, 27), (22, 23)]), DOORS, clock, pin_factory=factory)
    rec = Recorder()
    await bank.start(rec)
    try:
        factory.pin(27).drive_low()
        factory.pin(23).drive_low()
        await wait_for(lambda: set(bank.door_states().values()) == {DoorState.CLOSED})
        rec.changes.clear()
        rec.threads.clear()
        def flap() -> None:
            for _ in range(5):
                factory.pin(27).drive_high()
                factory.pin(27).drive_low()
            factory.pin(23).drive_high()

        t = threading.Thread(target=flap)
        t.start()
        await asyncio.to_thread(t.join)
        await wait_for(lambda: rec.states("A-02") == ["open"])
        await asyncio.sleep(0.1)
        assert bank.door_states()["A-01"] is DoorState.CLOSED
        assert all(th is threading.main_thread() for th in rec.threads)
        s = rec.states("A-01")
        assert all(a != b for a, b in zip(s, s[1:], strict=False))  # only changes
    finally:
        await bank.stop()


async def test_cabinet_physics_through_factory(clock: Any) -> None:
    cab = GpioCabinetEmulator([
        {"compartment": "A-01", "size": "S", "relay_pin": 2, "sensor_pin": 3},
        {"compartment": "A-02", "size": "S", "relay_pin": 4, "sensor_pin": 5},
    ], name="test-cab").start()
    bank = create_bank(gpio_bank([(2, 3), (4, 5)], emulated_pins="test-cab"), DOORS, clock)
    rec = Recorder()
    await bank.start(rec)
    try:
        assert set(bank.door_states().values()) == {DoorState.CLOSED}
        await bank.open("A-01")  # blink thread -> physics -> sensor edge -> loop
        await wait_for(lambda: rec.states("A-01") == ["open"])
        cab.sim_close("A-01")
        await wait_for(lambda: rec.states("A-01") == ["open", "closed"])
        cab.sim_jam("A-02")
        await bank.open("A-02")
        await asyncio.sleep(0.2)
        assert rec.states("A-02") == []
        cab.sim_force_open("A-02")
        await wait_for(lambda: rec.states("A-02") == ["open"])
        assert [d["opens"] for d in cab.sim_doors()] == [1, 1]
    finally:
        await bank.stop()
        cab.stop()


async def test_pin_conflict_is_clear_error(factory: MockFactory, clock: Any) -> None:
    from gpiozero import DigitalOutputDevice

    holder = DigitalOutputDevice(17, pin_factory=factory)
    bank = GpioLockBank(gpio_bank([(17, 27)]), DOORS, clock, pin_factory=factory)
    await bank.start(Recorder())  # no crash: the daemon still comes up and says why
    try:
        assert not bank.health().online and "GPIO setup failed" in bank.health().detail
        with pytest.raises(LockBankError, match="GPIO setup failed"):
            await bank.open("A-01")
        assert holder.value == 0
    finally:
        await bank.stop()
        holder.close()


def test_unknown_emulated_cabinet_and_options(clock: Any) -> None:
    with pytest.raises(LockBankError, match="no emulated GPIO cabinet"):
        create_bank(gpio_bank([(2, 3)], emulated_pins="nope"), DOORS, clock)
    with pytest.raises(LockBankError, match="unknown option"):
        create_bank(gpio_bank([(2, 3)], active_high=True), DOORS, clock, pin_factory=MockFactory())


async def test_sensorless_bank(factory: MockFactory, clock: Any) -> None:
    bank = GpioLockBank(gpio_bank([(17, None)]), DOORS, clock, pin_factory=factory)
    await bank.start(Recorder())
    try:
        assert bank.has_sensors is False
        assert bank.door_states() == {"A-01": DoorState.UNKNOWN}
        await bank.open("A-01")
    finally:
        await bank.stop()
