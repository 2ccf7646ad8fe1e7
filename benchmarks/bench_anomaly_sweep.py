"""Anomaly sweep over 100,000 tracked parcels and 1,000,000 tracking events (DESIGN.md section 7: under 1 s).

    .venv/bin/python benchmarks/bench_anomaly_sweep.py [--parcels 100000] [--events-per-parcel 10]

Builds a real lockerd database (the real migrations) in a temp dir: 100,000 waybills in flight (domestic,
cross-border, fresh food, medicine; some with an expected date), 1,000,000 events, summaries as
ingestion writes them. Then, on the same database and the injected clock:
- catch-up sweep: the first full sweep, raising every anomaly that is due (events, tasks, notifications);
- full sweep: every waybill re-evaluated again (nothing changes; the design target);
- incremental sweep: only waybills whose next check is due, one hour later (the periodic tick);
- ingest: new events for 1,000 waybills through TrackingService.ingest (each re-evaluates its waybill).
Baselines, same run: a bare SELECT COUNT(*) over the 1,000,000-row tracking_events table, a full scan of
the 100,000 summaries (SELECT * into Python rows), and 1,000 durable one-row writes (the fsync cost every
ingest call pays).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from edge.clock import SimClock, utc_iso
from edge.store.db import Store
from edge.tracking.service import TrackingService
from edge.tracking.summary import SUMMARY_COLUMNS, summarise

NOW = datetime(2026, 3, 20, 2, 0, tzinfo=UTC)
FLOW = ["label_created", "picked_up", "departed_hub", "arrived_at_hub", "in_transit", "departed_hub",
        "arrived_at_hub", "out_for_delivery", "delivery_failed", "out_for_delivery", "customs_started",
        "customs_held", "exception"]
TEXT = {"label_created": "已下单", "picked_up": "已揽收", "departed_hub": "快件离开【{p}】发往【{q}】",
        "arrived_at_hub": "快件到达【{p}】", "in_transit": "运输中", "out_for_delivery": "正在派送",
        "delivery_failed": "派送不成功，电话无人接听", "customs_started": "清关中", "customs_held": "海关查验中",
        "exception": "问题件"}
PLACES = ["上海", "北京", "广州", "深圳", "杭州", "成都", "武汉", "郑州"]
CARRIERS = ["SF", "ZTO", "YTO", "STO", "YUNDA", "JD", "EMS", "JT"]


def build(store: Store, parcels: int, per: int, seed: int = 11) -> int:
    rng = random.Random(seed)

    def fn(tx):  # type: ignore[no-untyped-def]
        n_events = 0
        ev_rows = []
        tr_rows = []
        for i in range(parcels):
            tn = f"BN{i:012d}"
            start = NOW - timedelta(hours=rng.uniform(2, 24 * 12))
            times = sorted(start + timedelta(hours=rng.uniform(0, (NOW - start).total_seconds() / 3600))
                           for _ in range(per))
            r = rng.random()
            flow = FLOW[:8] if r < 0.85 else FLOW[:9] if r < 0.92 else FLOW[:2] + FLOW[10:12] if r < 0.96 \
                else FLOW[:4] + FLOW[12:13]
            evs = []
            for j, t in enumerate(times):
                m = flow[min(j, len(flow) - 1)] if j < len(flow) else "in_transit"
                place = rng.choice(PLACES)
                text = TEXT[m].format(p=place, q=rng.choice(PLACES)) + f" #{j}"
                evs.append((t.timestamp(), m, place))
                ev_rows.append((tn, utc_iso(t), text, place, None, m, 0.9, "bench", "bench", utc_iso(NOW)))
            n_events += len(evs)
            s = summarise(evs)
            cat = "fresh" if r < 0.03 else "medicine" if r < 0.05 else "normal"
            cross = int(r > 0.9)
            exp = (start + timedelta(days=3)).timestamp() if rng.random() < 0.3 else None
            tr_rows.append((tn, rng.choice(CARRIERS), cat, cross, exp, start.timestamp(),
                            *[s[c] for c in SUMMARY_COLUMNS], start.timestamp(), utc_iso(NOW)))
            if len(ev_rows) >= 50_000:
                tx.conn.executemany("INSERT INTO tracking_events (tracking_number, time, text, location, code,"
                                    " milestone, confidence, rule, source, received_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                                    ev_rows)
                ev_rows = []
        if ev_rows:
            tx.conn.executemany("INSERT INTO tracking_events (tracking_number, time, text, location, code, milestone,"
                                " confidence, rule, source, received_at) VALUES (?,?,?,?,?,?,?,?,?,?)", ev_rows)
        cols = ", ".join(SUMMARY_COLUMNS)
        marks = ", ".join("?" * (6 + len(SUMMARY_COLUMNS) + 2))
        tx.conn.executemany(
            f"INSERT INTO tracked (tracking_number, carrier, category, cross_border, expected_by, first_seen_at, {cols},"
            f" next_check_at, updated_at) VALUES ({marks})", tr_rows)
        return n_events

    return store.write_sync(fn)


def timed(fn):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--parcels", type=int, default=100_000)
    ap.add_argument("--events-per-parcel", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        clock = SimClock(NOW, frozen=True)
        store = Store(Path(tmp) / "lockerd.db", clock, "bench")
        store.open()
        svc = TrackingService(store, clock)
        t_build, n_events = timed(lambda: build(store, args.parcels, args.events_per_parcel))
        n_tracked = store.read_sync(lambda tx: tx.scalar("SELECT COUNT(*) FROM tracked"))
        print(f"built {n_tracked:,} waybills, {n_events:,} events in {t_build:.1f} s")

        def count() -> int:
            return store.read_sync(lambda tx: tx.scalar("SELECT COUNT(*) FROM tracking_events"))

        def scan() -> int:
            return len(store.read_sync(lambda tx: tx.all("SELECT * FROM tracked")))

        base_count = min(timed(count)[0] for _ in range(3))
        base_scan = min(timed(scan)[0] for _ in range(3))
        t_catch, r_catch = timed(lambda: store.write_sync(lambda tx: svc.sweep_tx(tx, full=True)))
        fulls = [timed(lambda: store.write_sync(lambda tx: svc.sweep_tx(tx, full=True))) for _ in range(3)]
        t_full, r_full = min(fulls, key=lambda x: x[0])
        clock.advance(3600)
        t_inc, r_inc = timed(lambda: store.write_sync(lambda tx: svc.sweep_tx(tx)))

        async def ingest_some() -> None:
            for i in range(1000):
                await svc.ingest(f"BN{i * 97 % args.parcels:012d}", "SF",
                                 [{"time": utc_iso(clock.now()), "text": "快件到达【上海】"}], "bench")

        t_ing, _ = timed(lambda: asyncio.run(ingest_some()))

        async def empty_writes() -> None:
            for i in range(1000):
                await store.write(lambda tx, i=i: tx.meta_set("bench", str(i)))

        t_fsync, _ = timed(lambda: asyncio.run(empty_writes()))
        store.close()

    rows = [
        ("baseline: SELECT COUNT(*) tracking_events", base_count, n_events),
        ("baseline: scan all summaries", base_scan, n_tracked),
        ("catch-up sweep (raises all due)", t_catch, r_catch["checked"]),
        ("full sweep (steady)", t_full, r_full["checked"]),
        ("incremental sweep (+1 h)", t_inc, r_inc["checked"]),
        ("baseline: 1,000 durable one-row writes", t_fsync, 1000),
        ("ingest 1,000 events (1 per call, durable)", t_ing, 1000),
    ]
    print(f"{'step':<42} {'seconds':>9} {'rows':>10} {'vs COUNT(*)':>12}")
    for name, sec, n in rows:
        print(f"{name:<42} {sec:>9.3f} {n:>10,} {sec / base_count:>11.1f}x")
    print(f"catch-up raised {r_catch['raised']:,} anomalies; steady full sweep raised {r_full['raised']}, "
          f"cleared {r_full['cleared']}; incremental raised {r_inc['raised']}, cleared {r_inc['cleared']}")
    ok = t_full < 1.0
    print(f"target: full sweep over {n_tracked:,} parcels / {n_events:,} events under 1 s: {'PASS' if ok else 'FAIL'}")
    print(json.dumps({
        "bench": "anomaly_sweep", "parcels": n_tracked, "events": n_events,
        "full_sweep_s": round(t_full, 4), "catchup_sweep_s": round(t_catch, 4), "catchup_raised": r_catch["raised"],
        "incremental_sweep_s": round(t_inc, 4), "incremental_checked": r_inc["checked"],
        "ingest_per_call_ms": round(t_ing, 3), "baseline_write_ms": round(t_fsync, 3),
        "ratio_ingest_vs_write": round(t_ing / t_fsync, 2), "baseline_count_s": round(base_count, 4),
        "baseline_scan_s": round(base_scan, 4), "ratio_full_vs_count": round(t_full / base_count, 2),
        "ratio_full_vs_scan": round(t_full / base_scan, 2), "pass": ok,
    }))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
