"""What the one lifecycle owner costs: N parcels created and collected through ParcelLifecycle, against the
same rows, timeline lines and events written with bare SQL, in the same run (decision 0016).

    .venv/bin/python benchmarks/bench_lifecycle.py [--parcels N] [--quick]

The last line is a JSON summary (benchmarks/run_all.py reads it).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from edge.clock import SimClock
from edge.domain.parcel import ParcelState
from edge.services.lifecycle import Event, ParcelLifecycle, Timeline
from edge.store.db import Store, Tx


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--parcels", type=int, default=5000)
    ap.add_argument("--quick", action="store_true", help="500 parcels (CI smoke)")
    args = ap.parse_args()
    n = 500 if args.quick else args.parcels
    store = Store(Path(tempfile.mkdtemp()) / "bench.db", SimClock(), "bench")
    store.open()
    life = ParcelLifecycle(None)

    def raw(tx: Tx) -> None:
        for i in range(n):
            tx.execute("INSERT INTO parcels (id, tracking_number, unit, state, created_at, updated_at)"
                       " VALUES (?, ?, '1', 'stored', ?, ?)", (f"r{i}", f"SF{i:013d}", tx.ts, tx.ts))
            tx.execute("UPDATE parcels SET state = 'collected', closed_at = ?, updated_at = ? WHERE id = ?",
                       (tx.ts, tx.ts, f"r{i}"))
            tx.log(f"r{i}", "collected", "bench")
            tx.emit("parcel.collected", {"parcel_id": f"r{i}"})

    def owned(tx: Tx) -> None:
        for i in range(n):
            p = life.create(tx, ParcelState.STORED, {"tracking_number": f"JD{i:013d}", "unit": "1"}, actor="bench")
            life.move(tx, p, ParcelState.COLLECTED, actor="bench", timeline=Timeline("collected"),
                      event=Event("parcel.collected", {"parcel_id": p["id"]}))

    try:
        results = {}
        for name, fn in (("bare SQL (baseline)", raw), ("ParcelLifecycle", owned)):
            t = time.perf_counter()
            store.write_sync(fn)
            results[name] = time.perf_counter() - t
            print(f"{name}: {n} create+collect in {results[name] * 1000:.0f} ms"
                  f" = {results[name] / n * 1e6:.0f} us per parcel")
        ratio = results["ParcelLifecycle"] / results["bare SQL (baseline)"]
        print(f"ratio: {ratio:.2f}x")
        print(json.dumps({"parcels": n, "owner_us": round(results["ParcelLifecycle"] / n * 1e6, 1),
                          "bare_us": round(results["bare SQL (baseline)"] / n * 1e6, 1), "ratio": round(ratio, 2)}))
    finally:
        store.close()


if __name__ == "__main__":
    main()
