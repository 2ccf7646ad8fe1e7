"""`simulate --hardware KIND`: emulators for the simulator site, driven through the real drivers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from drivers.bus import BusRegistry
from drivers.emulators.launch import KINDS, assign_addresses, start_emulated_banks, stop_emulators
from drivers.locks.base import DoorState, SimulatedDoors
from drivers.locks.factory import create_bank
from edge.config import load_config
from tests.drivers.conftest import Recorder, wait_for

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("kind", KINDS)
async def test_sim_site_on_emulated_hardware(kind: str, tmp_path: Path, clock: Any) -> None:
    cfg = load_config(REPO / "firmware-config" / "sim.toml")
    cfg, emus = start_emulated_banks(cfg, kind, tmp_path / "emu")
    buses = BusRegistry()
    banks = []
    try:
        assert all(b.driver == kind for b in cfg.banks)
        assert all(isinstance(e, SimulatedDoors) for e in emus)
        doors = cfg.doors.model_copy(update={"poll_interval_s": 0.05})
        banks = [create_bank(b, doors, clock, buses=buses) for b in cfg.banks]
        rec = Recorder()
        for b in banks:
            await b.start(rec)
        assert all(b.health().online for b in banks)
        assert all(s is DoorState.CLOSED for b in banks for s in b.door_states().values())
        last = banks[-1].compartments[-1]
        await banks[-1].open(last)
        await wait_for(lambda: rec.states(last) == ["open"])
        emus[-1].sim_close(last)
        await wait_for(lambda: rec.states(last) == ["open", "closed"])
        assert next(d for d in emus[-1].sim_doors() if d["compartment"] == last)["opens"] == 1
    finally:
        for b in banks:
            await b.stop()
        stop_emulators(emus)


def test_bad_kind_and_addressing() -> None:
    cfg = load_config(REPO / "firmware-config" / "sim.toml")
    with pytest.raises(ValueError, match="unknown hardware kind"):
        start_emulated_banks(cfg, "kerong-cu99", Path("/tmp"))
    assert assign_addresses("kerong-cu16", 18)[16:] == [(1, 1), (1, 2)]
    assert assign_addresses("xor8a", 25)[-1] == (2, 1)
    with pytest.raises(ValueError, match="do not fit"):
        assign_addresses("kerong-cu16", 16 * 16 + 1)
