"""Trial42: `lockerd migrate` (what install.sh runs on an upgrade, after its own backup) backed the database up to
backups/ and then again beside it as `lockerd.db.pre-v13.bak`, a full copy no timer prunes: a year of a 60-door
site (48 MB at schema v1) left 52 + 48 + 48 MB, and each later upgrade one more. One verified backup is enough."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from edge.cli import backup as bk
from edge.store.db import SCHEMA_VERSION, migrate


def test_migrate_keeps_one_backup(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = data / bk.DB_NAME
    conn = sqlite3.connect(db, isolation_level=None)
    migrate(conn, target=1)  # the oldest schema
    conn.execute("INSERT INTO meta (key, value) VALUES ('site_id', 's1')")
    conn.close()
    before, after, saved = bk.migrate_database(db, data / "backups")
    assert (before, after) == (1, SCHEMA_VERSION)
    assert saved is not None and saved.exists() and bk.verify_database(saved) == 1
    assert sorted(p.name for p in data.iterdir()) == ["backups", bk.DB_NAME]
