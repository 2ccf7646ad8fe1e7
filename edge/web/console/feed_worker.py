"""The console feed worker: a separate process that builds the live grid's messages (decision 0030).

The daemon starts it when the first staff browser opens the live grid (edge/web/console/feed_process.py)
and talks to it over one Unix socket pair. The worker opens the site database read-only (WAL lets it read
beside the daemon's writer), and for each request reads the grid snapshot, diffs it against the last one
and encodes the SSE message: all of the console's Python work per change happens here, on its own GIL and
at a lower CPU priority, so that a pickup on the daemon's loop never waits for it.

Requests (daemon -> worker), one JSON line each:
  ``{"hello": {"db", "site_id", "timezone", "tracking", "alerts"}}`` first, then
  ``{"op": "prime" | "next", "now": ISO time, "synced": bool, "cloud": status or null}``.
Answers (worker -> daemon), one per request after hello, in order: a 4-byte big-endian length, then that
many bytes (the SSE message, or nothing when nothing changed or for ``prime``).

Run by the daemon only: ``python -m edge.web.console.feed_worker FD``. It exits at end of file on its
socket (the daemon stopped or died).
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import sqlite3
import struct
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar

from edge.alerts.service import StaffAlerts
from edge.clock import parse_iso
from edge.store.db import Tx
from edge.tracking.desk import DeskMixin
from edge.web.console.feed_build import FeedBuilder

log = logging.getLogger(__name__)
T = TypeVar("T")
#: the worker's CPU priority below the daemon's, set by the daemon at its start (a staff update may wait; a
#: pickup may not)
NICE = 10
FRAME = struct.Struct(">I")


class SentClock:
    """The daemon's time, as sent with each request (the worker keeps no clock of its own)."""

    def __init__(self) -> None:
        self.at = datetime.now().astimezone()
        self.synchronised = True

    def now(self) -> datetime:
        return self.at


class ReadOnlyStore:
    """``Store.read`` on a read-only connection of the worker's own (run at once: nothing else waits)."""

    def __init__(self, path: str, clock: SentClock, site_id: str) -> None:
        uri = Path(path).resolve().as_uri() + "?mode=ro"  # percent-encoded: a '?' or '#' in the path stays a path
        self.conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30)
        self.conn.execute("PRAGMA query_only=ON")
        self.conn.execute("PRAGMA busy_timeout=30000")
        self.clock = clock
        self.site_id = site_id

    async def read(self, fn: Callable[[Tx], T]) -> T:
        tx = Tx(self.conn, self.clock, self.site_id)  # type: ignore[arg-type]
        self.conn.execute("BEGIN")  # one snapshot for every statement of fn
        try:
            return fn(tx)
        finally:
            self.conn.execute("ROLLBACK")


class Anomalies(DeskMixin):
    """The tracking desk's open anomalies, read through the worker's store."""

    def __init__(self, store: ReadOnlyStore) -> None:
        self.store = store  # type: ignore[assignment]


class Alerts(StaffAlerts):
    """The desk alerts' ``recent()``, read through the worker's store."""

    def __init__(self, store: ReadOnlyStore) -> None:
        self.store = store  # type: ignore[assignment]


class CloudStatus:
    def __init__(self) -> None:
        self.last: dict[str, Any] | None = None

    def status(self) -> dict[str, Any] | None:
        return self.last


class ReadDaemon:
    """What the snapshot builder reads from a daemon, made of the worker's read-only parts."""

    def __init__(self, hello: dict[str, Any], clock: SentClock) -> None:
        self.store = ReadOnlyStore(hello["db"], clock, hello["site_id"])
        self.config = SimpleNamespace(site=SimpleNamespace(timezone=hello["timezone"]))
        self.tracking = SimpleNamespace(service=Anomalies(self.store)) if hello.get("tracking") else None
        self.alerts = SimpleNamespace(service=Alerts(self.store)) if hello.get("alerts") else None
        self.cloud_status = CloudStatus()
        self.cloud = self.cloud_status if hello.get("cloud") else None
        self.services = None


async def serve(sock: socket.socket) -> None:
    reader, writer = await asyncio.open_unix_connection(sock=sock)
    line = await reader.readline()
    if not line:
        return
    clock = SentClock()
    daemon = ReadDaemon(json.loads(line)["hello"], clock)
    builder = FeedBuilder(daemon)  # type: ignore[arg-type]
    while True:
        line = await reader.readline()
        if not line:
            return  # the daemon closed its end
        req = json.loads(line)
        clock.at, clock.synchronised = parse_iso(req["now"]), bool(req.get("synced", True))
        daemon.cloud_status.last = req.get("cloud")
        if req["op"] == "prime":
            await builder.prime()
            out = b""
        else:
            out = await builder.next_message()
        writer.write(FRAME.pack(len(out)) + out)
        await writer.drain()


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING, format="feed-worker %(levelname)s %(name)s: %(message)s")
    sock = socket.socket(fileno=int(argv[0]))
    try:
        asyncio.run(serve(sock))
    except (ConnectionError, BrokenPipeError):
        pass  # the daemon went away
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
