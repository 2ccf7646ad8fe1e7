"""Frame tables from HARDWARE.md (checksums included) and decoder fuzzing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.protocols import kerong as kp
from drivers.protocols import modbus_relay as mp
from drivers.protocols import xor8a as xp
from drivers.protocols.common import FrameError


def h(text: str) -> bytes:
    return bytes.fromhex(text)


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        (kp.cu16_unlock(0, 1), "02 00 31 03 36"),
        (kp.cu16_unlock(0, 6), "02 05 31 03 3B"),
        (kp.cu16_status(0), "02 00 30 03 35"),
        (kp.cu16_status(1), "02 10 30 03 45"),
        (kp.cu16_bus_status(), "02 F0 32 03 27"),
        (kp.cu48_status(0), "02 00 00 60 03 65"),
        (kp.cu48_unlock(0, 1), "02 00 00 61 03 66"),
        (kp.cu48_unlock(0, 48), "02 00 2F 61 03 95"),
        (xp.open_lock(1, 1), "8A 01 01 11 9B"),
        (xp.open_all(1), "8A 01 00 11 9A"),
        (xp.query_lock(1, 1), "80 01 01 33 B3"),
        (xp.query_all(1), "80 01 00 33 B2"),
        # Modbus (Waveshare Modbus RTU Relay manual): relay 1 on, all on, all off, flash 700 ms, read inputs
        (mp.write_coil(1, 0, mp.COIL_ON), "01 05 00 00 FF 00 8C 3A"),
        (mp.write_coil(1, mp.ALL_RELAYS, mp.COIL_ON), "01 05 00 FF FF 00 BC 0A"),
        (mp.write_coil(1, mp.ALL_RELAYS, mp.COIL_OFF), "01 05 00 FF 00 00 FD FA"),
        (mp.flash_pulse(1, 0, 700), "01 05 02 00 00 07 8D B0"),
        (mp.read_inputs(1), "01 02 00 00 00 08 79 CC"),
    ],
)
def test_frame_table(frame: bytes, expected: str) -> None:
    assert frame == h(expected)


def test_modbus_crc_matches_minimalmodbus() -> None:
    import minimalmodbus

    for body in (b"\x01\x05\x02\x00\x00\x07", b"\x11\x02\x00\x00\x00\x08", bytes(range(30))):
        assert mp.crc16(body) == minimalmodbus._calculate_crc(body)


def test_cu16_address_nibbles() -> None:
    assert kp.cu16_address(3, 16) == 0x3F
    with pytest.raises(FrameError):
        kp.cu16_address(16, 1)
    with pytest.raises(FrameError):
        kp.cu16_address(0, 17)


def test_cu16_status_round_trip_and_bits() -> None:
    locks = [False] * 16
    locks[0] = locks[9] = True
    frame = kp.cu16_encode_status(2, locks, [True] + [False] * 15)
    assert len(frame) == 9 and frame[2] == 0x35 and frame[3] == 0x01 and frame[4] == 0x02
    st_ = kp.cu16_decode_status(frame)
    assert st_.board == 2 and st_.locks[0] and st_.locks[9] and not st_.locks[1] and st_.sensors[0]


def test_cu16_status_bad_checksum_refused() -> None:
    frame = bytearray(kp.cu16_encode_status(0, [False] * 16, [False] * 16))
    frame[-1] ^= 1
    with pytest.raises(FrameError, match="checksum"):
        kp.cu16_decode_status(bytes(frame))


def test_cu48_status_round_trip() -> None:
    locks = [False] * 48
    locks[47] = True
    frame = kp.cu48_encode_status(1, locks, [False] * 48)
    assert len(frame) == 18 and frame[:4] == h("02 01 00 75") and frame[-2] == 0x03
    assert kp.cu48_decode_status(frame).locks[47]


def test_xor_query_all_byte_order() -> None:
    raw = [False] * 24
    raw[0] = raw[23] = True  # lock 1 and lock 24
    frame = xp.encode_all(1, raw)
    assert frame[:6] == h("80 01 80 00 01 33")  # [17-24] [9-16] [1-8]
    assert xp.decode_all(frame).bits == tuple(raw)


def test_xor_single_reply_states() -> None:
    closed = xp.decode_single(xp.encode_single(xp.HEAD_OPEN, 1, 1, xp.STATE_CLOSED))
    assert not xp.state_is_open(closed.func)
    assert xp.state_is_open(xp.decode_single(xp.encode_single(xp.HEAD_QUERY, 1, 1, xp.STATE_OPEN)).func)


def test_stream_extraction_skips_garbage_and_bad_frames() -> None:
    good = kp.cu16_encode_status(0, [True] * 16, [False] * 16)
    bad = bytearray(good)
    bad[-1] ^= 0xFF
    frame, rest = kp.cu16_extract_status(b"\xff\x02\x99" + bytes(bad) + good + b"\x02")
    assert frame == good and rest == b"\x02"
    frame, rest = kp.cu16_extract_status(good[:5])
    assert frame is None and rest == good[:5]  # incomplete: kept for the next read


def test_modbus_request_decode() -> None:
    req = mp.decode_request(mp.flash_pulse(3, 2, 500))
    assert (req.slave, req.function, req.address, req.value) == (3, 5, 0x202, 5)
    frame, rest = mp.extract_request(b"\x00\x13" + mp.read_inputs(1) + b"\x01")
    assert frame == mp.read_inputs(1) and rest == b"\x01"


DECODERS = [
    kp.cu16_decode_status,
    kp.cu16_decode_host,
    kp.cu48_decode_status,
    kp.cu48_decode_host,
    xp.decode_single,
    xp.decode_all,
    mp.decode_request,
]
EXTRACTORS = [
    kp.cu16_extract_host,
    kp.cu16_extract_status,
    kp.cu48_extract_host,
    kp.cu48_extract_status,
    xp.extract_host,
    lambda b: xp.extract_reply(b, all_reply=True),
    lambda b: xp.extract_reply(b, all_reply=False),
    mp.extract_request,
]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=40))
def test_random_bytes_only_raise_frame_error(data: bytes) -> None:
    for decode in DECODERS:
        try:
            decode(data)
        except FrameError:
            pass


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=80))
def test_extractors_never_raise_and_shrink(data: bytes) -> None:
    for extract in EXTRACTORS:
        frame, rest = extract(data)
        assert len(rest) <= len(data)
        if frame is not None:
            assert len(rest) + len(frame) <= len(data)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 15), st.integers(1, 16), st.binary(max_size=8), st.binary(max_size=8))
def test_valid_frame_found_inside_noise(board: int, lock: int, before: bytes, after: bytes) -> None:
    frame = kp.cu16_unlock(board, lock)
    found, _ = kp.cu16_extract_host(before + frame + after)
    # noise may itself hold a valid frame first; keep reading until ours or nothing
    buf = before + frame + after
    seen = []
    while True:
        found, buf = kp.cu16_extract_host(buf)
        if found is None:
            break
        seen.append(found)
    assert frame in seen
