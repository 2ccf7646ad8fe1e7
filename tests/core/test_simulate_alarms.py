"""Door alarms end to end through a `lockerd simulate` process and its simulator API."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest

from tests.conftest import launch_sim


def _events(data: Path, type_: str) -> list[dict]:
    db = sqlite3.connect(data / "lockerd.db")
    try:
        rows = db.execute("SELECT data FROM events WHERE type = ? ORDER BY seq", (type_,)).fetchall()
    finally:
        db.close()
    return [json.loads(r[0]) for r in rows]


def _wait(cond, timeout: float = 20.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = cond()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


@pytest.mark.parametrize("hardware", ["sim", "kerong-cu16"])
def test_jam_forced_open_left_open_and_no_open_at_boot(tmp_path: Path, hardware: str) -> None:
    data = tmp_path / "site"
    sim = launch_sim(data, "--confirm-timeout", "1.5", "--hardware", hardware)
    try:
        doors = sim.api("GET", "/api/v1/sim/doors")[1]
        assert doors and all(d["opens"] == 0 for d in doors), "a door opened at boot"
        # jam: the deposit's first door does not open, the deposit moves, alarms are raised
        _, s = sim.api("POST", "/api/v1/kiosk/courier/session", {"courier_code": "100002"})
        h = {"Authorization": "Bearer " + s["token"]}
        free_s = [d["compartment"] for d in doors if d["size"] == "S"]
        for c in free_s[:1]:
            sim.api("POST", f"/api/v1/sim/doors/{c}/jam")
        status, dep = sim.api("POST", "/api/v1/kiosk/deposits",
                              {"tracking_number": "ALARM0001", "unit": "1-101", "phone_tail": "1234", "size": "S"}, h)
        assert status == 201 and dep["compartment"] == free_s[0]
        moved = _wait(lambda: (st := sim.api("GET", f"/api/v1/kiosk/deposits/{dep['deposit_id']}", headers=h)[1])
                      ["compartment"] != free_s[0] and st)
        assert moved["state"] == "depositing"
        # the new door opens a moment after the move; only then can it be left open
        _wait(lambda: sim.api("GET", f"/api/v1/kiosk/deposits/{dep['deposit_id']}", headers=h)[1]["door"] == "open")
        assert [e["compartment"] for e in _events(data, "door.jammed")] == [free_s[0]]
        assert any(e["compartment"] == free_s[0] for e in _events(data, "compartment.fault"))
        # forced open: a door nobody commanded
        victim = [d["compartment"] for d in doors if d["size"] == "L"][0]
        sim.api("POST", f"/api/v1/sim/doors/{victim}/force-open")
        _wait(lambda: _events(data, "door.forced_open"))
        assert [e["compartment"] for e in _events(data, "door.forced_open")] == [victim]
        # left open: the site clock moves past the limit
        sim.api("POST", "/api/v1/sim/clock", {"advance_seconds": 600})
        # both open doors are reported (written one after the other): the forced one and the courier's
        def left_open() -> set[str]:
            return {e["compartment"] for e in _events(data, "door.left_open")}

        _wait(lambda: {victim, moved["compartment"]} <= left_open())
        assert left_open() == {victim, moved["compartment"]}
        sim.stop()
        # restart: nothing opens at boot, even with doors left open and a deposit unfinished
        sim = launch_sim(data, "--confirm-timeout", "1.5", "--hardware", hardware)
        doors = sim.api("GET", "/api/v1/sim/doors")[1]
        assert all(d["opens"] == 0 for d in doors), "a door opened at boot"
    finally:
        sim.stop()
