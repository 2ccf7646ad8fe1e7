"""kill -9 while a courier's door is open, then restart the simulator on the same data dir."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from tests.conftest import launch_sim


def _wait(cond, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def test_kill9_during_deposit_then_restart(tmp_path: Path) -> None:
    data = tmp_path / "site"
    sim = launch_sim(data)
    try:
        status, s = sim.api("POST", "/api/v1/kiosk/courier/session", {"courier_code": "100001"})
        assert status == 200
        h = {"Authorization": "Bearer " + s["token"]}
        # one parcel fully stored
        _, d1 = sim.api("POST", "/api/v1/kiosk/deposits", {"tracking_number": "KILL0001", "unit": "1-101", "phone_tail": "1234"}, h)
        _wait(lambda: sim.api("GET", f"/api/v1/kiosk/deposits/{d1['deposit_id']}", headers=h)[1]["door"] == "open")
        sim.api("POST", f"/api/v1/sim/doors/{d1['compartment']}/close")
        _wait(lambda: sim.api("GET", f"/api/v1/kiosk/deposits/{d1['deposit_id']}", headers=h)[1]["state"] == "stored")
        code = next(n["pickup_code"] for n in sim.api("GET", "/api/v1/sim/notifications")[1] if n["tracking_number"] == "KILL0001")
        # a second deposit with its door open when the power goes
        status, d2 = sim.api("POST", "/api/v1/kiosk/deposits", {"tracking_number": "KILL0002", "unit": "2-502", "phone_tail": "5678"}, h)
        assert status == 201
        _wait(lambda: sim.api("GET", f"/api/v1/kiosk/deposits/{d2['deposit_id']}", headers=h)[1]["door"] == "open")
        sim.kill9()
    finally:
        sim.stop()

    sim = launch_sim(data)
    try:
        doors = {d["compartment"]: d for d in sim.api("GET", "/api/v1/sim/doors")[1]}
        assert all(d["opens"] == 0 for d in doors.values()), "a door was opened at boot"
        assert doors[d2["compartment"]]["door"] == "open"  # still open, as the courier left it
        _, s = sim.api("POST", "/api/v1/kiosk/courier/session", {"courier_code": "100001"})
        h = {"Authorization": "Bearer " + s["token"]}
        st = sim.api("GET", f"/api/v1/kiosk/deposits/{d2['deposit_id']}", headers=h)[1]
        assert st["state"] == "failed" and st["failure"] == "interrupted" and st["message"]
        # staff can see it: the compartment is held for a check, with a task
        db = sqlite3.connect(data / "lockerd.db")
        state = db.execute("SELECT state FROM compartments WHERE id = ?", (d2["compartment"],)).fetchone()[0]
        tasks = db.execute("SELECT kind FROM tasks WHERE compartment_id = ? AND state = 'open'", (d2["compartment"],)).fetchall()
        stored = db.execute("SELECT state, pickup_code FROM parcels WHERE tracking_number = 'KILL0001'").fetchone()
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.close()
        assert state == "fault" and ("interrupted_deposit",) in tasks
        assert stored == ("stored", code)
        # the stored parcel still opens with its code, and nothing else opened
        status, res = sim.api("POST", "/api/v1/kiosk/pickup", {"code": code})
        assert status == 200 and res["parcels"][0]["compartment"] == d1["compartment"]
        _wait(lambda: {d["compartment"]: d for d in sim.api("GET", "/api/v1/sim/doors")[1]}[d1["compartment"]]["door"] == "open")
        doors = {d["compartment"]: d for d in sim.api("GET", "/api/v1/sim/doors")[1]}
        assert sum(d["opens"] for d in doors.values()) == 1
    finally:
        sim.stop()
