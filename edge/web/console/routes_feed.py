"""The live grid and wallboard by push: server-sent events of what changed, rendered in the browser.

Off the pickup path: a commit or a door change only sets a flag (and only while a staff browser
listens). One broadcaster task then waits ``DEBOUNCE_S``, builds the grid snapshot ONCE, keeps the
cells that changed, and writes the same small JSON message to every listening browser. Five staff
browsers cost one build per change burst, not five page renders every two seconds.

``GET /api/v1/console/stream``: ``event: grid`` with ``{cells: [changed cells], counts, grades, alarms,
summary, cloud, now_local}``; the page fetches the full ``/api/v1/console/grid`` once when it connects.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from edge import glossary
from edge.aio import cancel_and_wait
from edge.services.staff import StaffUser
from edge.store.db import Tx
from edge.web import inflight
from edge.web.console import queries
from edge.web.console.guard import require_user
from edge.web.inflight import InFlight

if TYPE_CHECKING:
    from edge.daemon import Daemon
    from edge.tracking.service import TrackingService

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

DEBOUNCE_S = 1.0
KEEPALIVE_S = 15.0
QUEUE_MAX = 8


class _FeedCtx:
    """What the snapshot builder reads from a page context, without a request (language-neutral)."""

    lang = "en"

    def __init__(self, daemon: Daemon) -> None:
        self.daemon = daemon

    def t(self, key: str) -> str:
        return key

    def g(self, group: str, code: str | None) -> str:
        return glossary.label(group, code, self.lang)

    @property
    def tracking(self) -> TrackingService | None:
        part = self.daemon.tracking
        return part.service if part is not None else None


class ConsoleFeed:
    def __init__(self, daemon: Daemon, kiosks: InFlight | None = None) -> None:
        self.daemon = daemon
        self.kiosks = kiosks or InFlight()
        self.queues: set[asyncio.Queue[bytes]] = set()
        self.dirty = asyncio.Event()
        self.task: asyncio.Task[None] | None = None
        self.last: dict[str, Any] | None = None
        self.builds = 0
        self.sigs: dict[str, str] = {}
        self.anomalies: dict[str, str] = {}
        daemon.store.event_listeners.append(self._changed)
        if daemon.services is not None:
            daemon.services.doors.listeners.append(lambda _c, _door: self._changed(None))

    def _grid_read(self, tx: Tx, anomalies: dict[str, str]) -> dict[str, Any]:
        """The grid, reading in full only the cells whose columns or anomaly grade changed (on the
        reader thread: a full read of 400 cells in Python held the GIL ~10 ms per burst, long enough to
        stall a pickup in flight; comparing SQLite's one-string signature of the grid costs ~0.1 ms)."""
        sigs = queries.grid_signatures(tx)  # first: a commit after it only makes the next round re-read
        old = {c["id"]: c for c in (self.last or {}).get("cells", [])}
        if not old:
            data = queries.grid(tx)
        else:
            moved = {pid for pid in set(anomalies) | set(self.anomalies)
                     if anomalies.get(pid) != self.anomalies.get(pid)}
            stale = {cid for cid, c in old.items() if any(p["id"] in moved for p in c["parcels"])} if moved else set()
            changed = [cid for cid, sig in sigs.items() if self.sigs.get(cid) != sig or cid in stale or cid not in old]
            fresh = {c["id"]: c for c in queries.grid(tx, only=changed)["cells"]} if changed else {}
            cells = [fresh.get(cid) or old[cid] for cid in sigs if cid in fresh or cid in old]
            data = {"cells": cells, "counts": queries.count_cells(cells), "now": tx.ts}
        self.sigs, self.anomalies = sigs, dict(anomalies)
        return data

    def _changed(self, _events: Any) -> None:
        if self.queues:
            self.dirty.set()

    def subscribe(self) -> asyncio.Queue[bytes]:
        q: asyncio.Queue[bytes] = asyncio.Queue(QUEUE_MAX)
        self.queues.add(q)
        if self.task is None or self.task.done():
            self.last = None
            self.task = asyncio.create_task(self._run(), name="console-feed")
        return q

    async def unsubscribe(self, q: asyncio.Queue[bytes]) -> None:
        self.queues.discard(q)
        if not self.queues and self.task is not None:
            task, self.task = self.task, None
            await cancel_and_wait([task])

    async def _run(self) -> None:
        from edge.web.console.routes_dash import _build_snapshot

        try:
            self.sigs, self.anomalies = {}, {}
            self.last = await _build_snapshot(_FeedCtx(self.daemon), self._grid_read)  # type: ignore[arg-type]
            while self.queues:
                await self.dirty.wait()
                await asyncio.sleep(DEBOUNCE_S)  # coalesce a burst of pickups into one message
                await self.kiosks.quiet()  # never start a build while a pickup is in flight
                self.dirty.clear()
                new = await _build_snapshot(_FeedCtx(self.daemon), self._grid_read)  # type: ignore[arg-type]
                self.builds += 1
                msg = diff(self.last, new)
                self.last = new
                if msg is None:
                    continue
                raw = ("event: grid\ndata: " + json.dumps(msg, ensure_ascii=False, separators=(",", ":")) + "\n\n"
                       ).encode()
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


def diff(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any] | None:
    """The message for browsers that hold `old`: the changed cells and the small summaries."""
    before = {c["id"]: c for c in (old or {}).get("cells", [])}
    cells = [c for c in new["cells"] if before.get(c["id"]) != c]
    keys = ("counts", "grades", "alarms", "summary", "cloud")
    if old is not None and not cells and all(old.get(k) == new.get(k) for k in keys):
        return None
    return {"cells": cells, **{k: new.get(k) for k in keys}, "now_local": new.get("now_local"), "now": new.get("now")}


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

    async def gen() -> AsyncIterator[bytes]:
        q = feed.subscribe()
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
