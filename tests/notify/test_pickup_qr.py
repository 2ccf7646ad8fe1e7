"""The pickup QR in residents' messages (docs/decisions/0019-pickup-qr.md): webhook and e-mail carry the
QR, SMS a link only when the site has a public address; the payload names the site."""

from __future__ import annotations

import base64
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

from edge.notify import pickup_qr
from edge.notify.channels.base import Outgoing
from edge.notify.channels.smtp import Smtp
from edge.notify.config import SmtpChannel
from edge.notify.dispatcher import with_pickup_qr
from tests.conftest import start_site
from tests.notify.conftest import wait_for
from tests.notify.receiver import Receiver

PNG = b"\x89PNG\r\n\x1a\n"
MSG = Outgoing(id="0190d3c4-0000-7000-8000-000000000001", kind="stored", lang="zh-CN",
               text="【阳光花园】您的包裹已存入智能柜 A-07 格口，取件码 1234567890。", unit="5-801",
               tracking_number="SF1234567890123", pickup_code="1234567890", email="r@example.test")


def test_payload_names_the_site_and_reads_back() -> None:
    data = pickup_qr.payload("sunny-garden.1", "1234567890")
    assert data == "LKP1:sunny-garden.1:1234567890"
    assert pickup_qr.read(data, "sunny-garden.1").code == "1234567890"
    assert pickup_qr.read(data, "other").error == "qr_other_site"
    for garbled in ("LKP1:", "LKP1:sunny-garden.1", "LKP1:sunny garden:1234567890", "LKP1:s:12;4", "LKP1::1234"):
        assert pickup_qr.read(garbled, "sunny-garden.1").error == "qr_unreadable", garbled
    assert pickup_qr.looks_like_payload("lkp1:x:1") and not pickup_qr.looks_like_payload("1234567890")
    assert pickup_qr.png(data).startswith(PNG) and "<svg" in pickup_qr.svg(data)


def test_only_code_messages_get_a_qr_and_the_link_needs_a_public_address() -> None:
    m = with_pickup_qr(MSG, "sunny")
    assert m.pickup_qr == "LKP1:sunny:1234567890" and m.pickup_link is None
    assert m.text_with_link() == MSG.text  # SMS: no link without a public address
    m = with_pickup_qr(MSG, "sunny", "https://lockers.example.cn/")
    assert m.pickup_link == "https://lockers.example.cn/p/LKP1:sunny:1234567890"
    # what to do with the link, in words (trial 2026-12-05 item 15: "扫码取件：" had nothing to scan in an SMS)
    assert m.text_with_link() == MSG.text + ("点开链接显示取件二维码，对准柜机扫码口即可开门："
                                             "https://lockers.example.cn/p/LKP1:sunny:1234567890")
    en = with_pickup_qr(Outgoing(**{**MSG.__dict__, "lang": "en", "text": "Your parcel is in A-07."}), "s", "https://x.cn")
    assert en.text_with_link() == "Your parcel is in A-07. Tap for your pickup QR code: https://x.cn/p/LKP1:s:1234567890"
    collected = Outgoing(**{**MSG.__dict__, "kind": "collected"})
    assert with_pickup_qr(collected, "sunny", "https://x.cn").pickup_qr is None


