"""Two of trial24's "left" items (docs/trial-2026-12-04b.md, item 16): a resolve's reason was in the audit but
not on the parcel's timeline; the labelling queue did not say which parcel a text came from."""

from __future__ import annotations

import re

from tests.console.conftest import HTML, Console


async def _page(console: Console, path: str, lang: str) -> str:
    client, _ = await console.as_user("staff")
    try:
        return (await client.get(f"{path}?lang={lang}", headers=HTML)).text
    finally:
        await client.aclose()


def _items(page: str) -> list[str]:
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", x)) for x in page.split("<li")[1:]]


async def test_the_resolve_reason_is_on_the_parcels_timeline_in_words(console: Console) -> None:
    exp = await console.site.svc.parcels.expect(tracking_number="SF2020202020202", unit="1-101", actor="staff:desk")
    svc = console.daemon.tracking.service
    await svc.ingest("SF2020202020202", "SF", [{"time": "2026-03-02T01:00:00Z", "text": "派送不成功，电话无人接听"}])
    await svc.resolve("SF2020202020202", "delivery_failed", actor="staff:desk", note="住户已到驿站取走")
    zh = next(x for x in _items(await _page(console, f"/parcels/{exp['id']}", "zh")) if "物流异常已解除" in x)
    assert "派送失败" in zh and "原因：住户已到驿站取走" in zh, zh
    en = next(x for x in _items(await _page(console, f"/parcels/{exp['id']}", "en")) if "anomaly cleared" in x)
    assert "Reason: 住户已到驿站取走" in en, en
    dossier = re.sub(r"<[^>]+>", " ", await _page(console, "/dossier/SF2020202020202", "zh"))
    assert "原因：住户已到驿站取走" in dossier and "reason" not in dossier, dossier


async def test_the_labelling_queue_names_the_parcels_a_text_came_from(console: Console) -> None:
    svc = console.daemon.tracking.service
    exp = await console.site.svc.parcels.expect(tracking_number="73123456789012", unit="3-201", phone_tail="1234",
                                                actor="staff:desk")
    await svc.ingest("73123456789012", "ZTO", [{"time": "2026-03-02T01:00:00Z", "text": "快件信息已同步至第3号系统"}])
    await svc.follow("73123456789099", carrier="ZTO")  # followed, no parcel here yet: its dossier instead
    await svc.ingest("73123456789099", "ZTO", [{"time": "2026-03-02T02:00:00Z", "text": "快件信息已同步至第17号系统"}])
    zh = await _page(console, "/tracking/labels", "zh")
    body = zh[zh.index("<tbody>"):zh.index("</tbody>")]
    row = next(r for r in body.split("<tr>") if "快件信息已同步至" in r)
    assert f'<a href="/parcels/{exp["id"]}">73123456789012（3-201）</a>' in row, row
    assert '<a href="/dossier/73123456789099">73123456789099</a>' in row, row
    assert "来自哪件包裹" in zh
    en = await _page(console, "/tracking/labels", "en")
    assert "73123456789012 (3-201)" in en and "From which parcels" in en
