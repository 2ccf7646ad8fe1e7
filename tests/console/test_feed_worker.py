"""The console feed worker process (decision 0030): it builds what the daemon built, and when it dies
the staff's live grid goes on, built in the daemon."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from edge.web.console import routes_feed
from edge.web.console.feed_build import FeedBuilder
from edge.web.console.feed_process import FeedProcess


async def test_the_worker_reads_what_the_daemon_reads(console: Any) -> None:
    """The same snapshot from the worker's read-only connection as from the daemon's own reader."""
    await console.site.deposit("SF3000000000001")
    await console.daemon.services.compartments.disable("B-02", actor="test", reason="门有异响")
    worker = FeedProcess(console.daemon)
    try:
        # a new worker sends every cell, the same as the daemon's own builder (but for the time of the read)
        assert _data(await worker.request("next")) == _data(await FeedBuilder(console.daemon).next_message())
        assert await worker.request("next") == b""  # nothing changed since
        assert worker.proc is not None and worker.running
    finally:
        await worker.stop()
    assert not worker.running


def _data(raw: bytes) -> dict[str, Any]:
    head, _, body = raw.decode().partition("\ndata: ")
    assert head == "event: grid"
    data = json.loads(body)
    assert data["cells"]
    return {k: v for k, v in data.items() if k not in ("now", "now_local")}


async def test_a_dead_worker_leaves_the_grid_live(console: Any, monkeypatch: pytest.MonkeyPatch,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(routes_feed, "DEBOUNCE_S", 0.05)
    feed = routes_feed.ConsoleFeed(console.daemon, process=True)
    q = feed.subscribe()
    try:
        await feed.wait_primed()
        assert feed.worker is not None and feed.worker.proc is not None
        feed.worker.proc.kill()
        await asyncio.to_thread(feed.worker.proc.wait)
        await console.daemon.services.compartments.disable("A-05", actor="test", reason="门有异响")
        text = (await asyncio.wait_for(q.get(), 10)).decode()
        # the daemon's builder knew nothing of the worker's snapshot: its first message carries every cell
        assert '"id":"A-05","show":"disabled"' in text.replace(" ", "") or '"show":"disabled"' in text
        assert text.count('"id":') >= len(console.daemon.config.banks[0].compartments)
        assert feed.worker is None and "built in the daemon" in caplog.text
    finally:
        await feed.unsubscribe(q)
        await feed.close()


async def test_the_worker_store_is_read_only_and_takes_any_path(tmp_path: Path) -> None:
    import sqlite3

    from edge.web.console.feed_worker import ReadOnlyStore, SentClock

    where = tmp_path / "site #1? 100%"
    where.mkdir()
    conn = sqlite3.connect(where / "lockerd.db")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (v TEXT)")
    conn.execute("INSERT INTO t VALUES ('x')")
    conn.commit()
    store = ReadOnlyStore(str(where / "lockerd.db"), SentClock(), "site")
    assert await store.read(lambda tx: tx.scalar("SELECT v FROM t")) == "x"
    with pytest.raises(sqlite3.OperationalError):
        await store.read(lambda tx: tx.execute("INSERT INTO t VALUES ('y')"))
    conn.close()


async def test_a_worker_that_cannot_start_leaves_the_grid_live(console: Any, monkeypatch: pytest.MonkeyPatch,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    from edge.web.console import feed_process

    monkeypatch.setattr(routes_feed, "DEBOUNCE_S", 0.05)
    monkeypatch.setattr(feed_process, "PYTHON", "/nonexistent/python")
    feed = routes_feed.ConsoleFeed(console.daemon, process=True)
    q = feed.subscribe()
    try:
        await feed.wait_primed()
        assert feed.worker is None and "could not start the console feed worker" in caplog.text
        await console.daemon.services.compartments.disable("A-06", actor="test", reason="门有异响")
        text = (await asyncio.wait_for(q.get(), 10)).decode()
        assert text.count('"id":') == 1 and '"id":"A-06"' in text  # primed in the daemon: only the change
    finally:
        await feed.unsubscribe(q)
        await feed.close()


def test_the_worker_runs_the_daemons_own_release(tmp_path: Path) -> None:
    """A worker started after an upgrade switched the `current` link is still of the running daemon's release."""
    import sys

    from edge.web.console.feed_process import own_python

    release = tmp_path / "releases" / "1.0"
    (release / "bin").mkdir(parents=True)
    (release / "bin" / "python").symlink_to(sys.executable)  # a venv's python: a link to the system's
    (tmp_path / "current").symlink_to(release)
    got = own_python(str(tmp_path / "current" / "bin" / "python"))
    assert got == str(release.resolve() / "bin" / "python")  # the release, not the link; the file not resolved
