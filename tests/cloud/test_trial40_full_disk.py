"""Trial 2026-12-07f (trial40): with the SD card full, the outbox publisher logged "outbox publisher step failed;
retrying" with a traceback about every 10 s (`maintain` writes), where docs/reliability.md promises no tracebacks on
a full disk; the notify dispatcher already says one line and waits."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest

from cloudsync.publisher import OutboxPublisher
from edge.clock import SimClock
from edge.store.db import Store
from edge.store.errors import StoreWriteError


async def test_a_full_disk_pauses_the_publisher_in_one_line_without_a_traceback(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path / "p.db", SimClock(), "site-1")
    store.open()
    try:
        pub = OutboxPublisher(store, store.clock, "site-1", lambda kind: f"lockerd/v1/site-1/{kind}")
        calls = {"n": 0}

        async def full(*_a: Any, **_k: Any) -> None:
            calls["n"] += 1
            raise StoreWriteError("the disk reserve is in use", full=True)

        monkeypatch.setattr(pub, "_step", full)
        sleeps: list[float] = []
        real_sleep = asyncio.sleep

        async def fast_sleep(s: float) -> None:
            sleeps.append(s)
            if len(sleeps) >= 3:
                pub._stopping = True
            await real_sleep(0)

        monkeypatch.setattr("cloudsync.publisher.asyncio.sleep", fast_sleep)
        with caplog.at_level(logging.INFO, logger="cloudsync.publisher"):
            await asyncio.wait_for(pub._run(), 5)
        assert calls["n"] == 3
        assert not [r for r in caplog.records if r.exc_info], "a traceback for a full disk"
        lines = [r.getMessage() for r in caplog.records]
        assert lines == ["outbox publisher paused: storage_full; trying again shortly"], lines
    finally:
        store.close()
