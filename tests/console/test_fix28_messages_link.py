"""The console's Messages page showed a stored SMS text without the pickup link the SMS carried (trial of
2026-12-07, item 13): the link is added at sending (edge/notify/dispatcher.py, with_pickup_qr), so staff read
another text than the resident got. The page shows the text as sent, the code masked in the link too."""

from __future__ import annotations

import html

from edge.notify import queue as Q
from tests.console.conftest import HTML

CODE = "4821305242"


async def test_a_stored_message_shows_the_link_the_resident_got_with_its_code_masked(console) -> None:
    dispatcher = console.daemon.notify.dispatcher
    dispatcher.public_url = "https://lockers.example.cn"
    site_id = dispatcher.site_id
    parcel = {"unit": "3-201", "phone_tail": "0201", "tracking_number": "YT7712345678901"}

    def seed(tx):
        Q.enqueue(tx, kind="stored", lang="zh-CN", code=CODE, parcel=parcel,
                  text=f"您的包裹（圆通速递）已存入智能柜 A-01 格口，取件码 {CODE}")
        Q.enqueue(tx, kind="stored", lang="en", code="7700112233", parcel={**parcel, "unit": "3-202"},
                  text="Your parcel is in locker A-02, pickup code 7700112233")

    await console.daemon.store.write(seed)
    client, _ = await console.as_user("admin")
    page = html.unescape((await client.get("/messages", headers=HTML)).text)
    # before: the text ended at the code; the resident's SMS went on with the link
    assert (f"取件码 ********42点开链接显示取件二维码，对准柜机扫码口即可开门：https://lockers.example.cn/p/LKP1:{site_id}:"
            "********42") in page, page
    assert f"pickup code ********33 Tap for your pickup QR code: https://lockers.example.cn/p/LKP1:{site_id}:********33" in page
    assert CODE not in page and "7700112233" not in page


async def test_without_a_public_address_the_text_is_as_stored(console) -> None:
    console.daemon.notify.dispatcher.public_url = ""
    await console.daemon.store.write(lambda tx: Q.enqueue(
        tx, kind="stored", lang="zh-CN", code=CODE, parcel={"unit": "3-201"}, text=f"取件码 {CODE}"))
    client, _ = await console.as_user("admin")
    page = html.unescape((await client.get("/messages", headers=HTML)).text)
    assert "取件码 ********42" in page and "/p/" not in page
