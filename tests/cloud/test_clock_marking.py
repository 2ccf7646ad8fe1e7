"""Events stamped before the clock was synchronised are marked in the envelope HQ receives."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from cloudsync.publisher import ENVELOPE_SQL
from edge.clock import SimClock
from edge.store.db import Store

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs/schemas/envelope.json").read_text())


def test_unsynchronised_events_are_marked(tmp_path: Path) -> None:
    clock = SimClock()
    s = Store(tmp_path / "c.db", clock, "site-1")
    s.open()
    try:
        clock.synchronised = False
        s.write_sync(lambda tx: tx.emit("door.opened", {"compartment": "A-01"}))
        clock.synchronised = True
        s.write_sync(lambda tx: tx.emit("door.opened", {"compartment": "A-02"}))
        rows = s.read_sync(lambda tx: tx.execute(ENVELOPE_SQL, ('"site-1"', 0, 10)).fetchall())
    finally:
        s.close()
    envs = [json.loads(r[2]) for r in rows]
    assert envs[0]["clock_synced"] is False and "clock_synced" not in envs[1]
    for e in envs:
        jsonschema.validate(e, SCHEMA)
