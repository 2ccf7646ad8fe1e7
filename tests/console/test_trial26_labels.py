"""A tracking text pushed with no carrier (a kuaidi100 push without `com`) stood in the labelling queue under the
carrier "全部" / "all" beside its 圆通 parcel (trial of 2026-12-07): it read as every carrier's text. It says the
carrier was not given and that the label will cover every carrier; a label given for every carrier keeps "全部"."""

from __future__ import annotations

from tests.console.conftest import HTML, Console


async def test_a_queued_text_without_a_carrier_says_none_was_given(console: Console) -> None:
    svc = console.daemon.tracking.service
    await svc.ingest("YT0000000000001", None, [{"time": "2026-12-07T02:00:00Z", "text": "操作节点 QX-07 已处理"}])
    client, _ = await console.as_user("admin")
    zh = (await client.get("/tracking/labels?lang=zh", headers=HTML)).text
    row = next(r for r in zh[zh.index("<tbody>"):zh.index("</tbody>")].split("<tr>") if "QX-07" in r)
    assert "未注明（标注后用于所有快递公司）" in row and "全部" not in row, row
    en = (await client.get("/tracking/labels?lang=en", headers=HTML)).text
    assert "not given (the label applies to every carrier)" in en
