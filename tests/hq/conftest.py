"""Real engines for the HQ tests: PostgreSQL (Debian's, started here on a free loopback port), Mosquitto
(tests/cloud's fixture), real site daemons in-process, and `lockerd hq serve` as a subprocess."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import psycopg
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from edge.clock import SimClock
from edge.config import parse_config
from tests.cloud.conftest import Broker, free_port
from tests.hq.pgserver import PgServer

REPO = Path(__file__).resolve().parents[2]
BROKER_EXTRA = "max_inflight_messages 0\nmax_queued_messages 0\nmax_queued_bytes 0\n"


@pytest.fixture(scope="session")
def pg() -> Iterator[PgServer]:
    server = PgServer().start()
    yield server
    server.stop()


@pytest.fixture
def db_url(pg: PgServer) -> str:
    from cloudsync.hq.schema import migrate

    url = pg.new_database()
    with psycopg.connect(url) as c:
        migrate(c)
    return url


@pytest.fixture
def hq_broker(tmp_path: Path) -> Iterator[Broker]:
    b = Broker(tmp_path / "broker", extra=BROKER_EXTRA)
    b.start()
    yield b
    b.stop()


@pytest.fixture
def hq_keys(tmp_path: Path) -> tuple[Ed25519PrivateKey, Path, Path]:
    key = Ed25519PrivateKey.generate()
    priv = tmp_path / "hq.key.pem"
    priv.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    pub = tmp_path / "hq.pub.pem"
    pub.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo))
    return key, priv, pub


class HqServe:
    """`lockerd hq serve` as a subprocess; start()/stop() keep the same instance (MQTT sessions)."""

    def __init__(self, broker: Broker, db: str, key_file: Path, tmp: Path, workers: int = 2,
                 reorder_window: float = 1.0) -> None:
        self.token = "t0k-" + os.urandom(6).hex()
        self.token_file = tmp / "hq.token"
        self.token_file.write_text(self.token)
        self.port = free_port()
        self.args = [sys.executable, "-m", "edge.cli.main", "hq", "serve", "--mqtt", broker.url, "--database", db,
                     "--http", f"127.0.0.1:{self.port}", "--workers", str(workers), "--signing-key", str(key_file),
                     "--api-token-file", str(self.token_file), "--reorder-window", str(reorder_window),
                     "--instance", "hq-test"]
        self.log = tmp / "hq-serve.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.worker_pids: list[int] = []

    def start(self, within: float = 60.0) -> HqServe:
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=log, cwd=REPO)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode()
        assert "lockerd hq serve" in line, f"hq serve did not start: {line!r}\n{self.log.read_text()[-3000:]}"
        self.worker_pids = [int(x) for x in line.split("workers [")[1].split("]")[0].split(",") if x.strip()]
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url("/healthz"), timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError("hq serve API did not come up")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def api(self, method: str, path: str, **kw: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}"}
        return httpx.request(method, self.url(path), headers=headers, timeout=10, **kw)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for pid in self.worker_pids:  # workers of a killed serve must not outlive the test
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc = None


@pytest.fixture
def hq_serve(hq_broker: Broker, db_url: str, hq_keys: Any, tmp_path: Path) -> Iterator[Callable[..., HqServe]]:
    made: list[HqServe] = []

    def make(**kw: Any) -> HqServe:
        s = HqServe(hq_broker, db_url, hq_keys[1], tmp_path, **kw)
        made.append(s)
        return s

    yield make
    for s in made:
        s.stop()


@pytest.fixture
def hq_tab(browser: Any) -> Iterator[Callable[..., Any]]:
    """Chromium tabs on a running `lockerd hq serve`, signed in: `hq_tab(hq, (width, height), locale=...)` gives a
    tests/browser/tab.py BrowserTab (its page, the browser-side errors it collected, `allow(404)` for a refusal
    asked for, `goto("/path")`), closed after the test, which then fails on any error left."""
    from tests.browser.tab import BrowserTab

    tabs: list[BrowserTab] = []

    def open_tab(hq: HqServe, size: tuple[int, int], locale: str = "zh-CN") -> BrowserTab:
        tab = BrowserTab(browser, SimpleNamespace(url=hq.url("")), {"width": size[0], "height": size[1]}, locale)
        tabs.append(tab)
        tab.context.add_cookies([{"name": "lockerd_hq", "value": hq.token, "url": hq.url("/")}])
        return tab

    yield open_tab
    for tab in tabs:
        tab.close()


def raw_words_on(page: Any, configured: list[str]) -> list[str]:
    """The raw codes and English words on a Chinese HQ page (the console tests' raw_words, tests/browser/
    test_people), the `configured` names (site ids) and the language switch's "English" and "繁體" excepted."""
    from tests.browser import test_people

    texts = [t for t in page.evaluate(test_people.TEXT_JS) if t.strip() not in ("English", "繁體")]
    saved = test_people.CONFIGURED[:]
    test_people.CONFIGURED[:] = configured
    try:
        return test_people.raw_words(texts)
    finally:
        test_people.CONFIGURED[:] = saved


