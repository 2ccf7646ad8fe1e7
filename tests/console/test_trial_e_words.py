"""Defects found in docs/trial-2026-12-03b.md (a site from an empty database, as its people meet it), each
with the test that failed before its fix."""

from __future__ import annotations

import re

from edge.web.console import queries
from tests.console.conftest import HTML, Console


async def test_opening_an_occupied_compartment_names_its_parcel_and_the_open_that_hands_it_over(console: Console) -> None:
    """The desk opened A-04 from the compartment list for a resident ("住户在柜前，手机没电"): the door opened, but
    the parcel stayed "在存" in A-04, as nothing on the confirm page said it would. Only the parcel's own open
    completes it (collected, with who and why), so the compartment's confirm page names the parcel inside and
    links to that open."""
    dep = await console.site.deposit("SF2030000000001")
    pid, c = str(dep["parcel_id"]), str(dep["compartment"])
    client, _ = await console.as_user("staff")
    page = (await client.get(f"/compartments/{c}/open?lang=zh", headers=HTML)).text
    box = re.search(r'<div class="inside" data-testid="parcel-inside">(.*?)</div>', page, re.S)
    assert box, page
    assert f"{c} 号格口里有 1-101 的包裹 SF2030000000001" in box.group(1)
    assert "在这里开门，包裹仍记为在柜" in box.group(1)
    assert f'href="/parcels/{pid}/open"' in box.group(1)
    assert "为 1-101 的住户开门取件（SF2030000000001）" in box.group(1)
    en = (await client.get(f"/compartments/{c}/open?lang=en", headers=HTML)).text
    assert "Opened from here it still counts as in the locker" in en
    assert "Open for the resident of 1-101 (SF2030000000001)" in en
    # the parcel's own confirm page is the one that completes it
    target = (await client.get(f"/parcels/{pid}/open?lang=zh", headers=HTML)).text
    assert "包裹记为已取件" in target
    # an empty compartment: no such box
    cells = (await console.daemon.store.read(queries.grid))["cells"]
    empty = next(cell["id"] for cell in cells if not cell["parcels"] and cell["state"] == "free")
    assert 'data-testid="parcel-inside"' not in (await client.get(f"/compartments/{empty}/open", headers=HTML)).text


async def test_a_carrier_report_with_nothing_in_it_says_so(console: Console) -> None:
    """On the first day the carrier report drew an empty chart (a legend and no bars) above "未找到" ("not found"),
    and "-" under the tracking sources: it now says that no parcel was stored in the period."""
    client, _ = await console.as_user("staff")
    for lang, words in (("zh", "最近 30 天没有存入的包裹。"), ("en", "No parcel was stored in the last 30 days.")):
        page = (await client.get(f"/reports/carriers?days=30&lang={lang}", headers=HTML)).text
        main = page.split("<main", 1)[1]
        assert words in main, main[:2000]
        assert "chartbox" not in main and "未找到" not in main and ">not found<" not in main
    await console.site.deposit("SF2030000000002")
    page = (await client.get("/reports/carriers?days=30&lang=zh", headers=HTML)).text
    assert "chartbox" in page and "顺丰速运" in page and "没有存入的包裹" not in page
