"""The versioned policy: validation, forward-only versions, persistence, rescheduling."""

from __future__ import annotations

from typing import Any
from typing import Any as Site

import pytest

from edge.errors import DomainError
from edge.policy import Policy
from edge.rules.policy_service import PolicyService


def test_defaults_follow_the_design() -> None:
    p = Policy()
    assert p.clock("normal").reminder_hours == [24, 48] and p.clock("normal").overdue_hours == 72
    assert p.clock("fresh").reminder_hours == [4] and p.clock("fresh").overdue_hours == 12
    assert p.clock("medicine").reminder_hours == [12]
    assert p.unclaimed_working_days == 15 and p.notice_working_days == 3
    assert p.storage_fee.enabled is False
    assert p.clock("unknown-category") == p.clock("normal")


@pytest.mark.parametrize(
    ("doc", "key"),
    [
        ({"version": 2, "overdue_hours": -1}, "overdue_hours"),
        ({"version": 2, "reminder_hours": [24, 24]}, "reminder_hours"),
        ({"version": 2, "fresh": {"reminder_hours": [20]}}, "fresh"),  # after fresh overdue (12 h)
        ({"version": 2, "nonsense": 1}, "nonsense"),
        ({"version": 2, "storage_fee": {"enabled": True, "cap": "lots"}}, "storage_fee.cap"),
        ({"version": 2, "disposal_options": ["burn"]}, "disposal_options"),
        ({"version": 2, "disposal_options": []}, "disposal_options"),
        ({"overdue_hours": 50}, "version"),
    ],
)
def test_bad_documents_are_refused_with_the_key(site: Site, doc: dict[str, Any], key: str) -> None:
    with pytest.raises(DomainError) as e:
        site.policies.set_policy_sync(doc, actor="staff")
    assert e.value.code == "policy_invalid"
    assert key in e.value.message


def test_not_an_object(site: Site) -> None:
    with pytest.raises(DomainError) as e:
        site.policies.set_policy_sync(["version", 2], actor="staff")  # type: ignore[arg-type]
    assert e.value.code == "policy_invalid"


def test_versions_only_move_forward_and_persist(site: Site) -> None:
    site.policies.set_policy_sync({"version": 3, "overdue_hours": 60}, actor="hq")
    assert site.policies.current().version == 3
    for v in (3, 2):
        with pytest.raises(DomainError) as e:
            site.policies.set_policy_sync({"version": v}, actor="hq")
        assert e.value.code == "policy_version_old" and e.value.status == 409
    (audit,) = site.q("SELECT actor, action, target FROM audit WHERE action = 'policy.set'")
    assert audit == {"actor": "hq", "action": "policy.set", "target": "policy v3"}
    again = PolicyService(site.store, Policy())
    assert again.load_sync().overdue_hours == 60
    # a site config carrying a newer version than the stored one wins
    newer = PolicyService(site.store, Policy(version=5, overdue_hours=80))
    assert newer.load_sync().overdue_hours == 80


def test_new_policy_reschedules_stored_parcels(site: Site) -> None:
    pid = site.add_parcel()
    site.sweep()
    site.policies.set_policy_sync({"version": 2, "reminder_hours": [6], "overdue_hours": 30}, actor="staff")
    site.advance(6)
    site.sweep()
    assert site.done(pid) == ["reminder:1"]
    site.advance(24)
    site.sweep()
    assert site.done(pid) == ["reminder:1", "overdue"]


def test_fee_amounts() -> None:
    from datetime import UTC, datetime, timedelta

    from edge.rules.schedule import storage_fee

    p = Policy.model_validate({"storage_fee": {"enabled": True, "free_hours": 48, "fee_per_period": 1.5,
                                               "period_hours": 24, "cap": 4}})
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    assert storage_fee(p, t0, [], t0 + timedelta(hours=48)) == 0
    assert storage_fee(p, t0, [], t0 + timedelta(hours=49)) == 1.5
    assert storage_fee(p, t0, [], t0 + timedelta(hours=73)) == 3.0
    assert storage_fee(p, t0, [], t0 + timedelta(days=30)) == 4  # capped
    held = [(t0 + timedelta(hours=10), t0 + timedelta(hours=40))]
    assert storage_fee(p, t0, held, t0 + timedelta(hours=70)) == 0  # 40 storage hours
    assert storage_fee(Policy(), t0, [], t0 + timedelta(days=30)) == 0


async def test_fee_due_through_the_service(make_site: Any) -> None:
    s = make_site(policy=Policy.model_validate({"storage_fee": {"enabled": True, "free_hours": 24, "cap": 5}}))
    pid = s.add_parcel()
    assert (await s.service.fee_due(pid))["amount"] == 0
    s.advance(30)
    out = await s.service.fee_due(pid)
    assert out["amount"] == 1.0 and out["currency"] == "CNY"


def test_calendar_coverage() -> None:
    from edge.rules.calendar import WorkCalendar

    assert WorkCalendar("Asia/Shanghai", "CN").covers(2026)
    assert not WorkCalendar("Asia/Shanghai", "CN").covers(2031)
    assert WorkCalendar("Europe/Berlin", "DE").covers(2031)


def test_a_new_policy_does_not_send_reminders_late(site: Site) -> None:
    pid = site.add_parcel()
    site.advance(30)
    site.sweep()
    assert site.done(pid) == ["reminder:1"]  # the 24 h reminder
    # an earlier extra reminder: [6, 24, 48] -> reminder:2 (24 h) fell due before the change: skipped
    site.policies.set_policy_sync({"version": 2, "reminder_hours": [6, 24, 48]}, actor="staff")
    site.advance(1)
    result = site.sweep()
    assert result.actions["skipped"] == 1 and result.actions["reminder"] == 0
    skipped = site.q("SELECT detail FROM rule_actions WHERE parcel_id = ? AND action = 'reminder:2'", (pid,))
    assert "skipped" in skipped[0]["detail"]
    assert len(site.events("parcel.reminder")) == 1
    site.advance(17)
    site.sweep()
    assert len(site.events("parcel.reminder")) == 2  # reminder:3 at 48 h, on time
    # overdue is a state, not a message: a policy that makes a parcel overdue applies at once
    site.policies.set_policy_sync({"version": 3, "reminder_hours": [24], "overdue_hours": 40}, actor="staff")
    site.advance(0.1)
    site.sweep()
    assert "overdue" in site.done(pid)
