"""A door that jams at pickup and again at the retry is one alarm row on the dashboard (with how many),
as it is one ``door_jammed`` task; another door's jam is its own row (issue 18, user trial: 5 rows for 2 jams)."""

from __future__ import annotations

import asyncio

from edge.web.console import queries
from tests.conftest import Site
from tests.console.conftest import until


async def _wait_jams(site: Site, n: int) -> None:
    async def jammed() -> bool:
        return len(await site.events("door.jammed")) >= n

    await until(site, jammed, "the door never jammed", tries=200)  # allow for a loaded machine


async def _jam_twice(site: Site) -> str:
    """A stored parcel whose door jams at pickup and again at the retry; returns the door."""
    dep = await site.deposit("SF1234567890123")
    c = str(dep["compartment"])
    site.bank_of(c).sim_jam(c)
    await site.svc.pickups.submit(await site.code_of(dep["parcel_id"]))
    await _wait_jams(site, 1)
    await site.svc.pickups.retry(dep["parcel_id"])
    await _wait_jams(site, 2)
    return c


async def test_two_jams_at_one_door_are_one_alarm(site: Site) -> None:
    c = await _jam_twice(site)

    rows = await site.daemon.store.read(lambda tx: queries.alarms(tx))
    jams = [r for r in rows if (r["data"] or {}).get("compartment") == c]
    assert len(jams) == 1, rows
    assert jams[0]["type"] == "door.jammed" and jams[0]["jams"] == 2

    other = "B-04"
    site.bank_of(other).sim_jam(other)
    await site.svc.doors.open(other, actor="staff:t", reason="check")
    await _wait_jams(site, 3)
    rows = await site.daemon.store.read(lambda tx: queries.alarms(tx))
    assert sorted((r["data"]["compartment"], r["jams"]) for r in rows if r["type"] == "door.jammed") == [(c, 2), (other, 1)]


async def test_the_dashboard_says_how_many_jams(site: Site) -> None:
    from edge.web.console.routes_dash import _alarm_name

    assert _alarm_name({"type": "door.jammed", "jams": 2}, "zh") == "柜门卡住未打开（2 次）"
    assert _alarm_name({"type": "door.jammed", "jams": 2}, "en") == "door jammed (2 times)"
    assert _alarm_name({"type": "door.jammed", "jams": 1}, "zh") == "柜门卡住未打开"


async def test_the_dashboards_alarm_area_has_one_row_per_jammed_door(console) -> None:
    """The desk alert raised from the jam ("柜门 A-01 卡住了…") is the same news as the event's row."""
    import re

    from tests.console.conftest import HTML

    site = console.site
    c = await _jam_twice(site)
    if site.daemon.alerts is not None:
        for _ in range(100):  # the alerts part reads the events after their commit
            if [a for a in await site.daemon.alerts.service.recent(10) if a["kind"] == "door_jammed"]:
                break
            await asyncio.sleep(0.05)
    client, _ = await console.as_user("admin")
    page = (await client.get("/?lang=zh", headers=HTML)).text
    area = page[page.index('id="alarms"'):]
    area = area[:area.index("</table>")]
    rows = [r for r in re.findall(r"<tr>(.*?)</tr>", area, re.S) if c in r]
    assert len(rows) == 1, rows
    assert "柜门卡住未打开（2 次）" in rows[0]


async def test_the_timeline_of_a_jammed_pickup_never_says_the_door_opened(console) -> None:
    """The code's entry is written when the open is commanded: it says so, and the jam follows it (the trial
    read "住户输入取件码，柜门打开" above "柜门没有打开")."""
    from tests.console.conftest import HTML

    site = console.site
    dep = await site.deposit("SF1234567890124")
    c = dep["compartment"]
    site.bank_of(c).sim_jam(c)
    await site.svc.pickups.submit(await site.code_of(dep["parcel_id"]))
    await _wait_jams(site, 1)
    client, _ = await console.as_user("admin")
    page = (await client.get(f"/parcels/{dep['parcel_id']}?lang=zh", headers=HTML)).text
    timeline = page[page.index('class="timeline"'):]
    assert "已发出开门指令" in timeline and "柜门打开" not in timeline
