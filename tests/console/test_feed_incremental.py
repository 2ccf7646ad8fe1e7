"""The live feed reads only the grid cells that changed, and its snapshot equals a full build."""

from __future__ import annotations

from typing import Any

import pytest

from edge.web.console import queries
from edge.web.console.feed_build import FeedBuilder, FeedCtx, diff
from edge.web.console.routes_dash import _build_snapshot
from tests.conftest import Site


def _same(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert a["cells"] == b["cells"]
    for k in ("counts", "grades", "summary"):
        assert a[k] == b[k], k


async def test_incremental_snapshot_equals_full(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    feed = FeedBuilder(site.daemon)
    ctx: Any = FeedCtx(site.daemon)
    feed.last = await _build_snapshot(ctx, feed.grid_read)
    _same(feed.last, await _build_snapshot(ctx))
    n_cells = len(feed.last["cells"])

    read: list[int] = []
    real = queries.grid

    def counting(tx: Any, only: Any = None) -> dict[str, Any]:
        read.append(len(only) if only is not None else n_cells)
        return real(tx, only)

    monkeypatch.setattr(queries, "grid", counting)

    async def step() -> dict[str, Any]:
        read.clear()
        new = await _build_snapshot(ctx, feed.grid_read)
        msg = diff(feed.last, new)
        feed.last = new
        monkeypatch.setattr(queries, "grid", real)
        _same(new, await _build_snapshot(ctx))
        monkeypatch.setattr(queries, "grid", counting)
        return msg or {"cells": []}

    # nothing changed: nothing read in full, nothing sent
    assert (await step())["cells"] == [] and sum(read) == 0
    dep = await site.deposit("SF1000000000001")  # deposit + close: one cell
    msg = await step()
    assert [c["id"] for c in msg["cells"]] == [dep["compartment"]] and sum(read) == 1
    assert next(c for c in msg["cells"])["parcels"][0]["tracking_number"] == "SF1000000000001"
    code = await site.code_of(dep["parcel_id"])
    await site.svc.pickups.submit(code, kiosk="k1")
    await site.settle()
    msg = await step()
    assert [c["show"] for c in msg["cells"]] == ["open"] and sum(read) == 1
    await site.close(dep["compartment"])
    msg = await step()
    assert [(c["id"], c["show"], c["parcels"]) for c in msg["cells"]] == [(dep["compartment"], "free", [])]
    await site.svc.compartments.disable("B-02", actor="staff:t", reason="broken hinge")
    msg = await step()
    assert [(c["id"], c["show"]) for c in msg["cells"]] == [("B-02", "disabled")] and sum(read) == 1

    # an anomaly grade change alone (no column changed) re-reads that parcel's cell
    dep2 = await site.deposit("SF1000000000002")
    await step()
    # as if the last snapshot had seen a red anomaly on it that has since been cleared
    feed.anomalies = {dep2["parcel_id"]: "red"}
    cell = next(c for c in feed.last["cells"] if c["id"] == dep2["compartment"])
    feed.last["cells"] = [{**c, "parcels": [{**p, "grade": "red"} for p in c["parcels"]]} if c is cell else c
                          for c in feed.last["cells"]]
    msg = await step()
    assert [(c["id"], c["parcels"][0]["grade"]) for c in msg["cells"]] == [(dep2["compartment"], "green")]
    assert sum(read) == 1


async def test_grades_counted_in_sql_match_per_parcel(site: Site) -> None:
    deps = [await site.deposit(f"SF20000000000{i:02d}") for i in range(4)]
    await site.daemon.store.write(lambda tx: tx.execute(
        "UPDATE parcels SET stage = 'overdue' WHERE id = ?", (deps[0]["parcel_id"],)))
    anomalies = {deps[1]["parcel_id"]: "red", deps[2]["parcel_id"]: "yellow", deps[0]["parcel_id"]: "yellow",
                 "no-such-parcel": "red"}
    got = await site.daemon.store.read(lambda tx: queries.grades(tx, anomalies))
    assert got == {"green": 1, "yellow": 2, "red": 1}


async def test_the_feed_waits_for_no_pickup_in_flight() -> None:
    import asyncio

    from edge.web.inflight import InFlight

    k = InFlight()
    assert await k.quiet(limit_s=0.1)
    k.enter()
    assert not await k.quiet(limit_s=0.05)  # a pickup that never ends does not stop the feed for good
    loop = asyncio.get_running_loop()
    loop.call_later(0.03, k.leave)
    t = loop.time()
    assert await k.quiet(limit_s=1.0)
    assert 0.025 <= loop.time() - t < 0.5


async def test_busy_kiosks_coalesce_the_feed_into_fewer_messages(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """Decision 0032: while pickups keep starting, the feed waits one more debounce (never more), so the
    console's build and relay come half as often while residents wait; quiet kiosks keep the 1 s rhythm."""
    import asyncio

    from edge.web.console import routes_feed
    from edge.web.inflight import InFlight

    monkeypatch.setattr(routes_feed, "DEBOUNCE_S", 0.05)
    kiosks = InFlight()
    feed = routes_feed.ConsoleFeed(site.daemon, kiosks, process=False)
    loop = asyncio.get_running_loop()

    t = loop.time()
    await feed._debounce()
    assert 0.045 <= loop.time() - t < 0.09  # nobody at the kiosks: one debounce

    async def residents() -> None:
        while True:
            kiosks.enter()
            kiosks.leave()
            await asyncio.sleep(0.005)

    busy = asyncio.create_task(residents())
    try:
        t = loop.time()
        await feed._debounce()
        assert 0.095 <= loop.time() - t < 0.14  # busy kiosks: two debounces, and no more however busy
    finally:
        busy.cancel()
