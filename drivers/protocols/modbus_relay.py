"""Modbus RTU relay boards with digital inputs (Waveshare Modbus RTU Relay (D) and alikes).

The driver talks through minimalmodbus (framing, CRC, the 3.5-character silence); this module holds the
register map and the slave side (request parsing and replies) for the emulator and the frame tests.

Register map: coil ``ch`` (0-7) = relay ch+1; coil 0x00FF = all relays; FC05 at ``0x0200 + ch`` with
value N = hardware-timed "flash" pulse of N x 100 ms (the board switches the relay off by itself, so a
crashed host cannot leave a lock energised); FC02 discrete inputs ``0..7`` = door inputs.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from drivers.protocols.common import FrameError, pack_bits

FC_READ_COILS = 0x01
FC_READ_INPUTS = 0x02
FC_WRITE_COIL = 0x05
ALL_RELAYS = 0x00FF
FLASH_ON_BASE = 0x0200
FLASH_OFF_BASE = 0x0400
COIL_ON = 0xFF00
COIL_OFF = 0x0000
CHANNELS = 8


def crc16(data: bytes) -> bytes:
    """Modbus CRC-16 (poly 0xA001, init 0xFFFF), low byte first as sent on the wire."""
    crc = 0xFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return struct.pack("<H", crc)


def rtu(slave: int, pdu: bytes) -> bytes:
    body = bytes([slave & 0xFF]) + pdu
    return body + crc16(body)


def write_coil(slave: int, address: int, value: int) -> bytes:
    return rtu(slave, struct.pack(">BHH", FC_WRITE_COIL, address, value))


def flash_pulse(slave: int, channel: int, pulse_ms: int) -> bytes:
    """The frame minimalmodbus sends for a hardware-timed pulse (tests and benchmarks compare to it)."""
    return write_coil(slave, FLASH_ON_BASE + channel, pulse_units(pulse_ms))


def pulse_units(pulse_ms: int) -> int:
    return max(1, min(0xFFFF, round(pulse_ms / 100)))


def read_inputs(slave: int, start: int = 0, count: int = CHANNELS) -> bytes:
    return rtu(slave, struct.pack(">BHH", FC_READ_INPUTS, start, count))


@dataclass(frozen=True, slots=True)
class Request:
    slave: int
    function: int
    address: int
    value: int  # coil value for FC05, quantity for FC01/FC02


def _check_crc(frame: bytes) -> None:
    if len(frame) < 4:
        raise FrameError("Modbus RTU frame shorter than 4 bytes")
    if crc16(frame[:-2]) != frame[-2:]:
        raise FrameError("bad Modbus CRC")


def decode_request(frame: bytes) -> Request:
    frame = bytes(frame)
    if len(frame) != 8:
        raise FrameError(f"supported requests are 8 bytes, got {len(frame)}")
    _check_crc(frame)
    slave, fc, addr, value = struct.unpack(">BBHH", frame[:6])
    if fc not in (FC_READ_COILS, FC_READ_INPUTS, FC_WRITE_COIL):
        raise FrameError(f"unsupported function {fc:02X}")
    return Request(slave, fc, addr, value)


def extract_request(buf: bytes) -> tuple[bytes | None, bytes]:
    """Next valid 8-byte request in a stream; garbage in front is dropped byte by byte."""
    i = 0
    while len(buf) - i >= 8:
        cand = buf[i : i + 8]
        if cand[1] in (FC_READ_COILS, FC_READ_INPUTS, FC_WRITE_COIL) and crc16(cand[:6]) == cand[6:]:
            return bytes(cand), buf[i + 8 :]
        i += 1
    return None, buf[i:]


def bits_reply(slave: int, function: int, values: list[bool]) -> bytes:
    n = (len(values) + 7) // 8
    return rtu(slave, bytes([function, n]) + pack_bits(values, n))


def exception_reply(slave: int, function: int, code: int) -> bytes:
    return rtu(slave, bytes([function | 0x80, code]))
