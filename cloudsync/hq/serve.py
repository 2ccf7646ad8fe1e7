"""`lockerd hq serve`: migrations, N ingest worker processes (restarted if they die), HQ's presence and
command dispatch, the gap watcher, and the HTTP API with the fleet page (DESIGN.md section 8).

Presence goes online only once every worker has its subscriptions, so the sites' resend after a PUBACK
0x10 finds a subscriber. The gap watcher asks a site to `resync` the range missing ahead of held events
(after the reorder window), or the tail its telemetry says it has sent but HQ never got.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cloudsync.hq import notify, schema
from cloudsync.hq.dispatch import Dispatcher, queue_command

log = logging.getLogger(__name__)

RESYNC_EVERY_S = 30.0


@dataclass
class ServeSettings:
    mqtt: str
    database: str
    http: str = "127.0.0.1:8090"
    workers: int = 2
    signing_key: str = ""
    api_token_file: str = ""
    group: str = "lockerd-hq"
    reorder_window_s: float = 5.0
    stale_after_s: float = 180.0
    instance: str = "lockerd-hq"
    ca_file: str = ""  # mqtts: the broker's CA (a private one), else the system's
    cert_file: str = ""  # mqtts: HQ's client certificate, for brokers with require_certificate
    key_file: str = ""
    notify: str = ""  # --notify FILE: HQ's message gateway for sites on the `hq` channel (ADR 0049)


def load_signing_key(path: str) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path}: not an Ed25519 private key")
    return key


class WorkerPool:
    """N `cloudsync.hq.worker` processes; a dead one is started again with the same client id (its
    persistent session, with whatever it had not acknowledged, is waiting on the broker)."""

    def __init__(self, s: ServeSettings) -> None:
        self.s = s
        self.procs: dict[int, subprocess.Popen[str]] = {}
        self.stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def _spawn(self, i: int) -> subprocess.Popen[str]:
        cmd = [sys.executable, "-m", "cloudsync.hq.worker", "--mqtt", self.s.mqtt, "--database", self.s.database,
               "--index", str(i), "--group", self.s.group, "--client-id", f"{self.s.instance}-ingest-{i}",
               "--ca-file", self.s.ca_file, "--cert-file", self.s.cert_file, "--key-file", self.s.key_file]
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)

    def start(self, timeout: float = 60.0) -> bool:
        for i in range(self.s.workers):
            self.procs[i] = self._spawn(i)
        ok = all(self._await_ready(p, timeout) for p in self.procs.values())
        self._thread = threading.Thread(target=self._supervise, name="hq-workers", daemon=True)
        self._thread.start()
        return ok

    @staticmethod
    def _await_ready(p: subprocess.Popen[str], timeout: float) -> bool:
        assert p.stdout is not None
        box: list[str] = []
        t = threading.Thread(target=lambda: box.append(p.stdout.readline() if p.stdout else ""), daemon=True)
        t.start()
        t.join(timeout)
        return bool(box) and box[0].strip() == "ready"

    def pids(self) -> list[int]:
        return [p.pid for p in self.procs.values()]

    def _supervise(self) -> None:
        while not self.stopping.wait(0.5):
            for i, p in list(self.procs.items()):
                if p.poll() is not None and not self.stopping.is_set():
                    log.warning("ingest worker %s (pid %s) exited with %s; starting it again", i, p.pid, p.returncode)
                    self.procs[i] = np = self._spawn(i)
                    threading.Thread(target=self._await_ready, args=(np, 60.0), daemon=True).start()

    def stop(self) -> None:
        self.stopping.set()
        for p in self.procs.values():
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.procs.values():
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def gap_step(conn: psycopg.Connection, window_s: float, can_sign: bool) -> int:
    """Queue `resync` commands for gaps older than the reorder window; returns how many."""
    asks: list[tuple[str, str, int, int | None]] = []
    for site, stream, nxt, first_held in conn.execute(
            "SELECT s.site, s.stream, s.next_seq, min(h.seq) FROM streams s JOIN held h USING (site, stream) "
            "WHERE s.held > 0 AND (s.resync_at IS NULL OR s.resync_at < now() - make_interval(secs => %s)) "
            "GROUP BY s.site, s.stream, s.next_seq HAVING min(h.held_at) < now() - make_interval(secs => %s)",
            (RESYNC_EVERY_S, window_s)).fetchall():
        asks.append((site, stream, int(nxt), int(first_held) - 1))
    # the tail: the site's telemetry says its outbox is empty as of seq N, but HQ stopped short of N
    for site, stream, nxt, as_of in conn.execute(
            "SELECT s.site, st.stream, st.next_seq, s.telemetry_as_of FROM sites s JOIN streams st "
            "ON st.site = s.site AND st.stream = s.stream WHERE s.telemetry_as_of >= st.next_seq AND st.held = 0 "
            "AND (s.telemetry -> 'outbox' ->> 'depth') = '0' "
            "AND coalesce(st.last_at, st.created_at) < now() - make_interval(secs => %s) "
            "AND (st.resync_at IS NULL OR st.resync_at < now() - make_interval(secs => %s))",
            (window_s, RESYNC_EVERY_S)).fetchall():
        asks.append((site, stream, int(nxt), int(as_of)))
    if not can_sign:
        if asks:
            log.warning("%s gap(s) need a resync but HQ has no signing key", len(asks))
        return 0
    for site, stream, lo, hi in asks:
        with conn.transaction():
            data: dict[str, object] = {"from_seq": lo, "stream": stream}
            if hi is not None and hi >= lo:
                data["to_seq"] = hi
            queue_command(conn, site, "resync", data, 120, origin="gap")
            conn.execute("UPDATE streams SET resync_at = now(), resyncs = resyncs + 1 WHERE site = %s AND stream = %s",
                         (site, stream))
        log.info("gap at %s stream %s: asked for seq %s..%s again", site, stream, lo, hi)
    return len(asks)


def maintenance(s: ServeSettings, stop: threading.Event, dispatcher: Dispatcher, can_sign: bool) -> None:
    conn: psycopg.Connection | None = None
    last_parts = 0.0
    while not stop.wait(1.0):
        try:
            if conn is None or conn.closed:
                conn = psycopg.connect(s.database, autocommit=True)
            if gap_step(conn, s.reorder_window_s, can_sign):
                dispatcher.wake.set()
            if time.monotonic() - last_parts > 3600:
                schema.ensure_partitions(conn)
                schema.prune_stray_results(conn)
                notify.prune(conn)
                last_parts = time.monotonic()
        except psycopg.Error:
            log.warning("HQ maintenance: database error", exc_info=True)
            conn = None
        except Exception:
            log.exception("HQ maintenance failed")


def _server(config: Any) -> Any:
    """uvicorn's Server, except that a SIGTERM or SIGINT only stops it: uvicorn (0.29 and later) raises the captured
    signal again once it has shut down, and with the default handler back that ends the process before `serve`'s
    `finally`, so the ingest workers were never told to finish their batch (they stopped when they found themselves
    orphaned, "hq serve is gone") and HQ never said it was offline itself (trial 2026-12-07e)."""
    import uvicorn

    class Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            if threading.current_thread() is not threading.main_thread():
                yield
                return
            before = {sig: signal.signal(sig, self.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}
            try:
                yield
            finally:
                for sig, handler in before.items():
                    signal.signal(sig, handler)

    return Server(config)


def serve(s: ServeSettings) -> int:
    import uvicorn

    from cloudsync.hq.api import create_app

    notify_cfg = notify.load_notify_file(s.notify) if s.notify else None  # refused here, before anything starts
    key = load_signing_key(s.signing_key) if s.signing_key else None
    token = Path(s.api_token_file).read_text().strip() if s.api_token_file else None
    if token is None:
        log.warning("no --api-token-file: the HQ API is open to anyone who can reach %s", s.http)
    with psycopg.connect(s.database) as conn:
        schema.migrate(conn)
    dispatcher = Dispatcher(s.mqtt, s.database, key, client_id=f"{s.instance}-dispatch", instance=s.instance,
                            ca_file=s.ca_file, cert_file=s.cert_file, key_file=s.key_file)
    dispatcher.start()
    pool = WorkerPool(s)
    if not pool.start():
        log.error("an ingest worker did not get ready; see its log")
    dispatcher.go_online()
    sender = notify.Sender(s.database, notify_cfg, instance=s.instance) if notify_cfg is not None else None
    if sender is not None:
        sender.start()
        log.info("residents' messages: sent through %s", ", ".join(c.name or c.kind for c in sender.cfg.channels))
    else:
        log.warning("no --notify: residents' messages of sites on the hq channel are kept, not sent "
                    "(HQ has no message gateway)")
    stop = threading.Event()
    threading.Thread(target=maintenance, args=(s, stop, dispatcher, key is not None), daemon=True,
                     name="hq-maintenance").start()
    host, _, port = s.http.rpartition(":")
    app = create_app(s.database, token=token, stale_after_s=s.stale_after_s, wake_dispatch=dispatcher.wake.set,
                     can_sign=key is not None, broker_link=dispatcher.link)
    server = _server(uvicorn.Config(app, host=host or "127.0.0.1", port=int(port), log_level="warning"))
    print(f"lockerd hq serve: http://{host or '127.0.0.1'}:{port}/ workers {pool.pids()} (pid {os.getpid()})",
          flush=True)
    try:
        server.run()
    finally:
        stop.set()
        if sender is not None:
            sender.stop()  # the message in hand is finished and its outcome committed
        pool.stop()
        dispatcher.stop()
    return 0
