"""Issue 18, leftover of docs/trial-2026-12-02c.md: the kiosk said "you can also scan the QR code" on every site,
while without `site.public_url` an SMS carries no link to a QR. The kiosk now speaks of a QR code only when a
resident's "stored" message can carry one (`pickup_qr_sent`, told to the kiosk by `/api/v1/kiosk/info`); the
messages themselves add a link or a QR hint only when they have one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from edge.notify.channels.base import Outgoing
from edge.notify.component import pickup_qr_sent
from edge.notify.dispatcher import with_pickup_qr
from tests.conftest import sim_config

URL = "https://lockers.example.cn"
TWILIO = {"kind": "sms-twilio", "account_sid": "AC" + "0" * 32, "auth_token_file": "/run/t", "from_number": "+8613800000000"}
GSM = {"kind": "gsm-modem", "port": "/dev/ttyUSB2"}
ALIYUN = {"kind": "sms-aliyun", "access_key_id": "a", "access_key_secret_file": "/run/a", "sign_name": "s",
          "templates": {"stored": "SMS_1"}}
TENCENT = {"kind": "sms-tencent", "secret_id": "a", "secret_key_file": "/run/k", "sdk_app_id": "1", "sign_name": "s",
           "templates": {"stored": "1"}}
SMTP = {"kind": "smtp", "host": "mail.example.cn", "from_addr": "desk@example.cn"}
WEBHOOK = {"kind": "webhook", "url": "https://hook.example.cn/x"}


def _cfg(channels: list[dict[str, Any]], public_url: str = "") -> Any:
    return sim_config(Path("/tmp/qr-promise"), notify={"channels": channels}, site__public_url=public_url)


@pytest.mark.parametrize(("channels", "public_url", "sent"), [
    ([], "", False),  # the simulator's gateway (and hq): no QR from here
    ([], URL, False),
    ([{"kind": "hq"}], URL, False),
    ([TWILIO], "", False), ([TWILIO], URL, True),
    ([GSM], "", False), ([GSM], URL, True),
    ([ALIYUN], "", False), ([ALIYUN], URL, True),
    ([{**ALIYUN, "templates": {"collected": "SMS_2"}}], URL, False),  # no "stored" template: never sends it
    # a "stored" names list without the link: TemplateParam carries only those names (fix25)
    ([{**ALIYUN, "template_params_by_kind": {"stored": ["code", "count"]}}], URL, False),
    ([{**ALIYUN, "template_params_by_kind": {"stored": ["code", "qr"]}}], URL, True),
    ([TENCENT], URL, False),  # its values (code, tracking, deadline) do not name the link
    ([{**TENCENT, "template_params_by_kind": {"stored": ["code", "qr"]}}], URL, True),
    ([SMTP], "", True), ([WEBHOOK], "", True),  # the QR itself: an inline image, a payload and its PNG
    ([{**SMTP, "kinds": ["reminder"]}, GSM], "", False),  # the e-mail channel never carries "stored"
    ([{"kind": "hq"}, {**SMTP, "kinds": ["stored"]}], "", True),
])
def test_a_qr_is_promised_only_where_a_stored_message_can_carry_one(channels: list[dict[str, Any]],
                                                                     public_url: str, sent: bool) -> None:
    assert pickup_qr_sent(_cfg(channels, public_url), simulated=True) is sent


def test_an_sms_without_a_public_address_says_nothing_of_a_qr() -> None:
    msg = Outgoing(id="m1", kind="stored", lang="zh-CN", text="【阳光花园】您的包裹已存入智能柜 A-03 格口，取件码 1234567890。",
                   unit="1-101", tracking_number="SF1234567890123", pickup_code="1234567890")
    bare = with_pickup_qr(msg, "sunny")
    assert bare.text_with_link() == msg.text and "二维码" not in bare.text_with_link() and "扫码" not in bare.text_with_link()
    en = with_pickup_qr(Outgoing(**{**msg.__dict__, "lang": "en", "text": "Your parcel is in locker A-03."}), "sunny")
    assert "QR" not in en.text_with_link()
    linked = with_pickup_qr(msg, "sunny", URL)
    assert linked.text_with_link().endswith(f"点开链接显示取件二维码，对准柜机扫码口即可开门：{URL}/p/LKP1:sunny:1234567890")


async def test_the_kiosk_is_told_whether_messages_carry_a_qr(tmp_path: Path) -> None:
    import httpx

    from edge.web.app import create_app
    from tests.conftest import start_site

    for channels, public_url, want in (([GSM], "", False), ([GSM], URL, True)):
        site = await start_site(tmp_path / f"site{int(want)}", notify={"channels": channels}, site__public_url=public_url)
        try:
            transport = httpx.ASGITransport(app=create_app(site.daemon), client=("127.0.0.1", 5000))
            async with httpx.AsyncClient(transport=transport, base_url="http://kiosk.test") as client:
                info = (await client.get("/api/v1/kiosk/info")).json()
            assert info["pickup_qr"] is want
        finally:
            await site.daemon.stop()
