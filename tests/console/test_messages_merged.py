"""The console's message list says in words where a folded message went (ADR 0043), never the raw state."""

from __future__ import annotations

from edge.notify import queue as Q
from tests.console.conftest import HTML


async def test_a_merged_message_reads_merged_into_the_message_of_its_time(console) -> None:
    def seed(tx):
        parcel = {"unit": "3-1202", "phone_tail": "1202", "tracking_number": "JD0099887766501"}
        kept = Q.enqueue(tx, kind="moved", lang="zh-CN", text="您的2件包裹已移至包裹室", parcel=parcel)
        gone = Q.enqueue(tx, kind="moved", lang="zh-CN", text="您的包裹（JD0099887766502）已移至包裹室", parcel=parcel)
        tx.execute("UPDATE messages SET state = 'merged', merged_into = ? WHERE id = ?", (kept, gone))

    await console.daemon.store.write(seed)
    client, _ = await console.as_user("admin")
    page = (await client.get("/messages", headers=HTML)).text
    assert "已合并" in page and "已并入 " in page and " 的消息，一并告知" in page, page
    assert ">merged<" not in page and "merged into" not in page
    merged = (await client.get("/messages?state=merged", headers=HTML)).text
    assert "JD0099887766502" in merged and "您的2件包裹已移至包裹室" not in merged
    client.cookies.set("lockerd_lang", "en")
    page = (await client.get("/messages", headers=HTML)).text
    assert "merged into the message of " in page
