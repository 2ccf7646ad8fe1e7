"""Trial 2026-12-07f (trial40): a Pi that reboots after a power cut with its clock 2 days behind starts a new time
base in the past; when NTP stepped it forward, `rebase_tx` moved every parcel stored since that (wrong) start,
which includes the parcels stored *before* the cut on the right clock: their reminders and overdue would come
2 days late, after the deadline the residents were told. Only what the old base stamped is moved."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from edge.clock import parse_iso, utc_iso
from edge.rules.clockguard import rebase_tx

SHANGHAI = ZoneInfo("Asia/Shanghai")
REAL = datetime(2026, 12, 7, 17, 52, tzinfo=SHANGHAI)  # a busy afternoon, the right clock
BEHIND = timedelta(days=2)


def test_ntp_after_a_reboot_with_a_stale_clock_moves_only_what_the_stale_clock_stamped(make_site: Any) -> None:
    site = make_site(start=REAL)
    before_cut = site.add_parcel()  # stored on the right clock, then the power went
    wrong_boot = REAL + timedelta(minutes=10) - BEHIND  # fake-hwclock / no RTC: the Pi boots 2 days behind
    on_wrong = site.add_parcel()
    stamped = wrong_boot + timedelta(minutes=1)
    site.store.write_sync(lambda tx: tx.execute("UPDATE parcels SET stored_at = ? WHERE id = ?", (utc_iso(stamped), on_wrong)))
    old_now = wrong_boot + timedelta(minutes=3)  # NTP answers 3 minutes after boot and steps the clock +2 days
    got = site.store.write_sync(lambda tx: rebase_tx(tx, BEHIND.total_seconds(), wrong_boot, old_now))
    assert parse_iso(site.parcel(before_cut)["stored_at"]) == REAL, "a parcel stored before the cut was moved"
    assert parse_iso(site.parcel(on_wrong)["stored_at"]) == stamped + BEHIND
    assert got["parcels"] == 1


def test_a_backward_step_then_ntp_brings_the_parcels_back(make_site: Any) -> None:
    """The same boot (lockerd restarted, the clock set back meanwhile): the backward step moves the parcels onto
    the wrong base, and NTP's forward step must move them back, not leave them 2 days older than they are."""
    site = make_site(start=REAL)
    pid = site.add_parcel()
    now = REAL + timedelta(minutes=20)
    back = site.store.write_sync(lambda tx: rebase_tx(tx, -BEHIND.total_seconds(), REAL - timedelta(hours=1), now))
    assert parse_iso(site.parcel(pid)["stored_at"]) == REAL - BEHIND
    new_start = min(now - BEHIND, parse_iso(back["earliest"]))  # ClockGuard.check keeps this as the new base's start
    site.store.write_sync(lambda tx: rebase_tx(tx, BEHIND.total_seconds(), new_start, now - BEHIND + timedelta(minutes=5)))
    assert parse_iso(site.parcel(pid)["stored_at"]) == REAL
