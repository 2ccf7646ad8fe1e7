"""In-process simulated lock bank with door physics.

A door opens when commanded (unless jammed), stays open until the simulator closes it, and can be
forced open. State survives a restart of the simulator (a JSON file in the data dir), so a door that
was open when the daemon was killed is still open when it comes back, just like a real cabinet.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

from drivers.locks.base import DoorChange, DoorListener, DoorState, LockBank, LockBankError, SimulatedDoors

log = logging.getLogger(__name__)


class SimLockBank(LockBank, SimulatedDoors):
    has_sensors = True

    def __init__(
        self,
        bank: Any,
        doors: Any = None,
        clock: Any = None,
        state_file: str | Path | None = None,
        *,
        open_delay_s: float = 0.05,
    ) -> None:
        comps = [c.id for c in bank.compartments]
        super().__init__(bank.id, comps)
        self._sizes = {c.id: c.size for c in bank.compartments}
        self._state_file = Path(state_file) if state_file else None
        self._open_delay_s = open_delay_s
        self._lock = threading.Lock()
        self._door: dict[str, DoorState] = dict.fromkeys(comps, DoorState.CLOSED)
        self._jammed: dict[str, bool] = dict.fromkeys(comps, False)
        self._opens: dict[str, int] = dict.fromkeys(comps, 0)
        self._listener: DoorListener | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._load()

    # --- persistence ---------------------------------------------------------------------------
    def _load(self) -> None:
        if not self._state_file or not self._state_file.exists():
            return
        try:
            data = json.loads(self._state_file.read_text())
        except (OSError, ValueError):
            log.warning("simulated door state %s unreadable; starting with all doors closed", self._state_file)
            return
        for cid, st in data.get("doors", {}).items():
            if cid in self._door:
                self._door[cid] = DoorState(st.get("door", "closed"))
                self._jammed[cid] = bool(st.get("jammed", False))

    def _save(self) -> None:
        if not self._state_file:
            return
        data = {"doors": {c: {"door": self._door[c].value, "jammed": self._jammed[c]} for c in self._door}}
        raw = json.dumps(data, separators=(",", ":")).encode()
        # one write in place, padded with spaces (JSON whitespace) to the file's size: no temp file, no
        # rename, no truncate. A rename over the old file made ext4 start writing the new one back at
        # once (auto_da_alloc), 0.5-1 ms on the event loop per door change, twice per pickup (issue 18).
        # Like the rename, this survives a killed process (the page cache does) but is not power-safe.
        try:
            fd = os.open(self._state_file, os.O_WRONLY | os.O_CREAT, 0o644)
            try:
                size = os.fstat(fd).st_size
                os.pwrite(fd, raw + b" " * (size - len(raw)) if size > len(raw) else raw, 0)
            finally:
                os.close(fd)
        except OSError as exc:  # a full disk must not stop the simulated doors moving
            log.warning("simulated door state not saved: %s", exc)

    # --- LockBank -------------------------------------------------------------------------------
    async def start(self, on_change: DoorListener) -> None:
        # a real board would get "all relays off" here; the simulation never opens anything at start
        self._listener = on_change
        self._loop = asyncio.get_running_loop()

    async def stop(self) -> None:
        self._listener = None

    async def open(self, compartment: str) -> None:
        if compartment not in self._door:
            raise LockBankError(f"compartment {compartment} is not on bank {self.bank_id}")
        with self._lock:
            self._opens[compartment] += 1
            jammed = self._jammed[compartment]
            was = self._door[compartment]
        if jammed or was is DoorState.OPEN:
            return  # the relay fired; a jammed door does not move, an open one stays open
        if self._loop is not None:
            # the latch releases and the spring pushes the door a moment later
            self._loop.call_later(self._open_delay_s, self._set, compartment, DoorState.OPEN)

    def door_states(self) -> dict[str, DoorState]:
        with self._lock:
            return dict(self._door)

    # --- physics --------------------------------------------------------------------------------
    def _set(self, compartment: str, state: DoorState) -> None:
        with self._lock:
            if self._door[compartment] is state:
                return
            self._door[compartment] = state
            self._save()
        listener, loop = self._listener, self._loop
        if listener is None or loop is None:
            return
        change = DoorChange(compartment, state, self.bank_id)
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            listener(change)
        else:
            loop.call_soon_threadsafe(listener, change)

    # --- SimulatedDoors -------------------------------------------------------------------------
    def sim_doors(self) -> list[dict[str, Any]]:
        with self._lock:
            return [
                {
                    "compartment": c,
                    "size": self._sizes[c],
                    "door": self._door[c].value,
                    "jammed": self._jammed[c],
                    "opens": self._opens[c],
                }
                for c in self.compartments
            ]

    def sim_close(self, compartment: str) -> None:
        self._check(compartment)
        self._set(compartment, DoorState.CLOSED)

    def sim_force_open(self, compartment: str) -> None:
        self._check(compartment)
        self._set(compartment, DoorState.OPEN)

    def sim_jam(self, compartment: str, jammed: bool = True) -> None:
        self._check(compartment)
        with self._lock:
            self._jammed[compartment] = jammed
            self._save()

    def _check(self, compartment: str) -> None:
        if compartment not in self._door:
            raise KeyError(compartment)
