"""`lockerd doctor` and drivers/diagnostics.py against emulated boards."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest
from gpiozero.pins.mock import MockFactory

from drivers import diagnostics as diag
from drivers.bus import BusRegistry
from drivers.emulators.kerong import KerongCU16Emulator
from drivers.locks.factory import create_bank
from edge.cli import doctor
from edge.config import load_config
from tests.drivers.conftest import FAST_DOORS, Recorder, emu_doors

SITE = """config_version = 1
[site]
id = "doc-test"
[scanner]
driver = "none"
[[banks]]
id = "A"
driver = "kerong-cu16"
port = "{port}"
[[banks.compartments]]
id = "A-01"
size = "S"
board = 0
lock = 1
[[banks.compartments]]
id = "A-02"
size = "S"
board = 1
lock = 2
"""


def args(config: str | None, as_json: bool = True) -> argparse.Namespace:
    return argparse.Namespace(config=config, timeout=0.5, strict=False, json=as_json)


def write_site(tmp_path: Path, port: str) -> Path:
    f = tmp_path / "site.toml"
    f.write_text(SITE.format(port=port))
    return f


def test_doctor_probes_boards_on_emulator(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    emu = KerongCU16Emulator(emu_doors([(0, 1)]), workdir=tmp_path).start()  # board 1 missing
    try:
        emu.sim_force_open("A-01")
        rc = doctor.run(args(str(write_site(tmp_path, emu.url))))
        out = json.loads(capsys.readouterr().out)
        banks = {r["name"]: r for r in out["findings"] if r["section"] == "banks"}
        assert banks["bank A board 0"]["ok"] and "open: [1]" in banks["bank A board 0"]["detail"]
        assert not banks["bank A board 1"]["ok"] and "board address" in banks["bank A board 1"]["detail"]
        assert rc == 1 and out["ok"] is False
        assert all(d["opens"] == 0 for d in emu.sim_doors())  # doctor never opens
    finally:
        emu.stop()


def test_doctor_all_good_and_text_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    emu = KerongCU16Emulator(emu_doors([(0, 1), (1, 2)]), workdir=tmp_path).start()
    try:
        rc = doctor.run(args(str(write_site(tmp_path, emu.url)), as_json=False))
        out = capsys.readouterr().out
        assert rc == 0 and "all required checks passed" in out and "[banks]" in out
    finally:
        emu.stop()


def test_doctor_missing_port_in_plain_words(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = doctor.run(args(str(write_site(tmp_path, str(tmp_path / "ttyUSB9")))))
    out = json.loads(capsys.readouterr().out)
    assert rc == 1
    assert any("does not exist" in r["detail"] and "adapter" in r["detail"] for r in out["findings"])


def test_doctor_bad_config_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "bad.toml"
    f.write_text("[site]\nid = 'x'\nbogus = 1\n")
    assert doctor.run(args(str(f))) == 1
    out = json.loads(capsys.readouterr().out)
    assert any(r["section"] == "config" and not r["ok"] for r in out["findings"])


async def test_probe_says_busy_while_lockerd_holds_the_port(tmp_path: Path, clock: Any) -> None:
    import asyncio

    emu = KerongCU16Emulator(emu_doors([(0, 1), (1, 2)]), workdir=tmp_path).start()
    cfg = load_config(write_site(tmp_path, emu.url))
    bank = create_bank(cfg.banks[0], FAST_DOORS, clock, buses=BusRegistry())
    await bank.start(Recorder())
    try:
        findings = await asyncio.to_thread(diag.probe_banks, cfg, clock, timeout=0.5)
        assert not findings[0].ok and "lock" in findings[0].detail.lower()
    finally:
        await bank.stop()
        emu.stop()


def test_probe_gpio_with_mock_factory(tmp_path: Path, clock: Any) -> None:
    cfg = load_config(Path(__file__).resolve().parents[2] / "firmware-config" / "gpio-8door.toml")
    factory = MockFactory()
    try:
        findings = diag.probe_banks(cfg, clock, pin_factory=factory)
        assert findings[0].ok and "8 relays claimed off" in findings[0].detail
        assert factory.pin(5).state is True  # active-low relay left off (high)
    finally:
        factory.reset()


def test_broker_check() -> None:
    import socket

    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    port = srv.getsockname()[1]
    try:
        assert doctor.check_broker(f"mqtt://127.0.0.1:{port}")[0]
    finally:
        srv.close()
    ok, detail = doctor.check_broker(f"mqtt://127.0.0.1:{port}", timeout=0.5)
    assert not ok and "cannot reach" in detail
    assert not doctor.check_broker("http://x")[0]
