"""The dispatcher's fold (ADR 0043) on a real SQLite file: the read that decides whether to fold, and the durable
fold transaction itself, with other pending messages in the queue.

    .venv/bin/python benchmarks/bench_message_fold.py [--groups 300] [--backlog 2000]

Each group is three "moved" messages of one recipient and code; the backlog is unrelated pending reminders.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from edge.clock import SimClock
from edge.notify import merge
from edge.notify import queue as Q
from edge.store.db import Store, Tx


def _pct(xs: list[float], p: float) -> float:
    return sorted(xs)[max(0, int(len(xs) * p) - 1)] * 1000


async def main(groups: int, backlog: int) -> dict[str, object]:
    d = Path(tempfile.mkdtemp(prefix="bench-fold-"))
    store = Store(d / "lockerd.db", SimClock(start=datetime(2026, 3, 2, 1, 0, tzinfo=UTC)), site_id="bench")
    store.open()

    def seed(tx: Tx) -> list[str]:
        for i in range(backlog):
            Q.enqueue(tx, kind="reminder", lang="zh-CN", text="x", parcel={"unit": f"9-{i}"})
        firsts = []
        for g in range(groups):
            p = {"unit": f"1-{g}", "phone_tail": "1234", "tracking_number": f"SF{g:013d}"}
            key = merge.key("moved", p, "zh-CN", "1234567890")
            ids = [Q.enqueue(tx, kind="moved", lang="zh-CN", text="您的包裹已移至包裹室", parcel=p, merge_key=key,
                             merge_data=merge.data(name="顺丰速运", compartment=None, shelf=f"R{k}", site="阳光花园",
                                                   code="1234567890", desk="", phone="", deadline_at=None))
                   for k in range(3)]
            firsts.append(ids[0])
        return firsts

    firsts = await store.write(seed)
    reads: list[float] = []
    writes: list[float] = []
    for mid in firsts:
        t = time.perf_counter()
        assert await store.read(functools.partial(Q.fold_needed, mid=mid))
        reads.append(time.perf_counter() - t)
        t = time.perf_counter()
        row = await store.write(functools.partial(Q.fold, mid=mid))
        writes.append(time.perf_counter() - t)
        assert row is not None and "3件包裹" in row["text"]
    merged = await store.read(lambda tx: tx.scalar("SELECT count(*) FROM messages WHERE state = 'merged'"))
    store.close()
    return {"bench": "message_fold", "groups": groups, "backlog": backlog, "merged": merged,
            "read_p50_ms": round(_pct(reads, 0.5), 3), "read_p99_ms": round(_pct(reads, 0.99), 3),
            "fold_p50_ms": round(_pct(writes, 0.5), 3), "fold_p99_ms": round(_pct(writes, 0.99), 3)}


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--groups", type=int, default=300)
    ap.add_argument("--backlog", type=int, default=2000)
    a = ap.parse_args()
    res = asyncio.run(main(a.groups, a.backlog))
    print(f"fold_needed read p50 {res['read_p50_ms']} ms, p99 {res['read_p99_ms']} ms; durable fold of 3 p50"
          f" {res['fold_p50_ms']} ms, p99 {res['fold_p99_ms']} ms ({res['groups']} groups, {res['backlog']} other"
          f" pending, {res['merged']} merged)")
    print(json.dumps(res))
