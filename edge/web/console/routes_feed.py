"""The live grid and wallboard by push: server-sent events of what changed, rendered in the browser.

Off the pickup path: a commit or a door change only sets a flag (and only while a staff browser
listens). One broadcaster task then waits ``DEBOUNCE_S`` (twice that while the kiosks are busy, decision
0032) and for a moment with no pickup in flight, and
asks the console feed worker process (edge/web/console/feed_worker.py, decision 0030) for the message: the
worker reads the grid snapshot from the database read-only, keeps the cells that changed and encodes the
JSON, on its own GIL. The daemon only relays the same bytes to every listening browser. Five staff
browsers cost one build per change burst, not five page renders every two seconds, and none of it on the
daemon's GIL. If the worker cannot run, the same ``FeedBuilder`` builds in the daemon.

``GET /api/v1/console/stream``: ``event: grid`` with ``{cells: [changed cells], counts, grades, alarms,
summary, cloud, now_local}``; the page fetches the full ``/api/v1/console/grid`` once when it connects.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from edge.aio import cancel_and_wait
from edge.services.staff import StaffUser
from edge.web import inflight
from edge.web.console.feed_build import FeedBuilder, diff
from edge.web.console.feed_process import FeedProcess, FeedWorkerGone
from edge.web.console.guard import require_user
from edge.web.inflight import InFlight

if TYPE_CHECKING:
    from edge.daemon import Daemon

__all__ = ["ConsoleFeed", "diff", "feed_of", "router"]

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

DEBOUNCE_S = 1.0
#: busy kiosks (at least this many pickups started during one debounce): wait BUSY_ROUNDS more debounces, so
#: the console's build, relay and the browsers' work come half as often while residents wait at the kiosks
#: (decision 0032: the feed worker's CPU per pickup 0.43 -> 0.23 ms; a staff grid at most 2 s late, not 1 s)
BUSY_PICKUPS = 5
BUSY_ROUNDS = 1
KEEPALIVE_S = 15.0
QUEUE_MAX = 8


class ConsoleFeed:
    """The browsers listening to the live grid, and where their messages come from: the console feed worker
    process (``USE_PROCESS``, decision 0030), or a ``FeedBuilder`` in the daemon when the worker cannot run."""

    #: build in the feed worker process; False (or a worker that fails) builds in the daemon
    USE_PROCESS = True
    #: the worker stays this long after the last browser leaves (a staff member moving between pages)
    WORKER_KEEP_S = 60.0

    def __init__(self, daemon: Daemon, kiosks: InFlight | None = None, *, process: bool | None = None) -> None:
        self.daemon = daemon
        self.kiosks = kiosks or InFlight()
        self.queues: set[asyncio.Queue[bytes]] = set()
        self.dirty = asyncio.Event()
        self.task: asyncio.Task[None] | None = None
        self.builder = FeedBuilder(daemon)
        self.want_process = self.USE_PROCESS if process is None else process
        self.process = self.want_process
        self.worker: FeedProcess | None = None
        self._reap: asyncio.TimerHandle | None = None
        #: set once the feed holds its first snapshot: a browser's full grid read after it misses no change
        self.primed = asyncio.Event()
        #: messages sent (each one build, in the worker or here)
        self.builds = 0
        #: set by end_streams (the web server is stopping): every stream ends at once
        self.ended = False
        daemon.store.event_listeners.append(self._changed)
        if daemon.services is not None:
            daemon.services.doors.listeners.append(lambda _c, _door: self._changed(None))

    def _changed(self, _events: Any) -> None:
        if self.queues:
            self.dirty.set()

    def subscribe(self) -> asyncio.Queue[bytes]:
        q: asyncio.Queue[bytes] = asyncio.Queue(QUEUE_MAX)
        if self.ended:
            q.put_nowait(b"")
            return q
        self.queues.add(q)
        if self._reap is not None:
            self._reap.cancel()
            self._reap = None
        if self.task is None or self.task.done():
            self.primed.clear()
            self.task = asyncio.create_task(self._run(), name="console-feed")
        return q

    async def wait_primed(self, limit_s: float = 15.0) -> None:
        """Until the feed holds its first snapshot (a worker's start takes a moment), at most limit_s."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.primed.wait(), limit_s)

    async def unsubscribe(self, q: asyncio.Queue[bytes]) -> None:
        self.queues.discard(q)
        if not self.queues and self.task is not None:
            task, self.task = self.task, None
            await cancel_and_wait([task])
            if self.worker is not None:
                self._reap = asyncio.get_running_loop().call_later(
                    self.WORKER_KEEP_S, lambda: asyncio.ensure_future(self.close()))

    def end_streams(self) -> None:
        """End every browser's stream now (the web server is stopping): each gets the empty message that ends
        its response, and so does any stream opened after this; the browsers reconnect and reload the grid
        when the daemon is back."""
        self.ended = True
        self.primed.set()  # a stream still waiting for the first snapshot goes on to its end too
        for q in list(self.queues):
            self.queues.discard(q)
            if q.full():
                q.get_nowait()
            q.put_nowait(b"")

    async def close(self) -> None:
        """Stop the worker process (the feed starts a new one when a browser comes back)."""
        worker, self.worker = self.worker, None
        if worker is not None:
            await worker.stop()

    async def _message(self, op: str) -> bytes:
        """The next message (op "next") or the first snapshot ("prime"), from the worker while it answers."""
        if self.process and self.worker is None:
            self.worker = FeedProcess(self.daemon)
        if self.worker is not None:
            try:
                return await self.worker.request(op)
            except FeedWorkerGone as exc:
                log.warning("%s; the live grid is built in the daemon until its browsers reconnect", exc)
                self.worker = None
                self.process = False
                self.builder = FeedBuilder(self.daemon)  # knows nothing: its first message has every cell
        if op == "prime":
            await self.builder.prime()
            return b""
        return await self.builder.next_message()

    async def _debounce(self) -> None:
        """Coalesce a burst of pickups into one message: DEBOUNCE_S, and while the kiosks are busy up to
        BUSY_ROUNDS more (a staff member's grid is then at most (1 + BUSY_ROUNDS) x DEBOUNCE_S late)."""
        for extra in range(BUSY_ROUNDS + 1):
            seen = self.kiosks.started
            await asyncio.sleep(DEBOUNCE_S)
            if extra == BUSY_ROUNDS or self.kiosks.started - seen < BUSY_PICKUPS:
                return

    async def _run(self) -> None:
        try:
            self.process = self.want_process  # a worker that failed last time is tried again
            try:
                await self._message("prime")
            finally:
                self.primed.set()
            while self.queues:
                await self.dirty.wait()
                await self._debounce()
                await self.kiosks.quiet()  # never start a build while a pickup is in flight
                self.dirty.clear()
                raw = await self._message("next")
                self.builds += 1
                if not raw:
                    continue
                if self.worker is not None:
                    await self.kiosks.quiet()  # the worker answered a moment later: relay between pickups too
                for q in list(self.queues):
                    if q.full():  # a browser that stopped reading: it reloads the full grid on reconnect
                        self.queues.discard(q)
                        q.put_nowait(b"")
                        continue
                    q.put_nowait(raw)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("console feed stopped; browsers will reconnect")
            for q in list(self.queues):
                self.queues.discard(q)
                if not q.full():
                    q.put_nowait(b"")


def feed_of(request: Request) -> ConsoleFeed:
    state = request.app.state
    feed = getattr(state, "console_feed", None)
    daemon = state.daemon
    if feed is None or feed.daemon is not daemon:
        feed = state.console_feed = ConsoleFeed(daemon, inflight.of(state))
    return feed


@router.get("/api/v1/console/stream")
async def stream(request: Request, user: StaffUser = Depends(require_user)) -> StreamingResponse:
    feed = feed_of(request)
    q = feed.subscribe()
    # the browser reads the full grid when the stream opens: only after the feed's first snapshot, so that
    # every change after that read reaches it (a worker's start takes a moment)
    try:
        await feed.wait_primed()
    except BaseException:
        await feed.unsubscribe(q)
        raise

    async def gen() -> AsyncIterator[bytes]:
        try:
            yield b"retry: 3000\n\n"
            while True:
                try:
                    raw = await asyncio.wait_for(q.get(), KEEPALIVE_S)
                except TimeoutError:
                    if await request.is_disconnected():
                        return
                    yield b": keepalive\n\n"
                    continue
                if not raw:
                    return  # dropped: the browser reconnects and reloads the grid
                yield raw
        finally:
            await feed.unsubscribe(q)

    return StreamingResponse(gen(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
