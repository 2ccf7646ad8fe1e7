"""The few MQTT v5 packets an HQ ingest worker needs as a subscriber, as bytes in and out (no I/O here).

An ingest worker connects with a persistent session, subscribes, receives PUBLISH packets at QoS 0 or 1
and acknowledges them after its PostgreSQL commit; nothing else (see docs/decisions/0022). Encoding:
CONNECT, SUBSCRIBE, PUBACK, PINGREQ, DISCONNECT. Decoding: `Parser.feed` takes whatever bytes the
socket gave and returns the complete packets in them, keeping a partial packet for the next call.
PUBLISH is decoded on its own fast path (topic, packet id, payload; its properties are skipped, which is
safe because the worker announces no Topic Alias Maximum, so a broker may not use aliases). Every other
packet comes back as `Packet` with its type, flags and body for `connack`, `suback` and `disconnect` to
read. Malformed input raises `ProtocolError`; the caller drops the connection.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP = 1, 2, 3, 4, 5, 6, 7
SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, PINGREQ, PINGRESP, DISCONNECT, AUTH = 8, 9, 10, 11, 12, 13, 14, 15

PINGREQ_BYTES = b"\xc0\x00"
DISCONNECT_NORMAL = b"\xe0\x00"  # reason 0: normal disconnection, the Will is not sent, the session stays

# property identifiers (MQTT v5 section 2.2.2.2) by how their value is encoded
_BYTE = {0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A}
_TWO = {0x13, 0x21, 0x22, 0x23}
_FOUR = {0x02, 0x11, 0x18, 0x27}
_VARINT = {0x0B}
_STRING = {0x03, 0x08, 0x12, 0x15, 0x1A, 0x1C, 0x1F}
_BINARY = {0x09, 0x16}
_PAIR = {0x26}
SESSION_EXPIRY, RECEIVE_MAXIMUM, SERVER_KEEP_ALIVE, ASSIGNED_CLIENT_ID, REASON_STRING = 0x11, 0x21, 0x13, 0x12, 0x1F
MAXIMUM_PACKET_SIZE = 0x27

RETAIN_SEND_IF_NEW_SUB = 1  # subscription option bits 4-5


class ProtocolError(Exception):
    """The bytes are not MQTT v5 as a subscriber expects it; drop the connection."""


class Message(NamedTuple):
    """One PUBLISH: `mid` is the packet id to acknowledge (0 at QoS 0), `gen` the connection it came on."""

    topic: str
    payload: bytes
    qos: int
    mid: int
    retain: bool
    dup: bool
    gen: int


@dataclass
class Packet:
    type: int
    flags: int
    body: bytes


@dataclass
class Connack:
    session_present: bool
    reason: int
    properties: dict[int, object]


def varint(n: int) -> bytes:
    if not 0 <= n <= 268_435_455:
        raise ValueError(f"{n} does not fit an MQTT variable byte integer")
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | 0x80 if n else b)
        if not n:
            return bytes(out)


def read_varint(buf: bytes | bytearray | memoryview, i: int) -> tuple[int, int] | None:
    """(value, index after it), or None when the buffer ends inside it."""
    value, shift = 0, 0
    for k in range(4):
        if i + k >= len(buf):
            return None
        b = buf[i + k]
        value |= (b & 0x7F) << shift
        if not b & 0x80:
            return value, i + k + 1
        shift += 7
    raise ProtocolError("variable byte integer longer than 4 bytes")


def string(s: str) -> bytes:
    b = s.encode()
    if len(b) > 0xFFFF:
        raise ValueError("MQTT strings are at most 65,535 bytes")
    return len(b).to_bytes(2, "big") + b


def packet(type_: int, flags: int, body: bytes) -> bytes:
    return bytes([(type_ << 4) | flags]) + varint(len(body)) + body


def properties(props: dict[int, int | str]) -> bytes:
    out = bytearray()
    for pid, v in props.items():
        out.append(pid)
        if pid in _BYTE and isinstance(v, int):
            out.append(v)
        elif pid in _TWO and isinstance(v, int):
            out += v.to_bytes(2, "big")
        elif pid in _FOUR and isinstance(v, int):
            out += v.to_bytes(4, "big")
        elif pid in _VARINT and isinstance(v, int):
            out += varint(v)
        elif pid in _STRING and isinstance(v, str):
            out += string(v)
        else:
            raise ValueError(f"property 0x{pid:02x} cannot be encoded from {v!r}")
    return varint(len(out)) + bytes(out)


def connect(client_id: str, *, keepalive: int, clean_start: bool, session_expiry: int, receive_maximum: int,
            username: str | None = None, password: str | None = None) -> bytes:
    flags = 0x02 if clean_start else 0
    if username is not None:
        flags |= 0x80
    if password is not None:
        flags |= 0x40
    body = bytearray(string("MQTT") + b"\x05" + bytes([flags]) + keepalive.to_bytes(2, "big"))
    body += properties({SESSION_EXPIRY: session_expiry, RECEIVE_MAXIMUM: receive_maximum})
    body += string(client_id)
    if username is not None:
        body += string(username)
    if password is not None:
        pw = password.encode()
        body += len(pw).to_bytes(2, "big") + pw
    return packet(CONNECT, 0, bytes(body))


def subscribe(mid: int, filters: list[tuple[str, int]]) -> bytes:
    """`filters`: (topic filter, options byte: max QoS in bits 0-1, retain handling in bits 4-5)."""
    body = bytearray(mid.to_bytes(2, "big") + b"\x00")
    for topic, options in filters:
        body += string(topic) + bytes([options])
    return packet(SUBSCRIBE, 0x02, bytes(body))


def sub_options(qos: int, retain_handling: int = 0) -> int:
    return (qos & 0x03) | ((retain_handling & 0x03) << 4)


def pubacks(mids: list[int]) -> bytes:
    """PUBACKs (reason 0, success) for `mids`, in that order, as one buffer for one send()."""
    return b"".join(b"\x40\x02" + m.to_bytes(2, "big") for m in mids)


def read_properties(body: bytes, i: int) -> tuple[dict[int, object], int]:
    got = read_varint(body, i)
    if got is None:
        raise ProtocolError("properties run past the packet")
    length, i = got
    end = i + length
    if end > len(body):
        raise ProtocolError("properties run past the packet")
    props: dict[int, object] = {}
    while i < end:
        pid = body[i]
        i += 1
        if pid in _BYTE:
            props[pid], i = body[i], i + 1
        elif pid in _TWO:
            props[pid], i = int.from_bytes(body[i:i + 2], "big"), i + 2
        elif pid in _FOUR:
            props[pid], i = int.from_bytes(body[i:i + 4], "big"), i + 4
        elif pid in _VARINT:
            v = read_varint(body, i)
            if v is None:
                raise ProtocolError("property runs past the packet")
            props[pid], i = v
        elif pid in _STRING or pid in _BINARY:
            n = int.from_bytes(body[i:i + 2], "big")
            raw = body[i + 2:i + 2 + n]
            props[pid] = raw.decode("utf-8", "replace") if pid in _STRING else raw
            i += 2 + n
        elif pid in _PAIR:
            for _ in range(2):
                n = int.from_bytes(body[i:i + 2], "big")
                i += 2 + n
        else:
            raise ProtocolError(f"unknown property 0x{pid:02x}")
        if i > end:
            raise ProtocolError("property runs past the packet")
    return props, end


def connack(p: Packet) -> Connack:
    if p.type != CONNACK or len(p.body) < 2:
        raise ProtocolError("expected CONNACK")
    props, _ = read_properties(p.body, 2) if len(p.body) > 2 else ({}, 2)
    return Connack(bool(p.body[0] & 1), p.body[1], props)


def suback(p: Packet) -> tuple[int, list[int]]:
    """(packet id, one reason code per filter: 0-2 granted QoS, 0x80 and above refused)."""
    if len(p.body) < 3:
        raise ProtocolError("SUBACK too short")
    _, i = read_properties(p.body, 2)
    return int.from_bytes(p.body[:2], "big"), list(p.body[i:])


def disconnect_reason(p: Packet) -> tuple[int, str]:
    if not p.body:
        return 0, ""
    reason = p.body[0]
    text = ""
    if len(p.body) > 1:
        props, _ = read_properties(p.body, 1)
        text = str(props.get(REASON_STRING, ""))
    return reason, text


class Parser:
    """Bytes from the socket in, complete packets out (`Message` for PUBLISH, `Packet` for the rest)."""

    def __init__(self, max_packet: int = 16 * 1024 * 1024) -> None:
        self.buf = bytearray()
        self.max_packet = max_packet
        self.gen = 0

    def reset(self, gen: int) -> None:
        self.buf.clear()
        self.gen = gen

    def feed(self, data: bytes) -> list[Message | Packet]:
        buf = self.buf
        buf += data
        out: list[Message | Packet] = []
        n = len(buf)
        i = 0
        gen = self.gen
        while n - i >= 2:
            first = buf[i]
            # the remaining length, inlined for its usual 1-2 bytes
            b = buf[i + 1]
            if b < 0x80:
                length, j = b, i + 2
            else:
                got = read_varint(buf, i + 1)
                if got is None:
                    break
                length, j = got
            end = j + length
            if length > self.max_packet:
                raise ProtocolError(f"a packet of {length} bytes is over the limit")
            if end > n:
                break
            type_ = first >> 4
            if type_ == PUBLISH:
                qos = (first >> 1) & 0x03
                if length < 3:
                    raise ProtocolError("PUBLISH too short")
                tlen = (buf[j] << 8) | buf[j + 1]
                k = j + 2 + tlen
                if k + (3 if qos else 1) > end:
                    raise ProtocolError("PUBLISH header runs past the packet")
                try:
                    topic = buf[j + 2:k].decode()
                except UnicodeDecodeError as exc:
                    raise ProtocolError("topic is not UTF-8") from exc
                if qos:
                    if qos == 3:
                        raise ProtocolError("PUBLISH with QoS 3")
                    mid = (buf[k] << 8) | buf[k + 1]
                    k += 2
                else:
                    mid = 0
                plen = buf[k]
                if plen < 0x80:
                    k += 1 + plen
                else:
                    got = read_varint(buf, k)
                    if got is None:
                        raise ProtocolError("PUBLISH properties run past the packet")
                    k = got[1] + got[0]
                if k > end:
                    raise ProtocolError("PUBLISH header runs past the packet")
                out.append(Message(topic, bytes(buf[k:end]), qos, mid, bool(first & 1), bool(first & 8), gen))
            else:
                out.append(Packet(type_, first & 0x0F, bytes(buf[j:end])))
            i = end
        if i:
            del buf[:i]
        return out
