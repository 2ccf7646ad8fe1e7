"""Kerong lock-control boards: KR-CU16/CU12 (5-byte "CU" frames) and KR-CU48/CU48B (6-byte frames).

CU16 host frame: ``02 ADDR CMD [data] 03 SUM`` with ADDR = board << 4 | (lock - 1) and SUM = sum of all
preceding bytes & 0xFF. Status reply (9 bytes): ``02 ADDR 35 L1-8 L9-16 IR1-8 IR9-16 03 SUM``.

CU48 host frame: ``02 BOARD LOCK CMD 03 SUM`` (LOCK 0-47). Status reply (18 bytes):
``02 ADDR 00 75`` + 6 lock bytes + 6 sensor bytes + ``03 SUM``.

Bit n (byte 0 first, LSB first) describes lock n+1. What a set bit means differs between sources; the
driver maps it with its ``locked_bit`` option. Decoders return raw bits only.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.protocols.common import FrameError, bits, pack_bits, scan, sum8

STX = 0x02
ETX = 0x03

# --- CU16 / CU12 -----------------------------------------------------------------------------------
CU16_STATUS = 0x30
CU16_UNLOCK = 0x31
CU16_BUS_STATUS = 0x32
CU16_UNLOCK_ALL = 0x33
CU16_STATUS_REPLY = 0x35
CU16_SET_PULSE = 0x37
CU16_DELAYED_UNLOCK = 0x39
CU16_BUS_ADDR = 0xF0
CU16_STATUS_LEN = 9
CU16_LOCKS = 16
#: data bytes carried by each host command (anything not listed carries none)
CU16_DATA_LEN = {CU16_SET_PULSE: 2, CU16_DELAYED_UNLOCK: 1}


def cu16_address(board: int, lock: int = 1) -> int:
    """ADDR byte: board 0-15 in the high nibble, lock 1-16 as 0-15 in the low nibble."""
    if not 0 <= board <= 15:
        raise FrameError(f"CU16 board {board} out of range 0-15")
    if not 1 <= lock <= CU16_LOCKS:
        raise FrameError(f"CU16 lock {lock} out of range 1-16")
    return board << 4 | (lock - 1)


def cu16_frame(addr: int, cmd: int, data: bytes = b"") -> bytes:
    body = bytes([STX, addr & 0xFF, cmd & 0xFF]) + data + bytes([ETX])
    return body + bytes([sum8(body)])


def cu16_unlock(board: int, lock: int) -> bytes:
    return cu16_frame(cu16_address(board, lock), CU16_UNLOCK)


def cu16_status(board: int) -> bytes:
    return cu16_frame(cu16_address(board), CU16_STATUS)


def cu16_bus_status() -> bytes:
    return cu16_frame(CU16_BUS_ADDR, CU16_BUS_STATUS)


def cu16_unlock_all(board: int) -> bytes:
    return cu16_frame(cu16_address(board), CU16_UNLOCK_ALL)


def cu16_set_pulse(board: int, pulse_ms: int) -> bytes:
    units = max(1, min(0xFFFF, round(pulse_ms / 10)))
    return cu16_frame(cu16_address(board), CU16_SET_PULSE, units.to_bytes(2, "big"))


def cu16_delayed_unlock(board: int, lock: int, seconds: int) -> bytes:
    if not 0 <= seconds <= 255:
        raise FrameError(f"delay {seconds} s out of range 0-255")
    return cu16_frame(cu16_address(board, lock), CU16_DELAYED_UNLOCK, bytes([seconds]))


@dataclass(frozen=True, slots=True)
class BoardStatus:
    """Raw bits of one status reply. `locks[n]`/`sensors[n]` describe lock n+1."""

    board: int
    locks: tuple[bool, ...]
    sensors: tuple[bool, ...]


@dataclass(frozen=True, slots=True)
class HostCommand:
    """A host frame as a board sees it (used by the emulators)."""

    board: int
    lock: int  # 1-based; 0 when the command addresses the whole board
    cmd: int
    data: bytes = b""


def _check_sum(frame: bytes) -> None:
    if frame[-2] != ETX:
        raise FrameError(f"no ETX before the checksum in {frame.hex(' ')}")
    if sum8(frame[:-1]) != frame[-1]:
        raise FrameError(f"bad checksum {frame[-1]:02X}, expected {sum8(frame[:-1]):02X}")


def cu16_decode_status(frame: bytes) -> BoardStatus:
    frame = bytes(frame)
    if len(frame) != CU16_STATUS_LEN:
        raise FrameError(f"CU16 status reply must be {CU16_STATUS_LEN} bytes, got {len(frame)}")
    if frame[0] != STX or frame[2] != CU16_STATUS_REPLY:
        raise FrameError("not a CU16 status reply")
    _check_sum(frame)
    return BoardStatus(frame[1] >> 4, tuple(bits(frame[3:5])), tuple(bits(frame[5:7])))


def cu16_encode_status(board: int, locks: list[bool], sensors: list[bool], *, lock_nibble: int = 0) -> bytes:
    """A board's status reply (emulators and tests)."""
    addr = cu16_address(board, lock_nibble + 1)
    return cu16_frame(addr, CU16_STATUS_REPLY, pack_bits(locks, 2) + pack_bits(sensors, 2))


