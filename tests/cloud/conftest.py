"""Real parts for the cloud tests: a Mosquitto on a free loopback port, the real Daemon on simulated
locks with a SQLite store in tmp_path, Ed25519 command keys, and a paho subscriber standing in for HQ."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from edge.clock import SimClock
from edge.config import parse_config

MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
SITE = "site-test-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Broker:
    """A real Mosquitto; stop()/start() keep the port and the persistence file."""

    def __init__(self, workdir: Path, extra: str = "") -> None:
        self.dir = workdir
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.extra = extra
        self.proc: subprocess.Popen[bytes] | None = None
        self.conf = self.dir / "mosquitto.conf"
        lines = [
            f"listener {self.port} 127.0.0.1",
            "allow_anonymous true",
            "persistence true",
            f"persistence_location {self.dir}/",
            "max_queued_messages 200000",
            f"log_dest file {self.dir}/mosquitto.log",
        ]
        if os.geteuid() == 0:
            lines.insert(0, "user root")
        self.conf.write_text("\n".join(lines) + "\n" + extra + "\n")

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = subprocess.Popen([MOSQUITTO, "-c", str(self.conf)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("mosquitto did not start: " + (self.dir / "mosquitto.log").read_text()[-2000:])

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    b = Broker(tmp_path / "broker")
    b.start()
    yield b
    b.stop()


class Hq:
    """A paho subscriber standing in for HQ: collects messages per topic, can publish commands."""

    def __init__(self, port: int, client_id: str = "hq-test", subs: tuple[str, ...] = ("lockerd/v1/#",),
                 persistent: bool = False) -> None:
        self.messages: list[tuple[str, bytes, bool]] = []
        self.parsed: dict[str, list[tuple[str, Any]]] = {}
        self.lock = threading.Lock()
        self.connected = threading.Event()
        self.subs = subs
        #: called on paho's thread after each message is recorded (e.g. to kill a process at once)
        self.after_message: Callable[[], None] | None = None
        self.c = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
        self.c.on_message = self._msg
        self.c.on_connect = self._conn
        self.c.on_disconnect = lambda *a: self.connected.clear()
        self.c.reconnect_delay_set(0.2, 1)
        self._configure(self.c)
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = 3600 if persistent else 0
        self.c.connect_async("127.0.0.1", port, clean_start=not persistent, properties=props)
        self.c.loop_start()
        assert self.connected.wait(10), "HQ client did not connect"

    def _configure(self, c: mqtt.Client) -> None:
        """Hook for TLS settings in subclasses."""

    def _conn(self, c: mqtt.Client, u: Any, flags: Any, rc: Any, props: Any) -> None:
        for s in self.subs:
            c.subscribe(s, qos=1)
        self.connected.set()

    def _msg(self, c: mqtt.Client, u: Any, m: mqtt.MQTTMessage) -> None:
        payload = bytes(m.payload)
        try:
            doc = json.loads(payload) if payload else None
        except ValueError:
            doc = None
        with self.lock:
            self.messages.append((m.topic, payload, bool(m.retain)))
            if doc is not None:
                self.parsed.setdefault(m.topic.rsplit("/", 1)[-1], []).append((m.topic, doc))
        if self.after_message is not None:
            self.after_message()

    def on(self, suffix: str) -> list[Any]:
        with self.lock:
            return [d for t, d in self.parsed.get(suffix.rsplit("/", 1)[-1], []) if t.endswith(suffix)]

    async def wait_for(self, pred: Callable[[], Any], within: float = 15.0) -> Any:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            v = pred()
            if v:
                return v
            await asyncio.sleep(0.05)
        raise AssertionError("timed out waiting")

    async def online(self, boot_id: str | None = None) -> dict[str, Any]:
        """Wait for a birth (the site has subscribed by then: SUBSCRIBE goes out before the birth)."""
        births = await self.wait_for(lambda: [m for m in self.on("/status") if m.get("online")
                                              and (boot_id is None or m["boot_id"] == boot_id)])
        return births[-1]

    def publish(self, topic: str, payload: bytes | str, qos: int = 1) -> None:
        self.c.publish(topic, payload, qos=qos).wait_for_publish(5)

    def close(self) -> None:
        self.c.disconnect()
        self.c.loop_stop()


@pytest.fixture
def hq_factory(broker: Broker) -> Iterator[Callable[..., Hq]]:
    made: list[Hq] = []

    def make(**kw: Any) -> Hq:
        h = Hq(broker.port, **kw)
        made.append(h)
        return h

    yield make
    for h in made:
        h.close()


@pytest.fixture
def signing_key(tmp_path: Path) -> tuple[Ed25519PrivateKey, Path]:
    key = Ed25519PrivateKey.generate()
    pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    path = tmp_path / "hq.pub.pem"
    path.write_bytes(pem)
    return key, path


def site_config(broker_url: str, pubkey: Path | None, **cloud: Any) -> Any:
    return parse_config({
        "site": {"id": SITE, "timezone": "Asia/Shanghai"},
        "banks": [{"id": "A", "driver": "sim", "compartments": [
            {"id": "A-01", "size": "S"}, {"id": "A-02", "size": "M"}, {"id": "A-03", "size": "L"}]}],
        "cloud": {"enabled": True, "broker": broker_url, "command_pubkeys": [str(pubkey)] if pubkey else [],
                  "telemetry_interval_s": 3600, **cloud},
    })


@pytest.fixture
async def daemon_factory(tmp_path: Path) -> AsyncIterator[Callable[..., Any]]:
    from edge.daemon import Daemon

    made: list[Any] = []

    async def make(broker_url: str, pubkey: Path | None = None, data_dir: Path | None = None, **cloud: Any) -> Any:
        d = Daemon(site_config(broker_url, pubkey, **cloud), clock=SimClock(),
                   data_dir=data_dir or tmp_path / "data", simulated=True)
        await d.start()
        made.append(d)
        return d

    yield make
    for d in made:
        if d.ready:
            await d.stop()


# --- the contract: every message lockerd publishes is validated against docs/schemas -----------------
SCHEMA_DIR = Path(__file__).resolve().parents[2] / "docs" / "schemas"
TOPIC_SCHEMAS = {"status": "status", "events": "envelope", "telemetry": "telemetry",
                 "state/compartments": "compartments", "cmd/result": "cmd_result", "cmd": "cmd",
                 "tracking": "tracking"}


def schema(name: str) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads((SCHEMA_DIR / f"{name}.json").read_text()))


def validate_published(hq: Hq, site: str = SITE) -> int:
    """Validate every message HQ received from `site` on an upward topic; returns how many."""
    base = f"lockerd/v1/{site}/"
    validators = {k: schema(v) for k, v in TOPIC_SCHEMAS.items()}
    n = 0
    with hq.lock:
        msgs = list(hq.messages)
    for topic, payload, _ in msgs:
        if not topic.startswith(base) or not payload:
            continue
        rest = topic[len(base):]
        if rest in ("cmd", "tracking"):
            continue  # downward topics carry what the test itself sent
        errors = sorted(validators[rest].iter_errors(json.loads(payload)), key=str)
        assert not errors, f"{topic}: {errors[0].message} in {payload[:300]!r}"
        n += 1
    return n


@pytest.fixture
def hq_factory_acl(tmp_path: Path) -> Iterator[tuple[Broker, Hq, Path]]:
    """A broker whose ACL refuses the site's events topic (PUBACK 0x87) until the file is rewritten."""
    acl = tmp_path / "acl"
    acl.write_text(f"topic readwrite #\ntopic deny lockerd/v1/{SITE}/events\n")
    b = Broker(tmp_path / "broker-acl", extra=f"acl_file {acl}")
    b.start()
    hq = Hq(b.port, client_id="hq-acl")
    yield b, hq, acl
    hq.close()
    b.stop()
