"""One HQ ingest worker (a process of its own; `hq serve` starts N and restarts any that die).

MQTT v5 with a persistent session (clean_start false, a long session expiry) and manual acknowledgement:
events, command results and telemetry come through a shared subscription (`$share/GROUP/...`, so N
workers split the load and a broker may queue for a worker that is away); statuses and compartment
snapshots, which are retained, through plain subscriptions (a shared one gets no retained messages).
A batch is parsed, written in one PostgreSQL transaction, committed, and only then acknowledged, all of
its PUBACKs in one send. The subscriber is the worker's own (`cloudsync/hq/receiver.py` over
`cloudsync/hq/mqttv5.py`), not paho: paho's per-message Python path capped a worker below PostgreSQL's
rate (docs/decisions/0022-hq-ingest-receive-path.md).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import time
from typing import Any

import psycopg

from cloudsync.hq import ingest
from cloudsync.hq.mqttv5 import RETAIN_SEND_IF_NEW_SUB, Message, sub_options
from cloudsync.hq.parse import Reject, parse
from cloudsync.hq.receiver import Receiver
from cloudsync.tlsctx import client_context
from cloudsync.topics import ROOT, parse_broker_url

log = logging.getLogger(__name__)

BATCH = 2000
LINGER_S = 0.01
RECEIVE_MAXIMUM = 4000
SESSION_EXPIRY_S = 7 * 86400
RETRYABLE = (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure,
             psycopg.errors.LockNotAvailable)


def subscriptions(group: str) -> list[tuple[str, int]]:
    """(topic filter, subscription options byte) for every topic HQ reads."""
    shared = f"$share/{group}/{ROOT}/+/"
    plain = sub_options(1, RETAIN_SEND_IF_NEW_SUB)
    return [(shared + "events", sub_options(1)), (shared + "cmd/result", sub_options(1)),
            (shared + "telemetry", sub_options(1)), (f"{ROOT}/+/status", plain),
            (f"{ROOT}/+/state/compartments", plain)]


class Worker:
    def __init__(self, mqtt_url: str, database: str, *, index: int = 0, group: str = "lockerd-hq",
                 client_id: str = "", batch: int = BATCH, ca_file: str = "", cert_file: str = "",
                 key_file: str = "") -> None:
        self.broker = parse_broker_url(mqtt_url)
        self.database = database
        self.group = group
        self.client_id = client_id or f"lockerd-hq-ingest-{index}"
        self.batch = batch
        self.stopping = threading.Event()
        self.conn: psycopg.Connection | None = None
        self.committed = 0
        b = self.broker
        self.mqtt = Receiver(b.host, b.port, self.client_id, subscriptions(group), keepalive=30,
                             session_expiry=SESSION_EXPIRY_S, receive_maximum=RECEIVE_MAXIMUM,
                             username=b.username or None, password=b.password if b.username else None, tls=b.tls,
                             tls_context=client_context(ca_file, cert_file, key_file) if b.tls else None)
        self.ready = self.mqtt.subscribed

    def connect_db(self) -> psycopg.Connection:
        delay = 0.5
        while not self.stopping.is_set():
            try:
                conn = psycopg.connect(self.database, autocommit=False)
                conn.execute("SET synchronous_commit = on")
                conn.commit()
                return conn
            except psycopg.OperationalError as exc:
                log.warning("PostgreSQL unreachable (%s); retrying in %.1f s", exc, delay)
                time.sleep(delay)
                delay = min(10.0, delay * 2)
        raise SystemExit(0)

    def start(self) -> None:
        self.conn = self.connect_db()
        self.mqtt.start()

    def stop(self) -> None:
        self.stopping.set()

    def run(self) -> None:
        """Batches until stopped; the batch in hand is committed and acknowledged before leaving."""
        parent = os.getppid()
        while not self.stopping.is_set():
            msgs = self.mqtt.take(self.batch, 0.2, LINGER_S)
            if msgs:
                self._store(msgs)
            elif parent != 1 and os.getppid() != parent:
                log.warning("hq serve is gone; worker %s stops", self.client_id)
                self.stop()  # never outlive the supervisor (its pool would start a second copy)
        self.mqtt.stop()
        if self.conn is not None:
            self.conn.close()

    def _store(self, msgs: list[Message]) -> None:
        items = [parse(m.topic, m.payload) for m in msgs]
        attempt = 0
        while not self.stopping.is_set() or attempt == 0:
            attempt += 1
            conn = self.conn or self.connect_db()
            self.conn = conn
            try:
                with conn.transaction():
                    ingest.apply(conn, items)
                break
            except RETRYABLE:
                log.info("batch hit a lock conflict; retrying")
                time.sleep(0.01 * attempt)
            except psycopg.OperationalError:
                log.warning("PostgreSQL connection lost; reconnecting", exc_info=True)
                self._reset_conn()
            except psycopg.Error:
                log.warning("a batch of %s messages was refused by PostgreSQL; storing one by one", len(items))
                self._one_by_one(items)
                break
            if attempt > 50:
                log.error("batch failed 50 times; leaving it unacknowledged for redelivery")
                return
        else:
            return  # stopping with the batch uncommitted: it stays unacknowledged and comes back
        self.committed += len(msgs)
        self.mqtt.ack(msgs)

    def _reset_conn(self) -> None:
        try:
            if self.conn is not None:
                self.conn.close()
        except psycopg.Error:
            pass
        self.conn = None
        time.sleep(0.5)

    def _one_by_one(self, items: list[Any]) -> None:
        conn = self.conn
        assert conn is not None
        for it in items:
            try:
                with conn.transaction():
                    ingest.apply(conn, [it])
            except psycopg.OperationalError:
                raise
            except psycopg.Error as exc:
                log.warning("message refused by PostgreSQL: %s", exc.__class__.__name__)
                topic = getattr(it, "site", "?")
                with conn.transaction():
                    ingest.apply(conn, [Reject(f"{ROOT}/{topic}/?", "db_refused", b"")])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="lockerd-hq-ingest")
    ap.add_argument("--mqtt", required=True)
    ap.add_argument("--database", required=True)
    ap.add_argument("--index", type=int, default=0)
    ap.add_argument("--group", default="lockerd-hq")
    ap.add_argument("--client-id", default="")
    ap.add_argument("--log-level", default="INFO")
    ap.add_argument("--ca-file", default="")
    ap.add_argument("--cert-file", default="")
    ap.add_argument("--key-file", default="")
    args = ap.parse_args(argv)
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(name)s %(levelname)s %(message)s",
                        stream=sys.stderr)
    w = Worker(args.mqtt, args.database, index=args.index, group=args.group, client_id=args.client_id,
               ca_file=args.ca_file, cert_file=args.cert_file, key_file=args.key_file)
    signal.signal(signal.SIGTERM, lambda *_: w.stop())
    signal.signal(signal.SIGINT, lambda *_: w.stop())
    w.start()
    if not w.ready.wait(30):
        log.error("no SUBACK from the broker within 30 s")
        return 1
    print("ready", flush=True)
    w.run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
