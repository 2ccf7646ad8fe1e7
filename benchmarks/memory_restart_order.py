"""Diagnostic for bench_memory_startup's restart figure: one fresh 10,000-parcel database, a first start, then
restarts with the default malloc settings and with MALLOC_MMAP_THRESHOLD_=131072 alternating, each printed (RSS 3 s
after ready). It shows that the early restarts still do the first start's work (the reminders it planned) and that
both settings settle at the same RSS (docs/performance.md, mem38).

Run: .venv/bin/python benchmarks/memory_restart_order.py [--pairs 4]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_memory_startup as bench


def start(data: Path, log: Path, settle: float, env: dict[str, str] | None = None) -> dict[str, float]:
    port = bench.free_port()
    return bench.run_process(bench.simulate_args(data, port), f"http://127.0.0.1:{port}/healthz", settle, log, env)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pairs", type=int, default=4, help="default/tuned restart pairs")
    ap.add_argument("--parcels", type=int, default=10_000)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lockerd-restart-order-"))
    data, log = work / "site", work / "processes.log"
    try:
        start(data, log, 1.0)
        bench.fill(data / "lockerd.db", args.parcels)
        first = start(data, log, 3.0)
        print(f"first start: RSS {first['rss_mb']:.1f} MB (at ready {first['rss_ready_mb']:.1f})")
        print("restart  default RSS MB  tuned RSS MB")
        for i in range(args.pairs):
            default = start(data, log, 3.0)
            tuned = start(data, log, 3.0, bench.TUNED_ENV)
            print(f"{i + 1:7d}  {default['rss_mb']:14.1f}  {tuned['rss_mb']:12.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
