"""sd_notify protocol against a real datagram socket standing in for systemd."""

from __future__ import annotations

import asyncio
import os
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from edge.sdnotify import SystemdNotifier, watchdog_loop


@pytest.fixture
def sock_path(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    path = str(tmp_path / "notify.sock")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    s.settimeout(2)
    yield s, path
    s.close()


def _recv(s: socket.socket) -> list[str]:
    return s.recv(4096).decode().split("\n")


def test_ready_status_stopping(sock_path: tuple[socket.socket, str]) -> None:
    s, path = sock_path
    n = SystemdNotifier({"NOTIFY_SOCKET": path})
    assert n.enabled
    assert n.ready("serving on 127.0.0.1:8080")
    assert _recv(s) == ["READY=1", "STATUS=serving on 127.0.0.1:8080"]
    assert n.status("12 parcels stored")
    assert _recv(s) == ["STATUS=12 parcels stored"]
    assert n.watchdog()
    assert _recv(s) == ["WATCHDOG=1"]
    assert n.stopping()
    assert _recv(s)[0] == "STOPPING=1"
    n.close()


def test_status_newlines_cannot_inject_assignments(sock_path: tuple[socket.socket, str]) -> None:
    s, path = sock_path
    n = SystemdNotifier({"NOTIFY_SOCKET": path})
    n.status("bad\nREADY=1")
    assert _recv(s) == ["STATUS=bad READY=1"]
    n.close()


def test_abstract_namespace() -> None:
    name = "lockerd-test-" + uuid.uuid4().hex
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(b"\0" + name.encode())
    s.settimeout(2)
    try:
        n = SystemdNotifier({"NOTIFY_SOCKET": "@" + name})
        assert n.ready()
        assert _recv(s) == ["READY=1"]
        n.close()
    finally:
        s.close()


def test_no_socket_is_a_noop() -> None:
    n = SystemdNotifier({})
    assert not n.enabled
    assert n.ready() is False
    assert n.watchdog() is False
    assert n.watchdog_interval() is None


def test_missing_socket_file_does_not_raise(tmp_path: Path) -> None:
    n = SystemdNotifier({"NOTIFY_SOCKET": str(tmp_path / "gone.sock")})
    assert n.ready() is False
    assert n.ready() is False  # logged once, still no exception


def test_relative_socket_refused() -> None:
    assert not SystemdNotifier({"NOTIFY_SOCKET": "relative.sock"}).enabled


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"WATCHDOG_USEC": "20000000"}, 20.0),
        ({"WATCHDOG_USEC": "20000000", "WATCHDOG_PID": str(os.getpid())}, 20.0),
        ({"WATCHDOG_USEC": "20000000", "WATCHDOG_PID": "1"}, None),
        ({"WATCHDOG_USEC": "20000000", "WATCHDOG_PID": "x"}, None),
        ({"WATCHDOG_USEC": "abc"}, None),
        ({"WATCHDOG_USEC": "0"}, None),
        ({}, None),
    ],
)
def test_watchdog_interval(env: dict[str, str], expected: float | None) -> None:
    assert SystemdNotifier(env).watchdog_interval() == expected


async def test_watchdog_loop_pings_at_half_interval(sock_path: tuple[socket.socket, str]) -> None:
    s, path = sock_path
    n = SystemdNotifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "10000000"})
    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) >= 3:
            raise asyncio.CancelledError
        await asyncio.sleep(0)

    with pytest.raises(asyncio.CancelledError):
        await watchdog_loop(n, fake_sleep)
    assert sleeps == [5.0, 5.0, 5.0]
    assert [_recv(s) for _ in range(3)] == [["WATCHDOG=1"]] * 3
    n.close()


async def test_watchdog_loop_stops_when_the_loop_is_blocked(sock_path: tuple[socket.socket, str]) -> None:
    """Pings come from the event loop: a blocked loop sends none (so systemd restarts us)."""
    s, path = sock_path
    s.setblocking(False)
    n = SystemdNotifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "100000"})  # ping every 50 ms
    task = asyncio.create_task(watchdog_loop(n))
    await asyncio.sleep(0.12)
    before = _drain(s)
    assert before >= 2
    time.sleep(0.3)  # a hung loop  # noqa: ASYNC251 (deliberately blocking the loop)
    assert _drain(s) == 0
    await asyncio.sleep(0.12)
    assert _drain(s) >= 1
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    n.close()


def _drain(s: socket.socket) -> int:
    count = 0
    while True:
        try:
            s.recv(4096)
        except BlockingIOError:
            return count
        count += 1


async def test_watchdog_loop_returns_without_watchdog() -> None:
    await asyncio.wait_for(watchdog_loop(SystemdNotifier({})), 1)
