"""Generic 24-way "8A/80" XOR lock boards (RS485 9600 8N1, board address 1-32 by DIP switch).

Doors are read with one query-all per board (7-byte reply). Options:

* ``open_bit`` (0 or 1, default 1): the value of a query-all bit when the door is open. Single replies
  are unambiguous (0x11 closed, 0x00 open).
* ``unlock_reply`` (bool, default true): the board answers an open with ``8A BB LL SS BCC``; a missing
  answer is only logged (the pulse has gone out).
* ``reply_timeout_s`` and ``retries`` as for every serial bank.

Changes a board pushes by itself (head 0x82) that arrive with a reply are applied as door changes.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from pydantic import Field, StrictBool

from drivers.bus import BusRegistry, Link
from drivers.locks.base import DoorState, LockBankError
from drivers.locks.serial_bank import Job, ReadJob, SerialBank, SerialOptions
from drivers.options import BitOption
from drivers.protocols import xor8a as xp
from drivers.protocols.common import FrameError

log = logging.getLogger(__name__)


class Xor8AOptions(SerialOptions):
    """``[banks.options]`` of the xor8a driver."""

    open_bit: BitOption = Field(1, description="query-all bit value when the door is open")
    unlock_reply: StrictBool = Field(True, description="the board answers an open (8A BB LL SS BCC)")


class Xor8ABank(SerialBank):
    options_model = Xor8AOptions
    known_options = frozenset(Xor8AOptions.model_fields)

    def __init__(self, bank: Any, doors: Any, clock: Any, *, buses: BusRegistry | None = None) -> None:
        super().__init__(bank, doors, clock, buses=buses)
        opts = self.opts
        assert isinstance(opts, Xor8AOptions)
        self.open_bit = opts.open_bit
        self.unlock_reply = opts.unlock_reply
        self._loop: asyncio.AbstractEventLoop | None = None
        for cid, (board, lock) in self._where.items():
            if lock > xp.LOCKS or not 1 <= board <= 255:
                raise LockBankError(f"compartment {cid}: board {board} lock {lock} is not on a 24-way board")

    async def start(self, on_change: Any) -> None:
        self._loop = asyncio.get_running_loop()
        await super().start(on_change)

    def _pushed(self, frame: bytes) -> None:
        """Bus thread: a 0x82 change frame seen while waiting for a reply."""
        try:
            single = xp.decode_single(frame)
        except FrameError:
            return
        state = DoorState.OPEN if xp.state_is_open(single.func) else DoorState.CLOSED
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self.apply_push, single.board, single.lock, state)

    def _reply(self, board: int, *, all_reply: bool, head: int) -> Any:
        def extract(buf: bytes) -> tuple[bytes | None, bytes]:
            while True:
                frame, buf = xp.extract_reply(buf, all_reply=all_reply)
                if frame is None:
                    return None, buf
                if frame[0] == xp.HEAD_PUSH:
                    self._pushed(frame)
                    continue
                if frame[0] == head and frame[1] == board:
                    return frame, buf

        return extract

    def _read_job(self, board: int) -> ReadJob:
        frame = xp.query_all(board)
        extract = self._reply(board, all_reply=True, head=xp.HEAD_QUERY)

        def job(link: Link) -> dict[int, DoorState]:
            status = xp.decode_all(link.transact(frame, extract))
            return {
                lock: DoorState.OPEN if int(status.bits[lock - 1]) == self.open_bit else DoorState.CLOSED
                for (b, lock) in self._at
                if b == board
            }

        return job

    def _unlock_job(self, board: int, lock: int) -> Job:
        frame = xp.open_lock(board, lock)
        extract = self._reply(board, all_reply=False, head=xp.HEAD_OPEN)

        return lambda link: self._unlock_with_reply(link, frame, extract, board)
