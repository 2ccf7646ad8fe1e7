"""Kerong CU16/CU12 and CU48/CU48B board emulators (one emulator = one bus with any number of boards)."""

from __future__ import annotations

from pathlib import Path

from drivers.emulators.base import BoardEmulator, EmuDoor
from drivers.protocols import kerong as kp
from drivers.protocols.common import FrameError


class _KerongEmulator(BoardEmulator):
    locks_per_board = 16

    def __init__(self, doors: list[EmuDoor], *, transport: str = "pty", workdir: str | Path | None = None,
                 name: str = "bus", locked_bit: int = 0, unlock_reply: bool = False) -> None:
        super().__init__(doors, transport=transport, workdir=workdir, name=name)
        self.locked_bit = locked_bit
        self.unlock_reply = unlock_reply

    def _bits(self, board: int) -> list[bool]:
        out = []
        for lock in range(1, self.locks_per_board + 1):
            door = self.by_addr.get((board, lock))
            closed = door is None or not self.reported_open(door)
            out.append(bool(self.locked_bit) if closed else not self.locked_bit)
        return out


class KerongCU16Emulator(_KerongEmulator):
    kind = "kerong-cu16"
    locks_per_board = kp.CU16_LOCKS

    def extract(self, buf: bytes) -> tuple[bytes | None, bytes]:
        return kp.cu16_extract_host(buf)

    def _status(self, board: int) -> bytes:
        bits = self._bits(board)
        self.status_sent()
        return kp.cu16_encode_status(self.address_of(board), bits, [False] * 16)

    def respond(self, frame: bytes) -> bytes | None:
        try:
            cmd = kp.cu16_decode_host(frame)
        except FrameError:
            return None
        if cmd.cmd == kp.CU16_STATUS:
            return self._status(cmd.board) if cmd.board in self.boards() else None
        if cmd.cmd == kp.CU16_UNLOCK:
            if self.unlock(cmd.board, cmd.lock) is None:
                return None
            return self._status(cmd.board) if self.unlock_reply else None
        if cmd.cmd == kp.CU16_UNLOCK_ALL:
            for lock in range(1, 17):
                self.unlock(cmd.board, lock)
            return None
        return None


class KerongCU48Emulator(_KerongEmulator):
    kind = "kerong-cu48"
    locks_per_board = kp.CU48_LOCKS

    def extract(self, buf: bytes) -> tuple[bytes | None, bytes]:
        return kp.cu48_extract_host(buf)

    def respond(self, frame: bytes) -> bytes | None:
        try:
            cmd = kp.cu48_decode_host(frame)
        except FrameError:
            return None
        if cmd.board not in self.boards():
            return None
        if cmd.cmd == kp.CU48_STATUS:
            bits = self._bits(cmd.board)
            self.status_sent()
            return kp.cu48_encode_status(self.address_of(cmd.board), bits, [False] * 48)
        if cmd.cmd in (kp.CU48_UNLOCK, kp.CU48_UNLOCK_OLD):
            self.unlock(cmd.board, cmd.lock)
            return kp.cu48_encode_status(cmd.board, self._bits(cmd.board), [False] * 48) if self.unlock_reply else None
        return None
