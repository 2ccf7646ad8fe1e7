"""Outbox drain to a local Mosquitto at QoS 1 (rows deleted on PUBACK), beside `mosquitto_pub -l`
publishing the same messages at QoS 1, measured in the same run (DESIGN.md section 7: goal >= 0.35x).

    .venv/bin/python benchmarks/bench_outbox_drain.py [--events 100000] [--window 50]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cloudsync.link import LinkSettings, MqttLink
from cloudsync.publisher import OutboxPublisher, envelope
from cloudsync.topics import Topics, parse_broker_url
from edge.clock import SimClock, utc_iso
from edge.ids import uuid7
from edge.store.db import Store

SITE = "bench-site"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_broker(d: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    conf = d / "mosquitto.conf"
    lines = [f"listener {port} 127.0.0.1", "allow_anonymous true", "max_queued_messages 0",
             "max_queued_bytes 0"]
    if os.geteuid() == 0:
        lines.insert(0, "user root")
    conf.write_text("\n".join(lines) + "\n")
    mosq = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    proc = subprocess.Popen([mosq, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("mosquitto did not start")


def fill(store: Store, n: int) -> None:
    ts = utc_iso(store.clock.now())

    def _f(tx) -> None:  # type: ignore[no-untyped-def]
        rows = []
        for i in range(n):
            data = json.dumps({"parcel_id": uuid7(), "tracking_number": f"SF{1000000000 + i}", "compartment": "A-07",
                               "unit": "3-1202", "category": "normal", "carrier": "sf"}, separators=(",", ":"))
            rows.append((uuid7(), "parcel.stored", ts, data))
        tx.conn.executemany("INSERT INTO events (id, type, ts, data) VALUES (?, ?, ?, ?)", rows)
        tx.execute("INSERT INTO outbox (seq, droppable) SELECT seq, 0 FROM events")

    store.write_sync(_f)


def counter(port: int, topic: str, n: int) -> subprocess.Popen[bytes]:
    """`mosquitto_sub -C n`: exits once n messages arrived (the same stopwatch for both runs)."""
    sub = shutil.which("mosquitto_sub") or "/usr/bin/mosquitto_sub"
    proc = subprocess.Popen([sub, "-h", "127.0.0.1", "-p", str(port), "-t", topic, "-q", "1", "-C", str(n),
                             "-i", f"bench-counter-{time.monotonic_ns()}"], stdout=subprocess.DEVNULL)
    time.sleep(0.5)  # let it subscribe
    return proc


def baseline(port: int, topic: str, payload_file: Path, n: int) -> float:
    """mosquitto_pub -l at QoS 1. Its stdin stays open until every message has arrived: at EOF,
    mosquitto_pub 2.0 disconnects and drops what it has not sent yet (it delivered about a third of
    100,000 lines that way), which would make the baseline look several times faster than it is."""
    pub = shutil.which("mosquitto_pub") or "/usr/bin/mosquitto_pub"
    sub = counter(port, topic, n)
    data = payload_file.read_bytes()
    t0 = time.perf_counter()
    proc = subprocess.Popen([pub, "-h", "127.0.0.1", "-p", str(port), "-t", topic, "-q", "1", "-l",
                             "-i", "bench-baseline"], stdin=subprocess.PIPE)
    assert proc.stdin is not None
    writer = threading.Thread(target=proc.stdin.write, args=(data,), daemon=True)
    writer.start()
    sub.wait(timeout=600)
    elapsed = time.perf_counter() - t0
    writer.join()
    proc.stdin.close()
    proc.wait(30)
    return elapsed


async def drain(store: Store, port: int, window: int, n: int) -> tuple[float, int, int]:
    loop = asyncio.get_running_loop()
    topics = Topics(SITE)
    pub = OutboxPublisher(store, store.clock, SITE, lambda t: topics.events, window=window)
    up = asyncio.Event()

    async def attempt() -> tuple[str, bytes]:
        return topics.status, b'{"online":false}'
    link = MqttLink(
        LinkSettings(client_id=SITE, broker=parse_broker_url(f"mqtt://127.0.0.1:{port}"), session_expiry_s=0,
                     max_inflight=window + 20),
        loop, on_attempt=attempt, on_up=lambda s, r: up.set(),
        on_down=lambda r: None, on_message=lambda m: None, on_acks=pub.on_acks)
    pub.sender = link
    link.start()
    await asyncio.wait_for(up.wait(), 10)
    sub = counter(port, topics.events, n)
    t0 = time.perf_counter()
    await pub.start()
    pub.on_connected()
    while True:
        await asyncio.sleep(0.02)
        if pub.acked >= pub.published and not pub._to_delete and pub._exhausted and not pub._queue:
            left = await store.read(lambda tx: int(tx.scalar("SELECT count(*) FROM outbox")))
            if left == 0:
                break
    await loop.run_in_executor(None, sub.wait, 600)
    elapsed = time.perf_counter() - t0
    await pub.stop()
    await link.stop()
    return elapsed, link.receive_maximum or 0, pub.window


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--window", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=3, help="alternate baseline and drain this many times")
    args = ap.parse_args()
    n = args.events
    base_runs: list[float] = []
    ours_runs: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        proc, port = start_broker(d)
        try:
            store = Store(d / "bench.db", SimClock(), SITE)
            store.open()
            fill(store, n)
            rows = store.read_sync(lambda tx: tx.all(
                "SELECT e.seq, e.id, e.type, e.ts, e.data FROM outbox o JOIN events e ON e.seq = o.seq ORDER BY o.seq"))
            payload_file = d / "payloads.txt"
            payload_file.write_text("".join(envelope(r, SITE) + "\n" for r in rows))
            for i in range(args.rounds):
                if i:  # the same backlog again
                    store.write_sync(lambda tx: tx.execute("INSERT INTO outbox (seq, droppable) SELECT seq, 0 FROM events"))
                base_runs.append(baseline(port, Topics(SITE).events, payload_file, n))
                ours_s, recv_max, effective = asyncio.run(drain(store, port, args.window, n))
                ours_runs.append(ours_s)
            store.close()
        finally:
            proc.terminate()
            proc.wait()
    base_best, ours_best = n / min(base_runs), n / min(ours_runs)
    base_med, ours_med = n / statistics.median(base_runs), n / statistics.median(ours_runs)
    ratio, ratio_med = ours_best / base_best, ours_med / base_med
    print(f"{n} messages at QoS 1 to a local Mosquitto, {args.rounds} alternating rounds; the stopwatch stops "
          "when a mosquitto_sub has all of them")
    print(f"{'what':<46}{'best msgs/s':>13}{'median msgs/s':>15}{'runs (s)':>28}")
    print(f"{'mosquitto_pub -l, QoS 1 (baseline)':<46}{base_best:>13.0f}{base_med:>15.0f}"
          f"{' '.join(f'{x:.2f}' for x in base_runs):>28}")
    print(f"{'lockerd outbox drain, QoS 1, delete on PUBACK':<46}{ours_best:>13.0f}{ours_med:>15.0f}"
          f"{' '.join(f'{x:.2f}' for x in ours_runs):>28}")
    print(f"ratio {ratio:.2f}x best/best, {ratio_med:.2f}x median/median (goal >= 0.35x); window {args.window} "
          f"configured, {effective} used (broker Receive Maximum {recv_max}, 2 slots kept for status and snapshot)")
    print(json.dumps({"bench": "outbox_drain", "events": n, "rounds": args.rounds, "window": args.window,
                      "window_used": effective, "receive_maximum": recv_max,
                      "baseline_msgs_per_s": round(base_best), "drain_msgs_per_s": round(ours_best),
                      "baseline_median_msgs_per_s": round(base_med), "drain_median_msgs_per_s": round(ours_med),
                      "ratio": round(ratio, 3), "ratio_median": round(ratio_med, 3), "goal": 0.35,
                      "pass": ratio >= 0.35}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
