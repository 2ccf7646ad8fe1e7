"""Board emulators: a lock board (or a bus of them) behind a pseudo-terminal or a TCP port.

The driver opens ``emulator.url``: a stable symlink (in a directory the emulator controls) to the
current pty slave, or ``socket://127.0.0.1:PORT`` for the RS485-TCP bridge case. The emulator answers
real frames from its own thread, keeps door state (a door opens on unlock unless jammed and stays open
until :meth:`sim_close`), and can inject faults:

* ``no_reply = True``: the board is dead (ignores every frame);
* ``corrupt_replies(n)``: the next n replies carry a wrong checksum;
* ``inject_garbage(data)``: bytes sent before the next reply;
* :meth:`sim_jam`, :meth:`sim_force_open`;
* ``answer_as[board] = other``: the board answers with another board's address (a mis-set DIP
  switch, or two boards on one address): the driver must call it unreadable, not trust it;
* :meth:`stale_status`: status replies keep reporting the doors as they were when it was called (a
  board whose sensor inputs lag or hang), for the next n status replies or until cleared;
* :meth:`vanish` / :meth:`reappear`: the adapter unplugged (pty closed, symlink removed / TCP port
  closed) and plugged back (a new pty behind the same path / the same TCP port).

Each emulator implements :class:`drivers.locks.base.SimulatedDoors` for the simulator API.
"""

from __future__ import annotations

import abc
import contextlib
import logging
import os
import queue
import select
import socket
import tempfile
import threading
import time
import tty
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drivers.locks.base import SimulatedDoors, sim_rows

log = logging.getLogger(__name__)


@dataclass(slots=True)
class EmuDoor:
    compartment: str
    board: int
    lock: int
    size: str = "M"
    open: bool = False
    jammed: bool = False
    opens: int = 0


FrameListener = Callable[[float, bytes], None]


