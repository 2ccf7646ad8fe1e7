"""Trial41: a resident moves out with a parcel still in the locker and a new resident moves in. Reissuing that
parcel's code sent it to the NEW resident's phone ("The pickup code for your parcel (SF…) is now …"): it is
refused in words, and the parcel can still be handed over at the desk."""

from __future__ import annotations

import pytest

from edge.errors import DomainError
from edge.glossary import label
from edge.services import directory as D
from edge.services.unit_rows import UnitIn
from edge.web.app import create_app
from tests.conftest import Site
from tests.security.conftest import client_for


async def test_reissue_after_the_resident_moved_out_is_refused(sec_site: Site) -> None:
    store = sec_site.daemon.store
    await store.write(lambda tx: D.upsert_unit_tx(tx, UnitIn(unit="2-502", phone="13912345678"), actor="t", source="t"))
    a = await sec_site.deposit("YT4100000000001", unit="2-502", tail="5678")
    await store.write(lambda tx: D.remove_unit_tx(tx, "2-502", actor="t"))  # moves out
    await store.write(lambda tx: D.upsert_unit_tx(tx, UnitIn(unit="2-502", phone="13987650101"), actor="t", source="t"))
    old = await sec_site.code_of(a["parcel_id"])
    with pytest.raises(DomainError) as exc:
        await sec_site.svc.parcels.reissue_code(a["parcel_id"], actor="staff:admin", reason="lost code")
    assert exc.value.code == "resident_changed"
    assert await sec_site.code_of(a["parcel_id"]) == old
    client = client_for(create_app(sec_site.daemon))
    notes = [n for n in (await client.get("/api/v1/sim/notifications")).json() if n["kind"] == "code_reissued"]
    assert notes == [], "the new resident was sent the former resident's code"


async def test_reissue_for_the_same_resident_still_works(sec_site: Site) -> None:
    store = sec_site.daemon.store
    await store.write(lambda tx: D.upsert_unit_tx(tx, UnitIn(unit="2-503", phone="13912345679"), actor="t", source="t"))
    a = await sec_site.deposit("YT4100000000002", unit="2-503", tail="5679")
    await sec_site.svc.parcels.reissue_code(a["parcel_id"], actor="staff:admin", reason="lost code")


def test_the_refusal_is_in_words() -> None:
    assert "换了住户" in label("error", "resident_changed", "zh")
