"""The event streams of the MQTT contract (DESIGN.md section 4): which `stream` a published `seq` counts in.

`meta['events.pseq']` is the last number given to an event; each row of `streams` starts a stream at
`first_pseq`. A restored backup (`lockerd restore`) starts a new stream above the restored counter, so the
events made after the restore never reuse a (stream, seq) HQ already holds, while the events the backup
already had keep the stream they were first published in.
"""

from __future__ import annotations

import sqlite3

from edge.ids import uuid7

#: meta key: when `lockerd restore` put a backup in place (UTC ISO). The restored inbox has forgotten the
#: commands the replaced unit carried out after the backup: door commands issued before it are refused
RESTORED_AT = "cloud.restored_at"
#: types stored in the events table that are not events of the stream (published on their own topics)
UNNUMBERED_TYPES = frozenset({"cmd.result"})
NEXT_PSEQ_SQL = (
    "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'events.pseq' RETURNING CAST(value AS INTEGER)"
)
#: the stream a row's pseq belongs to (the newest stream starting at or below it)
STREAM_OF_SQL = "(SELECT s.name FROM streams s WHERE s.first_pseq <= {pseq} ORDER BY s.first_pseq DESC LIMIT 1)"


def has_streams(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'streams'").fetchone() is not None


def last_pseq(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'events.pseq'").fetchone()
    return int(row[0]) if row else 0


def new_stream(conn: sqlite3.Connection) -> str:
    """Start a new stream above the current counter (inside the caller's transaction)."""
    first = last_pseq(conn) + 1
    name = uuid7()
    conn.execute("DELETE FROM streams WHERE first_pseq >= ?", (first,))  # a stream that never got an event
    conn.execute("INSERT INTO streams (name, first_pseq, started_at) VALUES (?, ?, datetime('now'))", (name, first))
    return name


def current_stream(conn: sqlite3.Connection) -> tuple[str, int]:
    """(name, first_pseq) of the stream new events go to."""
    row = conn.execute("SELECT name, first_pseq FROM streams ORDER BY first_pseq DESC LIMIT 1").fetchone()
    if row is None:
        return "", 1
    return str(row[0]), int(row[1])


def stream_range(conn: sqlite3.Connection, name: str) -> tuple[int, int] | None:
    """(first, last) pseq of a stream, or None if this database does not know it."""
    row = conn.execute("SELECT first_pseq FROM streams WHERE name = ?", (name,)).fetchone()
    if row is None:
        return None
    first = int(row[0])
    nxt = conn.execute("SELECT min(first_pseq) FROM streams WHERE first_pseq > ?", (first,)).fetchone()[0]
    last = int(nxt) - 1 if nxt is not None else last_pseq(conn)
    return first, last
