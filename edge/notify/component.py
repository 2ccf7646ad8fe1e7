"""The notifications component: builds the channels of `[[notify.channels]]`, runs the dispatcher, and on a
real site's first runs says what is still missing before residents can be told anything."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from edge.clock import Clock
from edge.config import SiteConfig
from edge.notify import firstrun, queue
from edge.notify.channels.base import BaseChannel, SecretError
from edge.notify.channels.hq import HqChannel, SimChannel
from edge.notify.config import (
    AliyunSmsChannel,
    ChannelConfig,
    GsmModemChannel,
    NotifyConfig,
    TencentSmsChannel,
    TwilioSmsChannel,
    WebhookChannel,
    site_country_code,
)
from edge.notify.dispatcher import Dispatcher
from edge.notify.timing import SendTiming, quiet_range
from edge.services.directory import KEEP_PHONE_KEY
from edge.services.notifier import Notifier
from edge.store.db import Store, Tx

log = logging.getLogger(__name__)

#: channel kinds that send to the resident's phone number (the directory keeps full numbers only for them); `hq`
#: hands the number to HQ, which sends the SMS (ADR 0049)
PHONE_KINDS = {"sms-aliyun", "sms-tencent", "sms-twilio", "gsm-modem", "hq"}


def build_channel(cfg: ChannelConfig, cloud_up: Callable[[], bool]) -> BaseChannel:
    """One channel; `cloud_up` tells the hq channel whether cloud sync is running."""
    kind = cfg.kind
    if kind == "hq":
        return HqChannel(cfg.name, cfg.kinds, cloud_up)
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


def default_channels(site: SiteConfig, simulated: bool) -> list[ChannelConfig]:
    from pydantic import TypeAdapter

    adapter: TypeAdapter[ChannelConfig] = TypeAdapter(ChannelConfig)
    if not simulated:
        return [adapter.validate_python({"kind": "hq"})]
    out = [adapter.validate_python({"kind": "hq"})] if site.cloud.enabled else []
    return [*out, adapter.validate_python({"kind": "sim"})]


#: channel kinds whose message carries the pickup QR itself (an e-mail's inline image; a webhook's payload and PNG)
QR_ITSELF = ("smtp", "webhook")
#: text-only kinds that can carry only the link to the QR's page, and only with `site.public_url`
QR_BY_LINK = ("gsm-modem", "sms-twilio", "sms-aliyun", "sms-tencent")


def pickup_qr_sent(site: SiteConfig, simulated: bool) -> bool:
    """Can a resident's "stored" message carry the pickup QR (its image, or a link to it)?

    The kiosk says "you can also scan the QR code in your message" only then (issue 18: it said so on every
    site, while without `site.public_url` an SMS carries no link). A channel counts when it takes "stored"
    messages and: e-mail or webhook (the QR itself); a GSM modem or Twilio with a public address (the link
    is added to the text); Aliyun or Tencent with a public address and a "stored" template (Tencent: its
    values name `qr` or `link`; Aliyun's are by name: its approved text decides, unless its "stored" list of
    names leaves both out). `hq` and the
    simulator's gateway carry no QR from here."""
    public = bool(site.site.public_url)
    for ch in list(site.notify.channels) or default_channels(site, simulated):
        if ch.kinds and "stored" not in ch.kinds:
            continue
        if ch.kind in QR_ITSELF:
            return True
        if ch.kind not in QR_BY_LINK or not public:
            continue
        templates = getattr(ch, "templates", None)
        if templates is not None and "stored" not in templates:
            continue
        if isinstance(ch, TencentSmsChannel):
            names = ch.template_params_by_kind.get("stored") or ch.template_params
            if not {"qr", "link"} & set(names):
                continue
        elif isinstance(ch, AliyunSmsChannel) and ch.template_params_by_kind.get("stored") is not None:
            if not {"qr", "link"} & set(ch.template_params_by_kind["stored"]):
                continue
        return True
    return False


