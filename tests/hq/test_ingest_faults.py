"""Exactly once under faults: a worker killed with SIGKILL mid-load, a site restored from a backup,
late and foreign Wills, and bad input of every kind (counted, never a crash)."""

from __future__ import annotations

import asyncio
import os
import signal

import psycopg

from cloudsync.hq import ingest
from cloudsync.hq.parse import parse
from edge.cli.backup import backup_database, restore_database
from tests.hq.conftest import dumps, emit, gap_free, publish_raw, q, stored_seqs, until


async def test_kill_9_of_an_ingest_worker_mid_load_loses_and_duplicates_nothing(hq_broker, hq_serve, sites, db_url):
    hq = hq_serve(workers=2).start()
    fleet = [await sites(f"site-k{i}", hq_broker.url) for i in range(2)]
    n = 3000
    for d in fleet:
        await emit(d, n)
    # once ingest is under way, SIGKILL one worker (no chance to commit or acknowledge what it holds)
    await until(lambda: q(db_url, "SELECT count(*) FROM events")[0][0] > 200, what="ingest under way")
    victim = hq.worker_pids[0]
    os.kill(victim, signal.SIGKILL)
    at_kill = q(db_url, "SELECT count(*) FROM events")[0][0]
    for d in fleet:
        await emit(d, 500)  # more load while it is down and restarting
    total = n + 500
    await until(lambda: q(db_url, "SELECT count(*) FROM events")[0][0] >= 2 * total, within=90, what="all events")
    await asyncio.sleep(1.0)  # anything redelivered late would show up now
    for d in fleet:
        seqs = stored_seqs(db_url, d.config.site.id)
        assert len(seqs) == total, "lost or duplicated"
        assert gap_free(seqs)
        assert q(db_url, "SELECT count(DISTINCT id) FROM events WHERE site = %s", d.config.site.id)[0][0] == total
    assert q(db_url, "SELECT count(*) FROM held")[0][0] == 0
    print(f"killed worker {victim} with {at_kill} of {2 * total} events stored")
    assert at_kill < 2 * n, "the kill came after the load"


async def test_a_restore_on_a_site_keeps_both_streams(hq_broker, hq_serve, sites, db_url, tmp_path):
    hq_serve().start()
    data = tmp_path / "data-restore"
    d = await sites("site-r", hq_broker.url, data_dir=data)
    old_stream = d.cloud.stream
    await emit(d, 5)
    await until(lambda: len(stored_seqs(db_url, "site-r")) == 5, what="first 5")
    backup = backup_database(data / "lockerd.db", tmp_path / "backups")
    await emit(d, 5)  # 6..10 of the old stream: HQ has them, the backup does not
    await until(lambda: len(stored_seqs(db_url, "site-r")) == 10, what="10 events")
    bdseq_before = d.cloud.bdseq
    await d.stop()
    restore_database(backup, data / "lockerd.db")
    d2 = await sites("site-r", hq_broker.url, data_dir=data)
    cloud = d2.cloud
    await until(lambda: cloud.connected, what="reconnected")
    assert cloud.stream != old_stream and cloud.stream_start == 6
    assert cloud.bdseq > bdseq_before, "bdseq must not rewind with the database"
    await emit(d2, 3)  # seq 6..8 again, but of the new stream
    await until(lambda: len(stored_seqs(db_url, "site-r", cloud.stream)) == 3, what="new stream")
    assert stored_seqs(db_url, "site-r", old_stream) == list(range(1, 11))
    assert stored_seqs(db_url, "site-r", cloud.stream) == [6, 7, 8]
    assert q(db_url, "SELECT stream FROM sites WHERE site = 'site-r'")[0][0] == cloud.stream


def _status(site: str, online: bool, boot: str, bdseq: int) -> tuple[str, bytes]:
    doc = {"online": online, "boot_id": boot, "bdseq": bdseq}
    if online:
        doc.update({"version": "1", "last_seq": 0, "stream": "s", "stream_start": 1, "outbox_depth": 0,
                    "ts": "2026-12-01T00:00:00Z"})
    return f"lockerd/v1/{site}/status", dumps(doc)


