"""In-process publish/subscribe for live views (kiosk and console streams). Loop-only, never blocks:
a slow subscriber loses its oldest messages, not the daemon's time."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

log = logging.getLogger(__name__)


#: the last message a subscriber gets once the hub is closed: its stream ends (the web server is stopping)
CLOSED = "closed"


class Hub:
    def __init__(self, queue_size: int = 256) -> None:
        self._subs: set[asyncio.Queue[tuple[str, dict[str, Any]]]] = set()
        self._size = queue_size
        self.closed = False

    def publish(self, kind: str, data: dict[str, Any]) -> None:
        for q in list(self._subs):
            _put(q, (kind, data))

    def close(self) -> None:
        """End every subscription: each subscriber, and any that subscribes later, gets CLOSED next. The web
        server calls this as it stops, so that the live streams end instead of holding its shutdown up."""
        self.closed = True
        for q in list(self._subs):
            _put(q, (CLOSED, {}))

    @asynccontextmanager
    async def subscribe(self) -> AsyncIterator[asyncio.Queue[tuple[str, dict[str, Any]]]]:
        q: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue(self._size)
        if self.closed:
            q.put_nowait((CLOSED, {}))
        self._subs.add(q)
        try:
            yield q
        finally:
            self._subs.discard(q)


def _put(q: asyncio.Queue[tuple[str, dict[str, Any]]], item: tuple[str, dict[str, Any]]) -> None:
    """Queue ``item``; a full queue (a slow subscriber) loses its oldest message first."""
    if q.full():
        try:
            q.get_nowait()
        except asyncio.QueueEmpty:
            pass
    q.put_nowait(item)
