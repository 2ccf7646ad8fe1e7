"""Scanners: line splitting, untrusted input, the serial scanner on a pty (with replug), the sim scanner."""

from __future__ import annotations

import asyncio
import os
import threading
import tty
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.scanner.base import ScanRejected
from drivers.scanner.factory import create_scanner
from drivers.scanner.serial_scanner import LineSplitter, SerialScanner
from drivers.scanner.sim import SimScanner
from edge.config import ScannerConfig
from tests.drivers.conftest import wait_for


def test_line_endings_cr_lf_crlf() -> None:
    sp = LineSplitter(64)
    assert sp.feed(b"SF123\rYT9\nJD77\r\n") == [b"SF123", b"YT9", b"JD77"]
    assert sp.feed(b"PART") == []
    assert sp.feed(b"IAL\r\n\r\n") == [b"PARTIAL"]


def test_overlong_line_dropped_up_to_line_end() -> None:
    sp = LineSplitter(8)
    assert sp.feed(b"0123456789ABCDEF\nOK1\n") == [b"OK1"]
    assert sp.overflows == 1


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_escape_bounds(data: bytes) -> None:
    sp = LineSplitter(32)
    for line in sp.feed(data):
        assert 0 < len(line) <= 32 and b"\r" not in line and b"\n" not in line
        try:
            from drivers.scanner.base import clean_scan

            code = clean_scan(line, max_length=32)
            assert code.isprintable()
        except ScanRejected:
            pass


class PtyScanner:
    """A scanner on a pty behind a stable symlink; can be unplugged and plugged back."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.master = -1
        self.slave = -1
        self.plug()

    def plug(self) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        tmp = self.path.with_suffix(".new")
        os.symlink(os.ttyname(self.slave), tmp)
        os.replace(tmp, self.path)

    def unplug(self) -> None:
        os.close(self.master)
        os.close(self.slave)
        self.path.unlink()

    def send(self, data: bytes) -> None:
        os.write(self.master, data)


async def test_serial_scanner_on_pty_with_prefix_and_replug(tmp_path: Path) -> None:
    pty = PtyScanner(tmp_path / "scanner")
    scans: list[str] = []
    threads: list[threading.Thread] = []

    def on_scan(code: str) -> None:
        scans.append(code)
        threads.append(threading.current_thread())

    sc = SerialScanner(str(pty.path), prefix="]C1", max_length=20, reconnect_s=0.1)
    await sc.start(on_scan)
    try:
        await wait_for(lambda: sc.online)
        pty.send(b"]C1SF1234567890\r\n")
        pty.send(b"bad\x07bell\r\n")  # non-printable: refused
        pty.send(b"X" * 200 + b"\n")  # too long: dropped
        pty.send(b"\x02YT0001\x03\n")  # STX/ETX framing stripped
        await wait_for(lambda: len(scans) == 2)
        assert scans == ["SF1234567890", "YT0001"]
        assert sc.rejected == 1
        assert all(t is threading.main_thread() for t in threads)
        pty.unplug()
        await wait_for(lambda: not sc.online)
        pty.plug()
        await wait_for(lambda: sc.online, 3)
        pty.send(b"JD0042\n")
        await wait_for(lambda: scans[-1:] == ["JD0042"], 3)
    finally:
        await sc.stop()


async def test_sim_scanner_inject_from_loop_and_thread() -> None:
    sc = SimScanner(max_length=16)
    got: list[str] = []
    await sc.start(got.append)
    assert sc.inject("  SF42\r\n") == "SF42"
    assert got == ["SF42"]
    await asyncio.to_thread(sc.inject, "YT7")
    await wait_for(lambda: got == ["SF42", "YT7"])
    with pytest.raises(ScanRejected):
        sc.inject("x" * 17)
    with pytest.raises(ScanRejected):
        sc.inject(b"\xff\xfe")
    await sc.stop()


def test_scanner_factory() -> None:
    assert create_scanner(ScannerConfig(driver="none")) is None
    assert isinstance(create_scanner(ScannerConfig(driver="sim")), SimScanner)
    assert isinstance(create_scanner(ScannerConfig(driver="serial", port="/dev/ttyACM0")), SerialScanner)
    # a serial scanner without a port is refused by the config itself (pydantic's error is a ValueError)
    with pytest.raises(ValueError, match="needs port"):
        ScannerConfig(driver="serial")


def test_a_half_code_is_dropped_after_a_quiet_gap() -> None:
    """A scanner that sends half a code and stops (a misread, a cable pulled mid-code) must not glue that
    half onto the next code: the kiosk would get SF123SF9876543210 (trial 2026-12-02)."""
    sp = LineSplitter(64, partial_timeout_s=0.3)
    assert sp.feed(b"SF123", now=10.0) == []
    assert sp.expire(now=10.2) is None  # still within one burst
    assert sp.expire(now=10.4) == b"SF123"  # quiet too long: dropped, and said so
    assert sp.feed(b"SF9876543210\r", now=11.0) == [b"SF9876543210"]
    # a code arriving in pieces within the gap is still one code
    assert sp.feed(b"YT00", now=12.0) == [] and sp.feed(b"01\n", now=12.1) == [b"YT0001"]


async def test_half_code_then_replug_on_pty(tmp_path: Path) -> None:
    pty = PtyScanner(tmp_path / "scanner")
    scans: list[str] = []
    sc = SerialScanner(str(pty.path), max_length=20, reconnect_s=0.1, partial_timeout_s=0.2)
    await sc.start(scans.append)
    try:
        await wait_for(lambda: sc.online)
        pty.send(b"SF123")  # half a code, no line end
        await asyncio.sleep(0.4)
        pty.send(b"SF9876543210\r\n")
        await wait_for(lambda: len(scans) == 1)
        assert scans == ["SF9876543210"] and sc.rejected == 1
        pty.send(b"JD00")  # half a code, then the scanner is unplugged
        pty.unplug()
        await wait_for(lambda: not sc.online)
        pty.plug()
        await wait_for(lambda: sc.online, 3)
        pty.send(b"YT0001\n")
        await wait_for(lambda: len(scans) == 2, 3)
        assert scans == ["SF9876543210", "YT0001"]
    finally:
        await sc.stop()
