"""Persisted wrong-attempt counters (pickup codes and courier codes), one row per scope."""

from __future__ import annotations

from datetime import datetime

from edge.clock import parse_iso, utc_iso
from edge.domain.codes import AttemptState
from edge.store.db import Tx


def load(tx: Tx, scope: str) -> AttemptState:
    row = tx.one("SELECT * FROM code_attempts WHERE scope = ?", (scope,))
    if row is None:
        return AttemptState()
    return AttemptState(
        failures=row["failures"],
        lockouts=row["lockouts"],
        tokens=row["tokens"],
        locked_until=parse_iso(row["locked_until"]) if row["locked_until"] else None,
        updated_at=parse_iso(row["updated_at"]),
    )


def save(tx: Tx, scope: str, st: AttemptState, now: datetime) -> None:
    tx.execute(
        "INSERT INTO code_attempts (scope, failures, lockouts, tokens, locked_until, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(scope) DO UPDATE SET failures = excluded.failures,"
        " lockouts = excluded.lockouts, tokens = excluded.tokens, locked_until = excluded.locked_until,"
        " updated_at = excluded.updated_at",
        (
            scope,
            st.failures,
            st.lockouts,
            st.tokens,
            utc_iso(st.locked_until) if st.locked_until else None,
            utc_iso(st.updated_at or now),
        ),
    )
