"""Helpers shared by the frame protocols: checksums, a stream scanner and the one decode error."""

from __future__ import annotations

from collections.abc import Callable, Iterable


class FrameError(ValueError):
    """Bytes that are not a valid frame (wrong length, header, trailer or checksum)."""


def sum8(data: Iterable[int]) -> int:
    """Sum of the bytes, low 8 bits (Kerong)."""
    return sum(data) & 0xFF


def xor8(data: Iterable[int]) -> int:
    """XOR of the bytes (the "8A/80" boards' BCC)."""
    out = 0
    for b in data:
        out ^= b
    return out


def hexs(data: bytes) -> str:
    """`02 00 31 03 36` style, for logs and error messages."""
    return data.hex(" ").upper()


def bits(data: bytes) -> list[bool]:
    """Bits of `data`, byte 0 first, least significant bit first: bit n of the result = item n+1."""
    return [bool(byte >> i & 1) for byte in data for i in range(8)]


def pack_bits(values: list[bool], nbytes: int) -> bytes:
    """Inverse of :func:`bits` for `nbytes` bytes (missing values are 0)."""
    out = bytearray(nbytes)
    for i, v in enumerate(values[: nbytes * 8]):
        if v:
            out[i // 8] |= 1 << (i % 8)
    return bytes(out)


LengthOf = Callable[[bytes], int | None]
Check = Callable[[bytes], bool]


def scan(buf: bytes, heads: frozenset[int], length_of: LengthOf, check: Check) -> tuple[bytes | None, bytes]:
    """Find the first valid frame in a byte stream that may hold garbage.

    `length_of(candidate)` gives the frame length starting at a head byte, None when more bytes are
    needed to tell, or -1 when no frame can start here. `check(frame)` validates trailer/checksum.
    Returns (frame or None, the bytes still to keep). Garbage before a frame is dropped; an
    incomplete candidate is kept so the next read can finish it.
    """
    i = 0
    n_buf = len(buf)
    while i < n_buf:
        if buf[i] not in heads:
            i += 1
            continue
        n = length_of(buf[i:])
        if n is None:
            return None, buf[i:]
        if n < 0:
            i += 1
            continue
        if n_buf - i < n:
            return None, buf[i:]
        cand = buf[i : i + n]
        if check(cand):
            return cand, buf[i + n :]
        i += 1
    return None, b""
