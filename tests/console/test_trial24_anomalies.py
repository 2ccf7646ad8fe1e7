"""Trial 2026-12-04b: on the anomalies page a parcel the carrier called delivered that never reached the site
read 其他 (the glossary had no word for the desk's kinds) with its next step in English: "look where the carrier
text says it went; call the courier; ... (carrier text: signer 本人)". Now in words, in both languages."""

from __future__ import annotations

import re

from tests.console.conftest import HTML, Console
from tests.tracking.seed import seed_board


async def _both(console: Console, path: str) -> tuple[str, str]:
    """The staff page at `path` in Chinese and in English."""
    client, _ = await console.as_user("staff")
    try:
        return ((await client.get(f"{path}?lang=zh", headers=HTML)).text,
                (await client.get(f"{path}?lang=en", headers=HTML)).text)
    finally:
        await client.aclose()


def _rows(page: str) -> list[str]:
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)) for r in body.split("<tr>")[1:]]


async def test_delivered_but_not_here_reads_in_words_on_the_anomalies_page(console: Console) -> None:
    await seed_board(console.daemon)
    zh, en = await _both(console, "/anomalies")
    row = next(r for r in _rows(zh) if "显示已送达但未到本小区" in r)
    assert "按快递记录的地点或签收人查找" in row and "（快递记录：驿站/代收点：阳光小区东门菜鸟驿站）" in row, row
    assert "其他" not in row and "look where" not in row and "carrier text" not in row, row
    row_en = next(r for r in _rows(en) if "delivered, but not here" in r)
    assert "look where the carrier text says it went" in row_en and "station: 阳光小区东门菜鸟驿站" in row_en, row_en
    assert "(carrier text: station 阳光小区东门菜鸟驿站)" not in row_en  # the kind as a word, not a code


async def test_a_parcel_not_here_yet_does_not_say_it_has_left(console: Console) -> None:
    """The parcel page of a pre-registered parcel the carrier called delivered (red: not here) said
    "这件包裹已经离开，无需再操作。" (this parcel has left; nothing more to do)."""
    exp = await console.site.svc.parcels.expect(tracking_number="SF1300000000022", unit="1-101", phone_tail="1234",
                                                actor="staff:desk")
    zh, en = await _both(console, f"/parcels/{exp['id']}")
    assert "已经离开" not in zh and "包裹还没到本站（预登记）" in zh
    assert "has left" not in en and "Not here yet (pre-registered)" in en
    assert 'id="follow-up"' in zh  # the follow-up form it points to is there


async def test_an_unread_carrier_text_on_the_timeline_says_so(console: Console) -> None:
    """A text the classifier could not read showed as 其他 / other on the parcel's timeline."""
    exp = await console.site.svc.parcels.expect(tracking_number="73123456789012", unit="1-101", phone_tail="1234",
                                                actor="staff:desk")
    await console.daemon.tracking.service.ingest("73123456789012", "ZTO", [
        {"time": "2026-03-02T01:00:00Z", "text": "包裹状态待更新"}])
    zh, en = await _both(console, f"/parcels/{exp['id']}")
    line = next(x for x in zh.split("<li") if "包裹状态待更新" in x)
    assert "未识别（待标注）" in line and "其他" not in line, line
    assert "not recognised (to label)" in next(x for x in en.split("<li") if "包裹状态待更新" in x)


async def test_the_dossier_names_people_and_sources_in_words(console: Console) -> None:
    """The complaint dossier showed 操作人 "staff:desk" and "来源: console csv" on the Chinese page."""
    tn = "SF1300000000022"
    await console.site.svc.parcels.expect(tracking_number=tn, unit="1-101", phone_tail="1234", actor="staff:desk",
                                          source="console_csv")
    svc = console.daemon.tracking.service
    await svc.ingest(tn, "SF", [{"time": "2026-03-02T01:00:00Z", "text": "快件已签收，签收人：本人，感谢使用顺丰"}])
    await svc.add_follow_up(tracking_number=tn, channel="phone", said="快递员说放在了东门门卫室", actor="staff:desk")
    zh, en = await _both(console, f"/dossier/{tn}")
    text = re.sub(r"<[^>]+>", " ", zh)
    assert "staff:" not in text and "员工 desk" in text
    assert "console csv" not in text and "来源：控制台导入" in text
    assert "staff:" not in re.sub(r"<[^>]+>", " ", en) and "console import" in en


def test_every_source_a_parcel_is_expected_from_has_a_word() -> None:
    from edge import glossary

    for source in ("staff", "console", "console_csv", "cli_csv", "csv", "mqtt", "demo"):
        assert glossary.lookup("source", source), source


async def test_resolving_an_anomaly_says_what_was_resolved(console: Console) -> None:
    """The flash after 标记解决 said "SF…: 已保存" (saved)."""
    from tests.console.conftest import flash

    svc = console.daemon.tracking.service
    client, csrf = await console.as_user("staff")
    try:
        await client.post("/expected", data={"_csrf": csrf, "tracking_number": "SF2020202020202", "unit": "1-101"})
        await svc.ingest("SF2020202020202", "SF", [{"time": "2026-03-02T01:00:00Z", "text": "派送不成功，电话无人接听"}])
        done = await client.post("/anomalies/resolve?lang=zh", data={
            "_csrf": csrf, "tracking_number": "SF2020202020202", "kind": "delivery_failed", "note": "住户已到驿站取走"})
        said = await flash(client, done, lang="zh")
    finally:
        await client.aclose()
    assert said == "ok: SF2020202020202：已标记解决（派送失败）", said


async def test_the_parcel_timeline_says_which_anomaly(console: Console) -> None:
    """The timeline read "发现物流异常 系统" and "物流异常已解除 员工 desk" without saying which problem."""
    exp = await console.site.svc.parcels.expect(tracking_number="SF2020202020202", unit="1-101", actor="staff:desk")
    svc = console.daemon.tracking.service
    await svc.ingest("SF2020202020202", "SF", [{"time": "2026-03-02T01:00:00Z", "text": "派送不成功，电话无人接听"}])
    await svc.resolve("SF2020202020202", "delivery_failed", actor="staff:desk", note="住户已到驿站取走")
    zh, en = await _both(console, f"/parcels/{exp['id']}")
    lines = [re.sub(r"\\s+", " ", re.sub(r"<[^>]+>", " ", x)) for x in zh.split("<li")[1:]]
    found = next(x for x in lines if "发现物流异常" in x)
    cleared = next(x for x in lines if "物流异常已解除" in x)
    assert "派送失败" in found and "派送失败" in cleared, (found, cleared)
    assert "delivery failed" in en.split("Timeline")[-1]
