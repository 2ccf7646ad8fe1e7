"""The ingest worker's MQTT v5 subscriber: one thread owns the socket (docs/decisions/0022).

It connects (persistent session: clean start off, a session expiry, a Receive Maximum), subscribes on
every connection, reads the socket in large chunks, parses every complete PUBLISH in a chunk with
`cloudsync.hq.mqttv5.Parser`, and appends them to an inbox in one step. The worker takes whole batches
from the inbox (`take`), commits them to PostgreSQL and hands back the batch's acknowledgements
(`ack`): the I/O thread writes all of a batch's PUBACKs with one send. Only this thread touches the
socket (TLS objects are not safe to read and write from two threads), so `ack` queues and wakes it
through a socket pair.

Every connection has a number (`gen`). A message remembers the connection it came on, and an
acknowledgement for an older connection is dropped: the broker sends those messages again on the new
connection (they are still in the persistent session), and the worker's (site, stream, seq) check makes
the second copy a counted duplicate. QoS 1 is bounded by the Receive Maximum; with QoS 0 (telemetry)
as well, the inbox could grow without end behind a slow database, so past `max_inbox` messages the
thread stops reading the socket until the worker catches up (the broker then holds or drops per its own
limits, as for any slow client). Keepalive: a PINGREQ when nothing was sent for half the keepalive,
and a connection without any packet from the broker for a keepalive and a half is dropped and made again
(1 s, doubling to 10 s between attempts).
"""

from __future__ import annotations

import logging
import select
import socket
import ssl
import threading
import time
from collections.abc import Callable

from cloudsync.hq import mqttv5
from cloudsync.hq.mqttv5 import Message, Packet, ProtocolError

log = logging.getLogger(__name__)

READ_CHUNK = 256 * 1024
MAX_INBOX = 20_000  # QoS 0 (telemetry) is not bounded by Receive Maximum: past this the socket is not read
RECONNECT_MIN_S, RECONNECT_MAX_S = 1.0, 10.0


