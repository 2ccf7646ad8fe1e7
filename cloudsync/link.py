"""The MQTT connection: paho-mqtt 2.x (MQTT v5) driven from the asyncio loop.

Paho's socket I/O runs on the event loop through its external-loop hooks (non-blocking socket,
`add_reader`/`add_writer`, `loop_misc` every second); only the blocking part, opening the connection
(DNS, TCP connect, TLS handshake), runs in a worker thread. This keeps every callback on the loop, so no
cross-thread hand-off or GIL switch sits between a PUBACK and the next publish (the threaded
`loop_start` design drained the outbox 1.3-1.5x slower, see docs/mqtt.md).

Reconnects are ours: forever, exponential from `reconnect_min_s` to `reconnect_max_s` with full jitter.
Before each attempt `on_attempt` (bumps and persists bdseq) supplies the Last Will.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import random
import ssl
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode
from paho.mqtt.subscribeoptions import SubscribeOptions

from cloudsync.fastclient import FastClient
from cloudsync.topics import BrokerUrl
from edge.aio import cancel_and_wait

#: MQTT v5 Maximum Packet Size announced in CONNECT: payload limits plus room for topic and properties
MAX_INBOUND_PACKET = 1024 * 1024
log = logging.getLogger(__name__)

STABLE_AFTER_S = 30.0
NO_MATCHING_SUBSCRIBERS = 0x10
NO_SUBSCRIBERS = "no matching subscribers"  # the same text as cloudsync.publisher.NO_SUBSCRIBERS  # a connection that lasted this long resets the backoff


@dataclass
class LinkSettings:
    client_id: str
    broker: BrokerUrl
    session_expiry_s: int
    keepalive_s: int = 30
    ca_file: str = ""
    cert_file: str = ""
    key_file: str = ""
    reconnect_min_s: float = 1.0
    reconnect_max_s: float = 60.0
    max_inflight: int = 50
    subscriptions: list[str] = field(default_factory=list)


@dataclass
class Incoming:
    topic: str
    payload: bytes
    mid: int
    qos: int


def backoff_delay(attempt: int, lo: float, hi: float) -> float:
    """Full jitter: uniform in [lo/2, min(hi, lo * 2**attempt)]."""
    cap = min(hi, lo * (2 ** min(attempt, 20)))
    return random.uniform(lo / 2, max(lo / 2, cap))


class MqttLink:
    def __init__(
        self,
        settings: LinkSettings,
        loop: asyncio.AbstractEventLoop,
        *,
        on_attempt: Callable[[], Awaitable[tuple[str, bytes]]],
        on_up: Callable[[bool, int | None], None],
        on_down: Callable[[str], None],
        on_message: Callable[[Incoming], None],
        on_acks: Callable[[], None],
    ) -> None:
        self.settings = settings
        self.loop = loop
        self._on_attempt = on_attempt
        self._on_up = on_up
        self._on_down = on_down
        self._on_message = on_message
        self._on_acks = on_acks
        #: (mid, ok, reason) appended by on_publish; drained by the publisher
        self.acks: collections.deque[tuple[int, bool, str]] = collections.deque()
        self._ack_pending = False
        self._in_read = False
        self._flush_scheduled = False
        self.connected = False
        self.receive_maximum: int | None = None
        self.client: FastClient | None = None
        self._stopping = False
        self._down = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._fds: set[int] = set()
        self._writers: set[int] = set()
        self._loop_thread = threading.get_ident()

    # --- lifecycle -------------------------------------------------------------------------------
    def _build(self) -> FastClient:
        s = self.settings
        c = FastClient(CallbackAPIVersion.VERSION2, client_id=s.client_id, protocol=mqtt.MQTTv5,
                        manual_ack=True, reconnect_on_failure=False)
        c.enable_logger(logging.getLogger("cloudsync.paho"))
        if s.broker.username:
            c.username_pw_set(s.broker.username, s.broker.password)
        if s.broker.tls:
            ctx = ssl.create_default_context(cafile=s.ca_file or None)
            if s.cert_file:
                ctx.load_cert_chain(s.cert_file, s.key_file or None)
            c.tls_set_context(ctx)
        c.max_inflight_messages_set(max(1, s.max_inflight))
        c.max_queued_messages_set(0)
        c.on_connect = self._cb_connect
        c.on_disconnect = self._cb_disconnect
        c.on_publish = self._cb_publish
        c.on_message = self._cb_message
        c.on_socket_open = self._cb_sock_open
        c.on_socket_close = self._cb_sock_close
        c.on_socket_register_write = self._cb_want_write
        c.on_socket_unregister_write = self._cb_done_write
        return c

    def start(self) -> None:
        self._loop_thread = threading.get_ident()
        self.client = self._build()
        self._stopping = False
        self._tasks = [asyncio.create_task(self._supervise(), name="mqtt-supervisor"),
                       asyncio.create_task(self._misc(), name="mqtt-misc")]

    async def stop(self, final: tuple[str, bytes] | None = None, wait_s: float = 3.0) -> None:
        """Publish `final` (retained, QoS 1) if connected and wait for its PUBACK, then disconnect."""
        c = self.client
        self._stopping = True
        if c is not None and self.connected:
            try:
                if final is not None:
                    info = c.publish(final[0], final[1], qos=1, retain=True)
                    await self._until(info.is_published, wait_s)
                self._down.clear()
                c.disconnect()
                await self._until(self._down.is_set, wait_s)
            except Exception:
                log.warning("clean MQTT disconnect failed", exc_info=True)
        await cancel_and_wait(self._tasks)
        self._tasks = []
        for fd in list(self._fds):
            self._unwatch(fd)
        self.connected = False
        self.client = None

    @staticmethod
    async def _until(pred: Callable[[], bool], wait_s: float) -> bool:
        deadline = asyncio.get_running_loop().time() + wait_s
        while not pred():
            if asyncio.get_running_loop().time() > deadline:
                return False
            await asyncio.sleep(0.01)
        return True

    async def _supervise(self) -> None:
        s = self.settings
        attempt = 0
        first = True
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = int(s.session_expiry_s)
        props.ReceiveMaximum = 65535
        # the broker must not send us more than we accept (a 100 MB message was buffered whole):
        # the largest inbound payload is a tracking update (cloudsync/tracking_in.py MAX_PAYLOAD)
        props.MaximumPacketSize = MAX_INBOUND_PACKET
        loop = asyncio.get_running_loop()
        while not self._stopping:
            c = self.client
            assert c is not None

            def connect(c: FastClient = c) -> None:
                c.connect(s.broker.host, s.broker.port, keepalive=s.keepalive_s, clean_start=False,
                          properties=props)

            try:
                topic, will = await self._on_attempt()
                c.will_set(topic, will, qos=1, retain=True)
                # never more QoS 1 publishes in flight than the broker accepted last time (paho queues
                # the rest; the publisher's window also stays 2 below the Receive Maximum)
                with contextlib.suppress(RuntimeError):  # paho allows it only before the first connect
                    c.max_inflight_messages_set(min(s.max_inflight, self.receive_maximum or s.max_inflight))
                self._down.clear()
                if first:
                    await loop.run_in_executor(None, connect)
                    first = False
                else:
                    await loop.run_in_executor(None, c.reconnect)
                began = loop.time()
                await self._down.wait()
                if loop.time() - began > STABLE_AFTER_S:
                    attempt = 0
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # OSError, ssl.SSLError, socket.timeout, DNS errors
                self._on_down(f"connect failed: {exc.__class__.__name__}: {exc}")
            if self._stopping:
                break
            delay = backoff_delay(attempt, s.reconnect_min_s, s.reconnect_max_s)
            attempt += 1
            await asyncio.sleep(delay)

    async def _misc(self) -> None:
        while True:
            await asyncio.sleep(1.0)
            c = self.client
            if c is not None:
                try:
                    c.loop_misc()
                except Exception:
                    log.exception("MQTT housekeeping failed")

    # --- calls from the loop ---------------------------------------------------------------------
    def publish(self, topic: str, payload: bytes | str, qos: int = 1, retain: bool = False) -> int | None:
        c = self.client
        if c is None:
            return None
        info = c.publish(topic, payload, qos=qos, retain=retain)
        if info.rc not in (mqtt.MQTT_ERR_SUCCESS, mqtt.MQTT_ERR_NO_CONN):
            log.warning("publish to %s refused locally: %s", topic, mqtt.error_string(info.rc))
            return None
        return info.mid

    def ack(self, mid: int, qos: int) -> None:
        c = self.client
        if c is not None and qos > 0 and self.connected:
            c.ack(mid, qos)

    def take_acks(self) -> list[tuple[int, bool, str]]:
        self._ack_pending = False
        out = []
        acks = self.acks
        while acks:
            out.append(acks.popleft())
        return out

    # --- socket plumbing (paho external loop) ------------------------------------------------------
    def _on_loop(self, fn: Callable[..., None], *args: Any) -> None:
        if threading.get_ident() == self._loop_thread:
            fn(*args)
        else:
            try:
                self.loop.call_soon_threadsafe(fn, *args)
            except RuntimeError:  # loop closed
                pass

    def _read(self) -> None:
        c = self.client
        if c is None:
            return
        self._in_read = True
        try:
            c.loop_read(64)
            sock = c.socket()
            while sock is not None and (c.pending_in() or (isinstance(sock, ssl.SSLSocket) and sock.pending())):
                c.loop_read(64)
                sock = c.socket()
        finally:
            self._in_read = False
        if self.acks:
            # PUBACKs just arrived: let the publisher refill the window now and put the new
            # PUBLISH packets on the wire in the same loop iteration (one send() for the burst)
            self._on_acks()
        self.flush()

    def flush(self) -> None:
        """Write what paho has queued, now (we are on the loop thread)."""
        c = self.client
        if c is not None and c.socket() is not None and (c.want_write() or c.pending_out()):
            self._write()

    def _write(self) -> None:
        c = self.client
        if c is None:
            return
        c.loop_write()
        sock = c.socket()
        if sock is None:
            return
        fd = sock.fileno()
        if c.flush_out() and not c.want_write():
            if fd in self._writers:
                self._writers.discard(fd)
                self.loop.remove_writer(fd)
        elif fd in self._fds and fd not in self._writers:  # the socket is full: wait until writable
            self._writers.add(fd)
            self.loop.add_writer(fd, self._write)

    def _flush_soon(self) -> None:
        self._flush_scheduled = False
        self.flush()

    def _watch(self, fd: int) -> None:
        self._fds.add(fd)
        self.loop.add_reader(fd, self._read)

    def _unwatch(self, fd: int) -> None:
        self._fds.discard(fd)
        self._writers.discard(fd)
        try:
            self.loop.remove_reader(fd)
            self.loop.remove_writer(fd)
        except (ValueError, OSError):
            pass

    def _want_write(self, fd: int) -> None:
        # paho has packets to send: write them at the end of this loop iteration (coalescing every
        # publish made until then) rather than registering a writer and waiting for the next poll
        if fd in self._fds and fd not in self._writers and not self._flush_scheduled:
            self._flush_scheduled = True
            self.loop.call_soon(self._flush_soon)

    def _done_write(self, fd: int) -> None:
        c = self.client
        if c is not None and c.pending_out():
            return  # bytes still buffered: keep the writer until they are out
        if fd in self._writers:
            self._writers.discard(fd)
            self.loop.remove_writer(fd)

    def _cb_sock_open(self, client: mqtt.Client, userdata: Any, sock: Any) -> None:
        self._on_loop(self._watch, sock.fileno())

    def _cb_sock_close(self, client: mqtt.Client, userdata: Any, sock: Any) -> None:
        fd = sock.fileno()
        if fd < 0:
            fds = list(self._fds)
            for f in fds:
                self._on_loop(self._unwatch, f)
        else:
            self._on_loop(self._unwatch, fd)

    def _cb_want_write(self, client: mqtt.Client, userdata: Any, sock: Any) -> None:
        self._on_loop(self._want_write, sock.fileno())

    def _cb_done_write(self, client: mqtt.Client, userdata: Any, sock: Any) -> None:
        self._on_loop(self._done_write, sock.fileno())

    # --- protocol callbacks (on the loop, under paho's lock: record and return) ------------------------
    def _cb_connect(self, client: mqtt.Client, userdata: Any, flags: Any, rc: ReasonCode, props: Any) -> None:
        if rc.is_failure:
            self._on_loop(self._on_down, f"connection refused: {rc}")
            return
        recv_max = getattr(props, "ReceiveMaximum", None) if props is not None else None
        self.receive_maximum = int(recv_max) if recv_max else None
        if self.settings.subscriptions:
            client.subscribe([(t, SubscribeOptions(qos=1)) for t in self.settings.subscriptions])
        self.connected = True
        self.loop.call_soon(self._on_up, bool(flags.session_present), self.receive_maximum)

    def _cb_disconnect(self, client: mqtt.Client, userdata: Any, flags: Any, rc: ReasonCode, props: Any) -> None:
        was = self.connected
        self.connected = False
        self._on_loop(self._down.set)
        if (was or rc.is_failure) and not self._stopping:
            self._on_loop(self._on_down, f"disconnected: {rc}")

    def _cb_publish(self, client: mqtt.Client, userdata: Any, mid: int, rc: ReasonCode, props: Any) -> None:
        # Trivial on purpose (paho holds its lock). 0x87 not authorized etc. arrive here as "published".
        # 0x10 (no matching subscribers) is a success code to MQTT but no delivery to HQ (section 4)
        if rc.value == NO_MATCHING_SUBSCRIBERS:
            self.acks.append((mid, False, NO_SUBSCRIBERS))
        else:
            self.acks.append((mid, not rc.is_failure, str(rc) if rc.is_failure else ""))
        if not self._ack_pending and not self._in_read:  # _read() hands acks over itself
            self._ack_pending = True
            self.loop.call_soon(self._on_acks)

    def _cb_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        self.loop.call_soon(self._on_message, Incoming(msg.topic, bytes(msg.payload), msg.mid, msg.qos))
