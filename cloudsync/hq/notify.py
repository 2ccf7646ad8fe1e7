"""HQ sends the residents' messages of sites on the default `hq` channel (ADR 0049).

A site whose `[[notify.channels]]` is `hq` (the default) commits, with each message it hands over, a
`notify.message` event (edge/notify/channels/hq.py). Ingest stores the event once per (site, stream, seq) and, in
the same transaction, a row of `resident_messages` once per (site, message id). The sender here
(`lockerd hq serve --notify FILE`) claims one due row at a time with ``FOR UPDATE SKIP LOCKED`` (any number of HQ
processes may run it: a row is in one sender's hands at a time), tries the file's channels in order, and in the
same transaction marks it sent, or to retry with backoff, or failed once past the site's expiry. The channels
are the site's own classes (edge/notify/channels: Aliyun/Tencent/Twilio signing, webhook, e-mail, the template
values and their length limits), so a message leaves HQ exactly as it would have left the site.

Without `--notify` the rows wait as "not sent: HQ has no message gateway", said so on the fleet and site pages;
a sender's heartbeat (`notify_senders`) tells the pages whether any HQ process has a gateway.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import threading
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import psycopg
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from edge.config import error_key
from edge.notify.channels.base import BaseChannel, ChannelError, NotForThisChannel, Outgoing, SecretError
from edge.notify.channels.hq import EVENT_TYPE as EVENT_TYPE  # the site commits it, HQ reads it: one name
from edge.notify.config import (
    AliyunSmsChannel,
    SmtpChannel,
    TencentSmsChannel,
    TwilioSmsChannel,
    WebhookChannel,
)
from edge.notify.queue import RetryPolicy

log = logging.getLogger(__name__)

#: the channel kinds HQ's file may use (a GSM modem or the simulator's gateway belongs to a site)
HQ_KINDS = ("webhook", "sms-aliyun", "sms-tencent", "sms-twilio", "smtp")
HEARTBEAT_S = 10.0
#: a sender not heard from for this long no longer counts as HQ's gateway on the pages
GATEWAY_STALE_S = 60.0

HqChannelConfig = Annotated[
    WebhookChannel | AliyunSmsChannel | TencentSmsChannel | TwilioSmsChannel | SmtpChannel,
    Field(discriminator="kind"),
]


class NotifyFile(BaseModel):
    """`--notify FILE`: `[[channels]]` in the site's notify channel schema (docs/notifications.md), tried in order."""

    model_config = ConfigDict(extra="forbid")

    channels: list[HqChannelConfig] = Field(min_length=1, description="tried in order until one accepts")
    retry_first_s: float = Field(30, gt=0, description="first retry after this; doubles each attempt")
    retry_max_s: float = Field(900, gt=0, description="longest wait between two attempts")
    jitter: float = Field(0.2, ge=0, le=1, description="each wait is spread by this fraction, at random")
    timeout_s: float = Field(30, gt=0, le=300, description="one message's time limit over all its channels")


class NotifyFileError(ValueError):
    """A `--notify` file HQ cannot use: says the file, and each problem's line and key."""

    def __init__(self, file: str, problems: list[str]) -> None:
        self.file = file
        self.problems = problems
        super().__init__(f"--notify {file}: " + "; ".join(problems))


def _line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """The line of the key a pydantic location names in the TOML text (`channels[i].key`): the i-th
    `[[channels]]` header, then the key's line inside its block."""
    lines = text.splitlines()
    start, end = 0, len(lines)
    rest = list(loc)
    if rest and rest[0] == "channels" and len(rest) > 1 and isinstance(rest[1], int):
        heads = [n for n, ln in enumerate(lines) if re.match(r"^\s*\[\[\s*channels\s*\]\]", ln)]
        if rest[1] < len(heads):
            start = heads[rest[1]]
            nxt = [n for n, ln in enumerate(lines) if n > start and re.match(r"^\s*\[", ln)]
            end = nxt[0] if nxt else len(lines)
            rest = rest[2:]
            keys = [k for k in rest if isinstance(k, str) and not k.startswith(("function-", "tagged-union"))]
            keys = [k for k in keys if k not in HQ_KINDS]
            if not keys:
                return start + 1
            key = keys[0]
        else:
            return None
    else:
        key = next((k for k in rest if isinstance(k, str)), "")
    for n in range(start, end):
        if re.match(rf"^\s*{re.escape(key)}\s*=", lines[n]):
            return n + 1
    return start + 1 if start else None


