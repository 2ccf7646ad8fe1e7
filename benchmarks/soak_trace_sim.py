"""Where does the real daemon's memory grow? Runs the soak's HTTP driver (tests/reliability/test_soak.py:
deposits, pickups, cancels, kiosk and console reads) against a `lockerd simulate` subprocess started
under tracemalloc, takes a heap snapshot after warm-up and at the end (SIGUSR1 -> snapshot file) and
prints the allocation sites that grew most, plus RSS against the traced Python heap so allocator or
SQLite growth (RSS up, heap flat) can be told from Python growth.

    .venv/bin/python benchmarks/soak_trace_sim.py --seconds 600 --warmup 200
    .venv/bin/python benchmarks/soak_trace_sim.py --stats 20 --seconds 540 --warmup 120 [--prune 1500]
    .venv/bin/python benchmarks/soak_trace_sim.py --census 300 500

--stats samples RSS (anonymous / file-backed), SQLite's allocator, glibc's heap (mallinfo2), Python's
obmalloc arenas and blocks from inside the daemon; --prune keeps the growing tables at a constant size
(a second connection deletes old closed rows) to tell growth with the data from a leak; --census counts
live objects by type and held strings by shape, twice, and prints what grew.

With --child the script is the daemon side: `lockerd <args>` with tracemalloc and the dump handler.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import ctypes.util
import gc
import json
import os
import signal
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


class MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]


def py_arenas() -> dict[str, float]:
    """Python's own allocator (obmalloc: 1 MiB arenas mmap'd outside glibc's heap, so not in mallinfo):
    arenas held and bytes in used blocks, parsed from sys._debugmallocstats (it writes to fd 2)."""
    saved = os.dup(2)
    with tempfile.TemporaryFile() as f:
        os.dup2(f.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        f.seek(0)
        text = f.read().decode(errors="replace")
    out: dict[str, float] = {}
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "# arenas allocated current":
            out["py_arena_mb"] = int(value.replace(",", "")) * 1048576 / 1e6
        elif key.strip() == "# bytes in allocated blocks":
            out["py_used_mb"] = int(value.replace(",", "")) / 1e6
    return out


def memory_parts() -> dict[str, float]:
    """Where resident memory is, from inside the process: SQLite's allocator, glibc's heap (in use and
    free-but-kept), mmap'd blocks, and Python's allocated blocks."""
    out: dict[str, float] = {"py_blocks": float(sys.getallocatedblocks()), **py_arenas()}
    try:
        lib = ctypes.CDLL("libsqlite3.so.0")
        lib.sqlite3_memory_used.restype = ctypes.c_int64
        lib.sqlite3_memory_highwater.restype = ctypes.c_int64
        out["sqlite_mb"] = lib.sqlite3_memory_used() / 1e6
        out["sqlite_high_mb"] = lib.sqlite3_memory_highwater(0) / 1e6
    except (OSError, AttributeError):
        pass
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallinfo2.restype = MallInfo2
        mi = libc.mallinfo2()
        out.update(heap_mb=mi.arena / 1e6, heap_used_mb=mi.uordblks / 1e6, heap_free_mb=mi.fordblks / 1e6,
                   mmap_mb=mi.hblkhd / 1e6)
    except (OSError, AttributeError):
        pass
    return out


def child(argv: list[str]) -> int:
    out = Path(os.environ["SOAK_TRACE_DIR"])
    if os.environ.get("SOAK_TRACE_STATS") == "1":
        n = 0

        def stats(signum: int, frame: FrameType | None) -> None:
            nonlocal n
            (out / f"stats{n}.json").write_text(json.dumps(memory_parts()))
            n += 1

        signal.signal(signal.SIGUSR2, stats)
    else:
        tracemalloc.start(int(os.environ.get("SOAK_TRACE_FRAMES", "10")))
    count = 0

    def dump(signum: int, frame: FrameType | None) -> None:
        nonlocal count
        gc.collect()
        snap = tracemalloc.take_snapshot()
        snap.dump(str(out / f"snap{count}.pickle"))
        (out / f"snap{count}.json").write_text(json.dumps({"traced_mb": tracemalloc.get_traced_memory()[0] / 1e6}))
        count += 1

    signal.signal(signal.SIGUSR1, dump)

    census_n = 0

    def census(signum: int, frame: FrameType | None) -> None:
        """Live objects by type, and strings held by live containers by shape (digits as 9): diffed between
        two calls, what grows with the cycles shows."""
        nonlocal census_n
        import re
        from collections import Counter

        gc.collect()
        UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
        types: Counter[str] = Counter()
        shapes: Counter[str] = Counter()
        seen: set[int] = set()
        def walk(x: object, depth: int) -> None:
            if id(x) in seen:
                return
            if type(x) is str:
                seen.add(id(x))
                shapes[re.sub(r"[0-9a-f]", "h", x) if UUID.match(x) else re.sub(r"[0-9]", "9", x[:40])] += 1  # type: ignore[index]
            elif type(x) in (int, float, bytes):
                seen.add(id(x))
                types["(" + type(x).__name__ + ")"] += 1
            elif type(x) in (dict, tuple) and not gc.is_tracked(x) and depth < 4:
                # CPython stops tracking dicts and tuples that hold only atoms: not in get_objects, so walk in
                seen.add(id(x))
                types["(untracked " + type(x).__name__ + ")"] += 1
                for y in gc.get_referents(x):
                    walk(y, depth + 1)

        for obj in gc.get_objects():
            types[type(obj).__qualname__] += 1
            for x in gc.get_referents(obj):
                walk(x, 0)
        (out / f"census{census_n}.json").write_text(json.dumps({"types": types, "shapes": shapes}))
        census_n += 1

    signal.signal(signal.SIGRTMIN + 2, census)
    limit = int(os.environ.get("SOAK_SQLITE_SOFT_LIMIT", "0"))
    if limit:  # experiment: bound SQLite's whole allocator (caches are released to stay under it)
        lib = ctypes.CDLL("libsqlite3.so.0")
        lib.sqlite3_soft_heap_limit64.restype = ctypes.c_int64
        lib.sqlite3_soft_heap_limit64.argtypes = [ctypes.c_int64]
        lib.sqlite3_soft_heap_limit64(limit)
    if os.environ.get("SOAK_CACHE_KIB"):  # experiment: another page cache size
        from edge.store.db import Store

        Store.CACHE_KIB = int(os.environ["SOAK_CACHE_KIB"])
    from edge.cli.main import main

    return main(argv)


def rss_parts(pid: int) -> dict[str, float]:
    """VmRSS split: anonymous memory (heaps), file-backed pages (code and libraries touched so far, mmap'd
    files) and shared memory (SQLite's -shm WAL index)."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("RssAnon", "RssFile", "RssShmem"):
            out[key[3:].lower() + "_mb"] = round(int(value.split()[0]) / 1024, 2)
    return out


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def snapshot(sim, trace_dir: Path, n: int) -> tuple[tracemalloc.Snapshot, float]:  # type: ignore[no-untyped-def]
    sim.proc.send_signal(signal.SIGUSR1)
    path = trace_dir / f"snap{n}.json"
    deadline = time.monotonic() + 120
    while not path.exists():
        if time.monotonic() > deadline:
            raise RuntimeError("no snapshot from the daemon")
        time.sleep(0.2)
    time.sleep(0.2)
    return tracemalloc.Snapshot.load(str(trace_dir / f"snap{n}.pickle")), json.loads(path.read_text())["traced_mb"]


#: tables that grow by rows a cycle, with the rows the pruner may delete (closed ones only)
PRUNE = {
    "parcels": "state IN ('collected','cancelled','returned','disposed')",
    "deposits": "state IN ('stored','cancelled','failed')",
    "door_commands": "state NOT IN ('pending','fired')",
    "parcel_log": "1", "events": "1", "outbox": "1", "audit": "1", "notifications": "1",
    "messages": "state <> 'pending'",
}


def prune(db_path: Path, keep: int) -> int:
    """Experiment (--prune): keep the tables at a constant size, as if old closed rows were archived, by
    deleting all but the newest `keep` rows of each growing table from a second connection. The daemon
    keeps running; what it still works on (pending commands, stored parcels) is never deleted."""
    import sqlite3

    conn = sqlite3.connect(db_path, timeout=30, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("BEGIN IMMEDIATE")
        n = 0
        for table, cond in PRUNE.items():
            n += conn.execute(f"DELETE FROM {table} WHERE rowid < (SELECT max(rowid) FROM {table}) - ? AND {cond}",
                              (keep,)).rowcount
        conn.execute("COMMIT")
        return n
    finally:
        conn.close()


@contextlib.contextmanager
def traced_sim(**env: str) -> Iterator[tuple[Any, Path]]:
    """A `lockerd simulate` child of this script (so that it can trace itself) on a temporary data dir, with
    `env` set for it: yields the running site and the folder it writes its trace files to; stops it after."""
    import tests.conftest as conftest

    with tempfile.TemporaryDirectory() as tmp:
        trace_dir = Path(tmp) / "trace"
        trace_dir.mkdir()
        os.environ.update(SOAK_TRACE_DIR=str(trace_dir), **env)
        conftest.lockerd_cmd = lambda: [sys.executable, str(Path(__file__).resolve()), "--child"]  # type: ignore[assignment]
        sim = conftest.launch_sim(Path(tmp) / "site", wait=240)
        try:
            yield sim, trace_dir
        finally:
            sim.stop()


def stats_run(seconds: float, warmup: float, every: float, keep: int = 0) -> None:
    """No tracemalloc (it inflates RSS): sample RSS and the parts every `every` seconds. With keep > 0 the
    tables are pruned to about `keep` rows each before every sample (constant table size)."""
    from tests.reliability.test_soak import Driver, slope_per_10min

    with traced_sim(SOAK_TRACE_STATS="1") as (sim, trace_dir):
        rows: list[dict[str, float]] = []
        drv = Driver(sim)
        t0 = time.monotonic()
        next_sample, n = 0.0, 0
        while (el := time.monotonic() - t0) < seconds:
            drv.cycle()
            if el >= next_sample:
                pruned = prune(sim.data_dir / "lockerd.db", keep) if keep else 0
                sim.proc.send_signal(signal.SIGUSR2)
                path = trace_dir / f"stats{n}.json"
                while not path.exists():
                    time.sleep(0.05)
                time.sleep(0.05)
                row = {"t": round(el), "cycles": drv.n, "pruned": pruned, "rss_mb": round(rss_mb(sim.proc.pid), 2),
                       **rss_parts(sim.proc.pid),
                       **{k: round(v, 2) for k, v in json.loads(path.read_text()).items()}}
                rows.append(row)
                print(json.dumps(row), flush=True)
                n += 1
                next_sample = el + every
        after = [r for r in rows if r["t"] >= warmup]
        for key in ("rss_mb", "anon_mb", "file_mb", "shmem_mb", "sqlite_mb", "heap_mb", "heap_used_mb", "mmap_mb",
                    "py_arena_mb", "py_used_mb", "py_blocks"):
            if key in rows[0]:
                print(f"{key}: {rows[0][key]} -> {rows[-1][key]}, after warm-up"
                      f" {slope_per_10min([(r['t'], r[key]) for r in after]):+.3f} per 10 min")


def census_run(first: int, then: int) -> None:
    """No tracemalloc: `first` cycles, a census of live objects (types, and strings by shape), `then` more
    cycles, a second census; prints what grew. A per-cycle Python leak shows as a count near `then`."""
    from tests.reliability.test_soak import Driver

    with traced_sim(SOAK_TRACE_STATS="1") as (sim, trace_dir):

        def take(n: int) -> dict[str, dict[str, int]]:
            sim.proc.send_signal(signal.SIGRTMIN + 2)
            path = trace_dir / f"census{n}.json"
            while not path.exists():
                time.sleep(0.2)
            time.sleep(1.5)
            return json.loads(path.read_text())  # type: ignore[no-any-return]

        drv = Driver(sim)
        for _ in range(first):
            drv.cycle()
        a = take(0)
        for _ in range(then):
            drv.cycle()
        b = take(1)
        print(f"census after {first} and {first + then} cycles")
        for k in ("types", "shapes"):
            d = sorted(((b[k].get(t, 0) - a[k].get(t, 0), t) for t in set(a[k]) | set(b[k])), reverse=True)
            print(f"{k} grew:", [(n, t) for n, t in d[:20] if n > 0])


def main(seconds: float, warmup: float, frames: int) -> None:
    from tests.reliability.test_soak import Driver, slope_per_10min

    with traced_sim(SOAK_TRACE_FRAMES=str(frames)) as (sim, trace_dir):
        drv = Driver(sim)
        t0 = time.monotonic()
        rss: list[tuple[float, float]] = []
        base = None
        warm_n = 0
        next_sample = 0.0
        while (el := time.monotonic() - t0) < seconds:
            drv.cycle()
            if el >= next_sample:
                rss.append((el, rss_mb(sim.proc.pid)))
                next_sample = el + 5
            if base is None and el >= warmup:
                base, base_mb = snapshot(sim, trace_dir, 0)
                warm_n = drv.n
                print(f"warm-up: {drv.n} cycles, RSS {rss_mb(sim.proc.pid):.1f} MB, heap {base_mb:.2f} MB",
                      flush=True)
        end, end_mb = snapshot(sim, trace_dir, 1)
        after = [s for s in rss if s[0] >= warmup]
        print(f"end: {drv.n} cycles in {time.monotonic() - t0:.0f} s, RSS {rss[0][1]:.1f} -> {rss[-1][1]:.1f} MB,"
              f" RSS slope after warm-up {slope_per_10min(after):.3f} MB/10 min,"
              f" heap {base_mb:.2f} -> {end_mb:.2f} MB")
        assert base is not None
        growth = sum(s.size_diff for s in end.compare_to(base, "filename"))
        print(f"traced growth after warm-up {growth / 1024:+.1f} KiB, {growth / max(1, drv.n - warm_n):+.1f} B a cycle")
        for stat in end.compare_to(base, "filename")[:12]:
            print(f"{stat.size_diff / 1024:+9.1f} KiB {stat.count_diff:+6d} blocks  {stat.traceback[0].filename}")
        for stat in end.compare_to(base, "traceback")[:25]:
            print(f"{stat.size_diff / 1024:+9.1f} KiB {stat.count_diff:+6d} blocks")
            for line in stat.traceback.format()[-frames * 2:]:
                print("     ", line)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.exit(child(sys.argv[2:]))
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=600)
    ap.add_argument("--warmup", type=float, default=200)
    ap.add_argument("--frames", type=int, default=8)
    ap.add_argument("--stats", type=float, default=0, help="no tracemalloc: sample the memory parts every N s")
    ap.add_argument("--prune", type=int, default=0, help="with --stats: keep each growing table at about N rows")
    ap.add_argument("--census", type=int, nargs=2, metavar=("FIRST", "THEN"),
                    help="no tracemalloc: live objects counted after FIRST and FIRST+THEN cycles, diffed")
    a = ap.parse_args()
    if a.census:
        census_run(*a.census)
    elif a.stats:
        stats_run(a.seconds, a.warmup, a.stats, a.prune)
    else:
        main(a.seconds, a.warmup, a.frames)
