"""One worker thread per serial bus: FIFO, one request in flight, inter-frame gap, timeouts, retries,
reconnect forever, health per board, log once per state change.

A bus is a port URL (``/dev/ttyUSB0``, ``/dev/serial/by-id/...``, ``socket://host:port`` for RS485-TCP
bridges) opened with pyserial's ``serial_for_url``. Jobs are plain callables run on the bus thread
with a :class:`Link`; the event loop awaits them through :meth:`Bus.run`, so blocking serial I/O never
runs on the loop. Several banks (and several boards) on one port share one bus through
:class:`BusRegistry`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import queue
import socket
import termios
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import serial

from drivers.locks.base import LockBankError
from drivers.protocols.common import FrameError, hexs

log = logging.getLogger(__name__)

T = TypeVar("T")
Extract = Callable[[bytes], tuple[bytes | None, bytes]]
Opener = Callable[..., Any]


class ReplyTimeout(Exception):
    """The board did not answer in time (retried, then reported as the board being silent)."""


class Link:
    """The open port as a job sees it. Only used on the bus thread."""

    def __init__(self, ser: Any, reply_timeout: float) -> None:
        self.serial = ser
        self.reply_timeout = reply_timeout
        self._buf = b""
        self.last_write_at = 0.0  # time.perf_counter() after the last write (benchmarks)

    def write(self, frame: bytes) -> None:
        self._buf = b""
        self.serial.reset_input_buffer()
        self.serial.write(frame)
        self.serial.flush()
        self.last_write_at = time.perf_counter()

    def read_frame(self, extract: Extract, timeout: float | None = None) -> bytes:
        """Read until `extract` finds a valid frame; garbage and bad checksums are skipped."""
        deadline = time.monotonic() + (self.reply_timeout if timeout is None else timeout)
        drained = False
        while True:
            found, self._buf = extract(self._buf)
            if found is not None:
                return found
            if time.monotonic() >= deadline:
                # a thread starved past its deadline wakes with the whole reply waiting (it once read
                # one byte of it, "got 02", and gave up): take what has arrived, once, before giving up
                waiting = 0 if drained else self.serial.in_waiting
                if not waiting:
                    raise ReplyTimeout("no valid reply" + (f" (got {hexs(self._buf[:24])})" if self._buf else ""))
                drained = True
                chunk = self.serial.read(waiting)
            else:
                chunk = self.serial.read(max(1, self.serial.in_waiting))
            if chunk:
                self._buf += chunk
                if len(self._buf) > 4096:  # a babbling line: keep the tail only
                    self._buf = self._buf[-256:]

    def transact(self, frame: bytes, extract: Extract, timeout: float | None = None) -> bytes:
        self.write(frame)
        return self.read_frame(extract, timeout)


_STOP = object()
_DISCONNECT_ERRORS = (serial.SerialException, OSError, termios.error)


class Bus:
    def __init__(
        self,
        url: str,
        baud: int = 19200,
        *,
        reply_timeout: float = 0.15,
        gap_s: float | None = None,
        reconnect_s: float = 0.5,
        opener: Opener | None = None,
    ) -> None:
        self.url = url
        self.baud = baud
        self.reply_timeout = reply_timeout
        # at least 3.5 character times (11 bits each) of silence between frames, never under 2 ms
        self.gap_s = gap_s if gap_s is not None else max(0.002, 3.5 * 11 / baud)
        self.reconnect_s = reconnect_s
        self._opener = opener or serial.serial_for_url
        self._q: queue.Queue[Any] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._ser: Any = None
        self._link: Link | None = None
        self._last_open_try = -1e9
        self._last_end = 0.0
        self.online = False
        self.detail = "not started"
        self.boards: dict[str, bool] = {}
        self._ever_online = False

    # --- lifecycle ----------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._worker, name=f"bus {self.url}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        if self._thread is None:
            return
        self._q.put(_STOP)
        self._thread.join(timeout)
        self._thread = None

    # --- requests -----------------------------------------------------------------------------
    def submit(
        self, job: Callable[[Link], T], *, board: str | None = None, retries: int = 1
    ) -> concurrent.futures.Future[T]:
        fut: concurrent.futures.Future[T] = concurrent.futures.Future()
        if self._thread is None:
            fut.set_exception(LockBankError(f"bus {self.url} is not running"))
            return fut
        self._q.put((job, fut, board, retries))
        return fut

    async def run(self, job: Callable[[Link], T], *, board: str | None = None, retries: int = 1) -> T:
        return await asyncio.wrap_future(self.submit(job, board=board, retries=retries))

    # --- worker -------------------------------------------------------------------------------
    def _set_online(self, online: bool, detail: str) -> None:
        if online != self.online:
            if online:
                if self._ever_online:
                    log.info("bus %s: recovered", self.url)
                else:
                    log.info("bus %s: open", self.url)
                self._ever_online = True
            elif detail == "stopped":
                log.info("bus %s: closed", self.url)
            else:
                log.warning("bus %s: offline (%s)", self.url, detail)
        self.online = online
        self.detail = detail

    def _set_board(self, board: str | None, ok: bool, detail: str = "") -> None:
        if board is None:
            return
        was = self.boards.get(board)
        if was is not ok:
            if ok and was is False:
                log.info("bus %s board %s: answering again", self.url, board)
            elif not ok:
                log.warning("bus %s board %s: not answering (%s)", self.url, board, detail)
        self.boards[board] = ok

    def _try_open(self) -> None:
        self._last_open_try = time.monotonic()
        try:
            # exclusive: a second process (doctor, a stray lockerd) gets "busy" instead of sharing the bus
            ser = self._opener(self.url, baudrate=self.baud, timeout=0.01, write_timeout=1.0, exclusive=True)
        except (*_DISCONNECT_ERRORS, ValueError) as exc:
            self._set_online(False, f"cannot open {self.url}: {exc}")
            return
        sock = getattr(ser, "_socket", None)  # socket:// bridge: small frames must not wait for Nagle
        if sock is not None:
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
        self._ser = ser
        self._link = Link(ser, self.reply_timeout)
        self._set_online(True, "open")

    def _drop(self, detail: str) -> None:
        ser, self._ser, self._link = self._ser, None, None
        if ser is not None:
            try:
                ser.close()
            except Exception:  # closing a dead port may fail in any way
                pass
        self._set_online(False, detail)

    def _worker(self) -> None:
        self._try_open()
        while True:
            try:
                item = self._q.get(timeout=self.reconnect_s)
            except queue.Empty:
                item = None
            if item is _STOP:
                break
            if self._ser is None and time.monotonic() - self._last_open_try >= self.reconnect_s:
                self._try_open()
            if item is None:
                continue
            job, fut, board, retries = item
            if not fut.set_running_or_notify_cancel():
                continue
            if self._link is None:
                fut.set_exception(LockBankError(f"bus {self.url} is offline: {self.detail}"))
                continue
            self._run_job(job, fut, board, retries)
        self._drop("stopped")
        while True:  # fail whatever is still queued
            try:
                item = self._q.get_nowait()
            except queue.Empty:
                break
            if item is not _STOP and item[1].set_running_or_notify_cancel():
                item[1].set_exception(LockBankError(f"bus {self.url} stopped"))

    def _run_job(self, job: Callable[[Link], Any], fut: concurrent.futures.Future[Any], board: str | None,
                 retries: int) -> None:
        attempt = 0
        while True:
            wait = self._last_end + self.gap_s - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            link = self._link
            if link is None:
                fut.set_exception(LockBankError(f"bus {self.url} is offline: {self.detail}"))
                return
            try:
                result = job(link)
            except (ReplyTimeout, FrameError) as exc:
                self._last_end = time.monotonic()
                if attempt < retries:
                    attempt += 1
                    continue
                self._set_board(board, False, str(exc))
                fut.set_exception(LockBankError(f"board {board} on {self.url}: {exc}"))
                return
            except _DISCONNECT_ERRORS as exc:
                self._last_end = time.monotonic()
                self._drop(f"{type(exc).__name__}: {exc}")
                fut.set_exception(LockBankError(f"bus {self.url} failed: {exc}"))
                return
            except Exception as exc:  # a bug in a job must not kill the bus thread
                self._last_end = time.monotonic()
                log.exception("bus %s: job failed", self.url)
                fut.set_exception(LockBankError(f"driver error on {self.url}: {exc}"))
                return
            self._last_end = time.monotonic()
            self._set_board(board, True)
            fut.set_result(result)
            return


class BusRegistry:
    """Shares one :class:`Bus` per port URL between banks (reference counted)."""

    def __init__(self, **bus_options: Any) -> None:
        self._lock = threading.Lock()
        self._buses: dict[str, tuple[Bus, int]] = {}
        self._options = bus_options

    def acquire(self, url: str, baud: int, **options: Any) -> Bus:
        with self._lock:
            if url in self._buses:
                bus, n = self._buses[url]
                if bus.baud != baud:
                    log.warning("bus %s already open at %s baud; ignoring %s", url, bus.baud, baud)
                self._buses[url] = (bus, n + 1)
                return bus
            bus = Bus(url, baud, **{**self._options, **options})
            self._buses[url] = (bus, 1)
        bus.start()
        return bus

    def release(self, bus: Bus) -> None:
        with self._lock:
            entry = self._buses.get(bus.url)
            if entry is None:
                return
            if entry[1] > 1:
                self._buses[bus.url] = (entry[0], entry[1] - 1)
                return
            del self._buses[bus.url]
        bus.stop()


#: the process-wide registry used when a bank is not given one (a port is a process-wide resource)
DEFAULT_BUSES = BusRegistry()