def test_email_shows_the_qr_image_inline_with_a_plain_hint() -> None:
    ch = Smtp(SmtpChannel(kind="smtp", host="127.0.0.1", port=25, starttls=False, from_addr="lockers@site.test"))
    em = ch.build(with_pickup_qr(MSG, "sunny"))
    back = message_from_bytes(em.as_bytes(), policy=default)
    assert isinstance(back, EmailMessage)
    plain = back.get_body(("plain",))
    html = back.get_body(("html",))
    assert plain is not None and html is not None
    # the plain text carries no image: it says what it carries (the code) and where the QR is, not "below"
    # (fix27: "下面的二维码" in a plain text without a link); the HTML part shows the image below its hint
    assert "下面的二维码" not in plain.get_content() and "1234567890" in plain.get_content()
    assert "在柜机上输入取件码即可开门" in plain.get_content() and "图文版" in plain.get_content()
    assert "到柜机前把下面的二维码对准扫码口" in html.get_content()
    images = [p for p in back.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 1 and images[0].get_payload(decode=True).startswith(PNG)
    cid = images[0]["Content-ID"].strip("<>")
    assert f'src="cid:{cid}"' in html.get_content() and 'alt="取件二维码"' in html.get_content()
    assert "LKP1" not in plain.get_content()  # no raw payload in front of the resident
    # without a code (a collected message) the mail stays plain text
    assert ch.build(Outgoing(**{**MSG.__dict__, "kind": "collected", "pickup_code": None})).get_content_type() == "text/plain"


def test_a_plain_email_without_a_link_names_no_image_below_in_either_language() -> None:
    ch = Smtp(SmtpChannel(kind="smtp", host="127.0.0.1", port=25, starttls=False, from_addr="lockers@site.test"))
    for lang in ("zh-CN", "en"):
        em = ch.build(with_pickup_qr(Outgoing(**{**MSG.__dict__, "lang": lang}), "sunny"))
        back = message_from_bytes(em.as_bytes(), policy=default)
        assert isinstance(back, EmailMessage)
        plain = back.get_body(("plain",))
        assert plain is not None
        text = plain.get_content()
        assert "下面的二维码" not in text and "QR code below" not in text, text
    assert "Type the pickup code at the locker" in text, text


def test_an_english_stored_sms_with_its_link_takes_one_part_fewer() -> None:
    """English messages go as UCS-2 ("[" is outside the plain GSM set the modem driver uses): the link sentence
    of 99 characters made a typical stored message 5 parts; it is now 4."""
    from drivers.protocols.sms import split

    text = ("[Sunny Gardens] Your parcel (SF Express SF1234567890123) is in locker A-07. Pickup code 1234567890."
            " Please collect it by 09 Dec 2026 20:00; after that it moves to the parcel room.")
    en = with_pickup_qr(Outgoing(**{**MSG.__dict__, "lang": "en", "text": text}), "sunny-garden",
                        "https://lockers.example.cn")
    sms = en.text_with_link()
    assert sms.endswith("https://lockers.example.cn/p/LKP1:sunny-garden:1234567890"), sms
    assert len(split(sms, 1)) == 4, (len(sms), sms)


def test_an_email_with_a_link_says_what_to_do_with_it() -> None:
    """The plain text said "Hold the QR code below up to the locker's scanner" above a bare link (there is no
    image in a plain-text mail): it now says to open the link, zh and en; the HTML part offers the link too."""
    ch = Smtp(SmtpChannel(kind="smtp", host="127.0.0.1", port=25, starttls=False, from_addr="lockers@site.test"))
    link = "https://lockers.example.cn/p/LKP1:sunny:1234567890"
    for lang, words in (("zh-CN", "点开链接显示取件二维码，对准柜机扫码口即可开门："),
                        ("en", "Tap for your pickup QR code: ")):
        em = ch.build(with_pickup_qr(Outgoing(**{**MSG.__dict__, "lang": lang}), "sunny", "https://lockers.example.cn"))
        back = message_from_bytes(em.as_bytes(), policy=default)
        assert isinstance(back, EmailMessage)
        plain, html = back.get_body(("plain",)), back.get_body(("html",))
        assert plain is not None and html is not None
        text = plain.get_content()
        assert words + link in text, text
        assert "下面的二维码" not in text and "QR code below" not in text, text
        assert f'href="{link}"' in html.get_content() and "cid:" in html.get_content()


async def test_webhook_carries_the_qr_and_the_link(tmp_path: Path, receiver: Receiver) -> None:
    site = await start_site(tmp_path / "site", notify={"channels": [{"kind": "webhook", "url": receiver.url + "/hook"}]},
                            site__public_url="https://lockers.example.cn")
    try:
        dep = await site.deposit("SF1234567890123", unit="1-101", tail="1234")
        await wait_for(lambda: len(receiver.bodies()) >= 1, what="stored message")
        body = receiver.bodies()[0]
        code = await site.code_of(dep["parcel_id"])
        want = f"LKP1:{site.daemon.config.site.id}:{code}"
        assert body["pickup_qr"] == want
        assert base64.b64decode(body["pickup_qr_png"]).startswith(PNG)
        # the link's page says the door and until when (fix40): ?d=<door>&u=<deadline, site time, YYMMDDHHMM>
        assert body["pickup_link"].startswith(f"https://lockers.example.cn/p/{want}?d={dep['compartment']}&u="), body
        assert len(body["pickup_link"].rpartition("&u=")[2]) == 10
        assert "LKP1" not in body["text"]
    finally:
        await site.daemon.stop()
