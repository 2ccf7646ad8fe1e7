"""Holds and vacation mode pause the storage clock within the site maximum, and resume."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from typing import Any as Site

import pytest

from edge.clock import parse_iso, utc_iso
from edge.errors import DomainError


def hours_since(site: Site, pid: str, action: str) -> float:
    (row,) = site.q("SELECT due_at FROM rule_actions WHERE parcel_id = ? AND action = ?", (pid, action))
    stored = parse_iso(site.parcel(pid)["stored_at"])
    return (parse_iso(row["due_at"]) - stored).total_seconds() / 3600


def step(site: Site, hours: float, every: float = 0.5) -> None:
    n = int(round(hours / every))
    for _ in range(n):
        site.advance(every)
        site.sweep()


async def test_hold_pauses_the_clock_and_resumes(site: Site) -> None:
    pid = site.add_parcel()
    step(site, 10)
    await site.service.hold(pid, site.clock.now() + timedelta(hours=48), actor="staff:amy")
    assert site.parcel(pid)["hold_until"] == utc_iso(site.clock.now() + timedelta(hours=48))
    step(site, 48 + 13.5)  # storage clock: 10 h before + 13.5 h after = 23.5 h
    assert site.done(pid) == []
    step(site, 0.5)
    assert site.done(pid) == ["reminder:1"]
    assert hours_since(site, pid, "reminder:1") == pytest.approx(72)
    audit = site.q("SELECT actor, action FROM audit")
    assert {"actor": "staff:amy", "action": "parcel.hold"} in audit


async def test_releasing_a_hold_early_resumes_from_the_release(site: Site) -> None:
    pid = site.add_parcel()
    step(site, 10)
    await site.service.hold(pid, utc_iso(site.clock.now() + timedelta(hours=48)), actor="resident")
    step(site, 10)
    await site.service.release_hold(pid, actor="resident")
    assert site.parcel(pid)["hold_until"] is None
    step(site, 14)
    assert site.done(pid) == ["reminder:1"]
    assert hours_since(site, pid, "reminder:1") == pytest.approx(34)  # 24 h + the 10 h actually held


async def test_hold_set_by_another_service_pauses_through_the_trigger(site: Site) -> None:
    pid = site.add_parcel()
    site.advance(5)
    until = utc_iso(site.clock.now() + timedelta(hours=30))

    def lead_hold(tx: Any) -> None:
        tx.execute("UPDATE parcels SET hold_until = ?, updated_at = ? WHERE id = ?", (until, tx.ts, pid))

    site.store.write_sync(lead_hold)
    site.advance(48)
    site.sweep()
    assert site.done(pid) == []  # 5 + 18 = 23 storage hours
    site.advance(1)
    site.sweep()
    assert site.done(pid) == ["reminder:1"]


async def test_hold_limits(site: Site) -> None:
    pid = site.add_parcel()
    now = site.clock.now()
    with pytest.raises(DomainError) as e:
        await site.service.hold(pid, now + timedelta(days=15), actor="staff")
    assert e.value.code == "hold_too_long" and e.value.status == 409
    with pytest.raises(DomainError) as e:
        await site.service.hold(pid, now - timedelta(hours=1), actor="staff")
    assert e.value.code == "invalid_time"
    with pytest.raises(DomainError) as e:
        await site.service.hold(pid, "next tuesday", actor="staff")
    assert e.value.code == "invalid_time"
    with pytest.raises(DomainError) as e:
        await site.service.hold("no-such-parcel", now + timedelta(days=1), actor="staff")
    assert e.value.code == "parcel_unknown" and e.value.status == 404
    # holds add up: 10 days held, then only 4 more are allowed
    await site.service.hold(pid, now + timedelta(days=10), actor="staff")
    site.advance(days=10)
    with pytest.raises(DomainError) as e:
        await site.service.hold(pid, site.clock.now() + timedelta(days=5), actor="staff")
    assert e.value.code == "hold_too_long"
    await site.service.hold(pid, site.clock.now() + timedelta(days=4), actor="staff")


async def test_hold_by_tracking_number(site: Site) -> None:
    pid = site.add_parcel()
    tn = site.parcel(pid)["tracking_number"]
    out = await site.service.hold(tn, site.clock.now() + timedelta(days=1), actor="hq")
    assert out["parcel_id"] == pid


async def test_vacation_pauses_a_units_parcels_only(site: Site) -> None:
    site.advance(2)
    await site.service.set_vacation("12-0304", site.clock.now() + timedelta(days=5), actor="resident:12-0304")
    site.advance(1)
    mine = site.add_parcel(unit="12-0304")
    other = site.add_parcel(unit="12-0501")
    step(site, 24, every=1)
    assert site.done(other) == ["reminder:1"]
    assert site.done(mine) == []
    step(site, 4 * 24 + 23 - 24, every=1)  # vacation ends 5 days after it began: t0 + 2 h + 5 d
    assert site.done(mine) == []
    step(site, 24, every=1)
    assert site.done(mine) == ["reminder:1"]
    assert hours_since(site, mine, "reminder:1") == pytest.approx(5 * 24 - 1 + 24)
    (unit,) = site.q("SELECT vacation_until FROM units WHERE unit = '12-0304'")
    assert unit["vacation_until"] is not None


async def test_ending_vacation_early_resumes_now(site: Site) -> None:
    pid = site.add_parcel(unit="3-1102")
    site.advance(6)
    await site.service.set_vacation("3-1102", site.clock.now() + timedelta(days=20), actor="resident")
    step(site, 48, every=2)
    assert site.done(pid) == []
    await site.service.set_vacation("3-1102", None, actor="resident")
    step(site, 18, every=1)
    assert site.done(pid) == ["reminder:1"]
    assert hours_since(site, pid, "reminder:1") == pytest.approx(24 + 48)


async def test_vacation_limits(site: Site) -> None:
    with pytest.raises(DomainError) as e:
        await site.service.set_vacation("12-0304", site.clock.now() + timedelta(days=31), actor="resident")
    assert e.value.code == "vacation_too_long"
    with pytest.raises(DomainError) as e:
        await site.service.set_vacation("99-9999", site.clock.now() + timedelta(days=3), actor="resident")
    assert e.value.code == "unit_unknown"




async def test_one_hold_whichever_service_is_asked(site: Site) -> None:
    """ParcelService.hold and RulesService.hold are the one hold (decision 0016): same rules, same records."""
    from edge.services.parcels import ParcelService

    parcels = ParcelService(site.store, site.policies.current, site.notifier)
    a, b = site.add_parcel(), site.add_parcel()
    until = site.clock.now() + timedelta(days=2)
    out_a = await parcels.hold(a, utc_iso(until), actor="staff:amy", reason="away")
    out_b = await site.service.hold(b, until, actor="staff:amy", reason="away")
    assert out_a == out_b | {"parcel_id": a, "tracking_number": site.parcel(a)["tracking_number"]}
    logs = site.q("SELECT parcel_id, kind FROM parcel_log WHERE kind LIKE 'rules.hold%' ORDER BY id")
    assert [r["kind"] for r in logs] == ["rules.hold", "rules.hold"]
    # the rules' limit (all holds of a parcel together: 2 days used, 13 more is over 14) holds for both
    site.advance(days=2)
    for svc_hold in (lambda ref, t: parcels.hold(ref, utc_iso(t), actor="staff"),
                     lambda ref, t: site.service.hold(ref, t, actor="staff")):
        with pytest.raises(DomainError) as e:
            await svc_hold(a, site.clock.now() + timedelta(days=13))
        assert e.value.code == "hold_too_long" and e.value.status == 409
    await parcels.hold(a, None, actor="staff:amy")
    assert site.parcel(a)["hold_until"] is None
