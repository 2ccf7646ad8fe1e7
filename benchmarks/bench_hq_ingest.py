"""HQ ingest and fleet-view figures (DESIGN.md section 7), each beside a baseline measured in the same run.

1. Events/s into PostgreSQL, exactly once, per ingest worker:
   - db:   `cloudsync.hq.ingest.apply` (parse, per-stream order and dedup, COPY) on batches of 2,000 messages
           vs a bare COPY of the same rows into an unconstrained table (the baseline);
   - mqtt: one `cloudsync.hq.worker` process draining a backlog the broker queued for its persistent
           session while it was away (an HQ outage caught up), until every event is committed; then the
           table is checked (rows = distinct (site, stream, seq) = events published). This is the figure
           of DESIGN.md section 7 (goal 10,000 events/s per worker).
2. Fleet-view queries over --sites sites (summary, the attention list, pages of `GET /api/v1/sites` as
   SQL and through the HTTP API, the fleet page) vs a bare `SELECT count(*)` over the same table.

Run: .venv/bin/python benchmarks/bench_hq_ingest.py [--events 200000] [--sites 50000] [--quick] [--queries-only]
A real PostgreSQL (Debian's, in a temporary directory, synchronous_commit on) and Mosquitto on loopback.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import paho.mqtt.client as mqtt
import psycopg
from paho.mqtt.enums import CallbackAPIVersion

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cloudsync.hq import fleet, ingest
from cloudsync.hq.parse import parse
from cloudsync.hq.schema import migrate
from tests.hq.pgserver import PgServer

BATCH = 2000


def messages(n: int, n_sites: int) -> list[tuple[str, bytes]]:
    out = []
    seqs = [0] * n_sites
    for i in range(n):
        s = i % n_sites
        seqs[s] += 1
        site = f"bench-{s:05d}"
        doc = {"id": f"0190-{s}-{seqs[s]}", "seq": seqs[s], "stream": f"st-{s}", "type": "parcel.stored",
               "ts": f"2026-12-01T{(i // 3600) % 24:02d}:{(i // 60) % 60:02d}:{i % 60:02d}.000Z", "site": site,
               "data": {"parcel_id": f"p{i}", "tracking_number": f"SF14{i:011d}", "carrier": "sf",
                        "compartment": "A-07", "unit": "3-1202", "category": "normal", "pickup_code": "482913"}}
        out.append((f"lockerd/v1/{site}/events", json.dumps(doc).encode()))
    return out


def bench_db(url: str, msgs: list[tuple[str, bytes]]) -> tuple[float, float, float]:
    with psycopg.connect(url) as c:
        t0 = time.perf_counter()
        for i in range(0, len(msgs), BATCH):
            items = [parse(t, p) for t, p in msgs[i:i + BATCH]]
            with c.transaction():
                ingest.apply(c, items)
        ours = time.perf_counter() - t0
        stored = c.execute("SELECT count(*) FROM events").fetchone()[0]
        assert stored == len(msgs), (stored, len(msgs))
        # the same messages again: every one is a duplicate, nothing is stored twice
        with c.transaction():
            ingest.apply(c, [parse(t, p) for t, p in msgs[:BATCH]])
        assert c.execute("SELECT count(*) FROM events").fetchone()[0] == len(msgs)
        c.execute("CREATE TABLE bare (site text, stream text, seq bigint, id text, type text, ts timestamptz, "
                  "clock_synced boolean, data jsonb)")
        c.commit()
        rows = []
        for _topic, p in msgs:
            d = json.loads(p)
            rows.append((d["site"], d["stream"], d["seq"], d["id"], d["type"], d["ts"], True,
                         json.dumps(d["data"], separators=(",", ":"))))
        t0 = time.perf_counter()
        cur = c.cursor()
        for i in range(0, len(rows), BATCH):
            with c.transaction(), cur.copy("COPY bare FROM STDIN") as cp:
                for r in rows[i:i + BATCH]:
                    cp.write_row(r)
        base = time.perf_counter() - t0
        # the same COPY into HQ's own partitioned table, without the ordering and dedup work
        c.execute("CREATE TABLE events_like (LIKE events INCLUDING ALL) PARTITION BY RANGE (ts)")
        c.execute("CREATE TABLE events_like_d PARTITION OF events_like DEFAULT")
        c.commit()
        t0 = time.perf_counter()
        for i in range(0, len(rows), BATCH):
            with c.transaction(), cur.copy("COPY events_like (site, stream, seq, id, type, ts, clock_synced, data) "
                                           "FROM STDIN") as cp:
                for r in rows[i:i + BATCH]:
                    cp.write_row(r)
        same_table = time.perf_counter() - t0
    return ours, base, same_table


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), all its threads."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bench_mqtt(url: str, msgs: list[tuple[str, bytes]], work: Path) -> tuple[float, str, float]:
    proc, port = start_broker(work)
    try:
        cmd = [sys.executable, "-m", "cloudsync.hq.worker", "--mqtt", f"mqtt://127.0.0.1:{port}", "--database", url,
               "--client-id", "bench-ingest-0", "--log-level", "WARNING"]
        repo = Path(__file__).resolve().parents[1]
        w = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=repo)
        assert w.stdout is not None and w.stdout.readline().strip() == "ready"
        w.terminate()
        w.wait(10)  # the session (and its subscriptions) stays on the broker: the backlog queues for it
        pub = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="bench-pub", protocol=mqtt.MQTTv5)
        pub.max_inflight_messages_set(1000)
        pub.connect("127.0.0.1", port)
        pub.loop_start()
        infos = collections.deque()
        for t, p in msgs:
            infos.append(pub.publish(t, p, qos=1))
            if len(infos) >= 2000:
                infos.popleft().wait_for_publish(60)
        for info in infos:
            info.wait_for_publish(60)
        pub.disconnect()
        pub.loop_stop()
        with psycopg.connect(url, autocommit=True) as c:
            t0 = time.perf_counter()
            w = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=repo)
            assert w.stdout is not None and w.stdout.readline().strip() == "ready"
            cpu0 = cpu_seconds(w.pid)  # after start-up (imports, connections), before the backlog
            while c.execute("SELECT count(*) FROM events").fetchone()[0] < len(msgs):
                time.sleep(0.05)
                if time.perf_counter() - t0 > 600:
                    raise RuntimeError("mqtt ingest did not finish in 600 s")
            took = time.perf_counter() - t0
            cpu = cpu_seconds(w.pid) - cpu0
            stored, distinct = c.execute("SELECT count(*), count(DISTINCT (site, stream, seq)) FROM events").fetchone()
            m = dict(c.execute("SELECT name, value FROM metrics").fetchall())
        w.terminate()
        w.wait(10)
        assert stored == distinct == len(msgs), (stored, distinct, len(msgs))
        check = (f"{stored:,} rows stored of {len(msgs):,} published, {distinct:,} distinct (site, stream, seq); "
                 f"events_stored {m.get('events_stored', 0):,}, duplicates {m.get('events_duplicate', 0):,}")
        return took, check, cpu
    finally:
        proc.terminate()
        proc.wait(10)


def start_broker(work: Path) -> tuple[subprocess.Popen[bytes], int]:
    """Mosquitto with no in-flight cap towards HQ (the worker's Receive Maximum governs: see docs/hq.md)."""
    from tests.cloud.conftest import Broker

    b = Broker(work / "broker", extra="max_inflight_messages 0\nmax_queued_messages 0\nmax_queued_bytes 0\n"
               "persistence false\n")
    b.start()
    assert b.proc is not None
    return b.proc, b.port


def fill_sites(url: str, n: int) -> None:
    with psycopg.connect(url) as c:
        c.execute("""
            INSERT INTO sites (site, online, since, boot_id, bdseq, version, stream, last_seq, outbox_depth,
                               last_seen, last_telemetry_at, occupancy, occ_total, occ_used, red_anomalies,
                               telemetry)
            SELECT 'site-' || lpad(g::text, 6, '0'), g %% 50 <> 0, now() - (g %% 3600) * interval '1 second',
                   md5(g::text), g %% 7, '0.' || (g %% 4), md5((g * 3)::text), g * 10, (g %% 97 = 0)::int * 12,
                   now() - (g %% 400) * interval '1 second', now() - (g %% 60) * interval '1 second',
                   jsonb_build_object('total', 120, 'free', g %% 120, 'occupied', 120 - g %% 120),
                   120, 120 - g %% 120,
                   (g %% 211 = 0)::int * 2,
                   jsonb_build_object('outbox', jsonb_build_object('depth', 0, 'oldest_unsent_age_s', null))
            FROM generate_series(1, %s) g""", (n,))
        c.execute("ANALYZE sites")


def timed(fn, repeat: int) -> float:
    xs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        xs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(xs)


def bench_queries(url: str, repeat: int, n_sites: int) -> dict[str, float]:
    from fastapi.testclient import TestClient

    from cloudsync.hq.api import create_app

    api = TestClient(create_app(url, token="bench"), headers={"Authorization": "Bearer bench"})
    deep = fleet.encode_cursor(f"site-{n_sites // 2:06d}")

    def get(**params: object) -> None:
        r = api.get("/api/v1/sites", params=params)
        assert r.status_code == 200, r.text

    def walk_all() -> None:
        cursor = None
        while True:
            body = api.get("/api/v1/sites", params={"limit": fleet.PAGE_MAX, **({"cursor": cursor} if cursor else {})})
            cursor = body.headers.get("x-next-cursor")
            if cursor is None:
                return

    with psycopg.connect(url, autocommit=True) as c:
        get(limit=fleet.PAGE_DEFAULT)  # the API's connection is opened once, before the clock runs
        out = {
            "baseline count(*)": timed(lambda: c.execute("SELECT count(*) FROM sites").fetchone(), repeat),
            "summary": timed(lambda: fleet.summary(c, 180), repeat),
            "attention (top 50)": timed(lambda: fleet.attention(c, 180), repeat),
            "page query, first 500": timed(lambda: fleet.sites(c, 180), repeat),
            "page query, 500 mid-fleet": timed(lambda: fleet.sites(c, 180, after=f"site-{n_sites // 2:06d}"), repeat),
            "page query, offline 500": timed(lambda: fleet.sites(c, 180, state="offline"), repeat),
            f"page query, max {fleet.PAGE_MAX}": timed(lambda: fleet.sites(c, 180, limit=fleet.PAGE_MAX), repeat),
            "GET /api/v1/sites?limit=500": timed(lambda: get(limit=fleet.PAGE_DEFAULT), repeat),
            "GET /api/v1/sites mid-fleet": timed(lambda: get(cursor=deep), repeat),
            "GET /api/v1/sites offline": timed(lambda: get(state="offline"), repeat),
            "fleet page / (100 sites)": timed(lambda: api.get("/", params={"lang": "en"}).raise_for_status(), repeat),
            "reference: all in one query": timed(lambda: fleet.sites(c, 180, limit=None), max(3, repeat // 5)),
            "reference: GET /api/v1/sites (every site)": timed(lambda: get(), max(3, repeat // 5)),
            f"reference: every page of {fleet.PAGE_MAX}": timed(walk_all, max(3, repeat // 5)),
        }
    return out


def print_queries(q: dict[str, float], n_sites: int, repeat: int) -> None:
    base = q["baseline count(*)"]
    print(f"fleet-view queries over {n_sites:,} sites (median of {repeat}, ms; goal < 100 ms):")
    for k, v in q.items():
        print(f"  {k:<34}{v:>9.2f} ms   {v / base if base else 0:>6.1f}x the count(*) baseline")


def load() -> str:
    a, b, c = os.getloadavg()
    return f"load average {a:.2f} {b:.2f} {c:.2f} on {os.cpu_count()} CPUs"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=200_000)
    ap.add_argument("--event-sites", type=int, default=100)
    ap.add_argument("--sites", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--quick", action="store_true", help="20,000 events, 5,000 sites")
    ap.add_argument("--queries-only", action="store_true", help="only the fleet-view queries")
    args = ap.parse_args()
    if args.quick:
        args.events, args.sites, args.repeat = 20_000, 5_000, 5
    msgs = messages(args.events, args.event_sites)
    pg = PgServer({"fsync": "on", "synchronous_commit": "on", "shared_buffers": "256MB"}).start()
    try:
        results: dict[str, object] = {}
        db1, db2, db3 = pg.new_database(), pg.new_database(), pg.new_database()
        for u in (db1, db2, db3):
            with psycopg.connect(u) as c:
                migrate(c)
        if args.queries_only:
            print(f"machine: {load()} (a shared machine: figures are floors)")
            fill_sites(db3, args.sites)
            q = bench_queries(db3, args.repeat, args.sites)
            print_queries(q, args.sites, args.repeat)
            print(f"machine after: {load()}")
            print(json.dumps({"bench": "hq_queries", "sites": args.sites,
                              "queries_ms": {k: round(v, 2) for k, v in q.items()}}))
            return 0
        print(f"machine: {load()} (a shared machine: figures are floors)")
        ours, base, same = bench_db(db1, msgs)
        results["db_events_per_s"] = round(len(msgs) / ours)
        results["copy_baseline_per_s"] = round(len(msgs) / base)
        results["copy_same_table_per_s"] = round(len(msgs) / same)
        with tempfile.TemporaryDirectory() as tmp:
            took, check, cpu = bench_mqtt(db2, msgs, Path(tmp))
        results["mqtt_worker_events_per_s"] = round(len(msgs) / took)
        results["worker_cpu_us_per_event"] = round(cpu / len(msgs) * 1e6, 1)
        results["mqtt_check"] = check
        fill_sites(db3, args.sites)
        q = bench_queries(db3, args.repeat, args.sites)
        results["queries_ms"] = {k: round(v, 2) for k, v in q.items()}
    finally:
        pg.stop()
    n = len(msgs)
    w, b = results["mqtt_worker_events_per_s"], results["copy_baseline_per_s"]
    assert isinstance(w, int) and isinstance(b, int)
    print(f"events: {n:,} over {args.event_sites} sites, batches of {BATCH}, synchronous_commit on")
    print(f"  ONE INGEST WORKER, Mosquitto -> PostgreSQL, exactly once: {w:>9,} events/s"
          f"   (goal 10,000; {w / b:.2f}x the bare COPY baseline)")
    print(f"    check: {results['mqtt_check']}")
    cpu_us = results["worker_cpu_us_per_event"]
    assert isinstance(cpu_us, float)
    print(f"    the worker process used {cpu_us} us of CPU per event (MQTT, parse, SQL client side): "
          f"{1e6 / cpu_us if cpu_us else 0:,.0f} events/s per core it gets; PostgreSQL's own CPU is extra")
    print(f"  baseline: bare COPY of the same rows (no MQTT, no checks) {b:>9,} rows/s")
    print(f"  ingest.apply alone (parse, order, dedup, COPY; no MQTT)   {results['db_events_per_s']:>9,} events/s"
          f"   ({results['db_events_per_s'] / b:.2f}x baseline)")
    print(f"  bare COPY into HQ's partitioned table                     {results['copy_same_table_per_s']:>9,} rows/s")
    qs = results["queries_ms"]
    assert isinstance(qs, dict)
    print_queries(qs, args.sites, args.repeat)
    print(f"machine after: {load()}")
    print(json.dumps({"bench": "hq_ingest", "events": n, "sites": args.sites, **results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
