"""Open command -> unlock frame on the wire, per driver, against the protocol emulators.

For each serial driver: time from `await bank.open(door)` being called to the emulator's reader thread
holding the complete unlock frame (pty, then loopback TCP for kerong-cu16). Baseline, measured in the
same run: a bare `os.write` of the same frame to the pty slave, timed the same way (same emulator
thread, same pty), so the ratio is what the driver stack (event loop -> bus thread -> gap -> write)
adds. GPIO: open() -> relay pin energised, baseline a bare `DigitalOutputDevice.on()`.

    .venv/bin/python benchmarks/bench_door_open.py [--n 300]

Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from drivers.bus import BusRegistry
from drivers.emulators.base import EmuDoor
from drivers.emulators.gpio import GpioCabinetEmulator
from drivers.emulators.launch import SERIAL_KINDS
from drivers.locks.factory import create_bank
from drivers.protocols import kerong as kp
from drivers.protocols import modbus_relay as mp
from drivers.protocols import xor8a as xp
from edge.clock import SimClock
from edge.config import BankConfig, DoorsConfig

DOORS = DoorsConfig(poll_interval_s=5.0, pulse_ms=100)
ADDR = {"kerong-cu16": (0, 3), "kerong-cu48": (0, 3), "xor8a": (1, 3), "modbus-relay": (1, 3)}


def unlock_frame(kind: str) -> bytes:
    board, lock = ADDR[kind]
    return {
        "kerong-cu16": lambda: kp.cu16_unlock(board, lock),
        "kerong-cu48": lambda: kp.cu48_unlock(board, lock),
        "xor8a": lambda: xp.open_lock(board, lock),
        "modbus-relay": lambda: mp.flash_pulse(board, lock - 1, DOORS.pulse_ms),
    }[kind]()


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


class FrameWaiter:
    def __init__(self, emu: Any, frame: bytes) -> None:
        self.frame = frame
        self.event = threading.Event()
        self.t = 0.0
        emu.on_frame = self._seen

    def _seen(self, t: float, frame: bytes) -> None:
        if frame == self.frame:
            self.t = t
            self.event.set()

    def arm(self) -> None:
        self.event.clear()

    def wait(self) -> float:
        if not self.event.wait(2.0):
            raise RuntimeError("unlock frame never reached the emulator")
        return self.t


async def bench_serial(kind: str, n: int, workdir: Path, transport: str = "pty") -> tuple[list[float], list[float]]:
    cls, baud, *_ = SERIAL_KINDS[kind]
    board, lock = ADDR[kind]
    emu = cls([EmuDoor("A-01", board, lock)], workdir=workdir, name=f"{kind}-{transport}",
              transport=transport).start()
    bank = create_bank(BankConfig(id="A", driver=kind, port=emu.url, baud=baud, compartments=[
        {"id": "A-01", "size": "M", "board": board, "lock": lock}]), DOORS, SimClock(), buses=BusRegistry())
    await bank.start(lambda change: None)
    frame = unlock_frame(kind)
    waiter = FrameWaiter(emu, frame)
    driver: list[float] = []
    base: list[float] = []
    try:
        for i in range(n + 20):
            waiter.arm()
            t0 = time.perf_counter()
            await bank.open("A-01")
            t = await asyncio.to_thread(waiter.wait)
            if i >= 20:
                driver.append(t - t0)
            emu.sim_close("A-01")
            await asyncio.sleep(0.01)  # doors are not opened back to back: stay clear of the inter-frame gap
    finally:
        await bank.stop()
    if transport == "pty":
        base = await asyncio.to_thread(baseline_pty, emu.url, frame, waiter, n)
    emu.stop()
    return driver, base


def baseline_pty(path: str, frame: bytes, waiter: FrameWaiter, n: int) -> list[float]:
    """The same frame, written with a bare os.write to the same pty slave."""
    base: list[float] = []
    fd = os.open(os.path.realpath(path), os.O_RDWR | os.O_NOCTTY)
    try:
        for i in range(n + 20):
            waiter.arm()
            t0 = time.perf_counter()
            os.write(fd, frame)
            t = waiter.wait()
            if i >= 20:
                base.append(t - t0)
            time.sleep(0.01)
    finally:
        os.close(fd)
    return base


async def bench_gpio(n: int) -> tuple[list[float], list[float]]:
    from gpiozero import DigitalOutputDevice

    cab = GpioCabinetEmulator([{"compartment": "A-01", "relay_pin": 2, "sensor_pin": 3}], name="bench").start()
    seen = threading.Event()
    t_on = [0.0]
    orig = cab.relay_changed

    def hook(pin: Any, high: bool) -> None:
        if high:
            t_on[0] = time.perf_counter()
            seen.set()
        orig(pin, high)

    cab.relay_changed = hook  # type: ignore[method-assign]
    bank = create_bank(BankConfig(id="A", driver="gpio", options={"emulated_pins": "bench"}, compartments=[
        {"id": "A-01", "size": "M", "relay_pin": 2, "sensor_pin": 3}]),
        DOORS.model_copy(update={"pulse_ms": 50}), SimClock())
    await bank.start(lambda change: None)
    driver: list[float] = []
    try:
        for i in range(n + 20):
            seen.clear()
            t0 = time.perf_counter()
            await bank.open("A-01")
            await asyncio.to_thread(seen.wait, 2.0)
            if i >= 20:
                driver.append(t_on[0] - t0)
            cab.sim_close("A-01")
            await asyncio.sleep(0.07)  # let the pulse end
    finally:
        await bank.stop()
    dev = DigitalOutputDevice(4, pin_factory=cab.factory)
    base: list[float] = []
    for i in range(n + 20):
        t0 = time.perf_counter()
        dev.on()
        t = time.perf_counter()
        dev.off()
        if i >= 20:
            base.append(t - t0)
    dev.close()
    cab.stop()
    return driver, base


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    n = ap.parse_args().n
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-door-") as tmp:
        work = Path(tmp)
        for kind in SERIAL_KINDS:
            d, b = await bench_serial(kind, n, work)
            rows.append({"driver": kind, "transport": "pty", "driver_ms": d, "baseline_ms": b})
        d, _ = await bench_serial("kerong-cu16", n, work, transport="tcp")
        rows.append({"driver": "kerong-cu16", "transport": "tcp", "driver_ms": d,
                     "baseline_ms": rows[0]["baseline_ms"]})
        d, b = await bench_gpio(n)
        rows.append({"driver": "gpio", "transport": "mock", "driver_ms": d, "baseline_ms": b})
    out = []
    print(f"{'driver':<14}{'via':<6}{'median ms':>11}{'p99 ms':>9}{'base med':>10}{'base p99':>10}{'ratio med':>11}")
    for r in rows:
        dm, dp = statistics.median(r["driver_ms"]) * 1e3, pct(r["driver_ms"], 99) * 1e3
        bm, bp = statistics.median(r["baseline_ms"]) * 1e3, pct(r["baseline_ms"], 99) * 1e3
        ratio = dm / bm if bm else float("inf")
        print(f"{r['driver']:<14}{r['transport']:<6}{dm:>11.3f}{dp:>9.3f}{bm:>10.3f}{bp:>10.3f}{ratio:>11.1f}")
        out.append({"driver": r["driver"], "transport": r["transport"], "median_ms": round(dm, 4),
                    "p99_ms": round(dp, 4), "baseline_median_ms": round(bm, 4), "baseline_p99_ms": round(bp, 4),
                    "ratio_median": round(ratio, 2)})
    print(json.dumps({"bench": "door_open", "n": n, "results": out}))


if __name__ == "__main__":
    asyncio.run(main())