def load_notify_file(path: str) -> NotifyFile:
    """Read and check `--notify FILE`, and each channel's secret files; NotifyFileError names what is wrong."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise NotifyFileError(path, [f"cannot read the file: {exc.strerror or exc}"]) from None
    except UnicodeDecodeError:
        raise NotifyFileError(path, ["the file is not UTF-8 text"]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise NotifyFileError(path, [f"TOML syntax: {exc}"]) from None
    try:
        cfg = NotifyFile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            msg = "unknown key" if err["type"] == "extra_forbidden" else err["msg"].removeprefix("Value error, ")
            if err["type"] == "union_tag_invalid":
                msg = (f"kind {err.get('input', {}).get('kind')!r} cannot be used at HQ; kinds are"
                       f" {', '.join(HQ_KINDS)}") if isinstance(err.get("input"), dict) else msg
            line = _line_of(text, loc)
            problems.append(f"{'line ' + str(line) + ', ' if line else ''}{error_key(loc, data) or '(top level)'}: {msg}")
        raise NotifyFileError(path, problems) from None
    problems = []
    for i, ch in enumerate(cfg.channels):
        try:
            build_channel(ch)
        except (SecretError, ValueError, OSError) as exc:
            line = _line_of(text, ("channels", i))
            problems.append(f"{'line ' + str(line) + ', ' if line else ''}channels[{i}] ({ch.kind}): {exc}")
    if problems:
        raise NotifyFileError(path, problems)
    return cfg


def build_channel(cfg: Any) -> BaseChannel:
    """The site's own channel class for one `[[channels]]` entry (edge/notify/component.py)."""
    from edge.notify.component import build_channel as site_build

    return site_build(cfg, lambda: False)


# --- from the events, in ingest's transaction ---------------------------------------------------------------------
INSERT_SQL = """
INSERT INTO resident_messages (site, id, kind, lang, unit, phone_tail, data, event_ts, expires_at, seq, stream)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (site, id) DO NOTHING
"""


def _ts(v: Any) -> datetime | None:
    if not isinstance(v, str) or not v:
        return None
    try:
        at = datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def rows_of(events: list[Any]) -> list[tuple[Any, ...]]:
    """resident_messages rows for the notify.message events among those ingest stores (parse.Event)."""
    import json

    out = []
    for e in events:
        if e.type != EVENT_TYPE:
            continue
        try:
            d = json.loads(e.data)
        except ValueError:
            continue
        mid = d.get("message_id")
        if not isinstance(mid, str) or not mid or len(mid) > 64 or not isinstance(d.get("text"), str):
            continue
        expires = _ts(d.get("expires_at")) or (_ts(e.ts) or datetime.now(UTC)) + timedelta(hours=72)
        out.append((e.site, mid, str(d.get("kind") or "")[:32], str(d.get("lang") or "")[:16],
                    str(d.get("unit") or "")[:64] or None, str(d.get("phone_tail") or "")[-4:] or None, e.data,
                    e.ts, expires, e.seq, e.stream))
    return out


def ingest(conn: psycopg.Connection, events: list[Any]) -> int:
    """Store the messages of the events just stored (inside ingest's transaction); returns how many were new."""
    rows = rows_of(events)
    if not rows:
        return 0
    n = 0
    with conn.cursor() as cur:
        for r in rows:
            cur.execute(INSERT_SQL, r)
            n += cur.rowcount
    return n


