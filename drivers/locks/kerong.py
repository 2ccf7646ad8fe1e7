"""Kerong KR-CU16/CU12 and KR-CU48/CU48B lock banks over RS485 (or a TCP bridge).

Options (``[banks.options]``), where the published sources disagree:

* ``locked_bit`` (0 or 1, default 0): the value of a lock bit when the lock is latched (door closed).
  kerong-lib reads 0 = locked; lkaas-kerong and others read 1 = locked. A bit at the other value is
  reported as the door open.
* ``unlock_reply`` (bool, default false): whether the board answers an unlock (0x31/0x61) with a status
  frame. By default nothing is read back; the opening is confirmed by the next status read. When true,
  the reply is read but a missing one is only logged (the pulse has gone out already).
* CU48 only: ``unlock_cmd`` (default 0x61; some older firmware uses 0x51).
* ``reply_timeout_s`` (default 0.15) and ``retries`` (default 1) for status reads.
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import Field, StrictBool

from drivers.bus import BusRegistry, Link
from drivers.locks.base import DoorState, LockBankError
from drivers.locks.serial_bank import Job, ReadJob, SerialBank, SerialOptions
from drivers.options import BitOption, IntOption
from drivers.protocols import kerong as kp

log = logging.getLogger(__name__)


class KerongOptions(SerialOptions):
    """``[banks.options]`` of the kerong-cu16 and kerong-cu48 drivers."""

    locked_bit: BitOption = Field(0, description="lock bit value when the lock is latched")
    unlock_reply: StrictBool = Field(False, description="the board answers an unlock with a status frame")
    unlock_cmd: IntOption = Field(kp.CU48_UNLOCK, description="CU48 only: 0x61, or 0x51 on older firmware")


class _KerongBank(SerialBank):
    max_lock = 16
    options_model = KerongOptions
    known_options = frozenset(KerongOptions.model_fields)

    def __init__(self, bank: Any, doors: Any, clock: Any, *, buses: BusRegistry | None = None) -> None:
        super().__init__(bank, doors, clock, buses=buses)
        opts = self.opts
        assert isinstance(opts, KerongOptions)
        self.locked_bit = opts.locked_bit
        self.unlock_reply = opts.unlock_reply
        for cid, (_board, lock) in self._where.items():
            if lock > self.max_lock:
                raise LockBankError(f"compartment {cid}: lock {lock} is beyond this board's {self.max_lock}")

    def _door(self, bit: bool) -> DoorState:
        return DoorState.CLOSED if int(bit) == self.locked_bit else DoorState.OPEN

    def _decode_states(self, status: kp.BoardStatus, board: int) -> dict[int, DoorState]:
        return {lock: self._door(status.locks[lock - 1]) for (b, lock) in self._at if b == board}


class KerongCU16Bank(_KerongBank):
    """KR-CU16 / KR-CU12: boards 0-15 on one bus, 16 locks each."""

    max_lock = kp.CU16_LOCKS

    def __init__(self, bank: Any, doors: Any, clock: Any, *, buses: BusRegistry | None = None) -> None:
        super().__init__(bank, doors, clock, buses=buses)
        for cid, (board, _lock) in self._where.items():
            if board > 15:
                raise LockBankError(f"compartment {cid}: CU16 board address {board} is beyond 15")

    def _read_job(self, board: int) -> ReadJob:
        frame = kp.cu16_status(board)

        def job(link: Link) -> dict[int, DoorState]:
            reply = link.transact(frame, _cu16_reply_for(board))
            return self._decode_states(kp.cu16_decode_status(reply), board)

        return job

    def _unlock_job(self, board: int, lock: int) -> Job:
        frame = kp.cu16_unlock(board, lock)
        return lambda link: self._unlock_with_reply(link, frame, _cu16_reply_for(board), board)


class KerongCU48Bank(_KerongBank):
    """KR-CU48 / CU48B: 48 locks per board, 6-byte frames."""

    max_lock = kp.CU48_LOCKS

    def __init__(self, bank: Any, doors: Any, clock: Any, *, buses: BusRegistry | None = None) -> None:
        super().__init__(bank, doors, clock, buses=buses)
        opts = self.opts
        assert isinstance(opts, KerongOptions)
        if opts.unlock_cmd not in (kp.CU48_UNLOCK, kp.CU48_UNLOCK_OLD):
            raise LockBankError(f"option unlock_cmd must be one of {(kp.CU48_UNLOCK, kp.CU48_UNLOCK_OLD)}, "
                                f"got {opts.unlock_cmd!r}")
        self.unlock_cmd = opts.unlock_cmd

    def _read_job(self, board: int) -> ReadJob:
        frame = kp.cu48_status(board)

        def job(link: Link) -> dict[int, DoorState]:
            reply = link.transact(frame, _cu48_reply_for(board))
            return self._decode_states(kp.cu48_decode_status(reply), board)

        return job

    def _unlock_job(self, board: int, lock: int) -> Job:
        frame = kp.cu48_unlock(board, lock, cmd=self.unlock_cmd)
        return lambda link: self._unlock_with_reply(link, frame, _cu48_reply_for(board), board)


def _cu16_reply_for(board: int) -> Any:
    def extract(buf: bytes) -> tuple[bytes | None, bytes]:
        while True:
            frame, buf = kp.cu16_extract_status(buf)
            if frame is None or frame[1] >> 4 == board:
                return frame, buf

    return extract


def _cu48_reply_for(board: int) -> Any:
    def extract(buf: bytes) -> tuple[bytes | None, bytes]:
        while True:
            frame, buf = kp.cu48_extract_status(buf)
            if frame is None or frame[1] == board:
                return frame, buf

    return extract
