"""The ingest worker's own MQTT v5 subscriber: the packet codec on its own, then against a real Mosquitto
(persistent session, acknowledgement after the caller says so, reconnect, keepalive)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from cloudsync.hq import mqttv5
from cloudsync.hq.mqttv5 import Message, Packet, Parser, ProtocolError
from cloudsync.hq.receiver import Receiver
from tests.cloud.conftest import Broker

BROKER_EXTRA = "max_inflight_messages 0\nmax_queued_messages 0\nmax_queued_bytes 0\n"


def publish_packet(topic: str, payload: bytes, qos: int, mid: int, props: bytes = b"\x00") -> bytes:
    body = mqttv5.string(topic) + (mid.to_bytes(2, "big") if qos else b"") + props + payload
    return mqttv5.packet(mqttv5.PUBLISH, qos << 1, body)


@pytest.mark.parametrize("n", [0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 268_435_455])
def test_varint_round_trip(n: int) -> None:
    b = mqttv5.varint(n)
    assert mqttv5.read_varint(b, 0) == (n, len(b))
    assert mqttv5.read_varint(b[:-1], 0) is None  # the buffer ends inside it


def test_parser_gives_the_same_packets_however_the_bytes_are_split() -> None:
    expiry = mqttv5.properties({0x02: 60, 0x03: "application/json"})
    big = b"x" * 300  # a two-byte remaining length
    stream = (publish_packet("lockerd/v1/a/events", b'{"n":1}', 1, 7)
              + publish_packet("lockerd/v1/b/status", big, 0, 0, expiry)
              + mqttv5.packet(mqttv5.PINGRESP, 0, b"")
              + publish_packet("lockerd/v1/c/events", b"", 1, 65535, expiry))
    whole = Parser().feed(stream)
    p = Parser()
    pieces: list[Message | Packet] = []
    for i in range(len(stream)):
        pieces += p.feed(stream[i:i + 1])
    assert pieces == whole and not p.buf
    msgs = [m for m in whole if isinstance(m, Message)]
    assert [(m.topic, m.payload, m.qos, m.mid) for m in msgs] == [
        ("lockerd/v1/a/events", b'{"n":1}', 1, 7), ("lockerd/v1/b/status", big, 0, 0),
        ("lockerd/v1/c/events", b"", 1, 65535)]
    assert isinstance(whole[2], Packet) and whole[2].type == mqttv5.PINGRESP


@pytest.mark.parametrize("bad", [
    bytes([0x36, 0x03, 0x00, 0x01, 0x61]),  # QoS 3
    bytes([0x32, 0x04, 0x00, 0x09, 0x61, 0x62]),  # the topic runs past the packet
    bytes([0x30, 0x01, 0x00]),  # too short for a topic
    bytes([0x30, 0x05, 0x00, 0x02, 0xFF, 0xFE, 0x00]),  # the topic is not UTF-8
    bytes([0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),  # a length of five bytes
])
def test_malformed_packets_raise_protocol_error(bad: bytes) -> None:
    with pytest.raises(ProtocolError):
        Parser().feed(bad)


def test_encoded_packets() -> None:
    c = mqttv5.connect("w1", keepalive=30, clean_start=False, session_expiry=604800, receive_maximum=4000,
                       username="u", password="p")
    assert c[0] == 0x10 and c[9] == 0xC0  # CONNECT; username and password, clean start off
    assert mqttv5.pubacks([1, 258]) == b"\x40\x02\x00\x01\x40\x02\x01\x02"
    s = mqttv5.subscribe(5, [("a/+", mqttv5.sub_options(1, mqttv5.RETAIN_SEND_IF_NEW_SUB))])
    assert s[0] == 0x82 and s.endswith(b"a/+\x11")


@pytest.fixture
def broker(tmp_path) -> Iterator[Broker]:
    b = Broker(tmp_path / "broker", extra=BROKER_EXTRA)
    b.start()
    yield b
    b.stop()


def publish(port: int, topic: str, n: int, start: int = 0, qos: int = 1, size: int = 0) -> None:
    pub = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="rx-test-pub", protocol=mqtt.MQTTv5)
    pub.connect("127.0.0.1", port)
    pub.loop_start()
    props = Properties(PacketTypes.PUBLISH)
    props.MessageExpiryInterval = 3600
    props.UserProperty = ("k", "v")
    infos = [pub.publish(topic, str(i).encode().ljust(size), qos=qos, properties=props)
             for i in range(start, start + n)]
    for info in infos:
        info.wait_for_publish(10)
    pub.disconnect()
    pub.loop_stop()


def receiver(port: int, keepalive: int = 30, max_inbox: int = 20_000) -> Receiver:
    r = Receiver("127.0.0.1", port, "rx-test", [("$share/g/rx/+", mqttv5.sub_options(1))], keepalive=keepalive,
                 session_expiry=600, receive_maximum=1000, max_inbox=max_inbox)
    r.start()
    assert r.subscribed.wait(10)
    return r


def take_all(r: Receiver, n: int, within: float = 15) -> list[Message]:
    got: list[Message] = []
    deadline = time.monotonic() + within
    while len(got) < n and time.monotonic() < deadline:
        got += r.take(n - len(got), 0.2, 0.0)
    return got


def test_only_acknowledged_messages_leave_the_persistent_session(broker: Broker) -> None:
    r = receiver(broker.port)
    publish(broker.port, "rx/a", 500)
    got = take_all(r, 500)
    assert [m.payload for m in got] == [str(i).encode() for i in range(500)]
    r.ack(got[:200])
    time.sleep(0.3)  # the PUBACKs reach the broker before the DISCONNECT
    r.stop()
    r = receiver(broker.port)  # same client id, clean start off: the session and its in-flight messages
    try:
        again = take_all(r, 300)
        assert sorted(int(m.payload) for m in again) == list(range(200, 500))
        assert all(m.dup for m in again)
        r.ack(again)
        time.sleep(0.3)
        assert r.take(10, 0.5, 0.0) == []
    finally:
        r.stop()
    r = receiver(broker.port)
    try:
        assert r.take(10, 1.0, 0.0) == []  # everything was acknowledged: nothing comes back
    finally:
        r.stop()


def test_a_broker_restart_reconnects_and_old_acknowledgements_are_dropped(broker: Broker) -> None:
    r = receiver(broker.port)
    try:
        publish(broker.port, "rx/b", 50)
        got = take_all(r, 50)
        gen = r.gen
        broker.stop()
        broker.start()
        deadline = time.monotonic() + 20
        while r.gen == gen and time.monotonic() < deadline:
            time.sleep(0.1)
        assert r.gen == gen + 1
        r.ack(got)  # committed after the connection they came on was gone: the broker sends them again
        assert r.acks_dropped == 50
        again = take_all(r, 50)
        assert sorted(int(m.payload) for m in again) == list(range(50))
        assert all(m.gen == r.gen for m in again)
        r.ack(again)
        assert r.acked == 50
    finally:
        r.stop()


def test_keepalive_pings_keep_an_idle_connection(broker: Broker) -> None:
    r = receiver(broker.port, keepalive=1)  # Mosquitto drops a client silent for 1.5 keepalives
    try:
        gen = r.gen
        time.sleep(4)
        assert r.gen == gen and r.connected.is_set()
        publish(broker.port, "rx/c", 3)
        assert len(take_all(r, 3)) == 3
    finally:
        r.stop()


def test_a_worker_that_falls_behind_stops_reading_instead_of_growing_without_end(broker: Broker) -> None:
    r = receiver(broker.port, keepalive=2, max_inbox=100)
    try:
        publish(broker.port, "rx/d", 2000, qos=0, size=4096)  # QoS 0: no Receive Maximum holds it back
        time.sleep(3.5)  # longer than 1.5 keepalives: pausing must not count as a dead broker
        held = len(r.take(100_000, 0.5, 0.0))
        assert 100 <= held <= 100 + 256 * 1024 // 4096 + 1, held
        assert r.gen == 1 and r.connected.is_set()
        got = held + len(take_all(r, 2000 - held, within=10))
        assert got > held  # reading resumed once the inbox was taken
    finally:
        r.stop()
