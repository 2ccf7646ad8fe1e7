"""`lockerd run` as systemd would start it: READY after the web server answers, watchdog pings from
the loop, STOPPING on SIGTERM, journal-style log lines. A datagram socket stands in for systemd."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _config(tmp_path: Path, port: int) -> Path:
    text = (REPO / "firmware-config" / "sim.toml").read_text()
    lines = []
    for line in text.splitlines():
        if line.startswith("data_dir"):
            line = f'data_dir = "{tmp_path / "data"}"'
        elif line.startswith("port = 8080"):
            line = f"port = {port}"
        lines.append(line)
    cfg = tmp_path / "site.toml"
    cfg.write_text("\n".join(lines) + "\n")
    return cfg


class Run:
    """`lockerd run` started the way systemd starts it, with a test socket as $NOTIFY_SOCKET."""

    def __init__(self, tmp_path: Path) -> None:
        self.port = _free_port()
        cfg = _config(tmp_path, self.port)
        self.notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        path = str(tmp_path / "notify.sock")
        self.notify.bind(path)
        self.notify.settimeout(20)
        self.stderr = open(tmp_path / "stderr.log", "w+b")
        st = os.fstat(self.stderr.fileno())
        env = {
            **os.environ,
            "NOTIFY_SOCKET": path,
            "WATCHDOG_USEC": "1000000",  # ping every 0.5 s
            "INVOCATION_ID": "0123456789abcdef",
            "JOURNAL_STREAM": f"{st.st_dev}:{st.st_ino}",
            "PYTHONPATH": str(REPO),
        }
        env.pop("WATCHDOG_PID", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "edge.cli.main", "run", "--config", str(cfg)],
            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=self.stderr,
        )

    def recv(self) -> list[str]:
        return self.notify.recv(4096).decode().split("\n")

    def wait_for(self, line: str) -> list[str]:
        while True:
            msg = self.recv()
            if line in msg:
                return msg

    def log(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.notify.close()
        self.stderr.close()


@pytest.fixture
def run(tmp_path: Path) -> Iterator[Run]:
    r = Run(tmp_path)
    try:
        yield r
    finally:
        r.close()


@pytest.mark.timeout(60)
def test_ready_after_web_server_and_watchdog_from_loop(run: Run) -> None:
    msg = run.wait_for("READY=1")
    # READY means the web server answers
    with urllib.request.urlopen(f"http://127.0.0.1:{run.port}/healthz", timeout=5) as r:
        assert r.status == 200 and json.loads(r.read())["status"] == "ok"
    assert any(m.startswith("STATUS=serving") for m in msg)
    t0 = time.monotonic()
    for _ in range(3):
        run.wait_for("WATCHDOG=1")
    assert time.monotonic() - t0 < 5
    # started by systemd: journal-style lines with <N> priority prefixes on stderr
    lines = [ln for ln in run.log().splitlines() if ln]
    assert lines, "no log output"
    assert all(ln.startswith("<") and ln[2] == ">" for ln in lines), run.log()[:2000]
    assert "Traceback" not in run.log()


@pytest.mark.timeout(60)
def test_sigterm_stops_cleanly(run: Run) -> None:
    run.wait_for("READY=1")
    run.proc.send_signal(signal.SIGTERM)
    rc = run.proc.wait(timeout=20)
    run.notify.setblocking(False)
    seen: list[str] = []
    while True:
        try:
            seen += run.recv()
        except BlockingIOError:
            break
    assert "STOPPING=1" in seen
    assert rc == 0
    assert "Traceback" not in run.log()