class Receiver:
    def __init__(self, host: str, port: int, client_id: str, filters: list[tuple[str, int]], *,
                 keepalive: int = 30, session_expiry: int = 7 * 86400, receive_maximum: int = 4000,
                 username: str | None = None, password: str | None = None, tls: bool = False,
                 tls_context: ssl.SSLContext | None = None, on_subscribed: Callable[[], None] = lambda: None, max_inbox: int = MAX_INBOX) -> None:
        self.host, self.port, self.client_id = host, port, client_id
        self.filters = filters
        self.keepalive = keepalive
        self.session_expiry = session_expiry
        self.receive_maximum = receive_maximum
        self.username, self.password, self.tls = username, password, tls
        self.tls_context = tls_context
        self.on_subscribed = on_subscribed
        self.max_inbox = max_inbox
        self.gen = 0
        self.connected = threading.Event()
        self.subscribed = threading.Event()
        self._inbox: list[Message] = []
        self._cv = threading.Condition()
        self._out: list[bytes] = []
        self._out_lock = threading.Lock()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._parser = mqttv5.Parser()
        self._leftover: list[Message | Packet] = []
        self.received = 0
        self.acked = 0
        self.acks_dropped = 0

    # --- the worker's side ---------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=f"mqtt-{self.client_id}", daemon=True)
        self._thread.start()

    def take(self, n: int, timeout: float, linger: float) -> list[Message]:
        """Up to `n` messages: waits `timeout` for the first, then up to `linger` for the batch to fill."""
        with self._cv:
            if not self._inbox and not self._cv.wait_for(lambda: bool(self._inbox), timeout):
                return []
            if len(self._inbox) < n and linger > 0:
                self._cv.wait_for(lambda: len(self._inbox) >= n, linger)
            out = self._inbox[:n]
            del self._inbox[:n]
        return out

    def ack(self, msgs: list[Message]) -> None:
        """Acknowledge (after the commit) the QoS 1 messages of `msgs` that came on the current connection."""
        gen = self.gen
        mids = [m.mid for m in msgs if m.qos == 1 and m.gen == gen]
        self.acks_dropped += sum(1 for m in msgs if m.qos == 1 and m.gen != gen)
        if not mids:
            return
        data = mqttv5.pubacks(mids)
        with self._out_lock:
            if gen != self.gen:  # reconnected meanwhile: the broker sends them again
                self.acks_dropped += len(mids)
                return
            self._out.append(data)
        self.acked += len(mids)
        self._wake()

    def stop(self, timeout: float = 5.0) -> None:
        """Send what is queued, DISCONNECT normally (the session and its queue stay on the broker), close."""
        self._stop.set()
        self._wake()
        if self._thread is not None:
            self._thread.join(timeout)
        self._wake_r.close()
        self._wake_w.close()

    def _wake(self) -> None:
        try:
            self._wake_w.send(b"x")
        except (BlockingIOError, OSError):
            pass  # already woken (the pair is full) or closed while stopping

    # --- the I/O thread ------------------------------------------------------------------------------
    def _run(self) -> None:
        delay = RECONNECT_MIN_S
        while not self._stop.is_set():
            try:
                sock = self._connect()
            except (OSError, ProtocolError) as exc:
                log.warning("MQTT connection to %s:%s failed (%s); retrying in %.0f s", self.host, self.port,
                            exc, delay)
                self._stop.wait(delay)
                delay = min(RECONNECT_MAX_S, delay * 2)
                continue
            delay = RECONNECT_MIN_S
            try:
                self._serve(sock)
            except (OSError, ProtocolError) as exc:
                if not self._stop.is_set():
                    log.warning("MQTT connection lost (%s); reconnecting", exc)
            finally:
                self.connected.clear()
                try:
                    sock.close()
                except OSError:
                    pass
            if not self._stop.is_set():
                self._stop.wait(RECONNECT_MIN_S)

    def _connect(self) -> socket.socket:
        raw = socket.create_connection((self.host, self.port), timeout=10)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock: socket.socket = raw
        if self.tls:
            ctx = self.tls_context or ssl.create_default_context()
            sock = ctx.wrap_socket(raw, server_hostname=self.host)
        try:
            sock.sendall(mqttv5.connect(self.client_id, keepalive=self.keepalive, clean_start=False,
                                        session_expiry=self.session_expiry, receive_maximum=self.receive_maximum,
                                        username=self.username, password=self.password))
            parser = mqttv5.Parser()
            deadline = time.monotonic() + 10
            packets: list[Message | Packet] = []
            while not packets:
                if time.monotonic() > deadline:
                    raise ProtocolError("no CONNACK within 10 s")
                data = sock.recv(READ_CHUNK)
                if not data:
                    raise ProtocolError("the broker closed the connection before CONNACK")
                packets = parser.feed(data)
            first = packets[0]
            if not isinstance(first, Packet):
                raise ProtocolError("expected CONNACK")
            ack = mqttv5.connack(first)
            if ack.reason >= 0x80:
                raise ProtocolError(f"connection refused, reason 0x{ack.reason:02x}")
            keep = ack.properties.get(mqttv5.SERVER_KEEP_ALIVE)
            if isinstance(keep, int) and keep > 0:
                self.keepalive = keep
        except BaseException:
            sock.close()
            raise
        with self._out_lock:
            self.gen += 1
            self._out.clear()
        self._parser = parser
        parser.gen = self.gen
        # packets after the CONNACK in the same read were parsed before the number was known
        self._leftover = [p._replace(gen=self.gen) if isinstance(p, Message) else p for p in packets[1:]]
        log.info("worker %s connected (session present %s)", self.client_id, ack.session_present)
        self.connected.set()
        return sock

    def _serve(self, sock: socket.socket) -> None:
        sock.settimeout(10)
        sock.sendall(mqttv5.subscribe((self.gen % 0xFFFF) + 1, self.filters))
        last_sent = last_heard = time.monotonic()
        ping_out = False
        self._handle(self._leftover)
        tls = isinstance(sock, ssl.SSLSocket)
        while True:
            if self._stop.is_set():
                self._flush(sock)
                sock.sendall(mqttv5.DISCONNECT_NORMAL)
                return
            now = time.monotonic()
            paused = len(self._inbox) >= self.max_inbox  # the worker is behind: let TCP push back
            if paused:
                last_heard = now  # not reading, so the broker's silence cannot be judged
            if now - last_heard > self.keepalive * 1.5:
                raise ProtocolError(f"nothing from the broker for {now - last_heard:.0f} s")
            if not ping_out and now - last_sent >= self.keepalive / 2:
                sock.sendall(mqttv5.PINGREQ_BYTES)
                last_sent, ping_out = now, True
            ready, _, _ = select.select([self._wake_r] if paused else [sock, self._wake_r], [], [],
                                        0.05 if paused else 1.0)
            if self._wake_r in ready:
                try:
                    while self._wake_r.recv(4096):
                        pass
                except (BlockingIOError, OSError):
                    pass
                if self._flush(sock):
                    last_sent = time.monotonic()
            if sock in ready:
                data = sock.recv(READ_CHUNK)
                if not data:
                    raise ProtocolError("the broker closed the connection")
                while tls and isinstance(sock, ssl.SSLSocket) and sock.pending():
                    data += sock.recv(READ_CHUNK)
                last_heard = time.monotonic()
                packets = self._parser.feed(data)
                if packets:
                    if self._handle(packets):
                        ping_out = False

    def _flush(self, sock: socket.socket) -> bool:
        with self._out_lock:
            out, self._out = self._out, []
        if out:
            sock.sendall(b"".join(out))
        return bool(out)

    def _handle(self, packets: list[Message | Packet]) -> bool:
        """Queue the messages, answer the rest; True when a PINGRESP was among them."""
        msgs = [p for p in packets if isinstance(p, Message)]
        pong = False
        if msgs:
            self.received += len(msgs)
            with self._cv:
                self._inbox.extend(msgs)
                self._cv.notify()
        if len(msgs) == len(packets):
            return False
        for p in packets:
            if isinstance(p, Message):
                continue
            if p.type == mqttv5.PINGRESP:
                pong = True
            elif p.type == mqttv5.SUBACK:
                mid, codes = mqttv5.suback(p)
                refused = [f for f, c in zip(self.filters, codes, strict=False) if c >= 0x80]
                if refused:
                    log.error("the broker refused subscriptions %s (codes %s)", [f for f, _ in refused], codes)
                self.subscribed.set()
                self.on_subscribed()
            elif p.type == mqttv5.DISCONNECT:
                reason, text = mqttv5.disconnect_reason(p)
                raise ProtocolError(f"the broker disconnected us, reason 0x{reason:02x} {text}".strip())
            elif p.type in (mqttv5.PUBREL, mqttv5.PUBREC, mqttv5.PUBCOMP, mqttv5.UNSUBACK, mqttv5.PUBACK):
                log.debug("ignored MQTT packet type %s", p.type)
            else:
                raise ProtocolError(f"unexpected MQTT packet type {p.type}")
        return pong
