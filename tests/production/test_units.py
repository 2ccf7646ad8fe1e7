"""systemd units: offline verification and the security rating of lockerd.service.

`systemd-analyze verify` checks that ExecStart binaries exist; we copy the units into a temporary
directory with ExecStart pointed at an executable created there (the real binaries live on the Pi).
"""

from __future__ import annotations

import configparser
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "systemd"
ANALYZE = shutil.which("systemd-analyze")
needs_analyze = pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze is not installed")
UNIT_FILES = ["lockerd.service", "lockerd-kiosk.service", "lockerd-backup.service", "lockerd-backup.timer"]


def _parse(name: str) -> dict[str, dict[str, list[str]]]:
    """Parse a unit file keeping repeated keys (configparser cannot)."""
    out: dict[str, dict[str, list[str]]] = {}
    section = ""
    for raw in (UNITS / name).read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            out.setdefault(section, {})
            continue
        key, _, value = line.partition("=")
        out[section].setdefault(key, []).append(value)
    return out


def _staged(tmp_path: Path) -> Path:
    stub = tmp_path / "bin" / "stub"
    stub.parent.mkdir()
    stub.write_text("#!/bin/sh\nexit 0\n")
    stub.chmod(0o755)
    units = tmp_path / "units"
    units.mkdir()
    for name in UNIT_FILES:
        text = (UNITS / name).read_text()
        text = re.sub(r"^ExecStart=\S+", f"ExecStart={stub}", text, flags=re.M)
        (units / name).write_text(text)
    return units


def test_lockerd_unit_contract() -> None:
    u = _parse("lockerd.service")["Service"]
    assert u["Type"] == ["notify"]
    assert u["ExecStart"] == ["/opt/lockerd/current/bin/lockerd run --config /etc/lockerd/site.toml"]
    assert u["Restart"] == ["on-failure"]
    assert "WatchdogSec" in u
    assert u["User"] == ["lockerd"]
    assert set(u["SupplementaryGroups"][0].split()) == {"dialout", "gpio"}
    assert u["StateDirectory"] == ["lockerd"]
    assert u["ConfigurationDirectory"] == ["lockerd"]
    assert u["NoNewPrivileges"] == ["yes"]
    assert u["CapabilityBoundingSet"] == [""]


def test_kiosk_unit_contract() -> None:
    unit = _parse("lockerd-kiosk.service")
    assert "lockerd.service" in unit["Unit"]["Requires"][0].split()
    assert "lockerd.service" in " ".join(unit["Unit"]["After"]).split()
    svc = unit["Service"]
    assert svc["Restart"] == ["always"]
    assert svc["IPAddressDeny"] == ["any"]
    assert svc["IPAddressAllow"] == ["localhost"]
    script = (UNITS / "kiosk-browser.sh").read_text()
    for flag in (
        "--kiosk",
        "--disable-pinch",
        "--overscroll-history-navigation=0",
        "--no-first-run",
        "--host-resolver-rules=",
        "--disable-background-networking",
    ):
        assert flag in script
    assert "http://127.0.0.1:8080/kiosk" in script
    policy = json.loads((UNITS / "chromium-policy.json").read_text())
    assert policy["URLBlocklist"] == ["*"]
    assert all(u.startswith(("http://127.0.0.1:", "http://localhost:")) for u in policy["URLAllowlist"])
    assert policy["PasswordManagerEnabled"] is False and policy["TranslateEnabled"] is False


def test_kiosk_script_is_valid_sh() -> None:
    subprocess.run(["sh", "-n", str(UNITS / "kiosk-browser.sh")], check=True)


def test_backup_timer_targets_the_service() -> None:
    timer = configparser.ConfigParser(strict=False)
    timer.read(UNITS / "lockerd-backup.timer")
    assert timer["Timer"]["Persistent"] == "true"
    svc = _parse("lockerd-backup.service")["Service"]
    assert svc["Type"] == ["oneshot"]
    assert "lockerd backup" in svc["ExecStart"][0] and "--keep" in svc["ExecStart"][0]


@needs_analyze
def test_units_verify_offline(tmp_path: Path) -> None:
    units = _staged(tmp_path)
    files = [str(units / n) for n in UNIT_FILES]
    proc = subprocess.run(
        [ANALYZE, "verify", "--man=no", *files], capture_output=True, text=True, timeout=60  # type: ignore[list-item]
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # no warnings about unknown keys or bad values either
    assert "Unknown" not in proc.stderr and "Failed to parse" not in proc.stderr, proc.stderr


def _exposure(path: Path) -> float:
    proc = subprocess.run(
        [ANALYZE, "security", "--offline=yes", str(path)],  # type: ignore[list-item]
        capture_output=True,
        text=True,
        timeout=60,
    )
    m = re.search(r"Overall exposure level for \S+: ([0-9.]+)", proc.stdout)
    assert m, proc.stdout + proc.stderr
    return float(m.group(1))


@needs_analyze
def test_lockerd_security_rating_at_most_3_5() -> None:
    assert _exposure(UNITS / "lockerd.service") <= 3.5


@needs_analyze
def test_backup_security_rating_at_most_3_5() -> None:
    assert _exposure(UNITS / "lockerd-backup.service") <= 3.5


def test_kiosk_script_waits_for_health_then_execs_chromium(tmp_path: Path) -> None:
    import http.server
    import threading

    hits: list[str] = []

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200 if self.path == "/healthz" else 404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    bindir = tmp_path / "bin"
    bindir.mkdir()
    args_file = tmp_path / "args.txt"
    stub = bindir / "chromium"
    stub.write_text(f'#!/bin/sh\nfor a in "$@"; do echo "$a"; done > {args_file}\n')
    stub.chmod(0o755)
    env = {
        "PATH": f"{bindir}:/usr/bin:/bin",
        "KIOSK_URL": f"http://127.0.0.1:{port}/kiosk",
        "STATE_DIRECTORY": str(tmp_path / "state"),
        "KIOSK_WAIT_S": "5",
    }
    try:
        subprocess.run(["sh", str(UNITS / "kiosk-browser.sh")], env=env, check=True, timeout=30)
    finally:
        server.shutdown()
    assert hits and hits[0] == "/healthz"
    args = args_file.read_text().splitlines()
    assert args[:2] == ["--kiosk", f"http://127.0.0.1:{port}/kiosk"]
    assert "--disable-pinch" in args and "--overscroll-history-navigation=0" in args
    assert f"--user-data-dir={tmp_path / 'state'}/chromium" in args


def test_kiosk_script_without_chromium_fails_clearly(tmp_path: Path) -> None:
    proc = subprocess.run(
        ["/bin/sh", str(UNITS / "kiosk-browser.sh")],
        env={"PATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert proc.returncode == 1 and "chromium is not installed" in proc.stderr
