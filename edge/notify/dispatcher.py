"""The dispatcher: takes due messages from the queue and tries the channels in order until one accepts.

One message at a time (a channel is a phone line or a provider, not a firehose); each attempt's outcome is
committed before the next message. A message no channel accepted is retried with backoff and jitter until
it expires. Woken at once when a transaction queues a message; otherwise it sleeps on the injected clock
until the next retry is due, so a simulated hour of outage passes in a test's moment.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import random
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from edge.aio import cancel_and_wait
from edge.clock import Clock, sleep_or_wake
from edge.notify import pickup_qr, queue
from edge.notify.channels.base import BaseChannel, ChannelError, NotForThisChannel, Outgoing
from edge.store.db import Store, StoreWriteError, Tx

log = logging.getLogger(__name__)

IDLE_S = 30.0


class ChannelState:
    def __init__(self) -> None:
        self.ok: bool | None = None
        self.last_error = ""
        self.sent = 0
        self.errors = 0

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "last_error": self.last_error, "sent": self.sent, "errors": self.errors}


#: messages that hand the resident a code they can scan at the kiosk
QR_KINDS = ("stored", "code_reissued")


def with_pickup_qr(msg: Outgoing, site_id: str, public_url: str = "", *,
                   compartment: str | None = None) -> Outgoing:
    """The message with its pickup QR payload (and link, when the site has a public address). `compartment`: the
    door of a message's one parcel when the message has no parts (no merge window); "" for a parcel at the desk."""
    if not (site_id and msg.pickup_code and msg.kind in QR_KINDS):
        return msg
    data = pickup_qr.payload(site_id, msg.pickup_code)
    if not public_url:
        return dataclasses.replace(msg, pickup_qr=data, pickup_link=None)
    # the link's page says which doors (or the desk) and until when (trial 2026-12-07d)
    doors = tuple(dict.fromkeys(str(p["compartment"]) for p in msg.parts if p.get("compartment")))
    desk = any(not p.get("compartment") for p in msg.parts)
    if not msg.parts and compartment is not None:
        doors, desk = ((compartment,), False) if compartment else ((), True)
    return dataclasses.replace(msg, pickup_qr=data, pickup_link=pickup_qr.link(
        public_url, data, doors=doors, desk=desk, until=msg.deadline_local()))


def _mark_sent(tx: Tx, *, ch: BaseChannel, msg: Outgoing, detail: str) -> None:
    """Delivered by `ch`, and in the same transaction what the channel commits with it (the hq channel's event)."""
    if queue.mark_sent(tx, mid=msg.id, channel=ch.name, detail=detail):
        ch.handed_over(tx, msg)


