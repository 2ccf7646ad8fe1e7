"""Nothing is lost while HQ is away (DESIGN.md sections 4 and 8), with the real broker, daemon and database."""

from __future__ import annotations

import time

import pytest

from tests.hq.conftest import emit, gap_free, q, stored_seqs, until


async def test_events_made_with_no_hq_subscriber_all_arrive_once(hq_broker, hq_serve, sites, db_url):
    d = await sites("site-away-1", hq_broker.url)
    cloud = d.cloud
    await until(lambda: cloud.connected, what="site connected")
    await emit(d, 100)
    # the broker answers 0x10 (no subscriber): the rows stay in the outbox
    await until(lambda: cloud.publisher.hq_absent, what="0x10 seen")
    assert await d.store.read(lambda tx: tx.scalar("SELECT count(*) FROM outbox")) == 100
    hq = hq_serve().start()
    online_at = time.monotonic()
    await until(lambda: len(stored_seqs(db_url, "site-away-1")) >= 100, within=30, what="100 events at HQ")
    assert time.monotonic() - online_at < 10 + 5  # resent within 10 s of HQ's presence (plus start-up)
    seqs = stored_seqs(db_url, "site-away-1")
    assert gap_free(seqs) and len(seqs) == 100
    ids = q(db_url, "SELECT count(DISTINCT id) FROM events WHERE site = %s", "site-away-1")[0][0]
    assert ids == 100
    await until(lambda: cloud.publisher.depth == 0, what="outbox drained")
    assert cloud.hq_online is True
    body = hq.api("GET", "/api/v1/sites").json()
    row = next(r for r in body if r["site"] == "site-away-1")
    assert row["online"] is True and row["stream"] and row["last_seq"] is not None


@pytest.mark.slow
async def test_hq_down_for_an_hour_of_site_time_then_caught_up(hq_broker, hq_serve, sites, db_url):
    import os

    n_sites = int(os.environ.get("LOCKERD_HQ_OUTAGE_SITES", "3"))
    hq = hq_serve().start()
    fleet = [await sites(f"site-out-{i}", hq_broker.url) for i in range(n_sites)]
    for d in fleet:
        await emit(d, 5)
    await until(lambda: all(len(stored_seqs(db_url, d.config.site.id)) == 5 for d in fleet), what="first events")
    hq.stop()  # HQ away; its workers' persistent sessions stay on the broker
    # an hour of site time: an event every simulated minute at every site
    for _minute in range(60):
        for d in fleet:
            d.clock.advance(60)
            await emit(d, 1)
    hq.start()
    await until(lambda: all(len(stored_seqs(db_url, d.config.site.id)) == 65 for d in fleet), within=60,
                what="caught up")
    for d in fleet:
        assert gap_free(stored_seqs(db_url, d.config.site.id))
    assert q(db_url, "SELECT count(*) FROM held")[0][0] == 0
