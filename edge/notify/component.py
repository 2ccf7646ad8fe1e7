"""The notifications component: builds the channels of `[[notify.channels]]`, runs the dispatcher, and on a
real site's first runs says what is still missing before residents can be told anything."""

from __future__ import annotations

import logging
from typing import Any

from edge.notify import firstrun, queue
from edge.notify.channels.base import BaseChannel, SecretError
from edge.notify.channels.hq import HqChannel, SimChannel
from edge.notify.config import ChannelConfig, NotifyConfig
from edge.notify.dispatcher import Dispatcher
from edge.services.directory import KEEP_PHONE_KEY
from edge.store.db import Tx

log = logging.getLogger(__name__)

#: channel kinds that send to the resident's phone number (the directory keeps full numbers only for them)
PHONE_KINDS = {"sms-aliyun", "sms-tencent", "sms-twilio", "gsm-modem"}


def build_channel(cfg: ChannelConfig, daemon: Any) -> BaseChannel:
    kind = cfg.kind
    if kind == "hq":
        return HqChannel(cfg.name, cfg.kinds, lambda: bool(daemon.config.cloud.enabled and "cloud" in daemon.components))
    if kind == "sim":
        return SimChannel(cfg.name, cfg.kinds)
    if kind == "webhook":
        from edge.notify.channels.webhook import Webhook

        return Webhook(cfg)  # type: ignore[arg-type]
    if kind == "sms-aliyun":
        from edge.notify.channels.aliyun import AliyunSms

        return AliyunSms(cfg)  # type: ignore[arg-type]
    if kind == "sms-tencent":
        from edge.notify.channels.tencent import TencentSms

        return TencentSms(cfg)  # type: ignore[arg-type]
    if kind == "sms-twilio":
        from edge.notify.channels.twilio import TwilioSms

        return TwilioSms(cfg)  # type: ignore[arg-type]
    if kind == "gsm-modem":
        from edge.notify.channels.gsm import GsmModem

        return GsmModem(cfg)  # type: ignore[arg-type]
    if kind == "smtp":
        from edge.notify.channels.smtp import Smtp

        return Smtp(cfg)  # type: ignore[arg-type]
    raise ValueError(f"unknown channel kind {kind}")


def default_channels(daemon: Any) -> list[ChannelConfig]:
    from pydantic import TypeAdapter

    adapter: TypeAdapter[ChannelConfig] = TypeAdapter(ChannelConfig)
    if not daemon.simulated:
        return [adapter.validate_python({"kind": "hq"})]
    out = [adapter.validate_python({"kind": "hq"})] if daemon.config.cloud.enabled else []
    return [*out, adapter.validate_python({"kind": "sim"})]


class NotifyComponent:
    name = "notify"

    def __init__(self, daemon: Any) -> None:
        self.daemon = daemon
        self.config: NotifyConfig = getattr(daemon.config, "notify", None) or NotifyConfig()
        self.configs = list(self.config.channels) or default_channels(daemon)
        self.problems: list[str] = []
        channels: list[BaseChannel] = []
        for i, cfg in enumerate(self.configs):
            try:
                channels.append(build_channel(cfg, daemon))
            except (SecretError, ValueError, OSError) as exc:
                msg = f"notify.channels[{i}] ({cfg.kind}): {exc}"
                log.error("message channel not used: %s", msg)
                self.problems.append(msg)
        retry = queue.RetryPolicy(self.config.retry_first_s, self.config.retry_max_s, self.config.jitter)
        self.dispatcher = Dispatcher(daemon.store, daemon.clock, channels, retry=retry, batch=self.config.batch)
        self.keep_phone = any(c.kind in PHONE_KINDS or (c.kind == "webhook" and getattr(c, "send_phone", False))
                              for c in self.configs)

    async def start(self) -> None:
        keep = "1" if self.keep_phone else "0"
        hours = f"{self.config.expire_hours:g}"

        def setup(tx: Tx) -> None:
            tx.meta_set(KEEP_PHONE_KEY, keep)
            tx.meta_set("notify.expire_hours", hours)
            if keep == "0":  # no channel sends to phones any more: full numbers are not kept
                n = tx.execute("UPDATE units SET phone = NULL WHERE phone IS NOT NULL").rowcount
                if n:
                    tx.audit("system", "directory.phones_dropped", "", "no channel sends to phone numbers", units=n)

        await self.daemon.store.write(setup)
        notifier = self.daemon.notifier
        notifier.on_enqueued = self.dispatcher.kick
        self.daemon.store.event_listeners.append(lambda _events: self.dispatcher.kick())
        await self.dispatcher.start()
        if not self.daemon.simulated:
            missing = await self.daemon.store.read(lambda tx: firstrun.missing(tx, self.real_channels()))
            for item in missing:
                log.warning("site setup: %s", firstrun.text(item, "en"))

    async def stop(self) -> None:
        self.daemon.notifier.on_enqueued = None
        await self.dispatcher.stop()

    def real_channels(self) -> list[str]:
        """Channels that can reach a resident now (hq only counts when cloud sync is on)."""
        cloud = bool(self.daemon.config.cloud.enabled)
        return [ch.name for ch in self.dispatcher.started if ch.kind not in ("sim",) and (ch.kind != "hq" or cloud)]

    def status(self) -> dict[str, Any]:
        return {"channels": self.dispatcher.status(), "problems": self.problems}


def create(daemon: Any) -> NotifyComponent:
    return NotifyComponent(daemon)
