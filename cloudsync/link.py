"""The MQTT connection: paho-mqtt 2.x (MQTT v5) on its own network thread, handed to the event loop.

Paho callbacks run on paho's thread under its internal lock, so they only record and hand over
(`loop.call_soon_threadsafe`). Reconnects are paho's (`loop_forever(retry_first_connection=True)` under
`loop_start`), with the first delay of each outage drawn at random (jitter) and an exponential backoff
to a randomised cap. Each connection attempt bumps `bdseq` (persisted by the `on_attempt` hook) and
re-arms the Last Will with it.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import random
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode
from paho.mqtt.subscribeoptions import SubscribeOptions

from cloudsync.topics import BrokerUrl

log = logging.getLogger(__name__)


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


class MqttLink:
    """Owns the paho client. Thread-safe for publish()/ack(); state callbacks reach the loop."""

    def __init__(
        self,
        settings: LinkSettings,
        loop: asyncio.AbstractEventLoop,
        *,
        on_attempt: Callable[[], tuple[str, bytes]],
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
        #: (mid, ok, reason) appended by on_publish on paho's thread; drained on the loop
        self.acks: collections.deque[tuple[int, bool, str]] = collections.deque()
        self._ack_wake = threading.Event()
        self.connected = False
        self.receive_maximum: int | None = None
        self._client: mqtt.Client | None = None
        self._stopping = False

    # --- lifecycle -------------------------------------------------------------------------------
    def start(self) -> None:
        s = self.settings
        c = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=s.client_id,
            protocol=mqtt.MQTTv5,
            manual_ack=True,
            reconnect_on_failure=True,
        )
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
        self._jitter_delays(c)
        c.on_pre_connect = self._cb_pre_connect
        c.on_connect = self._cb_connect
        c.on_disconnect = self._cb_disconnect
        c.on_publish = self._cb_publish
        c.on_message = self._cb_message
        c.on_connect_fail = self._cb_connect_fail
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = int(s.session_expiry_s)
        props.ReceiveMaximum = 65535
        self._client = c
        c.connect_async(s.broker.host, s.broker.port, keepalive=s.keepalive_s, clean_start=False, properties=props)
        c.loop_start()

    def _jitter_delays(self, c: mqtt.Client) -> None:
        s = self.settings
        lo = s.reconnect_min_s * random.uniform(0.5, 1.5)
        hi = max(lo, s.reconnect_max_s * random.uniform(0.75, 1.0))
        c.reconnect_delay_set(lo, hi)  # type: ignore[arg-type]  # paho accepts floats

    def stop(self, final: tuple[str, bytes] | None = None, timeout: float = 3.0) -> None:
        """Publish `final` (topic, payload; retained, QoS 1) if connected, then disconnect. Blocking."""
        c = self._client
        if c is None:
            return
        self._stopping = True
        try:
            if final is not None and self.connected:
                info = c.publish(final[0], final[1], qos=1, retain=True)
                try:
                    info.wait_for_publish(timeout)
                except (RuntimeError, ValueError):
                    log.warning("offline status not confirmed before disconnect")
            c.disconnect()
        finally:
            c.loop_stop()
            self.connected = False
            self._client = None

    # --- calls from the loop ---------------------------------------------------------------------
    def publish(self, topic: str, payload: bytes | str, qos: int = 1, retain: bool = False) -> int | None:
        """Queue a publish; returns its mid, or None when there is no client."""
        c = self._client
        if c is None:
            return None
        info = c.publish(topic, payload, qos=qos, retain=retain)
        if info.rc not in (mqtt.MQTT_ERR_SUCCESS, mqtt.MQTT_ERR_NO_CONN):
            log.warning("publish to %s refused locally: %s", topic, mqtt.error_string(info.rc))
            return None
        return info.mid

    def ack(self, mid: int, qos: int) -> None:
        c = self._client
        if c is not None and qos > 0:
            c.ack(mid, qos)

    def take_acks(self) -> list[tuple[int, bool, str]]:
        self._ack_wake.clear()
        out = []
        acks = self.acks
        while acks:
            out.append(acks.popleft())
        return out

    # --- paho callbacks (paho's thread) ------------------------------------------------------------
    def _post(self, fn: Callable[..., None], *args: Any) -> None:
        try:
            self.loop.call_soon_threadsafe(fn, *args)
        except RuntimeError:  # loop closed during shutdown
            pass

    def _cb_pre_connect(self, client: mqtt.Client, userdata: Any) -> None:
        topic, will = self._on_attempt()
        client.will_set(topic, will, qos=1, retain=True)

    def _cb_connect(self, client: mqtt.Client, userdata: Any, flags: Any, rc: ReasonCode, props: Any) -> None:
        if rc.is_failure:
            self._post(self._on_down, f"connection refused: {rc}")
            return
        recv_max = getattr(props, "ReceiveMaximum", None) if props is not None else None
        self.receive_maximum = int(recv_max) if recv_max else None
        if self.settings.subscriptions:
            client.subscribe([(t, SubscribeOptions(qos=1)) for t in self.settings.subscriptions])
        self.connected = True
        self._post(self._on_up, bool(flags.session_present), self.receive_maximum)

    def _cb_connect_fail(self, client: mqtt.Client, userdata: Any) -> None:
        self._post(self._on_down, "connection attempt failed")

    def _cb_disconnect(self, client: mqtt.Client, userdata: Any, flags: Any, rc: ReasonCode, props: Any) -> None:
        was = self.connected
        self.connected = False
        if not self._stopping:
            self._jitter_delays(client)
        if was or rc.is_failure:
            self._post(self._on_down, f"disconnected: {rc}")

    def _cb_publish(self, client: mqtt.Client, userdata: Any, mid: int, rc: ReasonCode, props: Any) -> None:
        # Trivial on purpose: paho holds its lock here. 0x87 (not authorized) etc. arrive as "published".
        self.acks.append((mid, not rc.is_failure, "" if not rc.is_failure else str(rc)))
        if not self._ack_wake.is_set():
            self._ack_wake.set()
            self._post(self._on_acks)

    def _cb_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        self._post(self._on_message, Incoming(msg.topic, bytes(msg.payload), msg.mid, msg.qos))