def _cu16_host_len(buf: bytes) -> int | None:
    if len(buf) < 3:
        return None
    return 5 + CU16_DATA_LEN.get(buf[2], 0)


def _valid(frame: bytes) -> bool:
    return frame[-2] == ETX and sum8(frame[:-1]) == frame[-1]


def cu16_extract_host(buf: bytes) -> tuple[bytes | None, bytes]:
    """Next valid host frame in a stream (emulator side)."""
    return scan(buf, frozenset({STX}), _cu16_host_len, _valid)


def cu16_extract_status(buf: bytes) -> tuple[bytes | None, bytes]:
    """Next valid 9-byte status reply in a stream (driver side)."""
    return scan(
        buf,
        frozenset({STX}),
        lambda b: None if len(b) < 3 else (CU16_STATUS_LEN if b[2] == CU16_STATUS_REPLY else -1),
        _valid,
    )


def cu16_decode_host(frame: bytes) -> HostCommand:
    frame = bytes(frame)
    if len(frame) < 5 or frame[0] != STX:
        raise FrameError("not a CU16 host frame")
    _check_sum(frame)
    addr, cmd = frame[1], frame[2]
    data = frame[3:-2]
    if len(data) != CU16_DATA_LEN.get(cmd, 0):
        raise FrameError(f"command {cmd:02X} carries {len(data)} data bytes")
    if cmd == CU16_BUS_STATUS:
        return HostCommand(addr >> 4, 0, cmd, data)
    lock = 0 if cmd in (CU16_STATUS, CU16_UNLOCK_ALL, CU16_SET_PULSE) else (addr & 0x0F) + 1
    return HostCommand(addr >> 4, lock, cmd, data)


# --- CU48 / CU48B ----------------------------------------------------------------------------------
CU48_STATUS = 0x60
CU48_UNLOCK = 0x61
CU48_UNLOCK_OLD = 0x51
CU48_STATUS_REPLY = 0x75
CU48_STATUS_LEN = 18
CU48_LOCKS = 48


def cu48_frame(board: int, lock_byte: int, cmd: int) -> bytes:
    if not 0 <= board <= 255:
        raise FrameError(f"CU48 board {board} out of range 0-255")
    body = bytes([STX, board, lock_byte & 0xFF, cmd & 0xFF, ETX])
    return body + bytes([sum8(body)])


def cu48_unlock(board: int, lock: int, *, cmd: int = CU48_UNLOCK) -> bytes:
    if not 1 <= lock <= CU48_LOCKS:
        raise FrameError(f"CU48 lock {lock} out of range 1-48")
    return cu48_frame(board, lock - 1, cmd)


def cu48_status(board: int) -> bytes:
    return cu48_frame(board, 0, CU48_STATUS)


def cu48_decode_status(frame: bytes) -> BoardStatus:
    frame = bytes(frame)
    if len(frame) != CU48_STATUS_LEN:
        raise FrameError(f"CU48 status reply must be {CU48_STATUS_LEN} bytes, got {len(frame)}")
    if frame[0] != STX or frame[3] != CU48_STATUS_REPLY:
        raise FrameError("not a CU48 status reply")
    _check_sum(frame)
    return BoardStatus(frame[1], tuple(bits(frame[4:10])), tuple(bits(frame[10:16])))


def cu48_encode_status(board: int, locks: list[bool], sensors: list[bool]) -> bytes:
    body = bytes([STX, board, 0, CU48_STATUS_REPLY]) + pack_bits(locks, 6) + pack_bits(sensors, 6) + bytes([ETX])
    return body + bytes([sum8(body)])


def cu48_extract_host(buf: bytes) -> tuple[bytes | None, bytes]:
    return scan(buf, frozenset({STX}), lambda b: 6, _valid)


def cu48_extract_status(buf: bytes) -> tuple[bytes | None, bytes]:
    return scan(
        buf,
        frozenset({STX}),
        lambda b: None if len(b) < 4 else (CU48_STATUS_LEN if b[3] == CU48_STATUS_REPLY else -1),
        _valid,
    )


def cu48_decode_host(frame: bytes) -> HostCommand:
    frame = bytes(frame)
    if len(frame) != 6 or frame[0] != STX:
        raise FrameError("not a CU48 host frame")
    _check_sum(frame)
    return HostCommand(frame[1], frame[2] + 1, frame[3])
