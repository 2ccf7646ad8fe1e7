"""Cloud sync component: MQTT link + outbox publisher + commands + tracking intake + telemetry (staff alerts
run at the edge: edge/alerts/).

Built by the composition root (edge/daemon.py `_start_parts`) only when the cloud is enabled. Started after the rules and
tracking components, before the web server; stopped in reverse (offline status published first).
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from typing import TYPE_CHECKING, Any

from cloudsync.actions import Actions
from cloudsync.commands import CommandProcessor
from cloudsync.link import Incoming, LinkSettings, MqttLink
from cloudsync.publisher import OutboxPublisher, prune_events
from cloudsync.signing import usable_public_keys
from cloudsync.telemetry import Telemetry
from cloudsync.topics import HQ_STATUS, Topics, parse_broker_url
from cloudsync.tracking_in import TrackingIntake
from edge.aio import cancel_and_wait
from edge.clock import utc_iso
from edge.store.db import Tx
from edge.store.streams import current_stream, last_pseq

if TYPE_CHECKING:
    from edge.daemon import Daemon

log = logging.getLogger(__name__)

MAINTENANCE_EVERY_S = 3600.0


class CloudSync:
    name = "cloud"

    def __init__(self, daemon: Daemon) -> None:
        self.daemon = daemon
        cfg = daemon.config.cloud
        self.cfg = cfg
        self.extras = cfg.sync
        self.site = daemon.config.site.id
        #: the site's name for HQ's fleet page, in the birth; only a name the config sets (the default
        #: "Parcel lockers" would name every site alike: HQ then shows the id)
        info = daemon.config.site
        self.site_name = info.name if "name" in info.model_fields_set and info.name.strip() else None
        #: the site's time zone (validated by the config), so HQ shows the site's events in its local time
        self.site_tz = info.timezone
        self.broker = parse_broker_url(cfg.broker)
        self.topics = Topics(self.site)
        self.store = daemon.store
        self.clock = daemon.clock
        # a file that cannot be used is skipped, the other keys kept (events flow either way); commands signed
        # with a skipped key are refused (bad_signature) until it is fixed
        self.keys, key_problems = usable_public_keys(list(cfg.command_pubkeys))
        for why in key_problems:
            log.error("command public key skipped: %s; HQ commands signed with it will be refused", why)
        if not self.keys:
            log.warning("no usable command public key (cloud.command_pubkeys): HQ commands will be refused")
        self.publisher = OutboxPublisher(self.store, self.clock, self.site, self._topic_for,
                                         window=cfg.outbox_window, max_rows=cfg.outbox_max_rows)
        self.telemetry = Telemetry(
            store=self.store, clock=self.clock, topics=self.topics, publisher=self.publisher,
            version=daemon.version, data_dir=daemon.data_dir,
            interval_s=cfg.telemetry_interval_s, debounce_s=self.extras.snapshot_debounce_s,
            mqtt_state=self._mqtt_state, tracking_kpis=self._tracking_kpis)
        self.actions = Actions(daemon, resync=self.publisher.resync, telemetry_now=self.telemetry_now)
        self.commands = CommandProcessor(store=self.store, clock=self.clock, site=self.site, keys=self.keys,
                                         actions=self.actions, retention_days=self.extras.inbox_retention_days)
        self.tracking = TrackingIntake(
            self.store, lambda: daemon.tracking.service if daemon.tracking is not None else None)
        self.link: MqttLink | None = None
        self.bdseq = 0
        self.stream = ""
        self.stream_start = 1
        #: HQ's presence as last seen on its retained status (None: never seen)
        self.hq_online: bool | None = None
        self.connected = False
        self.last_connect: str | None = None
        self.last_error: str | None = None
        self._tasks: list[asyncio.Task[Any]] = []
        self._bg: set[asyncio.Task[Any]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread = 0

    # --- lifecycle -----------------------------------------------------------------------------
    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._loop, self._loop_thread = loop, threading.get_ident()
        def _boot(tx: Tx) -> tuple[int, str, int]:
            name, first = current_stream(tx.conn)
            return int(tx.meta_get("cloud.bdseq", "0") or 0), name, first

        self.bdseq, self.stream, self.stream_start = await self.store.read(_boot)
        await self.commands.start()
        await self.tracking.replay_pending()
        settings = LinkSettings(
            client_id=self.site, broker=self.broker, session_expiry_s=self.cfg.session_expiry_s,
            keepalive_s=self.extras.keepalive_s, ca_file=self.cfg.ca_file, cert_file=self.cfg.cert_file,
            key_file=self.cfg.key_file, reconnect_min_s=self.extras.reconnect_min_s,
            reconnect_max_s=self.extras.reconnect_max_s, max_inflight=max(self.cfg.outbox_window, 20) + 20,
            subscriptions=[self.topics.cmd, self.topics.tracking, HQ_STATUS])
        self.link = MqttLink(settings, loop, on_attempt=self._on_attempt, on_up=self._on_up,
                             on_down=self._on_down, on_message=self._on_message, on_acks=self.publisher.on_acks)
        self.publisher.sender = self.link
        self.telemetry.sender = self.link
        self.store.event_listeners.append(self._on_events)
        await self.publisher.start()
        await self.telemetry.start()
        self._tasks.append(asyncio.create_task(self._maintenance(), name="cloud-maintenance"))
        self.link.start()
        log.info("cloud sync to %s:%s (tls %s) as %s", self.broker.host, self.broker.port, self.broker.tls, self.site)

    async def stop(self) -> None:
        if self._on_events in self.store.event_listeners:
            self.store.event_listeners.remove(self._on_events)
        await cancel_and_wait(self._tasks)
        self._tasks = []
        await self.telemetry.stop()
        await self.commands.stop()
        await self.publisher.stop()
        link, self.link = self.link, None
        if link is not None:
            final = (self.topics.status, self._status_payload(online=False))
            await link.stop(final)
        self.connected = False

    # --- public --------------------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        return {
            "connected": self.connected,
            "broker": f"{self.broker.host}:{self.broker.port}",
            "last_connect": self.last_connect,
            "last_error": self.last_error,
            "bdseq": self.bdseq,
            "stream": self.stream,
            "hq_online": self.hq_online,
            "unrouted": self.publisher.unrouted,
            "outbox_depth": self.publisher.depth,
            "oldest_unsent_age_s": self.publisher.oldest_unsent_age_s(),
            "inflight": self.publisher.inflight,
            "published": self.publisher.published,
            "refused_by_broker": self.publisher.refused,
            "dropped_telemetry": self.publisher.dropped,
            "command_keys": len(self.keys),
        }

    async def telemetry_now(self) -> dict[str, Any]:
        return await self.telemetry.publish_now()

    # --- link callbacks ----------------------------------------------------------------------------
    def _topic_for(self, event_type: str) -> str:
        return self.topics.cmd_result if event_type == "cmd.result" else self.topics.events

    def _status_payload(self, *, online: bool, last_seq: int | None = None, depth: int | None = None) -> bytes:
        doc: dict[str, Any] = {"online": online, "boot_id": self.daemon.boot_id, "bdseq": self.bdseq}
        if online:
            doc.update({"version": self.daemon.version, "last_seq": last_seq or 0,
                        "stream": self.stream, "stream_start": self.stream_start,
                        "outbox_depth": depth or 0, "ts": utc_iso(self.clock.now())})
            if self.site_name:
                doc["name"] = self.site_name
            doc["timezone"] = self.site_tz
        elif last_seq is None:
            doc["ts"] = utc_iso(self.clock.now())
        return json.dumps(doc).encode()

    async def _on_attempt(self) -> tuple[str, bytes]:
        """Before each connection attempt: bump and persist bdseq, arm the Last Will with it."""
        self.bdseq += 1
        value = str(self.bdseq)
        try:
            await self.store.write(lambda tx: tx.meta_set("cloud.bdseq", value))
        except Exception:
            log.warning("could not persist bdseq %s", value, exc_info=True)
        will = {"online": False, "boot_id": self.daemon.boot_id, "bdseq": self.bdseq}
        return self.topics.status, json.dumps(will).encode()

    def _on_up(self, session_present: bool, receive_maximum: int | None) -> None:
        if not self.connected:
            log.info("MQTT connected (session present %s, receive maximum %s, bdseq %s)",
                     session_present, receive_maximum, self.bdseq)
        self.connected = True
        self.last_connect = utc_iso(self.clock.now())
        self._spawn(self._birth())

    async def _birth(self) -> None:
        def _q(tx: Tx) -> tuple[int, int, str, int]:
            name, first = current_stream(tx.conn)
            return last_pseq(tx.conn), int(tx.scalar("SELECT count(*) FROM outbox") or 0), name, first

        last_seq, depth, self.stream, self.stream_start = await self.store.read(_q)
        if self.link is not None:
            self.link.publish(self.topics.status, self._status_payload(online=True, last_seq=last_seq, depth=depth),
                              qos=1, retain=True)
        self.publisher.on_connected()
        self.telemetry.on_connected()

    def _on_down(self, reason: str) -> None:
        if self.connected or reason != self.last_error:
            log.warning("MQTT %s", reason)
        self.connected = False
        self.last_error = reason

    def _on_message(self, msg: Incoming) -> None:
        link = self.link
        if link is None:
            return

        def ack() -> None:
            link.ack(msg.mid, msg.qos)

        if msg.topic == HQ_STATUS:
            self._hq_status(msg.payload)
            ack()
        elif msg.topic == self.topics.cmd:
            self.commands.submit(msg.payload, ack)
        elif msg.topic == self.topics.tracking:
            self._spawn(self._tracking(msg.payload, ack))
        else:
            ack()

    def _hq_status(self, payload: bytes) -> None:
        try:
            doc = json.loads(payload) if payload else {}
        except (ValueError, RecursionError):
            doc = None
        if not isinstance(doc, dict):
            log.warning("ignored a malformed HQ presence message")
            return
        online = doc.get("online") is True
        was, self.hq_online = self.hq_online, online
        if online and was is not True:
            log.info("HQ is online")
            self.publisher.hq_online()
        elif not online and was:
            log.warning("HQ went offline; events are kept until it is back")

    async def _tracking(self, payload: bytes, ack: Any) -> None:
        try:
            await self.tracking.handle(payload)
        except Exception:
            log.exception("tracking update failed; left unacknowledged for redelivery")
            return
        ack()

    def _on_events(self, events: list[dict[str, Any]]) -> None:
        if self._loop is not None and threading.get_ident() != self._loop_thread:
            # a write_sync() from another thread: hand over to the loop (asyncio objects are not thread-safe)
            self._loop.call_soon_threadsafe(self._on_events, events)
            return
        self.publisher.on_events(events)
        self.telemetry.on_events(events)

    async def _tracking_kpis(self) -> dict[str, Any]:
        """Carrier KPIs from the tracking part (telemetry `tracking_kpis`); empty when it is absent."""
        part = self.daemon.tracking
        return await part.service.kpis() if part is not None else {}

    def _mqtt_state(self) -> dict[str, Any]:
        return {"connected": self.connected, "last_connect": self.last_connect, "last_error": self.last_error,
                "bdseq": self.bdseq}

    def _spawn(self, coro: Any) -> None:
        t = asyncio.create_task(coro)
        self._bg.add(t)
        t.add_done_callback(self._bg.discard)

    async def _maintenance(self) -> None:
        while True:
            try:
                n = await prune_events(self.store, self.clock, self.extras.events_retention_days)
                if n:
                    log.info("pruned %s published events older than %s days", n, self.extras.events_retention_days)
                await self.commands.prune()
            except Exception:
                log.exception("cloud maintenance failed")
            await self.clock.sleep(MAINTENANCE_EVERY_S)
