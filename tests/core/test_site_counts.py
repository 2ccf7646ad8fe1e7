"""One read model of the site's counts: telemetry, /metrics and the console dashboard read the same figures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cloudsync.telemetry import gather_state
from edge.clock import SimClock
from edge.domain.parcel import PARCEL_STATES, ParcelState
from edge.services import site_counts
from edge.services.lifecycle import ParcelLifecycle
from edge.store.db import Store, Tx
from edge.web.console import queries
from edge.web.metrics import snapshot


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "c.db", SimClock(), "site")
    s.open()

    def fill(tx: Tx) -> None:
        for cid, size, state, door, configured in [
            ("A-01", "S", "occupied", "closed", 1), ("A-02", "S", "free", "open", 1), ("A-03", "M", "fault", "open", 1),
            ("A-04", "M", "disabled", "closed", 1), ("Z-99", "L", "fault", "open", 0),  # removed from the config
        ]:
            tx.execute("INSERT INTO compartments (id, bank, size, state, door, configured, updated_at)"
                       " VALUES (?, 'A', ?, ?, ?, ?, ?)", (cid, size, state, door, configured, tx.ts))
        life = ParcelLifecycle(None)
        for i, (state, stage) in enumerate([(ParcelState.STORED, None), (ParcelState.STORED, "overdue"),
                                            (ParcelState.STORED, "noticed"), (ParcelState.EXPECTED, None)]):
            p = life.create(tx, state, {"tracking_number": f"SF12345678901{i:02d}", "unit": "1-101",
                                        "compartment_id": "A-01" if state == ParcelState.STORED else None},
                            actor="test")
            if stage:
                tx.execute("UPDATE parcels SET stage = ? WHERE id = ?", (stage, p["id"]))
        tx.execute("INSERT INTO tasks (kind, title, created_at) VALUES ('move_to_parcel_room', 't', ?)", (tx.ts,))

    s.write_sync(fill)
    yield s
    s.close()


def test_the_read_model(store: Store) -> None:
    c = store.read_sync(site_counts.read)
    assert list(c.parcels) == list(PARCEL_STATES)
    assert c.parcels["stored"] == c.stored == 3 and c.parcels["expected"] == 1 and c.parcels["collected"] == 0
    assert c.overdue == 2 and c.stages == {"none": 1, "overdue": 1, "noticed": 1}
    assert c.doors_open == 2 and c.faults == ["A-03"]  # Z-99 is not configured
    assert c.occupancy["S"] == {"total": 2, "free": 1, "reserved": 0, "occupied": 1, "disabled": 0, "fault": 0}
    assert c.compartments == {"free": 1, "reserved": 0, "occupied": 1, "disabled": 1, "fault": 1}
    assert c.open_tasks == 1 and c.tasks == {"move_to_parcel_room": 1}


def test_telemetry_metrics_and_console_share_it(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = site_counts.read

    def counting(tx: Tx) -> site_counts.SiteCounts:
        calls.append(1)
        return real(tx)

    monkeypatch.setattr(site_counts, "read", counting)
    tel = store.read_sync(gather_state)
    met = store.read_sync(snapshot)
    dash = store.read_sync(queries.summary)
    assert len(calls) == 3  # each of the three reads the one model
    assert tel["parcels"] == met["parcels"] and tel["parcels"]["stored"] == dash["stored"] == 3
    assert tel["doors_open"] == met["doors_open"] == dash["doors_open"] == 2
    assert len(tel["faults"]) == dash["faults"] == met["compartments"]["fault"] == 1
    assert dash["overdue"] == 2 and dash["open_tasks"] == 1
