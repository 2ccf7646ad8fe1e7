"""An expected parcel for a unit the directory does not have is refused when it is registered (console form
and CSV), not later at the kiosk door, where the courier was told "unit not in this site's directory"."""

from __future__ import annotations

from contextlib import aclosing

import pytest

from edge.errors import DomainError
from edge.services.unit_rows import UnitIn


@pytest.mark.asyncio
async def test_expected_parcels_need_a_unit_of_the_directory(console) -> None:  # type: ignore[no-untyped-def]
    svc = console.daemon.services
    # no directory yet: any unit is taken (a site that has not imported its residents)
    await svc.parcels.expect(tracking_number="SF1230000001", unit="9-999", actor="staff:t")
    await svc.directory.unit_upsert(UnitIn(unit="5-801", phone_tail="8801"), "staff:t", source="test")
    with pytest.raises(DomainError) as err:
        await svc.parcels.expect(tracking_number="SF1230000002", unit="5-8O1", actor="staff:t")
    assert err.value.code == "unit_unknown"
    assert (await svc.parcels.expect(tracking_number="SF1230000003", unit="5-801", actor="staff:t"))["unit"] == "5-801"
    client, _csrf = await console.as_user("staff")
    async with aclosing(client):
        csv = "运单号,房号\nYT1230000004,5-801\nYT1230000005,9-999\n".encode("gb18030")
        page = (await client.get("/expected?lang=zh")).text
        csrf = page.split('name="_csrf" value="', 1)[1].split('"', 1)[0]
        resp = await client.post("/expected/import", data={"_csrf": csrf}, files={"file": ("a.csv", csv, "text/csv")})
        follow = (await client.get(resp.headers["location"])).text
    assert "没有这个房号" in follow and "成功 1" in follow, follow[:3000]


def test_the_expected_registers_columns_have_distinct_chinese_names() -> None:
    """The date staff entered and the carrier's estimate were both 预计到达 side by side."""
    from edge.web.console.i18n import ZH

    cols = ["Tracking number", "Carrier", "Unit", "Category", "Expected by", "Cross-border", "Tracking", "ETA",
            "Anomaly", "Source", "Time"]  # edge/web/templates/console/expected.html
    names = [ZH[c] for c in cols]
    assert len(set(names)) == len(names), names
