"""Trial 2026-12-07b: site B loaded HQ's pack of site A's staff label (`<data dir>/tracking_packs/`, "1 staff label
loaded") and its labels page still showed the text it had received before as "无法判断" with "已有的标注 (0)": nothing
on the console said a label was in force. The queue row now gives the reading in force, with the label's meaning
chosen (saving it re-reads the text received), and the page lists the labels from HQ's pack."""

from __future__ import annotations

import re
from pathlib import Path

from tests.console.conftest import HTML, Console

PACK = ('{"rule": "arrived_at_hub", "milestone": "arrived_at_hub", "pattern": "^包裹已进入【】等待分配$", '
        '"template": "包裹已进入【】等待分配", "carrier": "YTO", "label": "arrived_at_hub", '
        '"source": "staff label by staff:desk at site-a, 2026-12-07T08:37:59Z"}\n')


async def test_a_label_shipped_in_a_pack_shows_on_the_labels_page(console: Console, tmp_path: Path) -> None:
    svc = console.daemon.tracking.service
    await svc.ingest("YT7300000000044", "YTO", [{"time": "2026-12-07T00:30:00Z", "text": "包裹已进入【西湖文三站】等待分配"}])
    packs = tmp_path / "tracking_packs"
    packs.mkdir()
    (packs / "staff-labels.jsonl").write_text(PACK, encoding="utf-8")
    assert await svc.load_labels(packs) == 1  # what the daemon does at start with <data dir>/tracking_packs
    client, _ = await console.as_user("admin")
    zh = (await client.get("/tracking/labels?lang=zh", headers=HTML)).text
    queue = zh[zh.index("<tbody>"):zh.index("</tbody>")]
    row = next(r for r in queue.split("<tr>") if "西湖文三站" in r)
    assert "已有标注：到达网点/中心" in row and "无法判断" not in row, row
    assert re.search(r'<option value="arrived_at_hub" selected>', row), row
    assert "总部规则包中的标注 (1)" in zh and "包裹已进入【】等待分配" in zh
    en = (await client.get("/tracking/labels?lang=en", headers=HTML)).text
    assert "Labelled already: Arrived at a facility" in en and "Labels from HQ&#39;s pack (1)" in en.replace("'", "&#39;")
    # saving the chosen meaning re-reads the text received: the row leaves the queue, the event is read
    await svc.label_text("包裹已进入【】等待分配", "arrived_at_hub", carrier="YTO", actor="staff:desk")
    events = await console.daemon.store.read(lambda tx: tx.all(
        "SELECT milestone, rule FROM tracking_events WHERE tracking_number = 'YT7300000000044'"))
    assert [(e["milestone"], e["rule"]) for e in events] == [("arrived_at_hub", "staff")]
    after = (await client.get("/tracking/labels?lang=zh", headers=HTML)).text
    assert "没有待标注的描述" in after and "总部规则包中的标注" not in after  # now one of this desk's own labels


async def test_a_parcel_hq_pre_registered_names_hq_on_its_timeline(console: Console) -> None:
    """A parcel pre-registered by HQ's signed `parcel.expect` (actor `hq:hq-ops`) read "已预登记 系统" on its timeline."""
    out = await console.daemon.services.parcels.expect(
        tracking_number="YT7300000000088", unit="1-101", carrier="yto", phone_tail=None, category="normal",
        expected_by=None, cross_border=True, actor="hq:hq-ops", source="mqtt")
    client, _ = await console.as_user("admin")
    pid = out.get("parcel_id") or out.get("id")
    zh = (await client.get(f"/parcels/{pid}?lang=zh", headers=HTML)).text
    assert "总部 hq-ops" in zh, zh[zh.find("时间线"):][:1500]
    en = (await client.get(f"/parcels/{pid}?lang=en", headers=HTML)).text
    assert "HQ hq-ops" in en