class BoardEmulator(SimulatedDoors, abc.ABC):
    """Subclasses give `extract(buf)` (next host frame in a stream) and `respond(frame)` (reply or None)."""

    kind = "board"

    def __init__(self, doors: list[EmuDoor], *, transport: str = "pty", workdir: str | Path | None = None,
                 name: str = "bus") -> None:
        if transport not in ("pty", "tcp"):
            raise ValueError(f"transport must be pty or tcp, got {transport!r}")
        self.transport = transport
        self.name = name
        self._own_dir = workdir is None
        self.workdir = Path(workdir) if workdir is not None else Path(tempfile.mkdtemp(prefix="lockerd-emu-"))
        self.link_path = self.workdir / f"{name}.tty"
        self.lock = threading.RLock()
        self.doors: dict[str, EmuDoor] = {d.compartment: d for d in doors}
        self.by_addr: dict[tuple[int, int], EmuDoor] = {(d.board, d.lock): d for d in doors}
        # faults
        self.no_reply = False
        self.answer_as: dict[int, int] = {}
        self._stale: dict[str, bool] | None = None
        self._stale_left = 0
        self._corrupt = 0
        self._garbage = b""
        # observation
        self.frames: deque[tuple[float, bytes]] = deque(maxlen=1000)
        self.on_frame: FrameListener | None = None
        self.bad_frames = 0
        # machinery
        self._cmds: queue.Queue[str] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._running = False
        self._master: int | None = None
        self._slave: int | None = None
        self._server: socket.socket | None = None
        self._client: socket.socket | None = None
        self._port = 0
        self._buf = b""

    # --- protocol hooks -----------------------------------------------------------------------
    @abc.abstractmethod
    def extract(self, buf: bytes) -> tuple[bytes | None, bytes]: ...

    @abc.abstractmethod
    def respond(self, frame: bytes) -> bytes | None: ...

    def corrupt(self, reply: bytes) -> bytes:
        """A reply with a wrong checksum (last byte flipped; Modbus overrides for its 2-byte CRC)."""
        return reply[:-1] + bytes([reply[-1] ^ 0x5A])

    # --- lifecycle ----------------------------------------------------------------------------
    @property
    def url(self) -> str:
        if self.transport == "tcp":
            return f"socket://127.0.0.1:{self._port}"
        return str(self.link_path)

    def start(self) -> BoardEmulator:
        self._running = True
        self._plug()
        self._thread = threading.Thread(target=self._loop, name=f"emulator {self.name}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._running = False
        if self._thread is not None:
            self._thread.join(2.0)
            self._thread = None
        self._unplug()
        if self._own_dir:
            with contextlib.suppress(OSError):
                self.workdir.rmdir()

    def vanish(self) -> None:
        """Unplug the adapter: the driver's port dies and the path disappears."""
        self._cmds.put("vanish")
        self._wait_cmds()

    def reappear(self) -> None:
        """Plug it back: a new pty behind the same path, or the same TCP port again."""
        self._cmds.put("reappear")
        self._wait_cmds()

    def _wait_cmds(self) -> None:
        deadline = time.monotonic() + 2
        while not self._cmds.empty() and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(0.02)

    # --- faults -------------------------------------------------------------------------------
    def corrupt_replies(self, n: int = 1) -> None:
        with self.lock:
            self._corrupt += n

    def stale_status(self, replies: int | None = None, *, on: bool = True) -> None:
        """Freeze what status replies report at the doors' state now: for `replies` status replies
        (None: until ``stale_status(on=False)``)."""
        with self.lock:
            if not on:
                self._stale, self._stale_left = None, 0
                return
            self._stale = {c: d.open for c, d in self.doors.items()}
            self._stale_left = -1 if replies is None else int(replies)

    def reported_open(self, door: EmuDoor) -> bool:
        """What a status reply says about a door (caller holds self.lock)."""
        if self._stale is not None:
            return self._stale.get(door.compartment, door.open)
        return door.open

    def status_sent(self) -> None:
        """Count one status reply against a stale_status(n) fault (caller holds self.lock)."""
        if self._stale is not None and self._stale_left > 0:
            self._stale_left -= 1
            if self._stale_left == 0:
                self._stale = None

    def address_of(self, board: int) -> int:
        """The address a board puts in its replies (see ``answer_as``)."""
        return self.answer_as.get(board, board)

    def inject_garbage(self, data: bytes) -> None:
        with self.lock:
            self._garbage += data

    # --- transport ----------------------------------------------------------------------------
    def _plug(self) -> None:
        if self.transport == "pty":
            master, slave = os.openpty()
            tty.setraw(slave)
            os.set_blocking(master, False)
            tmp = self.link_path.with_suffix(".new")
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            os.symlink(os.ttyname(slave), tmp)
            os.replace(tmp, self.link_path)
            self._master, self._slave = master, slave
        else:
            srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            srv.bind(("127.0.0.1", self._port))
            srv.listen(1)
            self._port = srv.getsockname()[1]
            self._server = srv
        self._buf = b""

    def _unplug(self) -> None:
        for fd in (self._master, self._slave):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._master = self._slave = None
        if self.transport == "pty":
            with contextlib.suppress(FileNotFoundError):
                self.link_path.unlink()
        for s in (self._client, self._server):
            if s is not None:
                with contextlib.suppress(OSError):
                    s.close()
        self._client = self._server = None

    def _loop(self) -> None:
        while self._running:
            try:
                cmd = self._cmds.get_nowait()
            except queue.Empty:
                cmd = None
            if cmd == "vanish":
                self._unplug()
            elif cmd == "reappear" and self._master is None and self._server is None:
                self._plug()
            try:
                data = self._read()
            except OSError:
                time.sleep(0.01)
                continue
            if data:
                self._feed(data)

    def _read(self) -> bytes:
        if self.transport == "pty":
            if self._master is None:
                time.sleep(0.01)
                return b""
            r, _, _ = select.select([self._master], [], [], 0.02)
            return os.read(self._master, 4096) if r else b""
        if self._server is None:
            time.sleep(0.01)
            return b""
        server, client = self._server, self._client
        fds = [server.fileno()] + ([client.fileno()] if client is not None else [])
        r, _, _ = select.select(fds, [], [], 0.02)
        if server.fileno() in r:
            conn, _ = self._server.accept()
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self._client is not None:
                self._client.close()
            self._client, self._buf = conn, b""
        if self._client is not None and client is self._client and client.fileno() in r:
            data = self._client.recv(4096)
            if not data:
                self._client.close()
                self._client = None
            return data
        return b""

    def _write(self, data: bytes) -> None:
        if self.transport == "pty" and self._master is not None:
            os.write(self._master, data)
        elif self._client is not None:
            self._client.sendall(data)

    def _feed(self, data: bytes) -> None:
        self._buf += data
        while True:
            before = len(self._buf)
            frame, self._buf = self.extract(self._buf)
            if frame is None:
                if len(self._buf) > 1024:
                    self._buf = self._buf[-64:]
                return
            t = time.perf_counter()
            if before - len(self._buf) > len(frame):
                self.bad_frames += 1
            self.frames.append((t, frame))
            if self.on_frame is not None:
                self.on_frame(t, frame)
            with self.lock:
                if self.no_reply:
                    continue
                reply = self.respond(frame)
                if reply is None:
                    continue
                if self._corrupt > 0:
                    self._corrupt -= 1
                    reply = self.corrupt(reply)
                reply, self._garbage = self._garbage + reply, b""
            self._write(reply)

    # --- door physics -------------------------------------------------------------------------
    def unlock(self, board: int, lock: int) -> EmuDoor | None:
        """The board fires lock (board, lock): counted, opens unless jammed. Caller holds self.lock."""
        door = self.by_addr.get((board, lock))
        if door is None:
            return None
        door.opens += 1
        if not door.jammed:
            door.open = True
        return door

    def boards(self) -> list[int]:
        return sorted({d.board for d in self.doors.values()})

    # --- SimulatedDoors -----------------------------------------------------------------------
    def sim_doors(self) -> list[dict[str, Any]]:
        with self.lock:
            return sim_rows(self.doors.values())

    def _door(self, compartment: str) -> EmuDoor:
        try:
            return self.doors[compartment]
        except KeyError:
            raise KeyError(compartment) from None

    def sim_close(self, compartment: str) -> None:
        with self.lock:
            self._door(compartment).open = False

    def sim_force_open(self, compartment: str) -> None:
        with self.lock:
            self._door(compartment).open = True

    def sim_jam(self, compartment: str, jammed: bool = True) -> None:
        with self.lock:
            self._door(compartment).jammed = jammed
