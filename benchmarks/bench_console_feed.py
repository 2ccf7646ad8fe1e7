"""What one live-grid message costs the daemon: its CPU and its event loop, feed worker vs in the daemon.

The real daemon (simulated banks, 400 compartments as in bench_pickup.py, 200 of them with a parcel) with
N staff browsers on the live feed (``ConsoleFeed`` queues, drained as the stream route drains them). Each
round changes K compartments in one write (a burst of pickups between two messages) and waits for the
message every browser gets. Per message it records the daemon process's own CPU time (``process_time``: the
worker process is not in it), the CPU the feed worker used (its /proc counters), and the longest stall of
the daemon's event loop (a 1 ms ticker woken late). CPU time, unlike latency, hardly moves with the load
of a shared machine, so this is the figure for decision 0030's "nothing on the daemon's GIL".

    .venv/bin/python benchmarks/bench_console_feed.py [--messages 40] [--browsers 5] [--changes 30] [--quick]

Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))


def _proc_cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def measure(process: bool | None, messages: int, browsers: int, changes: int, work: Path) -> dict[str, Any]:
    from bench_pickup import _site_config

    from edge.clock import SimClock
    from edge.daemon import Daemon
    from edge.ids import uuid7
    from edge.runner import share_gil_quickly
    from edge.store.db import Tx
    from edge.web.console import routes_feed

    share_gil_quickly()
    routes_feed.DEBOUNCE_S = 0.05
    daemon = Daemon(_site_config(work), clock=SimClock(), data_dir=work, simulated=True)
    await daemon.start()

    def fill(tx: Tx) -> None:
        for r in tx.all("SELECT id FROM compartments WHERE state = 'free' ORDER BY id LIMIT 200"):
            pid = uuid7(tx.now)
            tx.execute("INSERT INTO parcels (id, tracking_number, carrier, unit, phone_tail, category, state,"
                       " compartment_id, pickup_code, created_at, stored_at, updated_at) VALUES (?, ?, 'SF', '1-101',"
                       " '1234', 'normal', 'stored', ?, ?, ?, ?, ?)",
                       (pid, "SF" + pid.replace("-", "")[-13:], r["id"], f"{secrets.randbelow(10**10):010d}",
                        tx.ts, tx.ts, tx.ts))
            tx.execute("UPDATE compartments SET state = 'occupied', updated_at = ? WHERE id = ?", (tx.ts, r["id"]))

    await daemon.store.write(fill)
    feed = routes_feed.ConsoleFeed(daemon, process=process is True)
    queues = [feed.subscribe() for _ in range(browsers)] if process is not None else []
    await feed.wait_primed()
    lags: list[float] = []
    ticking = asyncio.Event()

    async def ticker() -> None:
        while True:
            await ticking.wait()
            t = time.perf_counter()
            await asyncio.sleep(0.001)
            lags.append((time.perf_counter() - t - 0.001) * 1000)

    tick = asyncio.create_task(ticker())
    rows: list[tuple[float, float, float, int, float]] = []
    for i in range(2 * (messages + 2)):  # even: CPU with no ticker running; odd: the loop's stalls
        def change(tx: Tx, i: int = i) -> None:
            tx.execute("UPDATE compartments SET state = CASE state WHEN 'disabled' THEN 'free' ELSE 'disabled' END,"
                       " updated_at = ? WHERE id IN (SELECT id FROM compartments WHERE state IN ('free', 'disabled')"
                       " ORDER BY id LIMIT ? OFFSET ?)", (tx.ts, changes, (i * changes) % 150))
            tx.emit("compartment.disabled", {"bench": i})

        await asyncio.sleep(0.1)
        lags.clear()
        if i % 2:
            ticking.set()
        worker = feed.worker.proc.pid if feed.worker is not None and feed.worker.proc is not None else None
        t0, c0, w0 = time.perf_counter(), time.process_time(), (_proc_cpu_s(worker) if worker else 0.0)
        await daemon.store.write(change)
        got = [await asyncio.wait_for(q.get(), 30) for q in queues] or [b""]
        if not queues:
            await asyncio.sleep(0.08)  # no browsers: the same window, nothing built
        c1, w1, t1 = time.process_time(), (_proc_cpu_s(worker) if worker else 0.0), time.perf_counter()
        ticking.clear()
        if i >= 4:
            if i % 2:
                rows[-1] = (*rows[-1][:2], max(lags, default=0.0), rows[-1][3], rows[-1][4])
            else:
                rows.append(((c1 - c0) * 1000, (w1 - w0) * 1000, 0.0, len(got[0]), (t1 - t0) * 1000))
    tick.cancel()
    mode = "none" if process is None else "worker" if feed.worker is not None else "daemon"
    for q in queues:
        await feed.unsubscribe(q)
    await feed.close()
    await daemon.stop()
    cpu = [r[0] for r in rows]
    return {"built_in": mode, "messages": len(rows), "bytes_p50": statistics.median(r[3] for r in rows),
            "window_ms_p50": round(statistics.median(r[4] for r in rows), 1),
            "daemon_cpu_ms_p50": round(statistics.median(cpu), 2), "daemon_cpu_ms_mean": round(statistics.mean(cpu), 2),
            "worker_cpu_ms_mean": round(statistics.mean(r[1] for r in rows), 2),
            "loop_stall_ms_p50": round(statistics.median(r[2] for r in rows), 2),
            "loop_stall_ms_max": round(max(r[2] for r in rows), 2)}


def main() -> int:
    ap = argparse.ArgumentParser(description="what one live-grid message costs the daemon")
    ap.add_argument("--messages", type=int, default=40)
    ap.add_argument("--browsers", type=int, default=5)
    ap.add_argument("--changes", type=int, default=30, help="compartments changed per message")
    ap.add_argument("--quick", action="store_true", help="6 messages (CI smoke)")
    args = ap.parse_args()
    if args.quick:
        args.messages = 6
    import logging

    logging.basicConfig(level=logging.ERROR)
    out: dict[str, Any] = {"bench": "console_feed", "browsers": args.browsers, "changes": args.changes,
                           "load_avg": os.getloadavg()[0], "modes": {}}
    for name, process in (("none", None), ("worker", True), ("daemon", False)):
        with tempfile.TemporaryDirectory(prefix="lockerd-bench-feed-") as tmp:
            out["modes"][name] = asyncio.run(measure(process, args.messages, args.browsers, args.changes, Path(tmp)))
    print(f"one live-grid message ({args.changes} compartments changed, {args.browsers} browsers,"
          f" load average {out['load_avg']:.1f}): where it is built, the daemon's CPU, the worker's CPU, the loop")
    print("none: the same write and window with no browser listening (the baseline)")
    print(f"{'built in':<10}{'n':>5}{'bytes':>8}{'window':>9}{'daemon CPU p50':>16}{'mean':>8}{'worker CPU':>12}"
          f"{'loop stall p50':>16}{'max':>8}")
    for name, m in out["modes"].items():
        print(f"{m['built_in']:<10}{m['messages']:>5}{m['bytes_p50']:>8.0f}{m['window_ms_p50']:>6.0f} ms"
              f"{m['daemon_cpu_ms_p50']:>13.2f} ms"
              f"{m['daemon_cpu_ms_mean']:>8.2f}{m['worker_cpu_ms_mean']:>9.2f} ms{m['loop_stall_ms_p50']:>13.2f} ms"
              f"{m['loop_stall_ms_max']:>8.2f}")
        if m["built_in"] != name:
            print(f"  (asked for {name}: the worker could not run)")
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
