"""`lockerd hq watch`: a terminal fleet view for HQ (sites, online/offline, last seen, occupancy, red
anomalies, outbox depth) from the sites' status, telemetry and events topics.

Status is read with a plain subscription (retained births and wills); telemetry and events may use a
shared subscription (`--share GROUP` -> `$share/GROUP/lockerd/v1/+/telemetry`) so several HQ workers on
a clustered broker (EMQX, HiveMQ) split the load.
"""

from __future__ import annotations

import json
import logging
import ssl
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, TextIO

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from cloudsync.topics import ROOT, parse_broker_url

log = logging.getLogger(__name__)


@dataclass
class SiteView:
    site: str
    online: bool | None = None
    boot_id: str = ""
    bdseq: int = -1
    version: str = ""
    last_seen: float | None = None
    free: int | None = None
    total: int | None = None
    doors_open: int | None = None
    faults: int | None = None
    red: int | None = None
    red_events: int = 0
    outbox: int | None = None
    events: int = 0
    last_seq: int | None = None


@dataclass
class Fleet:
    sites: dict[str, SiteView] = field(default_factory=dict)
    ignored: int = 0

    def apply(self, topic: str, payload: bytes, now: float) -> None:
        """Fold one message into the view; anything unexpected is counted and ignored."""
        parts = topic.split("/")
        if len(parts) < 4 or "/".join(parts[:2]) != ROOT:
            self.ignored += 1
            return
        site, kind = parts[2], "/".join(parts[3:])
        if site == "hq":
            return  # HQ's own presence
        try:
            doc = json.loads(payload) if payload else None
        except (ValueError, RecursionError):
            doc = None
        if not isinstance(doc, dict):
            self.ignored += 1
            return
        v = self.sites.setdefault(site, SiteView(site))
        try:
            if kind == "status":
                self._status(v, doc)
            elif kind == "telemetry":
                self._telemetry(v, doc)
            elif kind == "events":
                v.events += 1
                v.last_seq = max(v.last_seq or 0, int(doc.get("seq", 0)))
                data = doc.get("data") or {}
                if doc.get("type") == "parcel.anomaly_raised" and data.get("severity") == "red":
                    v.red_events += 1
            else:
                return
        except (TypeError, ValueError, AttributeError):
            self.ignored += 1
            return
        if kind != "status" or doc.get("online"):
            v.last_seen = now

    @staticmethod
    def _status(v: SiteView, doc: dict[str, Any]) -> None:
        boot, bdseq = str(doc.get("boot_id", "")), int(doc.get("bdseq", 0))
        if not doc.get("online"):
            # Sparkplug-style: a Will or shutdown counts only for the boot and connection it names, so a
            # late Will of an earlier boot or connection (or anyone else's) never marks the site offline
            if v.online is None or (boot == v.boot_id and bdseq == v.bdseq):
                v.online, v.boot_id, v.bdseq = False, boot, bdseq
            return
        if boot == v.boot_id and bdseq < v.bdseq:
            return  # a stale birth of an older connection
        if boot == v.boot_id and bdseq == v.bdseq and v.online is False:
            return  # the birth of a connection whose will already fired
        v.online, v.boot_id, v.bdseq = True, boot, bdseq
        if doc.get("online"):
            v.version = str(doc.get("version", ""))
            v.outbox = int(doc.get("outbox_depth", 0))

    @staticmethod
    def _telemetry(v: SiteView, doc: dict[str, Any]) -> None:
        """Take each figure that is there and well-formed; one odd field never drops the others."""
        occ = doc.get("occupancy")
        if isinstance(occ, dict):
            rows = [s for s in occ.values() if isinstance(s, dict)]
            v.total = sum(_int(s.get("total")) or 0 for s in rows)
            v.free = sum(_int(s.get("free")) or 0 for s in rows)
        if _int(doc.get("doors_open")) is not None:
            v.doors_open = _int(doc.get("doors_open"))
        if isinstance(doc.get("faults"), list):
            v.faults = len(doc["faults"])
        anomalies = doc.get("anomalies")
        if isinstance(anomalies, dict) and _int(anomalies.get("red")) is not None:
            v.red = _int(anomalies.get("red"))
        outbox = doc.get("outbox")
        if isinstance(outbox, dict) and _int(outbox.get("depth")) is not None:
            v.outbox = _int(outbox.get("depth"))
        if isinstance(doc.get("version"), str):
            v.version = doc["version"]

    def render(self, now: float) -> str:
        head = f"{'site':<22}{'state':<9}{'last seen':>10}{'free/total':>12}{'open':>6}{'faults':>7}" \
               f"{'red':>5}{'outbox':>8}{'events':>8}  version"
        lines = [head, "-" * len(head)]
        for v in sorted(self.sites.values(), key=lambda s: (s.online is not False, s.site)):
            state = "online" if v.online else ("OFFLINE" if v.online is False else "?")
            seen = "-" if v.last_seen is None else f"{now - v.last_seen:.0f}s ago"
            occ = "-" if v.total is None else f"{v.free}/{v.total}"
            red = "-" if v.red is None and not v.red_events else str(v.red if v.red is not None else v.red_events)
            lines.append(f"{v.site[:21]:<22}{state:<9}{seen:>10}{occ:>12}{_n(v.doors_open):>6}{_n(v.faults):>7}"
                         f"{red:>5}{_n(v.outbox):>8}{v.events:>8}  {v.version}")
        online = sum(1 for v in self.sites.values() if v.online)
        lines.append(f"{len(self.sites)} sites, {online} online" + (f", {self.ignored} messages ignored"
                                                                    if self.ignored else ""))
        return "\n".join(lines)


