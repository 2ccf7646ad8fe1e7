"""Common machinery of the RS485 lock banks: compartment map, polling, change reports, health.

A protocol bank (Kerong, XOR 8A/80, Modbus) supplies three jobs that run on the bus thread:
``_read_job(board)`` -> {lock: DoorState}, ``_unlock_job(board, lock)`` and ``_all_off_job(board)`` (or
None when the board has no such command: pulse boards never hold a relay on). This class does the
rest on the event loop: one read of every board at start (never an open), a poll every
``doors.poll_interval_s``, change reports through ``on_change`` (always on the loop), a quick re-read
shortly after each open, and board health.

Hardware cadence (poll interval, bus timeouts) is real time; the injected clock stamps health only.
A board that fails ``offline_after`` polls in a row has its doors reported UNKNOWN; the next good read
reports their true state again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, Field

from drivers.bus import DEFAULT_BUSES, Bus, BusRegistry, Link, ReplyTimeout
from drivers.locks.base import BankHealth, DoorChange, DoorListener, DoorState, LockBank, LockBankError
from drivers.options import DriverOptions, IntOption, option_problems
from drivers.protocols.common import FrameError

log = logging.getLogger(__name__)

ReadJob = Callable[[Link], dict[int, DoorState]]
Job = Callable[[Link], Any]


M = TypeVar("M", bound=BaseModel)


def parse_options(bank_id: str, model: type[M], options: dict[str, Any]) -> M:
    """`options` validated by the driver's options model; LockBankError naming every bad key (a typo
    must not silently change nothing)."""
    problems = option_problems(model, options)
    if problems:
        raise LockBankError(f"bank {bank_id}: " + "; ".join(why for _key, why in problems))
    return model.model_validate(options)


class SerialOptions(DriverOptions):
    """Options every serial bank reads (drivers extend this model)."""

    reply_timeout_s: float = Field(0.15, gt=0, description="seconds to wait for a status reply")
    retries: IntOption = Field(1, ge=0, description="status reads retried this often (unlocks never)")


class SerialBank(LockBank):
    #: the driver's options model (subclasses extend SerialOptions) and its keys
    options_model: type[SerialOptions] = SerialOptions
    known_options: frozenset[str] = frozenset(SerialOptions.model_fields)
    #: number of failed polls in a row before a board's doors are reported UNKNOWN
    offline_after = 3
    #: re-read this soon after an open, to confirm it quickly
    reread_after_open_s = 0.08
    #: for this long after an unlock is sent, the first read that sees that door open is believed at
    #: once (no debounce): it is the opening that was commanded. A resident may open and shut a door
    #: between two reads of a loaded bus; waiting for a second "open" read then misses it and the
    #: door service calls a door that did open "jammed".
    expect_open_s = 30.0
    #: whether the board answers an unlock frame (drivers set their own default from the options)
    unlock_reply = False

    def _unlock_with_reply(self, link: Link, frame: bytes, extract: Any, board: int) -> None:
        """Write an unlock frame, then read its reply if this board sends one. A missing or bad reply
        is only logged: the pulse was sent, and an unlock is never retried (it could fire twice)."""
        link.write(frame)
        if not self.unlock_reply:
            return
        try:
            link.read_frame(extract)
        except (ReplyTimeout, FrameError) as exc:
            log.warning("bank %s: no reply to unlock on board %s (%s); the pulse was sent", self.bank_id, board, exc)

    def __init__(self, bank: Any, doors: Any, clock: Any, *, buses: BusRegistry | None = None) -> None:
        super().__init__(bank.id, [c.id for c in bank.compartments])
        self.port = bank.port
        self.baud = bank.baud
        self.options: dict[str, Any] = dict(bank.options)
        self.opts = parse_options(bank.id, self.options_model, self.options)
        self.poll_interval_s = float(doors.poll_interval_s)
        self.pulse_ms = int(doors.pulse_ms)
        self._clock = clock
        self._buses = buses or DEFAULT_BUSES
        self._where: dict[str, tuple[int, int]] = {}
        self._at: dict[tuple[int, int], str] = {}
        for c in bank.compartments:
            if c.board is None or c.lock is None:
                raise LockBankError(f"compartment {c.id} needs board and lock")
            self._where[c.id] = (c.board, c.lock)
            self._at[(c.board, c.lock)] = c.id
        self.board_ids = sorted({b for b, _ in self._where.values()})
        self._states: dict[str, DoorState] = dict.fromkeys(self.compartments, DoorState.UNKNOWN)
        self._fails: dict[int, int] = dict.fromkeys(self.board_ids, 0)
        self._bus: Bus | None = None
        self._listener: DoorListener | None = None
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._stopping = False
        #: a door change is reported only after this many reads in a row agree (1: no debounce)
        self.debounce_reads = max(1, int(getattr(doors, "sensor_debounce_reads", 2)))
        self._candidate: dict[str, tuple[DoorState, int]] = {}
        #: compartment -> time.monotonic() until which an OPEN read is the commanded opening
        self._expect_open: dict[str, float] = {}
        self.reply_timeout = self.opts.reply_timeout_s
        self.retries = self.opts.retries

    # --- protocol hooks -----------------------------------------------------------------------
    def _read_job(self, board: int) -> ReadJob:
        raise NotImplementedError

    def _unlock_job(self, board: int, lock: int) -> Job:
        raise NotImplementedError

    def _all_off_job(self, board: int) -> Job | None:
        return None

    def status_job(self, board: int) -> ReadJob:
        """The status read of one board, for diagnostics (runs on any Bus)."""
        return self._read_job(board)

    def _bus_options(self) -> dict[str, Any]:
        return {"reply_timeout": self.reply_timeout}

    # --- LockBank -----------------------------------------------------------------------------
    async def start(self, on_change: DoorListener) -> None:
        self._wake = asyncio.Event()
        self._stopping = False
        self._bus = self._buses.acquire(self.port, self.baud, **self._bus_options())
        for board in self.board_ids:
            job = self._all_off_job(board)
            if job is None:
                continue
            try:
                await self._bus.run(job, board=str(board), retries=self.retries)
            except LockBankError as exc:
                log.warning("bank %s: could not switch relays off on board %s: %s", self.bank_id, board, exc)
        await self._poll_once(report=False)
        self._listener = on_change
        self._task = asyncio.create_task(self._poll_loop(), name=f"poll bank {self.bank_id}")

    async def stop(self) -> None:
        self._listener = None
        self._stopping = True
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.wait({task}, timeout=2.0)
        bus, self._bus = self._bus, None
        if bus is not None:
            for board in self.board_ids:
                job = self._all_off_job(board)
                if job is not None:
                    with contextlib.suppress(LockBankError):
                        await bus.run(job, board=str(board), retries=0)
            await asyncio.to_thread(self._buses.release, bus)

    async def open(self, compartment: str) -> None:
        where = self._where.get(compartment)
        if where is None:
            raise LockBankError(f"compartment {compartment} is not on bank {self.bank_id}")
        if self._bus is None:
            raise LockBankError(f"bank {self.bank_id} is not started")
        board, lock = where
        # set before the frame goes out: a read queued behind the unlock may see the door open already
        self._expect_open[compartment] = time.monotonic() + self.expect_open_s
        # never retried once written: a reply lost after the pulse must not fire the lock twice
        try:
            await self._bus.run(self._unlock_job(board, lock), board=str(board), retries=0)
        except BaseException:
            self._expect_open.pop(compartment, None)
            raise
        log.info("bank %s: unlock sent for %s (board %s lock %s)", self.bank_id, compartment, board, lock)
        self._wake.set()

    def door_states(self) -> dict[str, DoorState]:
        return dict(self._states)

    async def read_door(self, compartment: str) -> DoorState:
        """Read this door's board now (not the last poll). UNKNOWN if the board does not answer."""
        where = self._where.get(compartment)
        if where is None or self._bus is None:
            return DoorState.UNKNOWN
        board, lock = where
        try:
            states = await self._bus.run(self._read_job(board), board=str(board), retries=self.retries)
        except LockBankError as exc:
            log.info("bank %s: fresh read of %s failed: %s", self.bank_id, compartment, exc)
            return DoorState.UNKNOWN
        fresh = states.get(lock, DoorState.UNKNOWN)
        # a deliberate fresh read is trusted at once (it is the second look the debounce asks for)
        self._apply(board, states, True, settled=True)
        return fresh

    def health(self) -> BankHealth:
        bus = self._bus
        if bus is None:
            return BankHealth(False, "not started", {str(b): False for b in self.board_ids})
        boards = {str(b): bus.boards.get(str(b), False) and self._fails[b] == 0 for b in self.board_ids}
        online = bus.online and all(boards.values())
        detail = bus.detail if not bus.online else ("ok" if online else "board(s) not answering")
        return BankHealth(online, detail, boards)

    # --- polling ------------------------------------------------------------------------------
    async def _poll_loop(self) -> None:
        while not self._stopping:
            # asyncio.wait, not wait_for: 3.11's wait_for can swallow a cancellation
            waiter = asyncio.ensure_future(self._wake.wait())
            try:
                done, _ = await asyncio.wait({waiter}, timeout=self.poll_interval_s)
            finally:
                waiter.cancel()
            if done:
                self._wake.clear()
                await asyncio.sleep(self.reread_after_open_s)
            if self._stopping:
                return
            try:
                await self._poll_once(report=True)
            except asyncio.CancelledError:
                raise
            except Exception:  # the poll loop must survive anything
                log.exception("bank %s: poll failed", self.bank_id)

    async def _poll_once(self, *, report: bool) -> None:
        bus = self._bus
        assert bus is not None
        # every board's read is queued at once: the bus thread runs them back to back, and a loaded
        # event loop costs one turn per poll, not one per board (seven turns of 150 ms let a door
        # open and shut unseen)
        results = await asyncio.gather(
            *(bus.run(self._read_job(board), board=str(board), retries=self.retries) for board in self.board_ids),
            return_exceptions=True,
        )
        for board, result in zip(self.board_ids, results, strict=True):
            if isinstance(result, LockBankError):
                self._fails[board] += 1
                if self._fails[board] == self.offline_after:
                    log.warning("bank %s: board %s unreadable, doors now unknown: %s", self.bank_id, board, result)
                    self._apply(board, None, report)
                continue
            if isinstance(result, BaseException):
                raise result
            states = result
            if self._fails[board] >= self.offline_after:
                log.info("bank %s: board %s readable again", self.bank_id, board)
            self._fails[board] = 0
            self._apply(board, states, report)

    def _apply(self, board: int, states: dict[int, DoorState] | None, report: bool, *, settled: bool = False) -> None:
        for (b, lock), cid in self._at.items():
            if b != board:
                continue
            new = DoorState.UNKNOWN if states is None else states.get(lock, DoorState.UNKNOWN)
            if self._states[cid] is new:
                self._candidate.pop(cid, None)
                if new is DoorState.OPEN:
                    self._expect_open.pop(cid, None)
                continue
            if report and not settled and not self._commanded_open(cid, new) and not self._settled(cid, new):
                continue
            if new is DoorState.OPEN:
                self._expect_open.pop(cid, None)
                self._candidate.pop(cid, None)
            self._states[cid] = new
            if report and self._listener is not None:
                self._listener(DoorChange(cid, new, self.bank_id))

    def _commanded_open(self, cid: str, new: DoorState) -> bool:
        """Whether `new` is the opening of an unlock sent lately (believed on one read)."""
        if new is not DoorState.OPEN:
            return False
        until = self._expect_open.get(cid)
        if until is None:
            return False
        if time.monotonic() > until:
            del self._expect_open[cid]
            return False
        return True

    def _settled(self, cid: str, new: DoorState) -> bool:
        """Debounce: a flapping sensor is believed only once `debounce_reads` reads agree. An
        unreadable board (UNKNOWN) and the first read after start are taken at once."""
        if self.debounce_reads <= 1 or new is DoorState.UNKNOWN or self._states[cid] is DoorState.UNKNOWN:
            return True
        seen, count = self._candidate.get(cid, (new, 0))
        count = count + 1 if seen is new else 1
        if count >= self.debounce_reads:
            self._candidate.pop(cid, None)
            return True
        self._candidate[cid] = (new, count)
        self._wake.set()  # look again soon rather than a whole poll interval later
        return False

    def apply_push(self, board: int, lock: int, state: DoorState) -> None:
        """A change the board pushed by itself (called on the loop)."""
        cid = self._at.get((board, lock))
        if cid is None or self._states[cid] is state:
            return
        self._states[cid] = state
        if self._listener is not None:
            self._listener(DoorChange(cid, state, self.bank_id))
