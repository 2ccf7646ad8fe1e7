"""Emulator of "8A/80" XOR 24-way boards (answers opens, single and query-all)."""

from __future__ import annotations

from drivers.emulators.base import BoardEmulator
from drivers.protocols import xor8a as xp
from drivers.protocols.common import FrameError


class Xor8AEmulator(BoardEmulator):
    kind = "xor8a"

    def extract(self, buf: bytes) -> tuple[bytes | None, bytes]:
        return xp.extract_host(buf)

    def _state(self, board: int, lock: int) -> int:
        door = self.by_addr.get((board, lock))
        return xp.STATE_OPEN if door is not None and door.open else xp.STATE_CLOSED

    def respond(self, frame: bytes) -> bytes | None:
        try:
            f = xp.decode_single(frame)
        except FrameError:
            return None
        if f.board not in self.boards():
            return None
        if f.head == xp.HEAD_OPEN and f.func == xp.FUNC_OPEN:
            locks = range(1, xp.LOCKS + 1) if f.lock == 0 else [f.lock]
            for lock in locks:
                self.unlock(f.board, lock)
            return xp.encode_single(xp.HEAD_OPEN, f.board, f.lock, self._state(f.board, f.lock or 1))
        if f.head == xp.HEAD_QUERY and f.func == xp.FUNC_QUERY:
            if f.lock == 0:
                raw = [self._state(f.board, lock) == xp.STATE_OPEN for lock in range(1, xp.LOCKS + 1)]
                return xp.encode_all(f.board, raw)
            return xp.encode_single(xp.HEAD_QUERY, f.board, f.lock, self._state(f.board, f.lock))
        return None

    def push_change(self, compartment: str) -> None:
        """Send an unprompted 0x82 change frame for a door, as some boards do."""
        with self.lock:
            d = self.doors[compartment]
            frame = xp.encode_single(xp.HEAD_PUSH, d.board, d.lock, self._state(d.board, d.lock))
        self._write(frame)
