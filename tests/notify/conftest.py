"""Notification fixtures: a loopback webhook receiver and an in-process site whose channels point at it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Site, start_site
from tests.notify.receiver import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver().start()
    try:
        yield r
    finally:
        r.stop()


async def wait_for(cond: Callable[[], Any], within: float = 10.0, what: str = "condition") -> Any:
    loop = asyncio.get_running_loop()
    end = loop.time() + within
    while True:
        value = cond()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if loop.time() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def messages(site: Site) -> list[dict[str, Any]]:
    return await site.daemon.store.read(lambda tx: tx.all("SELECT * FROM messages ORDER BY created_at, id"))


@pytest.fixture
async def webhook_site(tmp_path: Path, receiver: Receiver) -> AsyncIterator[Site]:
    s = await start_site(tmp_path / "site", notify={"channels": [{"kind": "webhook", "url": receiver.url + "/hook"}]})
    try:
        yield s
    finally:
        await s.daemon.stop()
