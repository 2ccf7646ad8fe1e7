"""A paho-mqtt 2.2 Client with hot-path changes for draining the outbox.

These override paho's private `_sock_recv`, `_sock_send`, `_sock_close` and `_handle_pubackcomp`, so
pyproject pins paho-mqtt to the one minor they were tested on (2.2) and tests/cloud/test_fastclient_pin.py
fails when paho renames, re-signs or stops calling them. Stock paho drained the outbox at 0.66x
`mosquitto_pub -l` against 1.03x with these (benchmarks/bench_outbox_drain_stock.py beside
bench_outbox_drain.py; docs/decisions/0006-core-typing.md), hence kept. Raise the pin only after
running both tests and benchmarks on the new paho.

1. Writes are coalesced: paho hands each packet to `_sock_send`, one `send()` system call per packet;
   here they are appended to a buffer that the event loop's writer callback flushes with one `send()`
   per burst (`flush_out`). The buffer is flushed before paho closes the socket (a clean DISCONNECT
   must reach the broker, or it would publish our Last Will) and emptied on every new connection.
2. PUBACKs without properties (the common case) skip paho's generic MQTT v5 decoder, which builds a
   Properties and two ReasonCode objects per acknowledgement; reason codes come from a cache, so
   `reason_code.is_failure` (e.g. 0x87 not authorized) still reaches `on_publish` unchanged.
3. Reads are buffered: one `recv()` per burst instead of three per packet; the link keeps calling
   `loop_read` while `pending_in()` is not zero (the kernel will not signal bytes we already hold).

In a bare synchronous loop (window 20, loopback) the first two took paho from about 10,000 to about
38,000 acknowledged messages/s (benchmarks/bench_outbox_drain.py measures the whole drain). Everything
else is stock paho.
"""

from __future__ import annotations

import logging
import socket
import ssl
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

log = logging.getLogger(__name__)

READ_CHUNK = 65536
_PUBACK_CODES: dict[int, ReasonCode] = {}
_NO_PROPERTIES = Properties(PacketTypes.PUBACK)


def puback_reason(value: int) -> ReasonCode:
    rc = _PUBACK_CODES.get(value)
    if rc is None:
        rc = ReasonCode(PacketTypes.PUBACK, identifier=value)
        _PUBACK_CODES[value] = rc
    return rc


class FastClient(mqtt.Client):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wbuf = bytearray()
        self._rbuf = bytearray()

    # --- buffered reads ------------------------------------------------------------------------------
    def _sock_recv(self, bufsize: int) -> bytes:
        # paho reads a packet in 3+ small recv() calls (type byte, length bytes, body); read what the
        # kernel has in one call and serve the small reads from memory
        if self._rbuf:
            out = bytes(self._rbuf[:bufsize])
            del self._rbuf[:bufsize]
            return out
        data = super()._sock_recv(READ_CHUNK)
        if len(data) <= bufsize:
            return data
        self._rbuf += data[bufsize:]
        return data[:bufsize]

    def pending_in(self) -> int:
        """Bytes read from the socket but not yet parsed (the caller must keep calling loop_read)."""
        return len(self._rbuf)

    # --- coalesced writes ------------------------------------------------------------------------
    def _sock_send(self, buf: bytes | bytearray) -> int:
        if self._sock is None:
            raise ConnectionError("self._sock is None")
        self._wbuf += buf
        return len(buf)

    def pending_out(self) -> int:
        return len(self._wbuf)

    def flush_out(self) -> bool:
        """Send what is buffered; True when the buffer is empty afterwards."""
        sock = self._sock
        if sock is None:
            self._wbuf.clear()
            return True
        while self._wbuf:
            try:
                n = sock.send(self._wbuf)
            except (BlockingIOError, ssl.SSLWantWriteError, ssl.SSLWantReadError):
                return False
            except OSError as exc:
                log.debug("MQTT socket write failed: %s", exc)
                self._wbuf.clear()
                try:  # let the reader see the failure, so paho runs its disconnect handling
                    if isinstance(sock, socket.socket):
                        sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return True
            if n <= 0:
                return False
            del self._wbuf[:n]
        return True

    def _sock_close(self) -> None:
        if self._sock is not None and self._wbuf:
            try:
                self.flush_out()
            except Exception:  # never keep a socket open because of a flush problem
                pass
        self._wbuf.clear()
        self._rbuf.clear()
        super()._sock_close()

    # --- fast PUBACK --------------------------------------------------------------------------------
    def _handle_pubackcomp(self, cmd: Any) -> mqtt.MQTTErrorCode:
        pkt = self._in_packet["packet"]
        n = len(pkt)
        if cmd == "PUBACK" and self._protocol == mqtt.MQTTv5 and (n == 2 or n == 3 or (n == 4 and pkt[3] == 0)):
            mid = (pkt[0] << 8) | pkt[1]
            rc = puback_reason(pkt[2] if n > 2 else 0)
            with self._out_message_mutex:
                if mid in self._out_messages:
                    return self._do_on_publish(mid, rc, _NO_PROPERTIES)
            return mqtt.MQTTErrorCode.MQTT_ERR_SUCCESS
        return super()._handle_pubackcomp(cmd)
