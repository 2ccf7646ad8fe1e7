"""`lockerd run` / `lockerd simulate` on a port another program holds: a plain refusal, no traceback.

Found by the 2026-12-02 trial: uvicorn logged two tracebacks and the process exited with status 3
("SystemExit: 3"), which says nothing to whoever reads the journal.
"""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

from edge.instance import EXIT_REFUSED
from tests.conftest import lockerd_cmd

REPO = Path(__file__).resolve().parents[2]


def _held_port() -> socket.socket:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    return s


def test_simulate_on_a_port_in_use(tmp_path: Path) -> None:
    with _held_port() as held:
        port = held.getsockname()[1]
        r = subprocess.run([*lockerd_cmd(), "simulate", "--data-dir", str(tmp_path / "var"),
                            "--http", f"127.0.0.1:{port}"], capture_output=True, text=True, timeout=60)
    assert r.returncode == EXIT_REFUSED, r.stderr[-2000:]
    assert "Traceback" not in r.stderr and "SystemExit" not in r.stderr
    assert f"Another program already listens on 127.0.0.1:{port}" in r.stderr and "已被其他程序占用" in r.stderr


def test_run_with_a_console_address_not_on_this_machine(tmp_path: Path) -> None:
    text = (REPO / "firmware-config" / "sim.toml").read_text()
    cfg = tmp_path / "site.toml"
    cfg.write_text(text.replace('data_dir = "./var"', f'data_dir = "{tmp_path / "var"}"'))
    r = subprocess.run([*lockerd_cmd(), "run", "--config", str(cfg), "--http", "192.0.2.1:18099"],
                       capture_output=True, text=True, timeout=60)  # TEST-NET-1: never on this machine, never sent to
    assert r.returncode == EXIT_REFUSED, r.stderr[-2000:]
    assert "Traceback" not in r.stderr and "is not an address of this machine" in r.stderr
    assert "不是本机地址" in r.stderr