def _int(x: Any) -> int | None:
    return int(x) if isinstance(x, int | float) and not isinstance(x, bool) else None


def _n(x: int | None) -> str:
    return "-" if x is None else str(x)


def watch(url: str, *, share: str | None = None, interval: float = 2.0, duration: float | None = None,
          once: bool = False, ca_file: str = "", cert_file: str = "", key_file: str = "",
          out: TextIO = sys.stdout, client_id: str = "") -> int:
    """Run the fleet view; with `duration`, stop after that many seconds (`once`: print a single table)."""
    broker = parse_broker_url(url)
    fleet = Fleet()
    lock = threading.Lock()
    c = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id or f"lockerd-hq-{int(time.time())}",
                    protocol=mqtt.MQTTv5)
    if broker.username:
        c.username_pw_set(broker.username, broker.password)
    if broker.tls:
        ctx = ssl.create_default_context(cafile=ca_file or None)
        if cert_file:
            ctx.load_cert_chain(cert_file, key_file or None)
        c.tls_set_context(ctx)
    prefix = f"$share/{share}/" if share else ""
    subs = [(f"{ROOT}/+/status", 1), (f"{prefix}{ROOT}/+/telemetry", 0), (f"{prefix}{ROOT}/+/events", 1),
            (f"{prefix}{ROOT}/+/cmd/result", 1)]

    def on_connect(cl: mqtt.Client, u: Any, flags: Any, rc: Any, props: Any) -> None:
        if not rc.is_failure:
            cl.subscribe(subs)

    def on_message(cl: mqtt.Client, u: Any, msg: mqtt.MQTTMessage) -> None:
        with lock:
            fleet.apply(msg.topic, bytes(msg.payload), time.monotonic())

    c.on_connect = on_connect
    c.on_message = on_message
    c.reconnect_delay_set(1, 30)
    try:
        c.connect(broker.host, broker.port, keepalive=30)
    except OSError as exc:
        print(f"cannot reach {broker.host}:{broker.port}: {exc}", file=sys.stderr)
        return 1
    c.loop_start()
    started = time.monotonic()
    tty = hasattr(out, "isatty") and out.isatty()
    try:
        while True:
            remaining = None if duration is None else duration - (time.monotonic() - started)
            if remaining is not None and remaining <= 0:
                break
            time.sleep(min(interval, remaining) if remaining is not None else interval)
            if not once:
                with lock:
                    text = fleet.render(time.monotonic())
                out.write(("\x1b[H\x1b[2J" if tty else "") + text + "\n")
                out.flush()
    except KeyboardInterrupt:
        pass
    finally:
        c.disconnect()
        c.loop_stop()
    if once:
        with lock:
            out.write(fleet.render(time.monotonic()) + "\n")
    return 0
