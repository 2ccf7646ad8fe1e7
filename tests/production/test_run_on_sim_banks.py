"""`lockerd run` on a site file with simulated banks says at start that their doors close only under
`lockerd simulate` (trial 2026-12-03c: a deposit waited for a door nothing could close); a real board's file is
started without that warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from edge.cli.run import simulated_banks_warning
from edge.config import load_config

PROFILES = Path(__file__).resolve().parents[2] / "firmware-config"


def test_sim_profile_warns_that_its_doors_close_only_under_simulate() -> None:
    warning = simulated_banks_warning(load_config(PROFILES / "sim.toml"))
    assert warning is not None
    assert "lockerd simulate" in warning and "driver" in warning
    assert "banks A, B use the simulated driver" in warning


@pytest.mark.parametrize("profile", ["kerong-cu16.toml", "gpio-8door.toml", "modbus-relay.toml"])
def test_a_real_boards_profile_gets_no_warning(profile: str) -> None:
    assert simulated_banks_warning(load_config(PROFILES / profile)) is None