def _apply(url: str, *msgs: tuple[str, bytes]) -> None:
    with psycopg.connect(url) as c, c.transaction():
        ingest.apply(c, [parse(t, p) for t, p in msgs])


def _online(url: str, site: str) -> bool | None:
    return q(url, "SELECT online FROM sites WHERE site = %s", site)[0][0]


def test_late_and_foreign_wills_do_not_mark_a_site_offline(db_url):
    _apply(db_url, _status("w1", True, "boot-2", 7))
    since = q(db_url, "SELECT since FROM sites WHERE site = 'w1'")[0][0]
    _apply(db_url, _status("w1", False, "boot-1", 6))  # the previous boot's Will, late
    _apply(db_url, _status("w1", False, "boot-9", 99))  # a Will of a boot HQ never saw
    _apply(db_url, _status("w1", False, "boot-2", 6))  # an older connection of this boot
    _apply(db_url, _status("w1", True, "boot-2", 7))  # the same birth again (a worker resubscribed)
    assert _online(db_url, "w1") is True
    assert q(db_url, "SELECT since FROM sites WHERE site = 'w1'")[0][0] == since
    _apply(db_url, _status("w1", False, "boot-2", 7))  # its own Will
    assert _online(db_url, "w1") is False
    _apply(db_url, _status("w1", True, "boot-2", 7))  # the birth of the connection whose Will fired
    assert _online(db_url, "w1") is False
    _apply(db_url, _status("w1", True, "boot-3", 1))  # a new boot, even with a lower bdseq (a new database)
    assert _online(db_url, "w1") is True
    m = dict(q(db_url, "SELECT name, value FROM metrics"))
    assert m["wills_ignored"] == 3 and m["wills_applied"] == 1


async def test_wills_through_the_broker(hq_broker, hq_serve, db_url):
    hq_serve().start()
    publish_raw(hq_broker, *_status("w2", True, "b2", 3), retain=True)
    await until(lambda: q(db_url, "SELECT online FROM sites WHERE site = 'w2'") == [(True,)], what="birth")
    publish_raw(hq_broker, *_status("w2", False, "b1", 2), retain=True)
    await asyncio.sleep(1.0)
    assert _online(db_url, "w2") is True


def test_bad_input_is_refused_with_a_reason_and_counted(db_url):
    good = {"id": "e1", "seq": 1, "stream": "s1", "type": "door.opened", "ts": "2026-12-01T00:00:00Z",
            "site": "b1", "data": {}}
    msgs = [
        ("lockerd/v1/b1/events", dumps({**good, "site": "someone-else"})),
        ("lockerd/v1/b1/events", b"\xff\xfe garbage"),
        ("lockerd/v1/b1/events", b"[1,2]"),
        ("lockerd/v1/b1/events", b"{" * 300_000),
        ("lockerd/v1/b1/events", dumps({**good, "seq": 2, "id": "e2", "type": "robot.arrived"})),
        ("lockerd/v1/b1/events", dumps({**good, "seq": 3, "id": "e3", "data": {"x": "\u0000"}})),
        ("lockerd/v1/b1/events", dumps({k: v for k, v in good.items() if k != "stream"})),
        ("lockerd/v1/b1/telemetry", b'{"ts": 5}'),
        ("lockerd/v1/b1/cmd/result", b'{"id": 1}'),
        ("lockerd/v1/b1/status", b'{"online": "yes"}'),
        ("lockerd/v1/b%20/events", dumps(good)),
        ("lockerd/v1/b1/whatever", b"{}"),
        ("lockerd/v1/b1/events", dumps(good)),
    ]
    _apply(db_url, *msgs)
    m = dict(q(db_url, "SELECT name, value FROM metrics"))
    for reason in ("site_mismatch", "garbage", "oversized", "bad_event", "no_stream", "bad_telemetry",
                   "bad_result", "bad_status", "bad_site_id", "unknown_topic"):
        assert m.get("rejected_" + reason), reason
    assert m["events_unknown_type"] == 1  # stored: a newer site may know types this HQ does not
    assert stored_seqs(db_url, "b1") == [1, 2]
    assert q(db_url, "SELECT count(*) FROM rejects")[0][0] == 11
