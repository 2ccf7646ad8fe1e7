"""A move to the parcel room with a reason (issue 18, helper fix26): the console's form takes a reason, but
RulesService.move_to_parcel_room took none, so "柜满，腾出格口" reached neither the audit row of the move nor the
parcel's timeline, as a resolve's reason does (a08d4ce, e16d75c). Now it reaches both, in words (zh and en), and
the HQ event of the move."""

from __future__ import annotations

import re

from tests.console.conftest import HTML, Console, until


def _items(page: str) -> list[str]:
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", x)) for x in page.split("<li")[1:]]


async def test_a_moves_reason_reaches_the_audit_and_the_timeline(console: Console) -> None:
    dep = await console.site.deposit("SF6666666666691")
    pid, c = dep["parcel_id"], dep["compartment"]
    client, csrf = await console.as_user("staff")
    try:
        await client.post(f"/parcels/{pid}/move",
                          data={"_csrf": csrf, "reason": "柜满，腾出格口", "confirm": c, "shelf_slot": "R3"})
        await console.site.settle()

        async def moved() -> bool:
            return (await console.daemon.services.parcels.get(pid)).get("shelf_slot") == "R3"

        await until(console.site, moved, "the move was not recorded")
        rows = await console.daemon.store.read(lambda tx: tx.all(
            "SELECT actor, reason FROM audit WHERE action = 'parcel.move_to_parcel_room'"))
        assert rows == [{"actor": "staff:staff", "reason": "柜满，腾出格口"}], rows
        (event,) = await console.site.events("parcel.moved")
        assert event["data"]["reason"] == "柜满，腾出格口"
        zh = _items((await client.get(f"/parcels/{pid}?lang=zh", headers=HTML)).text)
        done = [x for x in zh if "R3" in x and "原因：柜满，腾出格口" in x]
        assert done, zh
        en = _items((await client.get(f"/parcels/{pid}?lang=en", headers=HTML)).text)
        assert [x for x in en if "Reason: 柜满，腾出格口" in x], en
        admin, _ = await console.as_user("admin")
        audit = re.sub(r"<[^>]+>", " ", (await admin.get("/audit", headers=HTML)).text)
        await admin.aclose()
        assert "柜满，腾出格口" in audit
    finally:
        await client.aclose()

