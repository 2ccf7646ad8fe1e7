"""Findings of the user trial of 2026-12-03 (docs/trial-2026-12-03.md) on the console, each failing before its fix."""

from __future__ import annotations

import re

from tests.console.conftest import HTML, Console


async def test_a_cancelled_deposit_has_no_stored_time_on_the_parcel_list(console: Console) -> None:
    """The parcel list's "入柜时间" column fell back to the row's creation time: a deposit the courier cancelled
    (never stored) read "入柜时间 14:04", like a parcel in the locker. The CSV export already left it empty."""
    site = console.site
    await site.deposit("SF4000000000041")
    dep = await site.svc.deposits.start(site.courier, tracking_number="SF4000000000042", unit="1-101", phone_tail="1234")
    await site.settle()
    await site.svc.deposits.cancel(dep["deposit_id"], site.courier)
    await site.settle()
    await site.close(dep["compartment"])
    client, _ = await console.as_user("staff")
    page = (await client.get("/parcels?lang=zh", headers=HTML)).text
    rows = {tn: re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            for row in re.findall(r"<tr>(.*?)</tr>", page, re.S)
            for tn in re.findall(r"SF400000000004\d", row)}
    head = re.findall(r"<th[^>]*>([^<]+)</th>", page)
    stored = head.index("入柜时间")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", rows["SF4000000000041"][stored].strip()), rows
    assert rows["SF4000000000042"][stored].strip() == "", rows["SF4000000000042"]
    assert "已取消" in " ".join(rows["SF4000000000042"])
    # the CSV called the time a parcel's record closed "已取件" (Collected) for every state, a cancelled deposit too
    import csv
    import io

    lines = list(csv.reader(io.StringIO((await client.get("/parcels.csv?lang=zh")).text.lstrip("\ufeff"))))
    assert lines[0][-2:] == ["入柜时间", "离开时间"], lines[0]
    cancelled = next(r for r in lines if r[0] == "SF4000000000042")
    assert cancelled[4] == "已取消" and cancelled[-2] == "" and cancelled[-1], cancelled
