"""Trial 2026-12-04b (issue 15/18, docs/trial-2026-12-04b.md): the front desk meets tracking.

- A cross-border parcel's carrier found through a feed's name (Colissimo, 日本郵便, DHL Paket) read as its code
  (COLISSIMO, JAPANPOST) on the anomalies page, the labelling queue and in messages: every carrier code the
  tracking part can give has a Chinese and an English name in the glossary.
- The labelling queue (/tracking/labels) showed the carrier as a code (ZTO), who labelled as ``staff:desk`` and
  when in UTC with a "T" (2026-12-04T19:30 for 03:30 at the site); and no page linked to it.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from edge import glossary
from edge.tracking.carriers import _ALIASES, CARRIERS, carrier_code
from tests.console.conftest import HTML

ODD = "快件信息已同步至第3号系统"  # nothing in the rules reads it (written for this trial)


@pytest.mark.parametrize("code", sorted({c for _, c in _ALIASES} | set(CARRIERS)))
def test_every_carrier_code_tracking_can_give_has_a_name_in_both_languages(code: str) -> None:
    assert glossary.lookup("carrier", code) is not None, code
    zh, en = glossary.carrier_name(code, "zh"), glossary.carrier_name(code, "en")
    assert zh and en and (zh != code or code in ("UPS", "DHL")), (code, zh, en)  # a Latin brand may read as is
    assert "_" not in zh and "_" not in en


def test_a_feeds_name_reads_as_the_carriers_name() -> None:
    assert glossary.carrier_name(carrier_code("Colissimo"), "zh") == "法国邮政 Colissimo"
    assert glossary.carrier_name(carrier_code("日本郵便"), "zh") == "日本邮政"
    assert glossary.carrier_name(carrier_code("DHL Paket"), "en") == "DHL Paket (Germany)"
    assert glossary.carrier_name("SF", "zh") == "顺丰速运"  # CARRIERS still names its own


async def test_the_labelling_queue_speaks_in_names_and_local_time(console: Any) -> None:
    tracking = console.daemon.tracking.service
    await tracking.ingest("73123456789012", "ZTO", [{"time": "2026-03-02T01:00:00Z", "text": ODD}])
    await tracking.ingest("LX123456785FR", "Colissimo", [{"time": "2026-03-02T01:00:00Z",
                                                           "text": "Article remis au réseau partenaire"}])
    client, _ = await console.as_user("staff")
    if True:  # the console fixture closes its clients
        page = (await client.get("/tracking/labels?lang=zh", headers=HTML)).text
        queue = page[page.index("<tbody>"):page.index("</tbody>")]
        assert "中通快递" in queue and "法国邮政 Colissimo" in queue, queue
        shown = re.sub(r"<input[^>]*>", "", queue)  # the form's hidden fields keep the code, as they should
        assert ">ZTO<" not in shown and "COLISSIMO" not in shown
        zto_row = next(r for r in queue.split("<tr>") if ODD in r)
        form = re.search(r'<form method="post" action="/tracking/labels".*?</form>', zto_row, re.S)
        assert form
        fields = dict(re.findall(r'name="(_csrf|template|carrier)" value="([^"]*)"', form.group(0)))
        data = {k: html.unescape(v) for k, v in fields.items()} | {"milestone": "in_transit"}
        assert (await client.post("/tracking/labels", data=data)).status_code == 303
        given = (await client.get("/tracking/labels?lang=zh", headers=HTML)).text
        given = given[given.index("已有的标注"):]
        row = re.search(r"<tr><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td><form", given)  # then the undo (ADR 0056)
        assert row, given
        created = tracking.store.read_sync(lambda tx: tx.scalar("SELECT created_at FROM tracking_labels"))
        local = datetime.fromisoformat(created.replace("Z", "+00:00")).astimezone(
            ZoneInfo(console.daemon.config.site.timezone)).strftime("%Y-%m-%d %H:%M")
        carrier, meaning, who, when = row.groups()
        assert (carrier, meaning, when) == ("中通快递", "运输中", local), row.groups()
        assert "staff:" not in who and "staff" in who, who
        en = (await client.get("/tracking/labels?lang=en", headers=HTML)).text
        assert "ZTO Express" in en and "Colissimo (La Poste)" in en


async def test_the_labelling_queue_is_in_the_navigation(console: Any) -> None:
    client, _ = await console.as_user("staff")
    if True:  # the console fixture closes its clients
        for lang, word in (("zh", "待标注描述"), ("en", "Texts to label")):
            page = (await client.get(f"/anomalies?lang={lang}", headers=HTML)).text
            nav = page[:page.index("</nav>")] if "</nav>" in page else page
            assert re.search(r'<a[^>]+href="/tracking/labels"[^>]*>' + word + "</a>", nav), nav[-2000:]
