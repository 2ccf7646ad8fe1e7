"""Run every benchmarks/bench_*.py and fleet_sim.py, collect their JSON lines, print a summary with goal and verdict.

Each benchmark is a standalone script that prints a table and, last, one JSON line with at least
``"bench"`` (and, where it has a single goal, ``"goal"`` and ``"pass"``). This runner starts them one
after the other (never in parallel: they measure the same machine), keeps each one's full output,
and writes everything to ``benchmarks/results/latest.json`` (git-ignored) with the machine it ran on.

Run: .venv/bin/python benchmarks/run_all.py [--quick] [--only pickup,classify] [--timeout 900]
``--quick`` passes each benchmark its smoke-size arguments (``--quick`` where it has one).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"

#: smoke-size arguments for benchmarks without a --quick flag of their own
QUICK_ARGS: dict[str, list[str]] = {
    "classify": ["--events", "10000", "--rounds", "2"],
    "outbox_drain": ["--events", "10000"],
    "rules_sweep": ["--parcels", "10000", "--steady-runs", "5"],
    "anomaly_sweep": ["--parcels", "10000"],
    "door_open": ["--n", "50"],
    "fsync_per_deposit": ["--deposits", "5"],
}

#: the headline figure of each benchmark's JSON line and how to show it: (key path, unit)
HEADLINE: dict[str, list[tuple[str, str]]] = {
    "pickup": [("scenarios.paced.modes.sim.wire_p99_ms", "ms p99 paced"),
               ("scenarios.burst.modes.sim.wire_p99_ms", "ms p99 burst"), ("ratio", "x bare (burst)")],
    "memory_startup": [("rss_mb", "MB RSS"), ("ready_s", "s to ready")],
    "console_feed": [("modes.worker.daemon_cpu_ms_p50", "ms daemon CPU/message (worker)"),
                     ("modes.daemon.daemon_cpu_ms_p50", "ms (in the daemon)"),
                     ("modes.none.daemon_cpu_ms_p50", "ms (no browsers)")],
    "outbox_drain": [("drain_msgs_per_s", "msg/s"), ("ratio", "x mosquitto_pub")],
    "rules_sweep": [("steady_sweep_p50_s", "s sweep p50"), ("steady_sweep_max_s", "s max")],
    "classify": [("classifier_eps", "events/s")],
    "anomaly_sweep": [("full_sweep_s", "s full sweep"), ("events", "events")],
    "fsync_per_deposit": [("fsyncs_per_deposit", "fsyncs/deposit")],
    "door_open": [("results.0.median_ms", "ms median cu16"), ("results.0.p99_ms", "ms p99 cu16")],
    "message_fold": [("fold_p50_ms", "ms fold p50"), ("fold_p99_ms", "ms p99"), ("read_p99_ms", "ms read p99")],
    "fleet_sim": [("sites", "sites"), ("burst.hq_msgs_per_s", "msg/s HQ"), ("burst.lost", "lost")],
}

GOALS: dict[str, str] = {
    "pickup": "p99 < 10 ms, <= 2x bare FastAPI p99",
    "memory_startup": "< 80 MB RSS at 10,000 stored; < 3 s to ready",
    "console_feed": "(decision 0030: the worker's daemon CPU near the no-browser baseline)",
    "outbox_drain": ">= 0.35x mosquitto_pub -l",
    "rules_sweep": "< 1 s over 100,000 parcels",
    "classify": "> 50,000 events/s",
    "anomaly_sweep": "< 1 s over 1,000,000 tracking events",
    "fsync_per_deposit": "<= 2 fsyncs per deposit",
    "door_open": "(no single goal: see its table)",
    "fleet_sim": "0 lost, seq gap-free, every will seen",
}


def dig(obj: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(obj, list) and part.isdigit() and int(part) < len(obj):
            obj = obj[int(part)]
        elif isinstance(obj, dict) and part in obj:
            obj = obj[part]
        else:
            return None
    return obj


def last_json(text: str) -> dict[str, Any] | None:
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{") and line.endswith("}"):
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if isinstance(obj, dict) and "bench" in obj:
                return obj
    return None


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"nproc": os.cpu_count(), "python": platform.python_version(),
                            "kernel": platform.release()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["ram_gb"] = round(int(line.split()[1]) / 2**20, 1)
        info["loadavg"] = Path("/proc/loadavg").read_text().split()[:3]
    except OSError:
        pass
    du = shutil.disk_usage(HERE)
    info["disk_total_gb"] = round(du.total / 2**30)
    return info


def name_of(script: Path) -> str:
    return script.stem.removeprefix("bench_")  # fleet_sim.py keeps its name


def command(script: Path, quick: bool) -> list[str]:
    cmd = [sys.executable, str(script)]
    if quick:
        if "--quick" in script.read_text():
            cmd.append("--quick")
        else:
            cmd += QUICK_ARGS.get(name_of(script), [])
    return cmd


def fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:,.3g}" if abs(v) < 100 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smoke sizes (CI)")
    ap.add_argument("--only", help="comma-separated benchmark names (e.g. pickup,classify)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds per benchmark")
    ap.add_argument("--out", default=str(RESULTS / "latest.json"))
    args = ap.parse_args()
    scripts = sorted(HERE.glob("bench_*.py")) + [HERE / "fleet_sim.py"]
    if args.only:
        wanted = {w.strip() for w in args.only.split(",")}
        scripts = [s for s in scripts if name_of(s) in wanted]
    runs: list[dict[str, Any]] = []
    for script in scripts:
        cmd = command(script, args.quick)
        print(f"== {name_of(script)}: {' '.join(Path(c).name if i < 2 else c for i, c in enumerate(cmd))}",
              flush=True)
        t0 = time.monotonic()
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout, cwd=HERE.parent)
            rc, out, err = proc.returncode, proc.stdout, proc.stderr
        except subprocess.TimeoutExpired as exc:
            rc, out, err = -1, (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else (exc.stdout or ""), \
                f"timed out after {args.timeout:g} s"
        secs = time.monotonic() - t0
        result = last_json(out)
        print(out.rstrip())
        if rc != 0 and result is None:
            print(err.rstrip()[-2000:])
        runs.append({"bench": name_of(script), "command": cmd[1:], "exit": rc, "seconds": round(secs, 1),
                     "result": result, "output": out[-20000:], "stderr": err[-4000:]})
    RESULTS.mkdir(parents=True, exist_ok=True)
    doc = {"finished_at": datetime.now(UTC).isoformat(timespec="seconds"), "quick": args.quick,
           "machine": machine(), "runs": runs}
    Path(args.out).write_text(json.dumps(doc, indent=2, ensure_ascii=False))

    print()
    print(f"{'benchmark':<20}{'figures':<52}{'goal':<46}{'met':>6}{'secs':>7}")
    for r in runs:
        res = r["result"] or {}
        figs = ", ".join(f"{fmt(v)} {unit}" for key, unit in HEADLINE.get(r["bench"], [])
                         if (v := dig(res, key)) is not None)
        if not res:
            figs = f"no result (exit {r['exit']})"
        met = res.get("pass", res.get("ok"))
        verdict = "-" if met is None else ("yes" if met else "NO")
        print(f"{r['bench']:<20}{figs[:51]:<52}{GOALS.get(r['bench'], res.get('goal', ''))[:45]:<46}"
              f"{verdict:>6}{r['seconds']:>7.0f}")
    print(f"results: {args.out}")
    return 0 if all(r["exit"] == 0 for r in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
