"""What a service function gets inside one store transaction: queries, events, audit and timeline lines."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from edge.clock import Clock, utc_iso
from edge.ids import uuid7
from edge.store.streams import NEXT_PSEQ_SQL, UNNUMBERED_TYPES

if TYPE_CHECKING:
    import sqlite_utils


class Tx:
    """What a service function gets inside a transaction."""

    def __init__(self, conn: sqlite3.Connection, clock: Clock, site_id: str) -> None:
        self.conn = conn
        self._db: sqlite_utils.Database | None = None
        self.clock = clock
        self.site_id = site_id
        self.now: datetime = clock.now()
        self.ts = utc_iso(self.now)
        self._after_commit: list[Callable[[], None]] = []
        #: events emitted in this transaction (for listeners after commit)
        self.emitted: list[dict[str, Any]] = []

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils on this transaction's connection, built on first use (perf18). Building it runs
        ``PRAGMA recursive_triggers=on`` and a plugin hook; setting a flag pragma expires every prepared
        statement of the connection, so before this every write and every read re-compiled each of its
        statements (a one-statement write took 0.15-0.21 ms of the writer's CPU instead of 0.08-0.10; a door outcome's
        five statements 0.56-0.72 ms instead of 0.34-0.39: docs/performance.md, perf18). The store sets the pragma once
        on each of its connections instead."""
        if self._db is None:
            import sqlite_utils  # on first use: with click, pluggy and dateutil it is 2 MB no daemon path needs

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    # --- queries -------------------------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def all(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, params)
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    def one(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> dict[str, Any] | None:
        cur = self.conn.execute(sql, params)
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([c[0] for c in cur.description], row, strict=True))

    def scalar(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    # --- side records ----------------------------------------------------------------------------
    def emit(self, type_: str, data: dict[str, Any], *, ts: str | None = None, droppable: bool = False) -> int:
        """Append an event to the log and the outbox, in this transaction. Returns its seq."""
        event_id = uuid7(self.now)
        synced = self.clock.synchronised
        # the gap-free number of `.../events` (section 4); command results get none
        pseq = None if type_ in UNNUMBERED_TYPES else self.conn.execute(NEXT_PSEQ_SQL).fetchone()[0]
        cur = self.conn.execute(
            "INSERT INTO events (id, type, ts, data, clock_synced, pseq) VALUES (?, ?, ?, ?, ?, ?)",
            (event_id, type_, ts or self.ts, json.dumps(data, ensure_ascii=False, separators=(",", ":")), int(synced),
             pseq),
        )
        seq = int(cur.lastrowid or 0)
        self.conn.execute("INSERT INTO outbox (seq, droppable) VALUES (?, ?)", (seq, int(droppable)))
        self.emitted.append({"seq": seq, "pseq": pseq, "id": event_id, "type": type_, "ts": ts or self.ts, "data": data})
        return seq

    def audit(self, actor: str, action: str, target: str = "", reason: str = "", **detail: Any) -> None:
        self.conn.execute(
            "INSERT INTO audit (ts, actor, action, target, reason, detail) VALUES (?, ?, ?, ?, ?, ?)",
            (self.ts, actor, action, target, reason, json.dumps(detail, ensure_ascii=False, default=str)),
        )

    def log(self, parcel_id: str, kind: str, actor: str = "", **detail: Any) -> None:
        """One line in a parcel's timeline."""
        self.conn.execute(
            "INSERT INTO parcel_log (parcel_id, ts, kind, actor, detail) VALUES (?, ?, ?, ?, ?)",
            (parcel_id, self.ts, kind, actor, json.dumps(detail, ensure_ascii=False, default=str)),
        )

    def meta_get(self, key: str, default: str | None = None) -> str | None:
        v = self.scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return default if v is None else str(v)

    def meta_set(self, key: str, value: str) -> None:
        self.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def after_commit(self, fn: Callable[[], None]) -> None:
        """Run fn on the event loop once the transaction has committed (never if it rolls back)."""
        self._after_commit.append(fn)
