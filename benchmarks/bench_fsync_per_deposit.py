"""fsyncs and bytes written per deposit (SD-card wear), against a bare SQLite commit in the same run.

    .venv/bin/python benchmarks/bench_fsync_per_deposit.py [--deposits 20] [--dir DIR]

A deposit = courier starts it (compartment reserved, door command written), the door fires and is
seen open, the door is seen closed (parcel stored, pickup code issued, resident notified) - all
through the daemon's services on simulated doors, with a real SQLite store (WAL, synchronous=FULL).

The script re-runs itself under `strace -f -y -e trace=fsync,fdatasync,statfs`; statfs() calls on
marker paths delimit each measured window, so start-up and warm-up are not counted. -y names the
file each fsync hits, so the table splits database fsyncs from others (the simulator's door-state
file). Bytes: /proc/self/io `wchar` (bytes handed to write calls) and `write_bytes` (bytes sent to
the block layer; 0 on tmpfs). Baseline: one bare INSERT per commit in WAL + synchronous=FULL.
Target (DESIGN.md section 7): at most 2 fsyncs per deposit.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

MARK = "/lockerd-bench-mark"
TARGET = 2.0


def mark(name: str) -> None:
    try:
        os.statvfs(f"{MARK}-{name}")
    except OSError:
        pass


def proc_io() -> dict[str, int]:
    out: dict[str, int] = {}
    try:
        for line in Path("/proc/self/io").read_text().splitlines():
            k, _, v = line.partition(":")
            out[k.strip()] = int(v)
    except OSError:
        pass
    return out


# --- child: the measured work -------------------------------------------------------------------------
async def run_deposits(data_dir: Path, n: int, window: str = "deposit", idle_checkpoint: bool = False) -> dict[str, Any]:
    from edge.clock import SimClock
    from edge.config import load_config
    from edge.daemon import Daemon
    from edge.demo import seed_logins

    cfg = load_config(REPO / "firmware-config" / "sim.toml")
    raw = cfg.model_dump(mode="python")
    raw["data_dir"] = str(data_dir)
    raw["doors"]["confirm_timeout_s"] = 1.0
    cfg = type(cfg).model_validate(raw)
    clock = SimClock(start=datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    daemon = Daemon(cfg, clock=clock, data_dir=data_dir, simulated=True)
    await daemon.start()
    svc = daemon.services
    commits = {"durable": 0, "non_durable": 0}
    original_run = daemon.store._run

    def counting_run(fn: Any, write: bool, durable: bool) -> Any:
        if write:
            commits["durable" if durable else "non_durable"] += 1
        return original_run(fn, write, durable)

    daemon.store._run = counting_run  # type: ignore[method-assign]
    if idle_checkpoint:
        # what-if: no checkpoints inside transactions; the daemon would checkpoint when idle instead
        daemon.store.read_sync(lambda tx: tx.execute("PRAGMA wal_autocheckpoint=0"))
    await daemon.store.write(lambda tx: seed_logins(tx, svc.couriers))
    courier = (await svc.couriers.login("100001", kiosk="bench"))["courier"]
    capacity = len(cfg.compartments())
    if n + 2 > capacity:
        raise SystemExit(f"--deposits must be at most {capacity - 2} (compartments in the sim profile)")

    def bank_of(compartment: str) -> Any:
        return next(b for b in daemon.banks if compartment in b.compartments)

    async def settle() -> None:
        await asyncio.sleep(0.08)  # the simulated latch releases after 50 ms
        await svc.doors.drain()

    async def deposit(i: int) -> dict[str, Any]:
        dep = await svc.deposits.start(courier, tracking_number=f"SF{9000000000 + i}", unit="1-101", phone_tail="1234")
        await settle()
        bank_of(dep["compartment"]).sim_close(dep["compartment"])
        await settle()
        return dep

    for i in range(2):  # warm-up: first-use allocations, statement caches
        await deposit(i)
    io0, t0 = proc_io(), time.perf_counter()
    commits.update(durable=0, non_durable=0)
    mark(f"{window}-start")
    for i in range(2, n + 2):
        await deposit(i)
    mark(f"{window}-end")
    counted = dict(commits)
    elapsed, io1 = time.perf_counter() - t0, proc_io()
    stored = await daemon.store.read(
        lambda tx: tx.scalar("SELECT COUNT(*) FROM parcels WHERE state = 'stored' AND pickup_code IS NOT NULL")
    )
    await daemon.stop()
    return {
        "stored": int(stored),
        "seconds": elapsed,
        "durable_commits": counted["durable"],
        "non_durable_commits": counted["non_durable"],
        "wchar": io1.get("wchar", 0) - io0.get("wchar", 0),
        "write_bytes": io1.get("write_bytes", 0) - io0.get("write_bytes", 0),
    }


def run_baseline(path: Path, n: int) -> dict[str, Any]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, tracking TEXT, ts TEXT)")
    for i in range(2):
        conn.execute("INSERT INTO t (tracking, ts) VALUES (?, ?)", (f"W{i}", "x"))
    io0 = proc_io()
    mark("baseline-start")
    for i in range(n):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (tracking, ts) VALUES (?, ?)", (f"SF{i}", "2026-03-02T01:00:00.000Z"))
        conn.execute("COMMIT")
    mark("baseline-end")
    io1 = proc_io()
    conn.close()
    return {
        "wchar": io1.get("wchar", 0) - io0.get("wchar", 0),
        "write_bytes": io1.get("write_bytes", 0) - io0.get("write_bytes", 0),
    }


def child(args: argparse.Namespace) -> None:
    import logging

    logging.basicConfig(level=logging.WARNING)
    work = Path(args.dir)
    base = run_baseline(work / "baseline.db", args.deposits)
    dep = asyncio.run(run_deposits(work / "site", args.deposits))
    idle = asyncio.run(run_deposits(work / "site-idle", args.deposits, "idle", idle_checkpoint=True))
    Path(args.result).write_text(json.dumps({"baseline": base, "deposit": dep, "idle": idle}))


# --- parent: strace and the report ---------------------------------------------------------------------
SYSCALL_RE = re.compile(r"^(?:\[pid\s+\d+\]\s+|\d+\s+)?(fsync|fdatasync|statfs|pwrite64)\((.*?)\)\s+= (-?\d+)", re.M)


def count_windows(trace: str) -> dict[str, dict[str, dict[str, int]]]:
    """{window: {file: {"fsync": n, "pwrite": n, "bytes": n}}} between the statfs markers."""
    windows: dict[str, dict[str, dict[str, int]]] = {}
    current: str | None = None
    for m in SYSCALL_RE.finditer(trace):
        call, arg, ret = m.group(1), m.group(2), int(m.group(3))
        if call == "statfs":
            name = re.search(re.escape(MARK) + r"-([a-z]+)-(start|end)", arg)
            if name:
                current = name.group(1) if name.group(2) == "start" else None
                windows.setdefault(name.group(1), {})
            continue
        if current is None:
            continue
        path = re.search(r"<([^>]*)>", arg)
        fname = Path(path.group(1)).name if path else "?"
        entry = windows[current].setdefault(fname, {"fsync": 0, "pwrite": 0, "bytes": 0})
        if call == "pwrite64":
            entry["pwrite"] += 1
            entry["bytes"] += max(ret, 0)
        else:
            entry["fsync"] += 1
    return windows


def _sum(files: dict[str, dict[str, int]], key: str, prefix: str = "") -> int:
    return sum(v[key] for k, v in files.items() if k.startswith(prefix))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--deposits", type=int, default=20, help="measured deposits (at most 22: sim profile size)")
    ap.add_argument("--dir", help="work directory (default: a temporary one on the same disk as the repo)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args)
        return 0
    if args.deposits < 1:
        ap.error("--deposits must be 1 or more")
    strace = shutil.which("strace")
    if strace is None:
        print("strace is not installed (apt install strace): fsyncs cannot be counted", file=sys.stderr)
        return 2
    results_dir = REPO / "benchmarks" / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    work = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="fsync-", dir=results_dir))
    work.mkdir(parents=True, exist_ok=True)
    trace_file, result_file = work / "strace.txt", work / "result.json"
    cmd = [
        strace, "-f", "-qq", "-y", "-e", "trace=fsync,fdatasync,statfs,pwrite64", "-o", str(trace_file),
        sys.executable, __file__, "--child", "--deposits", str(args.deposits), "--dir", str(work),
        "--result", str(result_file),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        print(proc.stdout + proc.stderr, file=sys.stderr)
        return 1
    res = json.loads(result_file.read_text())
    windows = count_windows(trace_file.read_text())
    n = args.deposits
    dep_files = windows.get("deposit", {})
    base_files = windows.get("baseline", {})
    dep_total = _sum(dep_files, "fsync") / n
    dep_db = _sum(dep_files, "fsync", "lockerd.db") / n
    base_total = _sum(base_files, "fsync") / n
    wal_frames = _sum(dep_files, "pwrite", "lockerd.db-wal") / 2 / n  # SQLite writes header + page per frame
    wal_bytes = _sum(dep_files, "bytes", "lockerd.db-wal") / n
    ckpt_bytes = dep_files.get("lockerd.db", {}).get("bytes", 0) / n
    base_wal = _sum(base_files, "bytes", "baseline.db-wal") / n
    idle_total = _sum(windows.get("idle", {}), "fsync") / n
    ratio = dep_total / base_total if base_total else float("inf")
    d, b = res["deposit"], res["baseline"]
    rows = [
        ("fsync+fdatasync per op", f"{dep_total:.2f}", f"{base_total:.2f}", f"{ratio:.2f}x"),
        ("  of which database files", f"{dep_db:.2f}", "", ""),
        ("  what-if: checkpoint when idle (autocheckpoint off)", f"{idle_total:.2f}", "", ""),
        ("commits per op: durable / non-durable",
         f"{res['deposit']['durable_commits'] / n:.1f} / {res['deposit']['non_durable_commits'] / n:.1f}", "1 / 0", ""),
        ("WAL bytes per op (pwrite)", f"{wal_bytes:,.0f}", f"{base_wal:,.0f}",
         f"{(wal_bytes / base_wal) if base_wal else float('nan'):.1f}x"),
        ("WAL frames (pages) per op", f"{wal_frames:.1f}", "", ""),
        ("checkpoint bytes into lockerd.db per op", f"{ckpt_bytes:,.0f}", "", ""),
        ("wchar bytes per op", f"{d['wchar'] / n:,.0f}", f"{b['wchar'] / n:,.0f}",
         f"{(d['wchar'] / b['wchar']) if b['wchar'] else float('nan'):.1f}x"),
        ("write_bytes per op", f"{d['write_bytes'] / n:,.0f}", f"{b['write_bytes'] / n:,.0f}", ""),
        ("ms per op (incl. 160 ms sim latch waits)", f"{1000 * d['seconds'] / n:.1f}", "", ""),
    ]
    print(f"fsyncs per deposit: {n} deposits (deposit + door open + close + code) vs {n} bare WAL FULL commits")
    print(f"work dir {work}")
    print(f"{'measure':42} {'deposit':>12} {'baseline':>12} {'ratio':>8}")
    for r in rows:
        print(f"{r[0]:42} {r[1]:>12} {r[2]:>12} {r[3]:>8}")
    print("fsyncs by file during deposits:",
          ", ".join(f"{k}={v['fsync']}" for k, v in sorted(dep_files.items()) if v["fsync"]) or "none")
    ok = dep_total <= TARGET and res["deposit"]["stored"] >= n
    print(f"target: at most {TARGET:.0f} fsyncs per deposit -> {'OK' if ok else 'MISSED'}")
    print(json.dumps({
        "bench": "fsync_per_deposit",
        "deposits": n,
        "fsyncs_per_deposit": round(dep_total, 3),
        "db_fsyncs_per_deposit": round(dep_db, 3),
        "baseline_fsyncs_per_commit": round(base_total, 3),
        "ratio": round(ratio, 3),
        "fsyncs_per_deposit_idle_checkpoint": round(idle_total, 3),
        "durable_commits_per_deposit": round(res["deposit"]["durable_commits"] / n, 2),
        "non_durable_commits_per_deposit": round(res["deposit"]["non_durable_commits"] / n, 2),
        "fsyncs_by_file": {k: v["fsync"] for k, v in dep_files.items() if v["fsync"]},
        "wal_bytes_per_deposit": round(wal_bytes),
        "wal_frames_per_deposit": round(wal_frames, 1),
        "checkpoint_bytes_per_deposit": round(ckpt_bytes),
        "baseline_wal_bytes_per_commit": round(base_wal),
        "wchar_per_deposit": round(d["wchar"] / n),
        "write_bytes_per_deposit": round(d["write_bytes"] / n),
        "baseline_wchar_per_commit": round(b["wchar"] / n),
        "target_max": TARGET,
        "ok": ok,
    }))
    if not args.dir:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