class Dispatcher:
    def __init__(self, store: Store, clock: Clock, channels: Sequence[BaseChannel], *, retry: queue.RetryPolicy,
                 batch: int = 20, timeout_s: float = 30.0, rng: random.Random | None = None,
                 site_id: str = "", public_url: str = "", tz: str = "",
                 later: Callable[[str, datetime, datetime], datetime] | None = None) -> None:
        self.store = store
        #: the site's time zone, for the template values that say a time (channels/base.py Outgoing.tz)
        self.tz = tz
        self.clock = clock
        self.channels = list(channels)
        self.retry = retry
        self.batch = batch
        self.timeout_s = timeout_s
        self.rng = rng or random.Random()
        self.site_id = site_id
        self.public_url = public_url
        #: moves a retry of a non-urgent message out of the quiet hours (ADR 0043)
        self.later = later
        self.state = {ch.name: ChannelState() for ch in self.channels}
        self.wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self.started: list[BaseChannel] = []

    # --- lifecycle ------------------------------------------------------------------------------
    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        for ch in self.channels:
            try:
                await ch.start()
            except Exception as exc:  # one broken channel must not keep the others from sending
                log.warning("message channel %s did not start: %s", ch.name, exc)
                self._note(ch, False, f"did not start: {exc}")
                continue
            self.started.append(ch)
        self._task = asyncio.create_task(self._run(), name="notify-dispatcher")

    async def stop(self) -> None:
        await cancel_and_wait([self._task])
        self._task = None
        for ch in self.started:
            try:
                await ch.stop()
            except Exception:
                log.warning("stopping message channel %s failed", ch.name, exc_info=True)
        self.started = []

    def kick(self) -> None:
        """Something was queued (may be called from any thread)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self.wake.set()
        else:
            loop.call_soon_threadsafe(self.wake.set)

    # --- work -----------------------------------------------------------------------------------
    async def _run(self) -> None:
        while True:
            try:
                n = await self.run_once()
            except asyncio.CancelledError:
                raise
            except StoreWriteError as exc:  # disk full or read-only: /healthz and the store say so already
                log.warning("message dispatch paused: %s; trying again shortly", exc.code)
                n = 0
                await self.clock.sleep(5)
            except Exception:
                log.exception("message dispatch failed; trying again shortly")
                n = 0
                await self.clock.sleep(5)
            if n >= self.batch:
                continue
            nxt = await self.store.read(queue.next_due)
            wait = IDLE_S
            if nxt is not None:
                wait = min(IDLE_S, max(0.05, (nxt - self.clock.now()).total_seconds()))
            await sleep_or_wake(self.clock, wait, self.wake)

    async def run_once(self) -> int:
        rows = await self.store.read(lambda tx: queue.due(tx, self.batch))
        for row in rows:
            await self.deliver(row)
        return len(rows)

    async def deliver(self, row: dict[str, Any]) -> bool:
        if row.get("merge_key"):
            needed = await self.store.read(lambda tx: queue.fold_needed(tx, row["id"]))
            if needed is None:  # folded into another message of this batch, or no longer pending
                return False
            if needed:
                # fold the recipient's other messages of this kind into this one, committed (and fsynced) before
                # any channel sees it: a crash after this sends the folded text once; before it changes nothing
                folded = await self.store.write(lambda tx: queue.fold(tx, row["id"]))
                if folded is None:
                    return False
                row = folded
        door: str | None = None
        if self.public_url and row.get("parcel_id") and row["kind"] in QR_KINDS and not row.get("merge_data"):
            # the link's page names the door: a message of one parcel has no parts to say it (no merge window)
            got = await self.store.read(lambda tx: tx.one("SELECT compartment_id FROM parcels WHERE id = ?",
                                                          (row["parcel_id"],)))
            door = str(got["compartment_id"] or "") if got is not None else None
        msg = with_pickup_qr(Outgoing.from_row(row, self.tz), self.site_id, self.public_url, compartment=door)
        errors: list[str] = []
        for ch in self.started:
            if not ch.carries(msg):
                continue
            try:
                # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancel racing the send's end
                async with asyncio.timeout(self.timeout_s):
                    ref = await ch.send(msg)
            except NotForThisChannel as exc:
                errors.append(f"{ch.name}: {exc}")
                continue
            except (ChannelError, TimeoutError) as exc:
                why = str(exc) or "no answer in time"
                errors.append(f"{ch.name}: {why}")
                self._note(ch, False, why)
                continue
            except Exception as exc:
                log.exception("message channel %s failed on message %s", ch.name, msg.id)
                errors.append(f"{ch.name}: internal error ({type(exc).__name__})")
                self._note(ch, False, type(exc).__name__)
                continue
            self._note(ch, True, "")
            self.state[ch.name].sent += 1
            await self.store.write(functools.partial(_mark_sent, ch=ch, msg=msg, detail=ref), durable=ch.durable_mark)
            return True
        error = "; ".join(errors) or "no channel carries this kind of message"
        new_state = await self.store.write(
            lambda tx: queue.mark_retry(tx, msg.id, error, self.retry, self.rng, self.later), durable=False)
        if new_state == "failed":
            log.warning("message %s (%s) expired undelivered: %s", msg.id, msg.kind, error)
        return False

    def _note(self, ch: BaseChannel, ok: bool, error: str) -> None:
        st = self.state.setdefault(ch.name, ChannelState())
        if not ok:
            st.errors += 1
            st.last_error = error
        if st.ok is not ok:
            if ok and st.ok is False:
                log.info("message channel %s: delivering again", ch.name)
            elif not ok:
                log.warning("message channel %s: not delivering (%s)", ch.name, error)
        st.ok = ok

    def status(self) -> dict[str, Any]:
        return {name: st.as_dict() for name, st in self.state.items()}
