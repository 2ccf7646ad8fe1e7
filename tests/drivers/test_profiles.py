"""Every shipped hardware profile is a valid site file whose banks the factory can build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from gpiozero.pins.mock import MockFactory

from drivers.locks.factory import create_bank
from edge.config import load_config

REPO = Path(__file__).resolve().parents[2]
PROFILES = ["kerong-cu16", "kerong-cu48", "xor8a", "modbus-relay", "gpio-8door"]


@pytest.mark.parametrize("name", PROFILES)
def test_profile_loads_and_builds(name: str, clock: Any) -> None:
    cfg = load_config(REPO / "firmware-config" / f"{name}.toml")
    expected = "gpio" if name == "gpio-8door" else name
    assert {b.driver for b in cfg.banks} == {expected}
    factory = MockFactory()
    try:
        banks = [create_bank(b, cfg.doors, clock, pin_factory=factory) for b in cfg.banks]
    finally:
        factory.reset()
    assert sum(len(b.compartments) for b in banks) == len(cfg.compartments())
    if name == "gpio-8door":
        assert len(cfg.compartments()) == 8


def test_check_bank_reports_option_problems() -> None:
    from drivers.locks.factory import check_bank
    from edge.config import BankConfig, DoorsConfig

    good = BankConfig(id="A", driver="xor8a", port="/dev/ttyUSB0", compartments=[
        {"id": "A-01", "size": "S", "board": 1, "lock": 1}])
    assert check_bank(good, DoorsConfig()) is None
    bad = good.model_copy(update={"options": {"open_bits": 1}})
    assert "unknown option(s) open_bits" in (check_bank(bad, DoorsConfig()) or "")
    gpio = BankConfig(id="A", driver="gpio", options={"relay_active_high": "no"}, compartments=[
        {"id": "A-01", "size": "S", "relay_pin": 5}])
    assert "relay_active_high" in (check_bank(gpio, DoorsConfig()) or "")


#: every shipped profile, the simulator's too (a new one is checked without being listed)
ALL_PROFILES = sorted(p.stem for p in (REPO / "firmware-config").glob("*.toml"))


def test_every_board_profile_is_listed() -> None:
    assert set(ALL_PROFILES) == {*PROFILES, "sim"}


@pytest.mark.parametrize("name", ALL_PROFILES)
def test_profile_passes_check_config_without_warnings(name: str, capsys: pytest.CaptureFixture[str],
                                                      known_calendar_day: None) -> None:
    """A fresh install's first `lockerd check-config` is clean: each size has doors within reach (trial
    2026-12-02: every board profile warned that no L door was within reach; the sim profile, the installer's
    default, still did), and no secret is written inline."""
    from edge.cli.main import main

    assert main(["check-config", str(REPO / "firmware-config" / f"{name}.toml")]) == 0
    out = capsys.readouterr()
    assert "warning" not in out.out + out.err and ": OK (" in out.out



def test_the_cu48_profile_lists_every_lock_of_its_board() -> None:
    """The CU48 profile listed 36 doors for a board that drives 48 (trial 2026-12-07c added A-37..A-48 by hand for
    a 48-door site): it now lists locks 1..48 of board 0, each once, within reach as the others (the profile
    check above), and its header says 48."""
    from drivers.registry import DRIVERS

    layout = DRIVERS["kerong-cu48"].layout
    assert layout is not None and layout.locks_per_board == 48
    cfg = load_config(REPO / "firmware-config" / "kerong-cu48.toml")
    locks = sorted((c.board, c.lock) for _, c in cfg.compartments())
    assert locks == [(0, n) for n in range(1, 49)], locks
    assert [c.id for _, c in cfg.compartments()] == [f"A-{n:02d}" for n in range(1, 49)]
    header = (REPO / "firmware-config" / "kerong-cu48.toml").read_text(encoding="utf-8").splitlines()[:3]
    assert any("48 doors on board 0" in line for line in header), header