class NotifyComponent:
    name = "notify"

    def __init__(self, site: SiteConfig, store: Store, clock: Clock, notifier: Notifier, *, simulated: bool,
                 cloud_up: Callable[[], bool]) -> None:
        self.site = site
        self.store = store
        self.notifier = notifier
        self.simulated = simulated
        self.config: NotifyConfig = site.notify
        self.configs = list(self.config.channels) or default_channels(site, simulated)
        self.problems: list[str] = []
        channels: list[BaseChannel] = []
        for i, cfg in enumerate(self.configs):
            if isinstance(cfg, GsmModemChannel | TwilioSmsChannel) and not cfg.country_code:
                # numbers stored without + are the site's country's (trial39: "9234 5678" went to +86 in Hong Kong,
                # and Twilio refused it); the modem's old default stays 86 where the calendar names no known country
                code = site_country_code(site.site.holiday_calendar) or ("86" if isinstance(cfg, GsmModemChannel) else "")
                cfg = cfg.model_copy(update={"country_code": code})
            try:
                channels.append(build_channel(cfg, cloud_up))
                if isinstance(channels[-1], HqChannel):  # HQ sends for many sites: the event says this one's
                    channels[-1].country_code = site_country_code(site.site.holiday_calendar) or ""
            except (SecretError, ValueError, OSError) as exc:
                msg = f"notify.channels[{i}] ({cfg.kind}): {exc}"
                log.error("message channel not used: %s", msg)
                self.problems.append(msg)
        # the merge window and quiet hours apply to every message queued from now on (ADR 0043)
        timing = SendTiming(self.config.merge_window_s, quiet_range(self.config.quiet_hours))
        notifier.timing = timing
        retry = queue.RetryPolicy(self.config.retry_first_s, self.config.retry_max_s, self.config.jitter)
        self.dispatcher = Dispatcher(store, clock, channels, retry=retry, batch=self.config.batch,
                                     site_id=site.site.id, public_url=site.site.public_url, tz=site.site.timezone,
                                     later=lambda kind, created, nxt: timing.retry_at(kind, created, nxt, notifier.tz))
        self.keep_phone = any(c.kind in PHONE_KINDS or (isinstance(c, WebhookChannel) and c.send_phone)
                              for c in self.configs)

    async def start(self) -> None:
        keep = "1" if self.keep_phone else "0"
        hours = f"{self.config.expire_hours:g}"

        simulated = self.simulated

        def setup(tx: Tx) -> None:
            tx.meta_set("notify.expire_hours", hours)
            if simulated and tx.meta_get(KEEP_PHONE_KEY) is not None:
                # a simulation on a site's data (a copy, or the live database with the daemon stopped) leaves its
                # directory as the site's own channels keep it: the default sim.toml has no channel that sends to
                # phones, and its start erased every resident's full number (trial of 2026-12-07, item 13)
                return
            tx.meta_set(KEEP_PHONE_KEY, keep)
            if keep == "0":  # no channel sends to phones any more: full numbers are not kept
                n = tx.execute("UPDATE units SET phone = NULL WHERE phone IS NOT NULL").rowcount
                if n:
                    tx.audit("system", "directory.phones_dropped", "", "no channel sends to phone numbers", units=n)

        await self.store.write(setup)
        self.notifier.on_enqueued = self.dispatcher.kick
        self.store.event_listeners.append(lambda _events: self.dispatcher.kick())
        await self.dispatcher.start()
        if not self.simulated:
            calendar = self.site.site.holiday_calendar
            missing = await self.store.read(lambda tx: firstrun.missing(tx, self.real_channels(), calendar))
            for item in missing:
                log.warning("site setup: %s", firstrun.text(item, "en"))

    async def stop(self) -> None:
        self.notifier.on_enqueued = None
        await self.dispatcher.stop()

    def real_channels(self) -> list[str]:
        """Channels that can reach a resident now (hq only counts when cloud sync is on)."""
        cloud = bool(self.site.cloud.enabled)
        return [ch.name for ch in self.dispatcher.started if ch.kind not in ("sim",) and (ch.kind != "hq" or cloud)]

    def status(self) -> dict[str, Any]:
        return {"channels": self.dispatcher.status(), "problems": self.problems}