# --- the sender --------------------------------------------------------------------------------------------------
def outgoing(data: dict[str, Any]) -> Outgoing:
    """The message as the site's dispatcher gave it to its channel (text without the link, the link apart)."""
    parts = tuple(p for p in data.get("parts") or () if isinstance(p, dict))
    return Outgoing(
        id=str(data["message_id"]), kind=str(data.get("kind") or ""), lang=str(data.get("lang") or "zh-CN"),
        text=str(data.get("words") or data.get("text") or ""), unit=data.get("unit"),
        tracking_number=data.get("tracking_number"), pickup_code=data.get("pickup_code"),
        deadline=data.get("deadline"), subkind=data.get("subkind"), phone_tail=data.get("phone_tail"),
        phone=data.get("phone"), email=data.get("email"), parcel_id=data.get("parcel_id"),
        pickup_qr=data.get("pickup_qr"), pickup_link=data.get("pickup_link") if data.get("words") else None,
        parts=parts, tz=str(data.get("timezone") or ""),
        # the site's calling code for a phone without + (its hq channel sends it; HQ's Twilio needs it: trial 07d)
        country_code=cc if (cc := str(data.get("country_code") or "")).isdigit() and len(cc) <= 3 else "")


CLAIM_SQL = """
SELECT site, id, data, attempts, expires_at FROM resident_messages
WHERE state = 'pending' AND next_at <= now()
ORDER BY next_at, id LIMIT 1 FOR UPDATE SKIP LOCKED
"""


@dataclass
class SenderStats:
    sent: int = 0
    retried: int = 0
    failed: int = 0


