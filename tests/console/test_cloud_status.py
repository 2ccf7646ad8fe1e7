"""The dashboard's cloud status and outbox depth, from `lockerd simulate --mqtt` and a real Mosquitto."""

from __future__ import annotations

import http.cookiejar
import json
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.broker
MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_broker(tmp: Path, port: int) -> subprocess.Popen[bytes]:
    conf = tmp / "mosquitto.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n")
    proc = subprocess.Popen([MOSQUITTO, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("mosquitto did not start")


class Browserless:
    """A cookie-keeping HTTP client for the console (loopback only)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=10) as r:
            return r.read().decode()

    def login(self, user: str, password: str) -> None:
        token = re.search(r'name="_csrf" value="([^"]+)"', self.get("/login")).group(1)  # type: ignore[union-attr]
        body = urllib.parse.urlencode({"_csrf": token, "username": user, "password": password}).encode()
        with self.opener.open(self.base + "/login", data=body, timeout=10) as r:
            assert r.status == 200 and 'id="grid"' in r.read().decode()

    def grid(self) -> dict[str, Any]:
        return json.loads(self.get("/api/v1/console/grid"))


def wait_for(fn: Any, timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = fn()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def test_dashboard_follows_the_broker_connection(tmp_path: Path) -> None:
    if not Path(MOSQUITTO).exists():
        pytest.skip("mosquitto not installed")
    from tests.conftest import launch_sim

    port = free_port()
    broker = start_broker(tmp_path, port)
    server = launch_sim(tmp_path / "sim", "--mqtt", f"mqtt://127.0.0.1:{port}")
    try:
        c = Browserless(server.url)
        c.login("staff", "staff-demo-pass")
        cloud = wait_for(lambda: (g := c.grid()["cloud"]) and g.get("connected") and g)
        assert "outbox_depth" in cloud and str(port) in cloud["broker"]
        assert "已连接" in c.get("/")
        broker.send_signal(signal.SIGTERM)
        broker.wait(10)
        wait_for(lambda: c.grid()["cloud"]["connected"] is False)
        page = c.get("/")
        assert "离线" in page and 'id="outbox"' in page
    finally:
        server.stop()
        if broker.poll() is None:
            broker.kill()
            broker.wait()
