"""Fleet simulation for HQ scale: many lightweight simulated sites against one local Mosquitto.

Each simulated site speaks the MQTT contract of DESIGN.md section 4 over its own TCP connection,
with a minimal MQTT v5 client on asyncio (thousands fit in one process, no thread per site):
client id = site id, ``clean_start=False`` with a finite session expiry, a retained Last Will
``{"online": false, "boot_id", "bdseq"}`` on ``lockerd/v1/{site}/status``, a retained birth on
connect, events on ``.../events`` at QoS 1 in the envelope ``{"id","seq","type","ts","site","data"}``
with a per-site rising seq and a window of unacknowledged messages, telemetry at QoS 0.

HQ is either paho-mqtt subscribers (``--hq paho``: ``--hq-workers`` clients sharing
``$share/hq/lockerd/v1/+/events`` plus one plain subscriber on ``lockerd/v1/+/status``) or the real
``lockerd hq serve`` (``--hq serve``: ``--hq-workers`` ingest processes into a PostgreSQL started here,
everything counted in the database). With ``--hq serve`` the burst is sent while HQ is stopped (its
persistent sessions queue on the broker) and timed until HQ, started again, has stored all of it.

Phases, all measured at HQ: connect (births), steady traffic (each site one event every
``--event-interval`` s and telemetry every ``--telemetry-interval`` s), a burst (every site sends a
backlog of ``--burst`` events at once, as after an HQ-side outage), and a crash of 10% of the sites
(sockets dropped without DISCONNECT: the broker must publish their retained wills).
Baseline in the same run: one paho client publishing the same number of burst events at QoS 1 to one
plain subscriber (msgs/s).

Run: .venv/bin/python benchmarks/fleet_sim.py [--sites 1000] [--duration 20] [--quick]
Prints a table and one JSON line. Only loopback is used.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"


# --- a minimal MQTT v5 client (just what a site publishes) -------------------------------------------
def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b, n = n % 128, n // 128
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _str(s: str) -> bytes:
    b = s.encode()
    return struct.pack("!H", len(b)) + b


def _packet(first: int, body: bytes) -> bytes:
    return bytes([first]) + _varint(len(body)) + body


def connect_packet(client_id: str, will_topic: str, will: bytes, session_expiry: int, keepalive: int) -> bytes:
    flags = 0x04 | 0x08 | 0x20  # will flag, will QoS 1, will retain; clean_start=False (bit 1 clear)
    props = b"\x11" + struct.pack("!I", session_expiry) + b"\x21" + struct.pack("!H", 100)  # receive maximum
    var = _str("MQTT") + b"\x05" + bytes([flags]) + struct.pack("!H", keepalive) + _varint(len(props)) + props
    payload = _str(client_id) + _varint(0) + _str(will_topic) + struct.pack("!H", len(will)) + will
    return _packet(0x10, var + payload)


def publish_packet(topic: str, payload: bytes, qos: int, pid: int = 0, retain: bool = False) -> bytes:
    var = _str(topic) + (struct.pack("!H", pid) if qos else b"") + _varint(0)
    return _packet(0x30 | (qos << 1) | int(retain), var + payload)


class SiteClient:
    """One simulated site: a connection, a seq counter, a window of unacknowledged events."""

    def __init__(self, site: str, host: str, port: int, window: int) -> None:
        self.site, self.host, self.port = site, host, port
        self.boot_id = str(uuid.uuid4())
        self.bdseq = 1
        self.seq = 0
        self.pid = 0
        self.window = asyncio.Semaphore(window)
        self.pending: dict[int, asyncio.Future[None]] = {}
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.task: asyncio.Task[None] | None = None
        self.acked = 0

    @property
    def root(self) -> str:
        return f"lockerd/v1/{self.site}"

    async def connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        will = json.dumps({"online": False, "boot_id": self.boot_id, "bdseq": self.bdseq}).encode()
        self.writer.write(connect_packet(self.site, self.root + "/status", will, 3600, 0))
        first = await self.reader.readexactly(1)
        if first[0] >> 4 != 2:
            raise ConnectionError(f"{self.site}: expected CONNACK, got {first!r}")
        body = await self.reader.readexactly(await self._len())
        if body[1] != 0:
            raise ConnectionError(f"{self.site}: CONNACK reason {body[1]:#x}")
        self.task = asyncio.create_task(self._read())
        birth = {"online": True, "boot_id": self.boot_id, "bdseq": self.bdseq, "version": "0.1.0",
                 "last_seq": self.seq, "stream": self.boot_id, "stream_start": 1, "outbox_depth": 0, "ts": _iso()}
        await self.publish(self.root + "/status", json.dumps(birth).encode(), qos=1, retain=True)

    async def _len(self) -> int:
        assert self.reader is not None
        mult, n = 1, 0
        while True:
            b = (await self.reader.readexactly(1))[0]
            n += (b & 0x7F) * mult
            if not b & 0x80:
                return n
            mult *= 128

    async def _read(self) -> None:
        assert self.reader is not None
        try:
            while True:
                first = (await self.reader.readexactly(1))[0]
                body = await self.reader.readexactly(await self._len())
                if first >> 4 == 4:  # PUBACK
                    pid = struct.unpack("!H", body[:2])[0]
                    reason = body[2] if len(body) > 2 else 0
                    fut = self.pending.pop(pid, None)
                    if fut is not None and not fut.done():
                        if reason >= 0x80:
                            fut.set_exception(ConnectionError(f"PUBACK reason {reason:#x}"))
                        else:
                            fut.set_result(None)
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            for fut in self.pending.values():
                if not fut.done():
                    fut.set_exception(ConnectionError("connection lost"))

    async def publish(self, topic: str, payload: bytes, qos: int = 1, retain: bool = False) -> None:
        assert self.writer is not None
        if qos == 0:
            self.writer.write(publish_packet(topic, payload, 0, retain=retain))
            return
        await self.window.acquire()
        self.pid = self.pid % 65535 + 1
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.pending[self.pid] = fut
        self.writer.write(publish_packet(topic, payload, 1, self.pid, retain))

        def done(f: asyncio.Future[None]) -> None:
            self.window.release()
            if not f.cancelled() and f.exception() is None:
                self.acked += 1

        fut.add_done_callback(done)

    async def event(self, type_: str, data: dict[str, Any]) -> None:
        self.seq += 1
        env = {"id": str(uuid.uuid4()), "seq": self.seq, "stream": self.boot_id, "type": type_, "ts": _iso(),
               "site": self.site,
               "data": {**data, "t_send": time.time()}}
        await self.publish(self.root + "/events", json.dumps(env, separators=(",", ":")).encode(), qos=1)

    async def telemetry(self) -> None:
        doc = {"ts": _iso(), "occupancy": {"S": {"total": 8, "free": 3, "occupied": 5}}, "doors_open": 0, "faults": [],
               "outbox_depth": 0, "uptime_s": 1000, "version": "0.1.0"}
        await self.publish(self.root + "/telemetry", json.dumps(doc).encode(), qos=0)

    async def flush(self) -> None:
        while self.pending:
            await asyncio.gather(*list(self.pending.values()), return_exceptions=True)

    async def close(self, clean: bool = True) -> None:
        if self.writer is None:
            return
        if clean:
            off = {"online": False, "boot_id": self.boot_id, "bdseq": self.bdseq}
            self.writer.write(publish_packet(self.root + "/status", json.dumps(off).encode(), 0, retain=True))
            self.writer.write(b"\xe0\x00")  # DISCONNECT, normal: the will is not sent
            try:
                await self.writer.drain()
            except OSError:
                pass
        else:
            sock = self.writer.get_extra_info("socket")
            if sock is not None:  # drop the TCP connection with a reset, like a power cut
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.close()
        if self.task:
            self.task.cancel()


def _iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


# --- HQ ------------------------------------------------------------------------------------------------
class Hq:
    def __init__(self, port: int, workers: int, shared: bool = True, prefix: str = "lockerd/v1") -> None:
        self.lock = threading.Lock()
        self.events: dict[str, tuple[str, int]] = {}  # id -> (site, seq)
        self.total = 0
        self.latency: list[float] = []
        self.per_worker = [0] * workers
        self.status: dict[str, dict[str, Any]] = {}
        self.status_at: dict[str, float] = {}
        self.clients: list[mqtt.Client] = []
        topic = f"$share/hq/{prefix}/+/events" if shared else f"{prefix}/+/events"
        for w in range(workers):
            self.clients.append(self._client(port, f"hq-{w}-{uuid.uuid4().hex[:6]}", [topic], self._on_event, w))
        self.clients.append(self._client(port, f"hq-status-{uuid.uuid4().hex[:6]}", [f"{prefix}/+/status"],
                                         self._on_status, 0))

    def _client(self, port: int, cid: str, topics: list[str], handler: Any, worker: int) -> mqtt.Client:
        c = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=cid, protocol=mqtt.MQTTv5)
        ready = threading.Event()

        def on_connect(cl: mqtt.Client, u: Any, flags: Any, rc: Any, props: Any) -> None:
            for t in topics:
                cl.subscribe(t, qos=1)

        c.on_connect = on_connect
        c.on_subscribe = lambda *a: ready.set()
        c.on_message = lambda cl, u, m: handler(m, worker)
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = 0
        props.ReceiveMaximum = 1000
        c.max_inflight_messages_set(1000)
        c.connect("127.0.0.1", port, clean_start=True, properties=props)
        c.loop_start()
        if not ready.wait(10):
            raise RuntimeError("HQ subscriber did not subscribe")
        return c

    def _on_event(self, m: mqtt.MQTTMessage, worker: int) -> None:
        now = time.time()
        try:
            doc = json.loads(m.payload)
        except ValueError:
            return
        with self.lock:
            self.total += 1
            self.per_worker[worker] += 1
            self.events[doc["id"]] = (doc["site"], doc["seq"])
            t = doc.get("data", {}).get("t_send")
            if isinstance(t, float):
                self.latency.append(now - t)

    def _on_status(self, m: mqtt.MQTTMessage, worker: int) -> None:
        try:
            doc = json.loads(m.payload)
        except ValueError:
            return
        site = m.topic.split("/")[2]
        with self.lock:
            self.status[site] = doc
            self.status_at[site] = time.time()

    def count(self) -> int:
        with self.lock:
            return len(self.events)

    def take_latency(self) -> list[float]:
        with self.lock:
            out, self.latency = self.latency, []
        return out

    def close(self) -> None:
        for c in self.clients:
            c.disconnect()
            c.loop_stop()


# --- broker ----------------------------------------------------------------------------------------------
class ServeHq:
    """`lockerd hq serve` with its own PostgreSQL; the figures are read from the database."""

    def __init__(self, port: int, workers: int) -> None:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from tests.hq.pgserver import PgServer

        self.pg = PgServer({"max_connections": "300"}).start()
        self.url = self.pg.new_database()
        self.lock = threading.Lock()
        self.status: dict[str, dict[str, Any]] = {}
        self.status_at: dict[str, float] = {}
        self.per_worker: list[int] = []
        self.total = 0
        self._count = 0
        self._lat_after = 0.0
        self.args = [sys.executable, "-m", "edge.cli.main", "hq", "serve", "--mqtt", f"mqtt://127.0.0.1:{port}",
                     "--database", self.url, "--http", f"127.0.0.1:{free_port()}", "--workers", str(workers),
                     "--instance", "fleet-hq", "--stale-after", "600"]
        self.proc: subprocess.Popen[bytes] | None = None
        self.start()
        self._stop = threading.Event()
        self._poller = threading.Thread(target=self._poll, daemon=True)
        self._poller.start()

    def start(self) -> None:
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     cwd=Path(__file__).resolve().parents[1])
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode()
        if "lockerd hq serve" not in line:
            raise RuntimeError(f"hq serve did not start: {line!r}")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(30)
            self.proc = None

    def _poll(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as c:
            while not self._stop.wait(0.2):
                n = c.execute("SELECT coalesce(sum(stored), 0) FROM streams").fetchone()[0]
                rows = c.execute("SELECT site, online, extract(epoch FROM since) FROM sites").fetchall()
                with self.lock:
                    self._count = self.total = int(n)
                    for site, online, since in rows:
                        if self.status.get(site, {}).get("online") != online:
                            self.status_at[site] = float(since or time.time())
                        self.status[site] = {"online": online}

    def count(self) -> int:
        with self.lock:
            return self._count

    def take_latency(self) -> list[float]:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as c:
            rows = c.execute("SELECT extract(epoch FROM received_at) - (data->>'t_send')::float, "
                             "extract(epoch FROM received_at) FROM events WHERE received_at > to_timestamp(%s)",
                             (self._lat_after,)).fetchall()
        if rows:
            self._lat_after = max(float(r[1]) for r in rows)
        return [float(r[0]) for r in rows if r[0] is not None]

    def gaps(self) -> int:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as c:
            return int(c.execute("SELECT count(*) FROM (SELECT site, stream FROM events GROUP BY site, stream "
                                 "HAVING max(seq) <> count(*) OR min(seq) <> 1) g").fetchone()[0])

    def db_bytes_per_event(self) -> float:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as c:
            size = c.execute("SELECT sum(pg_total_relation_size(c.oid)) FROM pg_inherits i JOIN pg_class c "
                             "ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent "
                             "WHERE p.relname = 'events'").fetchone()[0]
            n = c.execute("SELECT count(*) FROM events").fetchone()[0]
        return float(size or 0) / max(1, int(n))

    def close(self) -> None:
        self._stop.set()
        self._poller.join(2)
        self.stop()
        self.pg.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_broker(work: Path, inflight: int = 100) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    conf = work / "mosquitto.conf"
    lines = [f"listener {port} 127.0.0.1", "allow_anonymous true", "max_queued_messages 1000000",
             f"max_inflight_messages {inflight}", "max_queued_bytes 0", "persistence false", f"log_dest file {work}/mosquitto.log"]
    if os.geteuid() == 0:
        lines.insert(0, "user root")
    conf.write_text("\n".join(lines) + "\n")

    def limits() -> None:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    proc = subprocess.Popen([MOSQUITTO, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=limits)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("mosquitto did not start")


def pct(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    s = sorted(xs)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))]


async def wait_until(pred: Any, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if pred():
            return True
        await asyncio.sleep(0.05)
    return bool(pred())


# --- the run ---------------------------------------------------------------------------------------------
async def fleet(args: argparse.Namespace, port: int, hq: Hq | ServeHq) -> dict[str, Any]:
    rng = random.Random(args.seed)
    sites = [SiteClient(f"site-{i:05d}", "127.0.0.1", port, args.window) for i in range(args.sites)]
    out: dict[str, Any] = {}

    # 1. connect with births
    t0 = time.monotonic()
    sem = asyncio.Semaphore(200)

    async def conn(s: SiteClient) -> None:
        async with sem:
            await s.connect()

    await asyncio.gather(*(conn(s) for s in sites))
    await asyncio.gather(*(s.flush() for s in sites))
    t_conn = time.monotonic() - t0
    await wait_until(lambda: sum(1 for v in hq.status.values() if v.get("online")) >= args.sites, 30)
    out["connect_s"] = round(t_conn, 2)
    out["connects_per_s"] = round(args.sites / t_conn)
    out["births_seen"] = sum(1 for v in hq.status.values() if v.get("online"))

    # 2. steady traffic
    sent = 0
    stop_at = time.monotonic() + args.duration
    hq.take_latency()
    base_count = hq.count()

    async def steady(s: SiteClient) -> None:
        nonlocal sent
        await asyncio.sleep(rng.uniform(0, args.event_interval))
        next_tel = time.monotonic() + rng.uniform(0, args.telemetry_interval)
        while time.monotonic() < stop_at:
            await s.event(rng.choice(["parcel.stored", "door.opened", "parcel.collected"]),
                          {"compartment": f"A-{rng.randrange(1, 25):02d}"})
            sent += 1
            if time.monotonic() >= next_tel:
                await s.telemetry()
                next_tel += args.telemetry_interval
            await asyncio.sleep(min(args.event_interval * rng.uniform(0.5, 1.5), max(0.0, stop_at - time.monotonic())))

    t0 = time.monotonic()
    await asyncio.gather(*(steady(s) for s in sites))
    await asyncio.gather(*(s.flush() for s in sites))
    await wait_until(lambda: hq.count() - base_count >= sent, 30)
    t_steady = time.monotonic() - t0
    lat = hq.take_latency()
    got = hq.count() - base_count
    out["steady"] = {"sent": sent, "received": got, "lost": sent - got, "offered_msgs_per_s": round(sent / args.duration),
                     "latency_p50_ms": round(pct(lat, 50) * 1000, 2), "latency_p99_ms": round(pct(lat, 99) * 1000, 2),
                     "seconds": round(t_steady, 1)}

    # 3. burst: every site drains a backlog at once
    base_count = hq.count()
    n_burst = args.sites * args.burst
    t0 = time.monotonic()

    async def burst(s: SiteClient) -> None:
        for _ in range(args.burst):
            await s.event("parcel.stored", {"compartment": "A-01", "backlog": True})

    serve = isinstance(hq, ServeHq)
    if serve:  # an HQ outage: the backlog queues on the broker for HQ's persistent sessions
        hq.stop()
    await asyncio.gather(*(burst(s) for s in sites))
    await asyncio.gather(*(s.flush() for s in sites))
    t_acked = time.monotonic() - t0
    if serve:
        t0 = time.monotonic()
        await asyncio.get_running_loop().run_in_executor(None, hq.start)
    await wait_until(lambda: hq.count() - base_count >= n_burst, 300)
    t_burst = time.monotonic() - t0
    lat = hq.take_latency()
    got = hq.count() - base_count
    out["burst"] = {"sent": n_burst, "received": got, "lost": n_burst - got, "seconds": round(t_burst, 2),
                    "acked_s": round(t_acked, 2), "hq_msgs_per_s": round(got / t_burst),
                    "latency_p50_ms": round(pct(lat, 50) * 1000, 1), "latency_p99_ms": round(pct(lat, 99) * 1000, 1),
                    "per_worker": list(hq.per_worker)}

    # seq gap-free per site after de-duplication
    if serve:
        out["sites_with_seq_gaps"] = hq.gaps()
        out["duplicates"] = 0  # the primary key (site, stream, seq, ts) makes a second copy impossible
        out["db_bytes_per_event"] = round(hq.db_bytes_per_event())
    else:
        per_site: dict[str, list[int]] = {}
        with hq.lock:
            for site, seq in hq.events.values():
                per_site.setdefault(site, []).append(seq)
        gaps = sum(1 for seqs in per_site.values() if sorted(seqs) != list(range(1, len(seqs) + 1)))
        out["sites_with_seq_gaps"] = gaps
        out["duplicates"] = hq.total - len(hq.events)

    # 4. a power cut at 10% of the sites: their wills
    victims = rng.sample(sites, max(1, args.sites // 10))
    t0 = time.time()
    for s in victims:
        await s.close(clean=False)
    ok = await wait_until(lambda: all(hq.status.get(s.site, {}).get("online") is False for s in victims), 30)
    wills = [hq.status_at[s.site] - t0 for s in victims if hq.status.get(s.site, {}).get("online") is False]
    out["wills"] = {"sites_cut": len(victims), "wills_seen": len(wills), "all_seen": ok,
                    "p50_ms": round(pct(wills, 50) * 1000, 1), "max_ms": round(max(wills) * 1000, 1) if wills else None}
    for s in sites:
        if s not in victims:
            await s.close(clean=True)
    return out


def baseline(port: int, n: int, window: int) -> float:
    """One paho client -> one plain subscriber, the same number of QoS 1 events: msgs/s."""
    hq = Hq(port, 1, shared=False, prefix="baseline/v1")
    pub = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="baseline-pub", protocol=mqtt.MQTTv5)
    pub.max_inflight_messages_set(window)
    pub.connect("127.0.0.1", port)
    pub.loop_start()
    payloads = [json.dumps({"id": str(uuid.uuid4()), "seq": i + 1, "type": "parcel.stored", "ts": _iso(),
                            "site": "base", "data": {"compartment": "A-01", "t_send": 0.0}}).encode()
                for i in range(n)]
    t0 = time.monotonic()
    for p in payloads:
        pub.publish("baseline/v1/base/events", p, qos=1)
    deadline = time.monotonic() + 120
    while hq.count() < n and time.monotonic() < deadline:
        time.sleep(0.02)
    secs = time.monotonic() - t0
    got = hq.count()
    pub.disconnect()
    pub.loop_stop()
    hq.close()
    return got / secs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sites", type=int, default=1000)
    ap.add_argument("--duration", type=float, default=20, help="seconds of steady traffic")
    ap.add_argument("--event-interval", type=float, default=10, help="seconds between events per site")
    ap.add_argument("--telemetry-interval", type=float, default=10)
    ap.add_argument("--burst", type=int, default=50, help="backlog events per site in the burst")
    ap.add_argument("--window", type=int, default=20, help="unacknowledged events per site")
    ap.add_argument("--hq-workers", type=int, default=2)
    ap.add_argument("--hq", choices=["paho", "serve"], default="paho",
                    help="HQ: bare paho subscribers, or `lockerd hq serve` with PostgreSQL")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quick", action="store_true", help="200 sites, 8 s, burst 20 (CI smoke)")
    args = ap.parse_args()
    if args.quick:
        args.sites, args.duration, args.burst = 200, 8, 20
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if args.sites + 100 > hard:
        print(f"need {args.sites + 100} file descriptors, the limit is {hard}", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="lockerd-fleet-"))
    # 0: no broker cap on in-flight messages to HQ, its workers' Receive Maximum governs (docs/hq.md)
    broker, port = start_broker(work, 0 if args.hq == "serve" else 100)
    try:
        base_rate = baseline(port, args.sites * args.burst, args.window)
        hq: Hq | ServeHq = ServeHq(port, args.hq_workers) if args.hq == "serve" else Hq(port, args.hq_workers)
        try:
            res = asyncio.run(fleet(args, port, hq))
        finally:
            hq.close()
    finally:
        broker.terminate()
        broker.wait(10)
        shutil.rmtree(work, ignore_errors=True)
    st, bu, wi = res["steady"], res["burst"], res["wills"]
    ratio = bu["hq_msgs_per_s"] / base_rate
    what = "lockerd hq serve with" if args.hq == "serve" else ""
    print(f"fleet simulation: {args.sites} sites on one Mosquitto ({os.cpu_count()} CPUs), HQ = {what} "
          f"{args.hq_workers} shared-subscription workers" + ("" if args.hq == "serve" else " + 1 status subscriber"))
    print(f"{'phase':<34}{'sent':>9}{'received':>10}{'lost':>6}{'msgs/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    print(f"{'connect + retained births':<34}{args.sites:>9}{res['births_seen']:>10}{args.sites - res['births_seen']:>6}"
          f"{res['connects_per_s']:>9}{'-':>9}{'-':>9}")
    print(f"{'steady (1 event/' + format(args.event_interval, 'g') + ' s/site)':<34}{st['sent']:>9}{st['received']:>10}"
          f"{st['lost']:>6}{st['offered_msgs_per_s']:>9}{st['latency_p50_ms']:>9.1f}{st['latency_p99_ms']:>9.1f}")
    print(f"{('HQ outage backlog' if args.hq == 'serve' else 'burst') + ' (' + str(args.burst) + ' events/site)':<34}{bu['sent']:>9}{bu['received']:>10}{bu['lost']:>6}"
          f"{bu['hq_msgs_per_s']:>9}{bu['latency_p50_ms']:>9.1f}{bu['latency_p99_ms']:>9.1f}")
    print(f"{'baseline: 1 paho publisher -> 1 sub':<34}{args.sites * args.burst:>9}{'':>10}{'':>6}{base_rate:>9.0f}")
    print(f"{'power cut at 10%: retained wills':<34}{wi['sites_cut']:>9}{wi['wills_seen']:>10}"
          f"{wi['sites_cut'] - wi['wills_seen']:>6}{'':>9}{wi['p50_ms']:>9.1f}{wi['max_ms'] or 0:>9.1f}")
    print(f"burst at HQ is {ratio:.2f}x the single-publisher baseline; sites with seq gaps: {res['sites_with_seq_gaps']}; "
          f"duplicates: {res['duplicates']}; events per HQ worker: {bu['per_worker']}")
    lost = st["lost"] + bu["lost"] + (args.sites - res["births_seen"]) + (wi["sites_cut"] - wi["wills_seen"])
    print(json.dumps({"bench": "fleet_sim", "sites": args.sites, "hq_workers": args.hq_workers, **res,
                      "baseline_msgs_per_s": round(base_rate), "burst_ratio": round(ratio, 3),
                      "goal": "0 lost, seq gap-free, every will seen", "pass": lost == 0 and res["sites_with_seq_gaps"] == 0}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
