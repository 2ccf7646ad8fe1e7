"""cloudsync/fastclient.py overrides four private methods of paho's Client (they keep the outbox drain at
about 1.0x `mosquitto_pub -l`; stock paho measured 0.66x, docs/decisions/0006-core-typing.md), so paho-mqtt
is pinned to the minor these tests were run with, and these tests fail the day paho moves them."""

from __future__ import annotations

import inspect
import re
import tomllib
from importlib.metadata import version
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt

from cloudsync.fastclient import FastClient

REPO = Path(__file__).resolve().parents[2]
PATCHED = {
    "_sock_recv": ["self", "bufsize"],
    "_sock_send": ["self", "buf"],
    "_sock_close": ["self"],
    "_handle_pubackcomp": ["self", "cmd"],
}


def test_paho_is_pinned_to_the_tested_minor() -> None:
    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    spec = next(d for d in deps if d.startswith("paho-mqtt"))
    m = re.fullmatch(r"paho-mqtt>=(\d+)\.(\d+)(?:\.\d+)?,<(\d+)\.(\d+)", spec.replace(" ", ""))
    assert m, f"paho-mqtt must be pinned to one minor (>=X.Y,<X.Y+1), got {spec!r}"
    lo = (int(m.group(1)), int(m.group(2)))
    assert (int(m.group(3)), int(m.group(4))) == (lo[0], lo[1] + 1), spec
    installed = tuple(int(x) for x in version("paho-mqtt").split(".")[:2])
    assert installed == lo, f"installed paho-mqtt {version('paho-mqtt')} is not the pinned {lo}"


def test_the_overridden_private_methods_still_exist_with_the_same_parameters() -> None:
    for name, params in PATCHED.items():
        base = getattr(mqtt.Client, name, None)
        assert callable(base), f"paho's Client has no {name} any more"
        assert list(inspect.signature(base).parameters) == params, name
        assert getattr(FastClient, name) is not base, f"FastClient no longer overrides {name}"
    # what the overrides lean on
    assert list(inspect.signature(mqtt.Client._do_on_publish).parameters) == [
        "self", "mid", "reason_code", "properties"]
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    for attr in ("_sock", "_in_packet", "_protocol", "_out_message_mutex", "_out_messages"):
        assert hasattr(c, attr), attr


def test_paho_still_routes_its_io_and_pubacks_through_them() -> None:
    read = inspect.getsource(mqtt.Client._packet_read)
    write = inspect.getsource(mqtt.Client._packet_write)
    handle = inspect.getsource(mqtt.Client._packet_handle)
    assert "self._sock_recv(" in read
    assert "self._sock_send(" in write
    assert '_handle_pubackcomp("PUBACK")' in handle


def _client_with_inflight(cls: type[mqtt.Client], packet: bytes) -> tuple[mqtt.Client, list[Any]]:
    c = cls(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    seen: list[Any] = []
    c.on_publish = lambda client, userdata, mid, rc, props: seen.append((mid, rc.value, rc.is_failure))
    msg = mqtt.MQTTMessage(mid=7, topic=b"t")
    msg.qos = 1
    c._out_messages[7] = msg
    c._inflight_messages = 1
    c._in_packet = {"command": 0x40, "have_remaining": 1, "remaining_count": [], "remaining_mult": 1,
                    "remaining_length": len(packet), "packet": bytearray(packet), "to_process": 0, "pos": 0}
    return c, seen


def test_fast_puback_gives_on_publish_what_stock_paho_gives() -> None:
    for packet in (b"\x00\x07", b"\x00\x07\x00", b"\x00\x07\x87", b"\x00\x07\x10\x00"):
        results = []
        for cls in (mqtt.Client, FastClient):
            c, seen = _client_with_inflight(cls, packet)
            rc = c._handle_pubackcomp("PUBACK")
            results.append((rc, seen, 7 in c._out_messages))
        assert results[0] == results[1], packet
        assert results[1][1][0][0] == 7
