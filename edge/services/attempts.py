"""Persisted wrong-attempt counters (pickup codes and courier codes), one row per scope."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from edge.clock import parse_iso, utc_iso
from edge.domain.codes import AttemptState
from edge.store.db import Tx


def _state(row: dict[str, Any] | None) -> AttemptState:
    if row is None:
        return AttemptState()
    return AttemptState(
        failures=row["failures"],
        lockouts=row["lockouts"],
        tokens=row["tokens"],
        locked_until=parse_iso(row["locked_until"]) if row["locked_until"] else None,
        updated_at=parse_iso(row["updated_at"]),
    )


def load(tx: Tx, scope: str) -> AttemptState:
    return _state(tx.one("SELECT * FROM code_attempts WHERE scope = ?", (scope,)))


def load_many(tx: Tx, *scopes: str) -> list[AttemptState]:
    """The states of several scopes in one statement (a pickup reads its kiosk's and the site's)."""
    rows = {r["scope"]: r for r in tx.all(
        f"SELECT * FROM code_attempts WHERE scope IN ({','.join('?' * len(scopes))})", scopes)}
    return [_state(rows.get(s)) for s in scopes]


_UPSERT = ("INSERT INTO code_attempts (scope, failures, lockouts, tokens, locked_until, updated_at) VALUES {}"
           " ON CONFLICT(scope) DO UPDATE SET failures = excluded.failures, lockouts = excluded.lockouts,"
           " tokens = excluded.tokens, locked_until = excluded.locked_until, updated_at = excluded.updated_at")


def _row(scope: str, st: AttemptState, now: datetime) -> tuple[Any, ...]:
    return (scope, st.failures, st.lockouts, st.tokens, utc_iso(st.locked_until) if st.locked_until else None,
            utc_iso(st.updated_at or now))


def save(tx: Tx, scope: str, st: AttemptState, now: datetime) -> None:
    tx.execute(_UPSERT.format("(?, ?, ?, ?, ?, ?)"), _row(scope, st, now))


def save_many(tx: Tx, states: dict[str, AttemptState], now: datetime) -> None:
    """Write several scopes' states in one statement (a pickup's kiosk and site scopes)."""
    tx.execute(_UPSERT.format(", ".join(["(?, ?, ?, ?, ?, ?)"] * len(states))),
               [v for scope, st in states.items() for v in _row(scope, st, now)])