def site_cfg(site: str, broker_url: str, pubkey: Path | None) -> Any:
    return parse_config({
        "site": {"id": site, "timezone": "Asia/Shanghai"},
        "banks": [{"id": "A", "driver": "sim", "compartments": [
            {"id": "A-01", "size": "S"}, {"id": "A-02", "size": "M"}, {"id": "A-03", "size": "L"}]}],
        "cloud": {"enabled": True, "broker": broker_url, "command_pubkeys": [str(pubkey)] if pubkey else [],
                  "telemetry_interval_s": 3600, "session_expiry_s": 86400},
    })


@pytest.fixture
async def sites(tmp_path: Path) -> AsyncIterator[Callable[..., Any]]:
    from edge.daemon import Daemon

    made: list[Any] = []

    async def make(site: str, broker_url: str, pubkey: Path | None = None, data_dir: Path | None = None,
                   clock: SimClock | None = None) -> Any:
        d = Daemon(site_cfg(site, broker_url, pubkey), clock=clock or SimClock(),
                   data_dir=data_dir or tmp_path / f"data-{site}", simulated=True)
        await d.start()
        made.append(d)
        return d

    yield make
    for d in made:
        if d.ready:
            await d.stop()


async def emit(d: Any, n: int, type_: str = "door.opened") -> None:
    await d.store.write(lambda tx: [tx.emit(type_, {"compartment": "A-01", "i": i}) for i in range(n)])


def q(url: str, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as c:
        return c.execute(sql, args).fetchall()


async def until(pred: Callable[[], Any], within: float = 30.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        v = await asyncio.get_running_loop().run_in_executor(None, pred)
        if v:
            return v
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def wait_for(pred: Callable[[], Any], within: float = 30.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def stored_seqs(url: str, site: str, stream: str | None = None) -> list[int]:
    sql = "SELECT seq FROM events WHERE site = %s" + (" AND stream = %s" if stream else "") + " ORDER BY seq"
    return [r[0] for r in q(url, sql, *([site, stream] if stream else [site]))]


def gap_free(seqs: list[int], first: int = 1) -> bool:
    return seqs == list(range(first, first + len(seqs)))


def publish_raw(broker: Broker, topic: str, payload: bytes | str, retain: bool = False) -> None:
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    c = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="raw-" + os.urandom(4).hex(), protocol=mqtt.MQTTv5)
    c.connect("127.0.0.1", broker.port)
    c.loop_start()
    c.publish(topic, payload if isinstance(payload, bytes) else payload.encode(), qos=1,
              retain=retain).wait_for_publish(5)
    c.disconnect()
    c.loop_stop()


def dumps(doc: Any) -> bytes:
    return json.dumps(doc).encode()
