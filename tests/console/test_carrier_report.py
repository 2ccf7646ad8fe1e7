"""The carrier report counts the parcels a carrier delivered here (issue 18, leftover of docs/trial-2026-12-02c.md:
"a cancelled deposit counts as one of the carrier's parcels"). A deposit the courier cancelled (the door closed
with the parcel taken back), one whose doors jammed, and a pre-registered parcel sent back before it arrived
are none of the carrier's deliveries; what is counted sums: parcels = collected + in storage + returned."""

from __future__ import annotations

import re

from edge.web.console import queries
from tests.console.conftest import HTML, Console, until


async def _report(console: Console) -> dict[str, dict]:
    rows = await console.daemon.store.read(lambda tx: queries.carrier_storage_report(tx, 30))
    return {r["carrier"]: r for r in rows}


async def test_a_cancelled_or_jammed_deposit_is_not_a_delivered_parcel(console: Console) -> None:
    site = console.site
    await site.deposit("SF1000000000011")
    taken = await site.deposit("SF1000000000012")
    code = await site.code_of(taken["parcel_id"])
    await site.svc.pickups.submit(code)
    await site.settle()
    await site.close(taken["compartment"])
    # the courier takes one back: the door opens again and closes empty
    dep = await site.svc.deposits.start(site.courier, tracking_number="SF1000000000013", unit="1-101", phone_tail="1234")
    await site.settle()
    await site.svc.deposits.cancel(dep["deposit_id"], site.courier)
    await site.settle()
    await site.close(dep["compartment"])
    assert (await site.svc.deposits.status(dep["deposit_id"]))["state"] == "cancelled"
    # every door of a deposit jams: it fails and its parcel is not stored
    for bank in site.daemon.banks:
        for c in bank.compartments:
            bank.sim_jam(c)
    jam = await site.svc.deposits.start(site.courier, tracking_number="SF1000000000014", unit="1-101", phone_tail="1234")

    async def failed() -> bool:
        return bool((await site.svc.deposits.status(jam["deposit_id"]))["state"] == "failed")

    await until(site, failed, "the deposit of jammed doors never failed", tries=200)

    sf = (await _report(console))["SF"]
    assert sf["parcels"] == 2, sf  # SF...11 (in storage) and SF...12 (collected)
    assert (sf["collected"], sf["in_storage"], sf["returned"]) == (1, 1, 0)
    assert sf["parcels"] == sf["collected"] + sf["in_storage"] + sf["returned"]

    client, _ = await console.as_user("staff")
    page = (await client.get("/reports/carriers?days=30&lang=zh", headers=HTML)).text
    head = re.findall(r"<th[^>]*>([^<]+)</th>", page)
    assert "仍在存放" in head and "退回或处置" in head, head
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", page, re.S) if "顺丰速运" in r)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
    assert cells[1:5] == ["2", "1", "1", "0"], cells  # parcels, collected, in storage, overdue


async def test_a_pre_registered_parcel_sent_back_before_it_arrived_is_not_delivered(console: Console) -> None:
    site = console.site
    exp = await site.svc.parcels.expect(tracking_number="SF2000000000021", unit="1-101", phone_tail="1234",
                                        actor="staff:t")
    pid = exp["id"]
    await site.svc.parcels.mark_returned(pid, actor="staff:t", reason="sender recalled it")
    await site.deposit("SF2000000000022")
    sf = (await _report(console))["SF"]
    assert (sf["parcels"], sf["in_storage"], sf["returned"]) == (1, 1, 0), sf
