"""Gap-free event numbering for HQ (DESIGN.md section 4): `events.pseq` is the number an event carries on
`.../events`, counted only for events (command results keep a local row number but no `pseq`), and
`streams` names the sequence each range of `pseq` belongs to. A new database, a restored backup or this
migration starts a new stream, so a number HQ has seen is never reused under the same stream.
"""

from __future__ import annotations

import sqlite3

from edge.store.streams import new_stream

SQL = ""


def up(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE events ADD COLUMN pseq INTEGER")
    conn.execute(
        "CREATE TABLE streams (name TEXT PRIMARY KEY, first_pseq INTEGER NOT NULL UNIQUE, started_at TEXT NOT NULL)"
    )
    # events already stored get numbers of their own stream, in their old order, results left out
    conn.execute(
        "UPDATE events SET pseq = (SELECT n FROM (SELECT seq AS s, row_number() OVER (ORDER BY seq) AS n "
        "FROM events WHERE type != 'cmd.result') WHERE s = events.seq) WHERE type != 'cmd.result'"
    )
    conn.execute("CREATE UNIQUE INDEX events_pseq ON events(pseq) WHERE pseq IS NOT NULL")
    last = int(conn.execute("SELECT coalesce(max(pseq), 0) FROM events").fetchone()[0])
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('events.pseq', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (str(last),)
    )
    if last:
        conn.execute("INSERT INTO streams (name, first_pseq, started_at) VALUES (?, 1, datetime('now'))",
                     (new_name(),))
    new_stream(conn)


def new_name() -> str:
    from edge.ids import uuid7

    return uuid7()
