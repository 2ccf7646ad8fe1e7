"""The real serial drivers against their emulators on a pty (and over loopback TCP), with faults."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from drivers.bus import BusRegistry
from drivers.emulators.launch import SERIAL_KINDS
from drivers.locks.base import DoorState, LockBankError
from drivers.locks.factory import create_bank
from tests.drivers.conftest import FAST_DOORS, Recorder, bank_config, emu_doors, wait_for

ADDRS = {
    "kerong-cu16": [(0, 1), (0, 16), (1, 3)],
    "kerong-cu48": [(0, 1), (0, 48), (1, 7)],
    "xor8a": [(1, 1), (1, 24), (2, 5)],
    "modbus-relay": [(1, 1), (1, 8), (2, 4)],
}
KINDS = list(ADDRS)


class Rig:
    def __init__(self, kind: str, emu: Any, bank: Any, rec: Recorder) -> None:
        self.kind, self.emu, self.bank, self.rec = kind, emu, bank, rec


async def make_rig(kind: str, tmp_path: Path, buses: BusRegistry, clock: Any, *, transport: str = "pty",
                   emu_kwargs: dict[str, Any] | None = None, **options: Any) -> Rig:
    cls, baud, *_ = SERIAL_KINDS[kind]
    emu = cls(emu_doors(ADDRS[kind]), transport=transport, workdir=tmp_path, **(emu_kwargs or {})).start()
    bank = create_bank(bank_config(kind, emu.url, ADDRS[kind], baud=baud, reply_timeout_s=0.1, **options),
                       FAST_DOORS, clock, buses=buses)
    rec = Recorder()
    await bank.start(rec)
    return Rig(kind, emu, bank, rec)


@pytest.fixture(params=KINDS)
async def rig(request: pytest.FixtureRequest, tmp_path: Path, buses: BusRegistry, clock: Any) -> AsyncIterator[Rig]:
    r = await make_rig(request.param, tmp_path, buses, clock)
    yield r
    await r.bank.stop()
    r.emu.stop()


async def test_start_reads_doors_without_opening(rig: Rig) -> None:
    assert set(rig.bank.door_states().values()) == {DoorState.CLOSED}
    assert all(d["opens"] == 0 for d in rig.emu.sim_doors())
    assert rig.rec.changes == []  # the first read is not a change
    assert rig.bank.health().online


async def test_open_close_reported_on_loop(rig: Rig) -> None:
    import threading

    await rig.bank.open("A-02")
    await wait_for(lambda: rig.rec.states("A-02") == ["open"])
    assert rig.emu.sim_doors()[1]["opens"] == 1
    rig.emu.sim_close("A-02")
    await wait_for(lambda: rig.rec.states("A-02") == ["open", "closed"])
    assert all(t is threading.main_thread() for t in rig.rec.threads)
    assert rig.rec.states("A-01") == [] and rig.rec.states("A-03") == []


async def test_open_fires_even_when_door_already_open(rig: Rig) -> None:
    rig.emu.sim_force_open("A-03")
    await wait_for(lambda: rig.rec.states("A-03") == ["open"])  # forced open is reported as a change
    await rig.bank.open("A-03")
    await wait_for(lambda: rig.emu.sim_doors()[2]["opens"] == 1)


async def test_jammed_door_counts_open_but_stays_closed(rig: Rig) -> None:
    rig.emu.sim_jam("A-01")
    await rig.bank.open("A-01")
    await asyncio.sleep(0.3)
    assert rig.emu.sim_doors()[0]["opens"] == 1
    assert rig.rec.states("A-01") == []
    assert rig.bank.door_states()["A-01"] is DoorState.CLOSED


async def test_unknown_compartment_is_a_clear_error(rig: Rig) -> None:
    with pytest.raises(LockBankError, match="not on bank"):
        await rig.bank.open("Z-99")


async def test_bad_checksum_is_retried(rig: Rig) -> None:
    rig.emu.corrupt_replies(1)
    rig.emu.sim_force_open("A-01")
    await wait_for(lambda: rig.rec.states("A-01") == ["open"])
    assert rig.bank.health().online
    assert rig.rec.states("A-02") == []  # no spurious unknown


async def test_garbage_before_reply_is_skipped(rig: Rig) -> None:
    rig.emu.inject_garbage(b"\x00\xff\x02\x8a\x80\x01\x13garbage")
    rig.emu.sim_force_open("A-02")
    await wait_for(lambda: rig.rec.states("A-02") == ["open"])
    assert rig.bank.health().online


async def test_silent_board_goes_unknown_then_recovers(rig: Rig, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    rig.emu.no_reply = True
    await wait_for(lambda: set(rig.bank.door_states().values()) == {DoorState.UNKNOWN}, 4)
    assert not rig.bank.health().online
    assert "unknown" in rig.rec.states("A-01")
    rig.emu.no_reply = False
    await wait_for(lambda: set(rig.bank.door_states().values()) == {DoorState.CLOSED}, 3)
    await wait_for(lambda: rig.bank.health().online, 1)
    # logged once per state change, not once per poll
    unreadable = [r for r in caplog.records if "unreadable" in r.getMessage()]
    assert len(unreadable) == 2  # one per board


async def test_unplug_replug_recovers_under_5s(rig: Rig, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    rig.emu.vanish()
    await wait_for(lambda: not rig.bank.health().online, 3)
    with pytest.raises(LockBankError):
        await rig.bank.open("A-01")
    await asyncio.sleep(1.0)
    rig.emu.sim_force_open("A-03")  # changed while unplugged
    t0 = time.monotonic()
    rig.emu.reappear()
    await wait_for(lambda: rig.bank.health().online and rig.bank.door_states()["A-03"] is DoorState.OPEN, 5)
    assert time.monotonic() - t0 < 5
    await rig.bank.open("A-01")
    await wait_for(lambda: rig.rec.states("A-01")[-1:] == ["open"])
    offline = [r for r in caplog.records if r.name == "drivers.bus" and "offline" in r.getMessage()]
    recovered = [r for r in caplog.records if r.name == "drivers.bus" and "recovered" in r.getMessage()]
    assert len(offline) == 1 and len(recovered) == 1


@pytest.mark.parametrize("kind", KINDS)
async def test_tcp_bridge(kind: str, tmp_path: Path, buses: BusRegistry, clock: Any) -> None:
    r = await make_rig(kind, tmp_path, buses, clock, transport="tcp")
    try:
        assert r.emu.url.startswith("socket://127.0.0.1:")
        await r.bank.open("A-03")
        await wait_for(lambda: r.rec.states("A-03") == ["open"])
        r.emu.vanish()
        await wait_for(lambda: not r.bank.health().online, 3)
        r.emu.reappear()
        await wait_for(lambda: r.bank.health().online, 5)
    finally:
        await r.bank.stop()
        r.emu.stop()


async def test_kerong_polarity_option(tmp_path: Path, buses: BusRegistry, clock: Any) -> None:
    r = await make_rig("kerong-cu16", tmp_path, buses, clock, emu_kwargs={"locked_bit": 1}, locked_bit=1)
    try:
        assert set(r.bank.door_states().values()) == {DoorState.CLOSED}
        await r.bank.open("A-01")
        await wait_for(lambda: r.rec.states("A-01") == ["open"])
    finally:
        await r.bank.stop()
        r.emu.stop()


async def test_kerong_wrong_polarity_shows_doors_open(tmp_path: Path, buses: BusRegistry, clock: Any) -> None:
    r = await make_rig("kerong-cu16", tmp_path, buses, clock, emu_kwargs={"locked_bit": 1})
    try:
        assert set(r.bank.door_states().values()) == {DoorState.OPEN}
    finally:
        await r.bank.stop()
        r.emu.stop()


async def test_kerong_unlock_reply_option(tmp_path: Path, buses: BusRegistry, clock: Any) -> None:
    r = await make_rig("kerong-cu48", tmp_path, buses, clock, emu_kwargs={"unlock_reply": True}, unlock_reply=True)
    try:
        await r.bank.open("A-02")
        await wait_for(lambda: r.rec.states("A-02") == ["open"])
    finally:
        await r.bank.stop()
        r.emu.stop()


async def test_xor_pushed_change_is_applied(tmp_path: Path, buses: BusRegistry, clock: Any) -> None:
    r = await make_rig("xor8a", tmp_path, buses, clock)
    try:
        with r.emu.lock:
            r.emu.doors["A-01"].open = True
        r.emu.push_change("A-01")
        await wait_for(lambda: r.rec.states("A-01") == ["open"])
    finally:
        await r.bank.stop()
        r.emu.stop()


async def test_modbus_relays_off_at_start_and_flash_pulse(tmp_path: Path, buses: BusRegistry, clock: Any) -> None:
    from drivers.protocols import modbus_relay as mp

    r = await make_rig("modbus-relay", tmp_path, buses, clock)
    try:
        frames = [f for _, f in r.emu.frames]
        assert mp.write_coil(1, mp.ALL_RELAYS, mp.COIL_OFF) in frames
        assert mp.write_coil(2, mp.ALL_RELAYS, mp.COIL_OFF) in frames
        await r.bank.open("A-02")
        assert mp.flash_pulse(1, 7, FAST_DOORS.pulse_ms) in [f for _, f in r.emu.frames]
    finally:
        await r.bank.stop()
        r.emu.stop()


async def test_two_banks_share_one_bus(tmp_path: Path, buses: BusRegistry, clock: Any) -> None:
    from drivers.emulators.base import EmuDoor
    from drivers.emulators.kerong import KerongCU16Emulator
    from edge.config import BankConfig

    emu = KerongCU16Emulator([EmuDoor("A-01", 0, 1), EmuDoor("B-01", 1, 1)], workdir=tmp_path).start()
    a = create_bank(BankConfig(id="A", driver="kerong-cu16", port=emu.url, compartments=[
        {"id": "A-01", "size": "S", "board": 0, "lock": 1}]), FAST_DOORS, clock, buses=buses)
    b = create_bank(BankConfig(id="B", driver="kerong-cu16", port=emu.url, compartments=[
        {"id": "B-01", "size": "S", "board": 1, "lock": 1}]), FAST_DOORS, clock, buses=buses)
    ra, rb = Recorder(), Recorder()
    await a.start(ra)
    await b.start(rb)
    try:
        await asyncio.gather(a.open("A-01"), b.open("B-01"))
        await wait_for(lambda: ra.states("A-01") == ["open"] and rb.states("B-01") == ["open"])
        assert a._bus is b._bus
    finally:
        await a.stop()
        await b.stop()
        emu.stop()


async def test_adapter_missing_at_boot_does_not_crash(tmp_path: Path, buses: BusRegistry, clock: Any) -> None:
    bank = create_bank(bank_config("kerong-cu16", str(tmp_path / "nothing"), [(0, 1)]), FAST_DOORS, clock, buses=buses)
    rec = Recorder()
    await bank.start(rec)
    try:
        assert bank.door_states() == {"A-01": DoorState.UNKNOWN}
        assert not bank.health().online and "cannot open" in bank.health().detail
        with pytest.raises(LockBankError, match="offline"):
            await bank.open("A-01")
    finally:
        await bank.stop()


def test_bad_options_are_refused(clock: Any) -> None:
    with pytest.raises(LockBankError, match="unknown option"):
        create_bank(bank_config("kerong-cu16", "/dev/null", [(0, 1)], lockedbit=1), FAST_DOORS, clock)
    with pytest.raises(LockBankError, match="locked_bit"):
        create_bank(bank_config("kerong-cu16", "/dev/null", [(0, 1)], locked_bit=2), FAST_DOORS, clock)
    with pytest.raises(LockBankError, match="beyond"):
        create_bank(bank_config("kerong-cu16", "/dev/null", [(0, 17)]), FAST_DOORS, clock)


async def test_babbling_board_never_crashes_the_driver(rig: Rig) -> None:
    """A board answering random bytes: polls fail cleanly, doors go unknown, then it recovers."""
    import random

    rnd = random.Random(7)
    real = rig.emu.respond
    rig.emu.respond = lambda frame: bytes(rnd.getrandbits(8) for _ in range(rnd.randint(1, 40)))
    try:
        await wait_for(lambda: set(rig.bank.door_states().values()) == {DoorState.UNKNOWN}, 5)
        assert not rig.bank.health().online
    finally:
        rig.emu.respond = real
    await wait_for(lambda: set(rig.bank.door_states().values()) == {DoorState.CLOSED}, 3)
    await rig.bank.open("A-01")
    await wait_for(lambda: rig.rec.states("A-01")[-1:] == ["open"])


class _LatePort:
    """A port whose reader thread is starved: its one read sleeps past the reply deadline and then
    returns the first byte of a reply whose other bytes have arrived meanwhile."""

    def __init__(self, reply: bytes, sleep_s: float) -> None:
        self.pending = bytearray(reply)
        self.sleep_s = sleep_s
        self.reads = 0

    @property
    def in_waiting(self) -> int:
        return 0 if self.reads == 0 else len(self.pending)

    def read(self, n: int) -> bytes:
        if self.reads == 0:
            time.sleep(self.sleep_s)
        self.reads += 1
        out = bytes(self.pending[:n])
        del self.pending[:n]
        return out


def test_a_reply_that_arrived_while_the_reader_was_starved_is_read_not_timed_out() -> None:
    """Issue 18: under load the bus thread woke after its deadline with a whole status reply waiting,
    read one byte of it and raised "no valid reply (got 02)"."""
    from drivers.bus import Link, ReplyTimeout
    from drivers.protocols import kerong as kp

    reply = kp.cu16_encode_status(0, [False] * 16, [False] * 16)
    link = Link(_LatePort(reply, 0.05), reply_timeout=0.02)
    assert link.read_frame(kp.cu16_extract_status) == reply
    # nothing arrived at all: still a timeout, and promptly
    silent = Link(_LatePort(b"", 0.0), reply_timeout=0.02)
    t0 = time.monotonic()
    with pytest.raises(ReplyTimeout):
        silent.read_frame(kp.cu16_extract_status)
    assert time.monotonic() - t0 < 1.0


class _HeldBus:
    """A bus whose jobs wait until released: shows how many reads a poll has queued at a time."""

    def __init__(self) -> None:
        self.queued: list[str | None] = []
        self.release = asyncio.Event()

    async def run(self, job: Any, *, board: str | None = None, retries: int = 1) -> Any:
        self.queued.append(board)
        await self.release.wait()
        return {}


async def test_a_poll_queues_every_boards_read_at_once() -> None:
    """Issue 18: a poll awaited each board's read in turn, one event-loop turn per board; on a loaded
    loop seven boards took longer than a resident keeps a door open, and the open went unseen."""
    from edge.clock import SimClock

    addrs = [(b, 1) for b in range(7)]
    bank = create_bank(bank_config("kerong-cu16", "/dev/null", addrs), FAST_DOORS, SimClock())
    held = _HeldBus()
    bank._bus = held
    poll = asyncio.create_task(bank._poll_once(report=False))
    for _ in range(5):
        await asyncio.sleep(0)
    assert held.queued == [str(b) for b in range(7)]  # all queued before the first answered
    held.release.set()
    await asyncio.wait_for(poll, 2)
