"""`smtp`: the message by e-mail to the unit's address (the directory's `email`), with the standard
library's smtplib run off the event loop (STARTTLS or SSL as configured). The Message-ID carries the
message's stable id, so a repeat after a crash can be recognised."""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid
from html import escape
from typing import cast

from edge import hant
from edge.notify.channels.base import BaseChannel, ChannelError, NotForThisChannel, Outgoing, read_secret
from edge.notify.config import SmtpChannel

SUBJECTS = {
    "zh-CN": {"stored": "您的包裹已到", "collected": "您的包裹已取出", "anomaly": "您的包裹物流异常"},
    "en": {"stored": "Your parcel has arrived", "collected": "Your parcel was collected",
           "anomaly": "A problem with your parcel"},
}


class Smtp(BaseChannel):
    kind = "smtp"

    def __init__(self, cfg: SmtpChannel) -> None:
        super().__init__(cfg.name, cfg.kinds)
        self.cfg = cfg
        self._password = read_secret(cfg.password_file, "smtp password_file") if cfg.password_file else ""

    def build(self, msg: Outgoing) -> EmailMessage:
        if not msg.email:
            raise NotForThisChannel("no e-mail address in the directory for this unit")
        lang = hant.base(msg.lang) if hant.base(msg.lang) in SUBJECTS else "en"
        em = EmailMessage()
        em["From"] = self.cfg.from_addr
        em["To"] = msg.email
        em["Subject"] = hant.out(SUBJECTS[lang].get(msg.kind, "包裹通知" if lang == "zh-CN" else "About your parcel"), msg.lang)
        em["Message-ID"] = make_msgid(idstring=msg.id, domain="lockerd")
        if not msg.pickup_qr:
            em.set_content(msg.text)
            return em
        from edge.notify import pickup_qr

        hint = msg.qr_hint()
        # the plain text shows no image ("the QR code below" is in the HTML part): with a link it says to open it,
        # without one it says the code works and where the QR is
        em.set_content(f"{msg.text}\n\n{msg.link_words() or msg.plain_qr_hint()}")
        cid = make_msgid(idstring="qr", domain="lockerd")
        alt = hant.out("取件二维码", msg.lang) if lang == "zh-CN" else "pickup QR code"
        link = ""
        if msg.pickup_link:
            url = msg.pickup_link
            words = msg.link_words().removesuffix(url)
            link = f'<p>{escape(words)}<a href="{escape(url)}">{escape(url)}</a></p>'
        em.add_alternative(
            f'<html><body><p>{escape(msg.text)}</p><p>{escape(hint)}</p>'
            f'<p><img src="cid:{cid[1:-1]}" alt="{alt}" width="240" height="240"></p>{link}</body></html>',
            subtype="html",
        )
        html_part = cast(EmailMessage, em.get_payload()[1])  # type: ignore[index]
        html_part.add_related(pickup_qr.png(msg.pickup_qr), "image", "png", cid=cid, filename="pickup-qr.png")
        return em

    def _send_sync(self, em: EmailMessage) -> None:
        cfg = self.cfg
        ctx = ssl.create_default_context()
        s: smtplib.SMTP
        if cfg.ssl:
            s = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout_s, context=ctx)
        else:
            s = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_s)
        with s:
            if cfg.starttls and not cfg.ssl:
                s.starttls(context=ctx)
            if cfg.username:
                s.login(cfg.username, self._password)
            s.send_message(em)

    async def send(self, msg: Outgoing) -> str:
        em = self.build(msg)
        try:
            await asyncio.to_thread(self._send_sync, em)
        except smtplib.SMTPRecipientsRefused:
            raise NotForThisChannel("the mail server refused the address") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise ChannelError(f"mail server: {type(exc).__name__}: {exc}"[:200]) from None
        return str(em["Message-ID"])
