"""Reissue voids the shared code for every sibling parcel; desk handover by code is limited and audited;
free-text fields have lengths."""

from __future__ import annotations

import pytest

from edge.errors import DomainError
from edge.web.app import create_app
from tests.conftest import Site
from tests.security.conftest import client_for


async def test_reissue_voids_the_old_code_for_the_siblings(sec_site: Site) -> None:
    a = await sec_site.deposit("YT1000000000001", unit="2-502", tail="5678")
    b = await sec_site.deposit("YT1000000000002", unit="2-502", tail="5678")
    old = await sec_site.code_of(a["parcel_id"])
    assert await sec_site.code_of(b["parcel_id"]) == old, "siblings share one code"
    await sec_site.svc.parcels.reissue_code(a["parcel_id"], actor="staff:admin", reason="lost code")
    new = await sec_site.code_of(a["parcel_id"])
    assert new != old and await sec_site.code_of(b["parcel_id"]) == new
    client = client_for(create_app(sec_site.daemon))
    r = await client.post("/api/v1/kiosk/pickup", json={"code": old})
    assert r.status_code == 404, "the old code still opened a sibling's door"
    r = await client.post("/api/v1/kiosk/pickup", json={"code": new})
    assert r.status_code == 200 and {p["compartment"] for p in r.json()["parcels"]} == {a["compartment"], b["compartment"]}
    notes = [n for n in (await client.get("/api/v1/sim/notifications")).json() if n["kind"] == "code_reissued"]
    assert len(notes) == 1 and notes[0]["pickup_code"] == new, "the resident is sent the new code once"


async def test_desk_handover_by_code_is_limited_and_audited(sec_site: Site) -> None:
    pc = sec_site.daemon.policy().pickup_code
    statuses = []
    for i in range(pc.kiosk_attempts + 3):
        try:
            await sec_site.svc.desk.handover_by_code(f"{i:010d}", actor="staff:staff")
        except DomainError as exc:
            statuses.append(exc.status)
    assert statuses[:pc.kiosk_attempts] == [404] * pc.kiosk_attempts and set(statuses[pc.kiosk_attempts:]) == {429}
    failed = await sec_site.daemon.store.read(
        lambda tx: tx.scalar("SELECT count(*) FROM audit WHERE action = 'parcel.handover_failed'"))
    assert failed == pc.kiosk_attempts
    # another staff account is not locked by this one
    with pytest.raises(DomainError) as exc:
        await sec_site.svc.desk.handover_by_code("9999999999", actor="staff:admin")
    assert exc.value.status == 404


async def test_a_200000_character_carrier_is_refused(sec_site: Site) -> None:
    with pytest.raises(DomainError) as exc:
        await sec_site.svc.parcels.expect(tracking_number="SF1234567890999", unit="1-101", carrier="X" * 200_000,
                                          actor="hq")
    assert exc.value.status == 422 and exc.value.code == "invalid_carrier"
    with pytest.raises(DomainError):
        await sec_site.svc.parcels.expect(tracking_number="SF1234567890998", unit="1-101", carrier="SF\x00", actor="hq")
    p = await sec_site.svc.parcels.expect(tracking_number="SF1234567890997", unit="1-101", carrier="SF", actor="hq")
    assert p["carrier"] == "SF"
    with pytest.raises(DomainError):
        await sec_site.svc.couriers.login("1", kiosk="x")  # unknown code: 401, not a crash
    with pytest.raises(DomainError) as exc:
        await sec_site.daemon.store.write(lambda tx: sec_site.svc.couriers.add_tx(tx, "12345678", "C" * 1000))
    assert exc.value.status == 422
