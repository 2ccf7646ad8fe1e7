"""Helpers for the fault tests: a small disk the test mounts, a site on emulated Kerong boards,
and a frozen event loop. Root only for the mounts (CI runs as root); they skip otherwise."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Site, sim_config


@contextlib.contextmanager
def small_disk(where: Path, mb: int = 24, *, read_only: bool = False) -> Iterator[Path]:
    """A tmpfs of `mb` MiB mounted at `where` (unmounted after)."""
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a small disk needs root")
    opts = f"size={mb}m" + (",ro" if read_only else "")
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(where)], capture_output=True, text=True)
    if res.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {res.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def remount(where: Path, *, read_only: bool) -> None:
    subprocess.run(["mount", "-o", "remount," + ("ro" if read_only else "rw"), str(where)], check=True)


def fill_disk(where: Path, name: str = "filler.bin") -> Path:
    """Write zeros until the disk is full. Returns the file (delete it to give the space back)."""
    path = where / name
    chunk = b"\0" * (1 << 16)
    with open(path, "ab", buffering=0) as f:  # unbuffered: close() has nothing left to flush
        try:
            while True:
                f.write(chunk)
        except OSError as exc:
            if exc.errno != errno.ENOSPC:
                raise
    # the tail that still fits, byte-sized, so not even a page is left
    with open(path, "ab", buffering=0) as f:
        for size in (4096, 512, 1):
            try:
                while True:
                    f.write(b"\0" * size)
            except OSError:
                continue
    return path


async def start_site_at(data_dir: Path, *, clock: Any = None, hardware: str = "sim", before_start: Any = None,
                        **overrides: Any) -> tuple[Site, list[Any]]:
    """An in-process daemon; with hardware="kerong-cu16" its banks are real Kerong drivers on pty emulators."""
    from edge.clock import SimClock
    from edge.daemon import Daemon
    from edge.demo import seed_logins

    clock = clock or SimClock(start=datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    cfg = sim_config(data_dir, **overrides)
    emus: list[Any] = []
    if hardware != "sim":
        from drivers.emulators.launch import start_emulated_banks

        cfg, emus = start_emulated_banks(cfg, hardware, data_dir.parent / f"{data_dir.name}-emu")
    if before_start is not None:
        before_start(emus)
    d = Daemon(cfg, clock=clock, data_dir=data_dir, simulated=True)
    d.sim_emulators = emus
    await d.start()
    await d.store.write(lambda tx: seed_logins(tx, d.services.couriers))
    login = await d.services.couriers.login("100001", kiosk="test")
    return Site(d, clock, data_dir, login["courier"]), emus


async def stop_site(site: Site, emus: list[Any]) -> None:
    await site.daemon.stop()
    for e in emus:
        e.stop()


def emulator_of(emus: list[Any], compartment: str) -> Any:
    return next(e for e in emus if compartment in e.doors)


def freeze_loop(seconds: float) -> None:
    """Block the event loop (as a GC pause, swap or a slow SD card would): call with call_soon."""
    time.sleep(seconds)


async def wait_until(pred: Any, limit: float = 10.0, step: float = 0.05) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        value = pred()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return time.monotonic() - t0
        await asyncio.sleep(step)
    raise AssertionError(f"condition not met within {limit} s")


async def emu_wait_door(site: Site, compartment: str, door: str, limit: float = 5.0) -> None:
    await wait_until(lambda: site.svc.doors.door_state(compartment) == door, limit=limit)
    await site.svc.doors.drain()


async def emu_close(site: Site, emus: list[Any], compartment: str) -> None:
    """Close a door on an emulated board and wait until the daemon has seen and recorded it."""
    emulator_of(emus, compartment).sim_close(compartment)
    await emu_wait_door(site, compartment, "closed")
