"""HQ's own MQTT connection: its retained presence (section 4) and command dispatch (section 8).

Commands are rows in `commands` (state queued -> sent -> done | failed, or expired). The dispatcher signs
each queued command with HQ's Ed25519 key (RFC 8785 canonical JSON), publishes it at QoS 1 with an MQTT
Message Expiry Interval that ends at `expires_at` (a broker holding it for an offline site drops it then),
and marks it sent on a successful PUBACK. A PUBACK 0x10 (the site has no session on the broker) leaves it
queued to be tried again until it expires. Results are matched by the ingest workers (cmd/result).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import paho.mqtt.client as mqtt
import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from cloudsync.signing import sign_command
from cloudsync.tlsctx import client_context
from cloudsync.topics import HQ_STATUS, Topics, parse_broker_url
from edge.ids import uuid7

log = logging.getLogger(__name__)

RETRY_UNROUTED_S = 5.0
EXPIRE_GRACE_S = 5.0


def iso(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def queue_command(conn: psycopg.Connection, site: str, type_: str, data: dict[str, Any], ttl_s: int,
                  origin: str = "api") -> str:
    """Insert a queued command (inside the caller's transaction); returns its id."""
    now = datetime.now(UTC)
    cmd_id = uuid7(now)
    conn.execute("INSERT INTO commands (id, site, type, data, issued_at, expires_at, state, origin) "
                 "VALUES (%s, %s, %s, %s, %s, %s, 'queued', %s)",
                 (cmd_id, site, type_, json.dumps(data), now, now + timedelta(seconds=ttl_s), origin))
    return cmd_id


class Dispatcher:
    def __init__(self, mqtt_url: str, database: str, key: Ed25519PrivateKey | None, *,
                 client_id: str = "lockerd-hq-dispatch", instance: str = "", ca_file: str = "",
                 cert_file: str = "", key_file: str = "") -> None:
        self.broker = parse_broker_url(mqtt_url)
        self.database = database
        self.key = key
        self.instance = instance or client_id
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.connected = threading.Event()
        #: when the connection last came or went (None: never connected yet); the fleet page says when HQ
        #: itself has lost the broker, so that staff do not read every site as offline
        self.link_since: datetime | None = None
        #: mid -> ("cmd" | "trk", row id): commands and tracking updates share the connection
        self._inflight: dict[int, tuple[str, str]] = {}
        self._acks: list[tuple[int, int]] = []
        self._lock = threading.Lock()
        self._later: dict[str, float] = {}
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
        if self.broker.username:
            self.client.username_pw_set(self.broker.username, self.broker.password)
        if self.broker.tls:
            self.client.tls_set_context(client_context(ca_file, cert_file, key_file))
        self.client.will_set(HQ_STATUS, json.dumps({"online": False, "instance": self.instance}), qos=1,
                             retain=True)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_publish = self._on_publish
        self.client.reconnect_delay_set(1, 10)
        self.announce = threading.Event()  # set once the ingest workers are subscribed
        self._thread: threading.Thread | None = None

    # --- MQTT ------------------------------------------------------------------------------------
    def _on_connect(self, c: mqtt.Client, u: Any, flags: Any, rc: Any, props: Any) -> None:
        if rc.is_failure:
            log.error("HQ MQTT connection refused: %s", rc)
            return
        self.connected.set()
        self.link_since = datetime.now(UTC)
        if self.announce.is_set():
            self._presence(True)
        self.wake.set()

    def _on_disconnect(self, *args: Any) -> None:
        if self.connected.is_set() or self.link_since is None:
            self.link_since = datetime.now(UTC)
        self.connected.clear()

    def link(self) -> dict[str, Any]:
        """HQ's own broker connection: `{"connected", "since", "broker"}` (since: ISO UTC, or None)."""
        since = self.link_since
        return {"connected": self.connected.is_set(), "since": iso(since) if since else None,
                "broker": f"{self.broker.host}:{self.broker.port}"}

    def _on_publish(self, c: mqtt.Client, u: Any, mid: int, rc: Any, props: Any) -> None:
        with self._lock:
            self._acks.append((mid, rc.value))
        self.wake.set()

    def _presence(self, online: bool) -> None:
        doc = {"online": online, "ts": iso(datetime.now(UTC)), "instance": self.instance}
        self.client.publish(HQ_STATUS, json.dumps(doc), qos=1, retain=True)

    def go_online(self) -> None:
        """The workers are subscribed: tell the sites HQ is here (they resend what reached nobody)."""
        self.announce.set()
        if self.connected.is_set():
            self._presence(True)

    def start(self) -> None:
        self.client.connect_async(self.broker.host, self.broker.port, keepalive=30)
        self.client.loop_start()
        self._thread = threading.Thread(target=self._run, name="hq-dispatch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()
        if self._thread is not None:
            self._thread.join(5)
        if self.connected.is_set():
            info = self.client.publish(HQ_STATUS, json.dumps({"online": False, "ts": iso(datetime.now(UTC)),
                                                              "instance": self.instance}), qos=1, retain=True)
            info.wait_for_publish(3)
        self.client.disconnect()
        self.client.loop_stop()

    # --- the loop --------------------------------------------------------------------------------
    def _run(self) -> None:
        conn: psycopg.Connection | None = None
        while not self.stopping.is_set():
            self.wake.wait(0.5)
            self.wake.clear()
            try:
                if conn is None or conn.closed:
                    conn = psycopg.connect(self.database, autocommit=True)
                self.step(conn)
            except psycopg.Error:
                log.warning("command dispatch: database error; retrying", exc_info=True)
                conn = None
                time.sleep(1.0)
            except Exception:
                log.exception("command dispatch step failed")
                time.sleep(1.0)
        if conn is not None:
            conn.close()

    def step(self, conn: psycopg.Connection) -> None:
        with self._lock:
            acks, self._acks = self._acks, []
        for mid, code in acks:
            got = self._inflight.pop(mid, None)
            if got is None:
                continue
            kind, cmd_id = got
            if kind == "trk":
                self._tracking_acked(conn, cmd_id, code)
                continue
            if code == 0x10 or code >= 0x80:
                self._later[cmd_id] = time.monotonic() + RETRY_UNROUTED_S
                log.info("command %s not routed (PUBACK 0x%02x); trying again", cmd_id, code)
            else:
                conn.execute("UPDATE commands SET state = 'sent', sent_at = now() WHERE id = %s AND state = 'queued'",
                             (cmd_id,))
        conn.execute("UPDATE commands SET state = 'expired' WHERE state IN ('queued', 'sent') "
                     "AND expires_at < now() - make_interval(secs => %s)", (EXPIRE_GRACE_S,))
        conn.execute("UPDATE tracking_updates SET state = 'expired' WHERE state = 'queued' AND expires_at < now()")
        if not self.connected.is_set():
            return
        self._send_tracking(conn)
        if self.key is None:
            return
        rows = conn.execute(
            "SELECT id, site, type, data, issued_at, expires_at FROM commands WHERE state = 'queued' "
            "AND expires_at > now() ORDER BY issued_at LIMIT 200").fetchall()
        busy = {i for k, i in self._inflight.values() if k == "cmd"}
        now_m = time.monotonic()
        for cmd_id, site, type_, data, issued, expires in rows:
            if cmd_id in busy or self._later.get(cmd_id, 0) > now_m:
                continue
            self._later.pop(cmd_id, None)
            self.publish(cmd_id, site, type_, data, issued, expires)

    def publish(self, cmd_id: str, site: str, type_: str, data: Any, issued: datetime, expires: datetime) -> None:
        assert self.key is not None
        fields = {"id": cmd_id, "site": site, "type": type_, "issued_at": iso(issued), "expires_at": iso(expires),
                  "data": data}
        signed = sign_command(fields, self.key)
        props = Properties(PacketTypes.PUBLISH)
        props.MessageExpiryInterval = max(1, int((expires - datetime.now(UTC)).total_seconds()))
        info = self.client.publish(Topics(site).cmd, json.dumps(signed, ensure_ascii=False), qos=1,
                                   properties=props)
        if info.rc == mqtt.MQTT_ERR_SUCCESS:
            self._inflight[info.mid] = ("cmd", cmd_id)

    # --- tracking updates (cloudsync/hq/tracking.py): unsigned, as the contract has them ----------------
    def _send_tracking(self, conn: psycopg.Connection) -> None:
        rows = conn.execute(
            "SELECT id, site, payload::text, expires_at FROM tracking_updates WHERE state = 'queued' "
            "AND expires_at > now() ORDER BY created_at LIMIT 200").fetchall()
        busy = {i for k, i in self._inflight.values() if k == "trk"}
        now_m = time.monotonic()
        for up_id, site, payload, expires in rows:
            if up_id in busy or self._later.get(up_id, 0) > now_m:
                continue
            self._later.pop(up_id, None)
            # the stored jsonb is re-serialised in the canonical form the site digests (sorted keys, compact)
            doc = json.loads(payload)
            body = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
            props = Properties(PacketTypes.PUBLISH)
            props.MessageExpiryInterval = max(1, int((expires - datetime.now(UTC)).total_seconds()))
            info = self.client.publish(Topics(site).tracking, body, qos=1, retain=False, properties=props)
            if info.rc == mqtt.MQTT_ERR_SUCCESS:
                self._inflight[info.mid] = ("trk", up_id)
                conn.execute("UPDATE tracking_updates SET attempts = attempts + 1 WHERE id = %s", (up_id,))

    def _tracking_acked(self, conn: psycopg.Connection, up_id: str, code: int) -> None:
        if code == 0x10 or code >= 0x80:
            self._later[up_id] = time.monotonic() + RETRY_UNROUTED_S
            why = "no_subscriber" if code == 0x10 else f"refused_0x{code:02x}"
            conn.execute("UPDATE tracking_updates SET last_refusal = %s WHERE id = %s", (why, up_id))
            log.info("tracking update %s not routed (PUBACK 0x%02x); trying again", up_id, code)
        else:
            conn.execute("UPDATE tracking_updates SET state = 'sent', sent_at = now(), last_refusal = NULL "
                         "WHERE id = %s AND state = 'queued'", (up_id,))
