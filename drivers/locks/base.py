"""The lock-bank interface every door driver implements (sim, GPIO, Kerong, XOR 8A/80, Modbus).

A bank owns a set of compartments (ids like ``A-07``). Rules every implementation keeps:

* ``start()`` never opens a door; it switches every relay off where the hardware allows.
* ``open()`` fires the unlock even when the sensor already reads open, and returns once the
  command is on the wire (or the relay pulsed). It does not wait for the door: the caller confirms
  the opening through the door-change callback.
* Door states are polled (about every 0.5 s) and only *changes* reach ``on_change``, always on the
  asyncio loop that called ``start()`` (drivers hop threads with ``call_soon_threadsafe``).
* Blocking I/O never runs on the event loop.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol


class DoorState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class DoorChange:
    compartment: str
    state: DoorState
    #: which bank saw it (for health and logs)
    bank: str = ""


class LockBankError(Exception):
    """The command could not be put on the wire (bus down, board silent, bad reply)."""


DoorListener = Callable[[DoorChange], None]
HealthListener = Callable[[str, dict[str, Any]], None]


@dataclass(slots=True)
class BankHealth:
    online: bool = True
    detail: str = ""
    boards: dict[str, bool] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"online": self.online, "detail": self.detail, "boards": dict(self.boards)}


class LockBank(abc.ABC):
    """One bus / board group / GPIO header serving some compartments."""

    #: False when the hardware cannot see doors (then a pickup counts as done once fired)
    has_sensors: bool = True

    def __init__(self, bank_id: str, compartments: list[str]) -> None:
        self.bank_id = bank_id
        self.compartments = list(compartments)

    @abc.abstractmethod
    async def start(self, on_change: DoorListener) -> None:
        """Connect, switch all relays off, read the doors once, then poll. Must never open a door."""

    @abc.abstractmethod
    async def stop(self) -> None:
        """Stop polling and release the port/pins. Relays off."""

    @abc.abstractmethod
    async def open(self, compartment: str) -> None:
        """Fire the unlock for one compartment. Raises LockBankError if it could not be sent."""

    @abc.abstractmethod
    def door_states(self) -> dict[str, DoorState]:
        """The last known state of every door of this bank (UNKNOWN before the first read)."""

    async def read_door(self, compartment: str) -> DoorState:
        """A fresh reading of one door (drivers with a bus re-read the board; others answer from
        their own state, which is always current). Used before deciding a jam or "already open"."""
        return self.door_states().get(compartment, DoorState.UNKNOWN)

    def health(self) -> BankHealth:
        return BankHealth()


class SimulatedDoors(abc.ABC):
    """Control surface of a simulated door set (in-process sim or a protocol emulator).

    Used only by the simulator API (`/api/v1/sim/doors`) and tests.
    """

    @abc.abstractmethod
    def sim_doors(self) -> list[dict[str, Any]]:
        """[{compartment, door: open|closed, jammed: bool, opens: int}] for this bank's doors."""

    @abc.abstractmethod
    def sim_close(self, compartment: str) -> None: ...

    @abc.abstractmethod
    def sim_force_open(self, compartment: str) -> None: ...

    @abc.abstractmethod
    def sim_jam(self, compartment: str, jammed: bool = True) -> None: ...


class EmulatedDoor(Protocol):
    """A protocol emulator's door (drivers/emulators/): what `sim_doors()` reports of it."""

    compartment: str
    size: str
    open: bool
    jammed: bool
    opens: int


def sim_rows(doors: Iterable[EmulatedDoor]) -> list[dict[str, Any]]:
    """`SimulatedDoors.sim_doors()` rows of emulated doors (the caller holds the emulator's lock)."""
    return [{"compartment": d.compartment, "size": d.size, "door": "open" if d.open else "closed",
             "jammed": d.jammed, "opens": d.opens} for d in doors]
