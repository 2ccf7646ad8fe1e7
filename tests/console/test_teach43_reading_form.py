"""The "this reading is wrong" form's guard against a mis-click (ADR 0056): the confirm page says what will change
and changes nothing; only its button gives the label; a bad meaning or a link off the console is refused in words;
the new words read in 繁體 through edge.hant."""

from __future__ import annotations

import re

from edge.web.console.page import to_hk
from tests.console.conftest import HTML, Console

HUB = "【杭州萧山】快件已到达 兔兔星球 中转场"


async def test_the_confirm_page_says_what_will_change_and_only_its_button_labels(console: Console) -> None:
    svc = console.daemon.tracking.service
    await svc.ingest("ZT1843000000009", "ZTO", [{"time": "2026-12-07T02:00:00Z", "text": HUB}])
    eid = console.daemon.store.read_sync(lambda tx: tx.scalar("SELECT id FROM tracking_events WHERE text = ?", (HUB,)))
    client, _ = await console.as_user("admin")
    page = await client.get(f"/tracking/reading/{eid}?milestone=delivered&scope=carrier&back=/parcels/x&lang=zh",
                            headers=HTML)
    assert page.status_code == 200
    text = re.sub(r"<[^>]+>", " ", page.text)
    assert "确认后，这种描述对中通快递的每件包裹都读作“本人签收/已取件”。" in text
    assert "不会打开任何柜门" in text and "已收到的 1 条同类描述会立即重读" in text and HUB in text
    assert "ZTO" not in text and "delivered" not in text  # no raw codes in front of staff
    assert await svc.labels() == []  # the page alone changes nothing
    same = await client.get(f"/tracking/reading/{eid}?milestone=arrived_at_hub&back=/parcels/x&lang=zh", headers=HTML)
    assert same.status_code == 303 and same.headers["location"] == "/parcels/x"  # it reads that way already
    hk = str(to_hk(page.text))
    assert "這種描述" in hk and "確認修改" in hk
    en = (await client.get(f"/tracking/reading/{eid}?milestone=delivered&scope=all&lang=en", headers=HTML)).text
    assert "this wording will read as \u201cDelivered to the recipient\u201d for every parcel of every carrier" in en
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    bad = await client.post(f"/tracking/reading/{eid}", data={"_csrf": csrf, "milestone": "teleported",
                                                                "back": "/parcels/x"})
    assert bad.status_code == 303 and await svc.labels() == []
    off = await client.post(f"/tracking/reading/{eid}", data={"_csrf": csrf, "milestone": "delivered",
                                                                "scope": "carrier", "back": "//elsewhere.example/"})
    assert off.headers["location"] == "/tracking/labels"  # never sent off the console
    labels = await svc.labels()
    assert [(r["carrier"], r["milestone"], r["actor"]) for r in labels] == [("ZTO", "delivered", "staff:admin")]
    unknown = await client.get("/tracking/reading/999999?milestone=exception&lang=zh", headers=HTML)
    assert unknown.status_code == 303 and unknown.headers["location"] == "/tracking/labels"
    # the audit says it in words: who taught what, for which carrier
    audit = re.sub(r"<[^>]+>", " ", (await client.get("/audit?lang=zh", headers=HTML)).text)
    assert "员工标注了物流描述" in audit and "节点：已签收" in audit and "快递公司：中通快递" in audit, audit[-3000:]
    assert "ZTO" not in audit and "delivered" not in audit
