"""The daemon's side of the console feed worker process (decision 0030).

``FeedProcess`` starts ``python -m edge.web.console.feed_worker`` with one end of a Unix socket pair, sends
it the database path and, for each change burst, one small request; it gets back the SSE bytes to relay.
What the daemon itself does per change is a ~100-byte write and one read: the snapshot, the diff and the
JSON encoding run in the worker, on its own GIL and at a lower CPU priority.

Any failure (the worker does not start, dies, or does not answer for a minute) raises ``FeedWorkerGone``; the console feed
then builds in the daemon as before, so staff keep their live grid.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edge.clock import utc_iso
from edge.web.console.feed_worker import FRAME, NICE

if TYPE_CHECKING:
    from edge.daemon import Daemon

log = logging.getLogger(__name__)

def own_python(executable: str) -> str:
    """The interpreter with its directories resolved; the file itself is not (a venv's python is a link to the
    system's, and the venv is found from where it is run)."""
    return str(Path(executable).parent.resolve() / Path(executable).name)


#: the daemon's own interpreter (``/opt/lockerd/releases/<version>/bin/python``, not ``current/bin/python``): an
#: upgrade that switches the ``current`` link while this daemon still runs must not start a worker of the next
#: release beside it
PYTHON = own_python(sys.executable)
#: an answer later than this means the worker is stuck: the feed falls back to building in the daemon. Generous:
#: a slow worker (its start-up imports, or a busy machine where its lower priority leaves it little CPU) only
#: makes the staff's grid late, while building in the daemon instead would put the work back on the pickup path
ANSWER_S = 60.0


class FeedWorkerGone(Exception):
    """The worker could not be started or stopped answering."""


class FeedProcess:
    def __init__(self, daemon: Daemon) -> None:
        self.daemon = daemon
        self.proc: subprocess.Popen[bytes] | None = None
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.requests = 0

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None and self.writer is not None

    async def start(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self.proc = subprocess.Popen(  # noqa: ASYNC220 - fork+exec returns at once; the worker imports on its own CPU
                [PYTHON, "-m", "edge.web.console.feed_worker", str(theirs.fileno())],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, close_fds=True,
                start_new_session=True)  # a Ctrl-C at `lockerd simulate` is the daemon's; the worker ends at EOF
        except OSError as exc:
            ours.close()
            raise FeedWorkerGone(f"could not start the console feed worker: {exc}") from exc
        finally:
            theirs.close()
        try:  # at once, before the worker's imports: its start-up and its builds yield the CPU to the daemon
            os.setpriority(os.PRIO_PROCESS, self.proc.pid, os.getpriority(os.PRIO_PROCESS, 0) + NICE)
        except OSError:
            log.warning("could not lower the console feed worker's CPU priority")
        self.reader, self.writer = await asyncio.open_unix_connection(sock=ours)
        d = self.daemon
        hello = {"db": str(d.store.path), "site_id": d.store.site_id, "timezone": d.config.site.timezone,
                 "tracking": d.tracking is not None, "alerts": d.alerts is not None, "cloud": d.cloud is not None}
        self.writer.write((json.dumps({"hello": hello}) + "\n").encode())
        log.info("console feed worker started (pid %s)", self.proc.pid)

    async def request(self, op: str) -> bytes:
        """Ask the worker for the next message (``op`` "next") or its first snapshot ("prime")."""
        if self.proc is None:
            try:
                await self.start()
            except OSError as exc:
                await self.stop()
                raise FeedWorkerGone(f"could not reach the console feed worker: {exc}") from exc
        elif not self.running:
            code = self.proc.poll()
            await self.stop()
            raise FeedWorkerGone(f"the console feed worker exited (status {code})")
        assert self.reader is not None and self.writer is not None
        d = self.daemon
        cloud: Any = d.cloud.status() if d.cloud is not None else None
        req = {"op": op, "now": utc_iso(d.clock.now()), "synced": bool(d.clock.synchronised), "cloud": cloud}
        try:
            self.writer.write((json.dumps(req, default=str) + "\n").encode())
            self.requests += 1
            head = await asyncio.wait_for(self.reader.readexactly(FRAME.size), ANSWER_S)
            (n,) = FRAME.unpack(head)
            return await asyncio.wait_for(self.reader.readexactly(n), ANSWER_S) if n else b""
        except (TimeoutError, OSError, asyncio.IncompleteReadError) as exc:
            await self.stop()
            raise FeedWorkerGone(f"the console feed worker stopped answering ({type(exc).__name__})") from exc

    async def stop(self) -> None:
        writer, proc = self.writer, self.proc
        self.writer = self.reader = None
        self.proc = None
        if writer is not None:
            writer.close()  # end of file: the worker exits by itself
        if proc is not None:
            try:
                await asyncio.to_thread(proc.wait, 2.0)
            except subprocess.TimeoutExpired:
                proc.kill()
                await asyncio.to_thread(proc.wait)
