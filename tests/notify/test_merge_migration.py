"""Schema v12 (ADR 0043): the messages table is rebuilt to allow 'merged'; rows queued before it are kept and sent."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from edge.store.db import SCHEMA_VERSION, migrate
from edge.store.migrations import MIGRATIONS, m012_message_merge


def test_v11_messages_survive_the_rebuild_and_merged_is_a_state(tmp_path: Path) -> None:
    path = tmp_path / "lockerd.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    before = MIGRATIONS.index(m012_message_merge)  # the schema before this migration (11 when it was written)
    assert migrate(conn, path, target=before) == before
    conn.execute(
        "INSERT INTO messages (id, unit, kind, lang, text, state, attempts, created_at, next_at, expires_at)"
        " VALUES ('m1', '1-101', 'moved', 'zh-CN', '您的包裹已移至包裹室', 'pending', 2, '2026-03-02T01:00:00.000Z',"
        " '2026-03-02T01:05:00.000Z', '2026-03-05T01:00:00.000Z')")
    assert migrate(conn, path) == SCHEMA_VERSION > before
    row = dict(conn.execute("SELECT * FROM messages WHERE id = 'm1'").fetchone())
    assert (row["state"], row["attempts"], row["text"], row["merge_key"], row["merged_into"]) == (
        "pending", 2, "您的包裹已移至包裹室", None, None)  # an old row is never folded: it has no merge key
    conn.execute("UPDATE messages SET state = 'merged', merged_into = 'm0' WHERE id = 'm1'")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE messages SET state = 'lost' WHERE id = 'm1'")
    names = {r["name"] for r in conn.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'messages'")}
    assert {"messages_due", "messages_created", "messages_merge"} <= names
    assert (path.parent / f"lockerd.db.pre-v{SCHEMA_VERSION}.bak").exists()  # the store's usual backup before a migration
    conn.close()
