"""Fixtures for driver tests: configs, emulators on ptys / loopback TCP, a private bus registry."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.bus import BusRegistry
from drivers.emulators.base import EmuDoor
from drivers.locks.base import DoorChange
from edge.clock import SimClock
from edge.config import BankConfig, DoorsConfig

FAST_DOORS = DoorsConfig(poll_interval_s=0.05, pulse_ms=100)


def bank_config(driver: str, port: str, addrs: list[tuple[int, int]], baud: int = 19200,
                **options: Any) -> BankConfig:
    comps = [{"id": f"A-{i + 1:02d}", "size": "M", "board": b, "lock": lk} for i, (b, lk) in enumerate(addrs)]
    return BankConfig(id="A", driver=driver, port=port, baud=baud, options=options, compartments=comps)


def emu_doors(addrs: list[tuple[int, int]]) -> list[EmuDoor]:
    return [EmuDoor(f"A-{i + 1:02d}", b, lk) for i, (b, lk) in enumerate(addrs)]


class Recorder:
    def __init__(self) -> None:
        self.changes: list[DoorChange] = []
        self.threads: list[Any] = []

    def __call__(self, change: DoorChange) -> None:
        import threading

        self.threads.append(threading.current_thread())
        self.changes.append(change)

    def states(self, compartment: str) -> list[str]:
        return [c.state.value for c in self.changes if c.compartment == compartment]


async def wait_for(pred: Callable[[], bool], limit: float = 3.0) -> float:
    t0 = time.monotonic()
    while not pred():
        if time.monotonic() - t0 > limit:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)
    return time.monotonic() - t0


@pytest.fixture
def buses() -> Iterator[BusRegistry]:
    yield BusRegistry()


@pytest.fixture
def clock() -> SimClock:
    return SimClock()


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path