class Sender:
    """One HQ process's sender: a thread running an asyncio loop (the channels are the site's async classes)."""

    def __init__(self, database: str, cfg: NotifyFile, instance: str = "lockerd-hq",
                 rng: random.Random | None = None) -> None:
        self.database = database
        self.cfg = cfg
        self.instance = instance
        self.retry = RetryPolicy(cfg.retry_first_s, cfg.retry_max_s, cfg.jitter)
        self.rng = rng or random.Random()
        self.stats = SenderStats()
        self.stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), name="hq-notify", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 40.0) -> None:
        """Finish the message in hand (its outcome committed), then stop."""
        self.stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)

    async def _main(self) -> None:
        channels = [build_channel(c) for c in self.cfg.channels]
        started = []
        for ch in channels:
            try:
                await ch.start()
                started.append(ch)
            except Exception as exc:
                log.warning("HQ message channel %s did not start: %s", ch.name, exc)
        conn: psycopg.AsyncConnection[Any] | None = None
        last_beat = 0.0
        loop = asyncio.get_running_loop()
        try:
            while not self.stopping.is_set():
                try:
                    if conn is None or conn.closed:
                        conn = await psycopg.AsyncConnection.connect(self.database, autocommit=True)
                    if loop.time() - last_beat > HEARTBEAT_S:
                        await self._beat(conn, started)
                        last_beat = loop.time()
                    if not await self.send_one(conn, started):
                        await asyncio.to_thread(self.stopping.wait, 0.5)
                except psycopg.Error:
                    log.warning("HQ messages: database error; trying again shortly", exc_info=True)
                    conn = None
                    await asyncio.to_thread(self.stopping.wait, 2.0)
                except Exception:
                    log.exception("HQ messages: sending failed; trying again shortly")
                    await asyncio.to_thread(self.stopping.wait, 2.0)
        finally:
            for ch in started:
                try:
                    await ch.stop()
                except Exception:
                    log.warning("stopping HQ message channel %s failed", ch.name, exc_info=True)
            if conn is not None and not conn.closed:
                try:
                    await conn.execute("DELETE FROM notify_senders WHERE instance = %s", (self.instance,))
                except psycopg.Error:
                    pass
                await conn.close()

    async def _beat(self, conn: psycopg.AsyncConnection[Any], channels: list[BaseChannel]) -> None:
        names = ", ".join(f"{c.name}" for c in channels)
        await conn.execute(
            "INSERT INTO notify_senders (instance, channels, seen_at) VALUES (%s, %s, now()) "
            "ON CONFLICT (instance) DO UPDATE SET channels = excluded.channels, seen_at = now()",
            (self.instance, names))

    async def send_one(self, conn: psycopg.AsyncConnection[Any], channels: list[BaseChannel]) -> bool:
        """Claim one due message, try the channels, commit the outcome; False when nothing was due."""
        async with conn.transaction():
            cur = await conn.execute(CLAIM_SQL)
            row = await cur.fetchone()
            if row is None:
                return False
            site, mid, data, attempts, expires_at = row
            now = datetime.now(UTC)
            errors: list[str] = []
            if now >= expires_at and not attempts:  # it waited past its expiry (no gateway then): never sent late
                await conn.execute(
                    "UPDATE resident_messages SET state = 'failed', last_error = %s, finished_at = now() "
                    "WHERE site = %s AND id = %s", ("expired before HQ could send it", site, mid))
                self.stats.failed += 1
                await _count(conn, "messages_failed")
                log.warning("message %s of %s expired unsent", mid, site)
                return True
            msg = outgoing(data)
            try:
                async with asyncio.timeout(self.cfg.timeout_s):
                    for ch in channels:
                        if not ch.carries(msg):
                            continue
                        try:
                            ref = await ch.send(msg)
                        except NotForThisChannel as exc:
                            errors.append(f"{ch.name}: {exc}")
                            continue
                        except ChannelError as exc:
                            errors.append(f"{ch.name}: {exc or 'no answer in time'}")
                            continue
                        except Exception as exc:
                            log.exception("HQ message channel %s failed on message %s", ch.name, mid)
                            errors.append(f"{ch.name}: internal error ({type(exc).__name__})")
                            continue
                        await conn.execute(
                            "UPDATE resident_messages SET state = 'sent', channel = %s, attempts = attempts + 1, "
                            "sent_at = now(), finished_at = now(), provider_ref = %s WHERE site = %s AND id = %s",
                            (ch.name, str(ref)[:200], site, mid))
                        self.stats.sent += 1
                        await _count(conn, "messages_sent")
                        return True
            except TimeoutError:
                errors.append("no answer in time")
            error = "; ".join(errors) or "no channel carries this kind of message"
            n = int(attempts) + 1
            nxt = now + timedelta(seconds=self.retry.delay(n, self.rng))
            if now >= expires_at:
                await conn.execute(
                    "UPDATE resident_messages SET state = 'failed', attempts = %s, last_error = %s, finished_at = now() "
                    "WHERE site = %s AND id = %s", (n, f"expired: {error}"[:500], site, mid))
                self.stats.failed += 1
                await _count(conn, "messages_failed")
                log.warning("message %s of %s expired unsent: %s", mid, site, error)
            else:
                await conn.execute(
                    "UPDATE resident_messages SET attempts = %s, last_error = %s, next_at = %s WHERE site = %s AND id = %s",
                    (n, error[:500], min(nxt, expires_at), site, mid))
                self.stats.retried += 1
                await _count(conn, "messages_retried")
            return True


async def _count(conn: psycopg.AsyncConnection[Any], name: str) -> None:
    await conn.execute("INSERT INTO metrics (name, value) VALUES (%s, 1) "
                       "ON CONFLICT (name) DO UPDATE SET value = metrics.value + 1", (name,))


MESSAGES_KEPT_DAYS = 30


def prune(conn: psycopg.Connection, days: int = MESSAGES_KEPT_DAYS) -> int:
    """Forget messages (they hold full phone numbers and pickup codes) `days` after they were sent, failed or
    expired; run hourly by `hq serve`. Returns how many went."""
    return conn.execute(
        "DELETE FROM resident_messages WHERE (state <> 'pending' AND finished_at < now() - make_interval(days => %s)) "
        "OR expires_at < now() - make_interval(days => %s)", (days, days)).rowcount


def gateway_on(conn: psycopg.Connection) -> bool:
    """Does any HQ process send residents' messages now (a sender's heartbeat within GATEWAY_STALE_S)?"""
    row = conn.execute("SELECT 1 FROM notify_senders WHERE seen_at > now() - make_interval(secs => %s) LIMIT 1",
                       (GATEWAY_STALE_S,)).fetchone()
    return row is not None
