"""Generic 24-way lock boards speaking the "8A/80" XOR protocol.

Frame: ``HEAD BOARD LOCK FUNC BCC``, BCC = XOR of the four preceding bytes.
Open one ``8A 01 01 11 9B``; query one ``80 01 01 33 B3``; query all ``80 01 00 33 B2`` answered by a
7-byte ``80 BB [17-24] [9-16] [1-8] 33 BCC``. Single replies ``8A/80 BB LL SS BCC`` with SS 0x11 =
closed, 0x00 = open. Some boards push changes unprompted with head 0x82.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.protocols.common import FrameError, bits, pack_bits, scan, xor8

HEAD_OPEN = 0x8A
HEAD_QUERY = 0x80
HEAD_PUSH = 0x82
FUNC_OPEN = 0x11
FUNC_QUERY = 0x33
STATE_CLOSED = 0x11
STATE_OPEN = 0x00
LOCKS = 24
ALL_LEN = 7


def frame(head: int, board: int, lock: int, func: int) -> bytes:
    if not 0 <= board <= 255 or not 0 <= lock <= 255:
        raise FrameError(f"board {board} / lock {lock} out of range")
    body = bytes([head, board, lock, func])
    return body + bytes([xor8(body)])


def open_lock(board: int, lock: int) -> bytes:
    if not 1 <= lock <= LOCKS:
        raise FrameError(f"lock {lock} out of range 1-{LOCKS}")
    return frame(HEAD_OPEN, board, lock, FUNC_OPEN)


def open_all(board: int) -> bytes:
    return frame(HEAD_OPEN, board, 0, FUNC_OPEN)


def query_lock(board: int, lock: int) -> bytes:
    return frame(HEAD_QUERY, board, lock, FUNC_QUERY)


def query_all(board: int) -> bytes:
    return frame(HEAD_QUERY, board, 0, FUNC_QUERY)


@dataclass(frozen=True, slots=True)
class Single:
    """A 5-byte frame: a host command, a single reply or a pushed change."""

    head: int
    board: int
    lock: int
    func: int  # function code (host) or state byte (reply/push)


@dataclass(frozen=True, slots=True)
class AllStatus:
    board: int
    #: raw bit per lock, index 0 = lock 1
    bits: tuple[bool, ...]


def _valid(f: bytes) -> bool:
    return xor8(f[:-1]) == f[-1]


def decode_single(f: bytes) -> Single:
    f = bytes(f)
    if len(f) != 5 or f[0] not in (HEAD_OPEN, HEAD_QUERY, HEAD_PUSH):
        raise FrameError("not a 5-byte 8A/80 frame")
    if not _valid(f):
        raise FrameError(f"bad BCC {f[-1]:02X}, expected {xor8(f[:-1]):02X}")
    return Single(f[0], f[1], f[2], f[3])


def decode_all(f: bytes) -> AllStatus:
    f = bytes(f)
    if len(f) != ALL_LEN or f[0] != HEAD_QUERY or f[5] != FUNC_QUERY:
        raise FrameError("not a 7-byte query-all reply")
    if not _valid(f):
        raise FrameError(f"bad BCC {f[-1]:02X}, expected {xor8(f[:-1]):02X}")
    # bytes 2..4 hold locks 17-24, 9-16, 1-8
    return AllStatus(f[1], tuple(bits(bytes([f[4], f[3], f[2]]))))


def encode_all(board: int, raw_bits: list[bool]) -> bytes:
    b = pack_bits(raw_bits, 3)
    body = bytes([HEAD_QUERY, board, b[2], b[1], b[0], FUNC_QUERY])
    return body + bytes([xor8(body)])


def encode_single(head: int, board: int, lock: int, state: int) -> bytes:
    return frame(head, board, lock, state)


def state_is_open(state: int) -> bool:
    """Single-reply state byte -> door open? Anything but 0x11 counts as open (fail visible)."""
    return state != STATE_CLOSED


def extract_host(buf: bytes) -> tuple[bytes | None, bytes]:
    return scan(buf, frozenset({HEAD_OPEN, HEAD_QUERY}), lambda b: 5, _valid)


def extract_reply(buf: bytes, *, all_reply: bool) -> tuple[bytes | None, bytes]:
    """Next reply in a stream: the 7-byte query-all reply, or a 5-byte single (including 0x82 pushes)."""

    def length(b: bytes) -> int | None:
        if b[0] == HEAD_QUERY and all_reply:
            if len(b) < 6:
                return None
            return ALL_LEN if b[5] == FUNC_QUERY else -1
        return 5

    return scan(buf, frozenset({HEAD_OPEN, HEAD_QUERY, HEAD_PUSH}), length, _valid)
