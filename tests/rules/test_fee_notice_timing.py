"""A fee notice leaves by the fee start the rules computed (edge/rules/actions.py), not by the notifier's guess
(ADR 0043, docs/notifications.md): it waits for the end of the quiet hours unless the fee starts first."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from edge.clock import parse_iso
from edge.notify.timing import SendTiming, quiet_range
from edge.policy import Policy

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _site(make_site: Any, stored_local: datetime, notice_hours: float, *, policy_fn: bool) -> Any:
    policy = Policy.model_validate({"storage_fee": {"enabled": True, "free_hours": 48, "notice_hours": notice_hours}})
    site = make_site(policy=policy, start=stored_local.astimezone(UTC))
    site.notifier.timing = SendTiming(0, quiet_range("21:30-08:00"))
    site.notifier.tz = SHANGHAI
    if policy_fn:
        site.notifier.policy_fn = site.policies.current
    return site


def _fee_next_at(site: Any) -> datetime:
    (row,) = site.q("SELECT next_at FROM messages WHERE kind = 'fee_notice'")
    return parse_iso(row["next_at"])


def test_a_fee_starting_before_the_morning_goes_now_though_the_notifier_has_no_policy(make_site: Any) -> None:
    # stored 05:00 on 1 June, notice 2 h before the fee: due 03:00 on 3 June for a fee from 05:00. The notifier
    # knew no policy (its guess: unknown) and the notice waited until 08:00, three hours after the fee started
    site = _site(make_site, datetime(2026, 6, 1, 5, 0, tzinfo=SHANGHAI), 2, policy_fn=False)
    site.add_parcel()
    site.advance(46 + 1 / 60)
    site.sweep()
    assert _fee_next_at(site) == site.clock.now()


def test_a_hold_that_moves_the_fee_past_the_morning_lets_the_notice_wait(make_site: Any) -> None:
    # stored 05:00 on 1 June, held 10 h: the notice (12 h before) is due 03:00 on 3 June, the fee starts 15:00.
    # The notifier's guess (stored + 48 h = 05:00) sent it at 03:00
    site = _site(make_site, datetime(2026, 6, 1, 5, 0, tzinfo=SHANGHAI), 12, policy_fn=True)
    pid = site.add_parcel()
    asyncio.run(site.service.hold(pid, site.clock.now() + timedelta(hours=10), actor="staff:amy"))
    site.advance(46 + 1 / 60)
    site.sweep()
    assert "fee_notice" in site.done(pid)
    assert _fee_next_at(site) == datetime(2026, 6, 3, 8, 0, tzinfo=SHANGHAI)
