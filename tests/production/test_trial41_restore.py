"""Trial41: restoring onto a new Pi (an empty data dir) logs what happened in words, not "kept as None"."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from edge.cli import backup as bk
from edge.clock import SimClock
from edge.store.db import Store


def test_restore_onto_a_new_pi_says_there_was_no_database(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    old = Store(tmp_path / "old" / bk.DB_NAME, SimClock(datetime(2026, 1, 5, tzinfo=UTC)), "site-1")
    old.open()
    try:
        backup = bk.backup_database(old.path, tmp_path / "offpi")
    finally:
        old.close()
    new_db = tmp_path / "new-pi" / bk.DB_NAME  # a fresh install: no data dir yet
    with caplog.at_level(logging.INFO, logger="edge.cli.backup"):
        assert bk.restore_database(backup, new_db) is None
    text = caplog.text
    assert "None" not in text
    assert "there was no database here before" in text
