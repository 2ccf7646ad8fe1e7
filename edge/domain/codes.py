"""Pickup codes and the wrong-code lockout: pure functions over plain values.

The arithmetic (see docs/security.md): an attacker at the kiosk gets at most
``site_bucket + site_refill_per_hour * 8760`` wrong guesses a year across the whole site, each
succeeding with probability ``active_codes / 10**length``. With the defaults (10 digits, bucket 20,
2 per hour, 500 active parcels) that is 17,540 guesses and 8.8e-4 expected successes a year.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from edge.policy import PickupCodePolicy

HOURS_PER_YEAR = 24 * 365


def new_code(length: int, taken: Callable[[str], bool], *, tries: int = 64) -> str:
    """A uniformly random code of `length` digits that `taken(code)` says is free."""
    for _ in range(tries):
        code = f"{secrets.randbelow(10**length):0{length}d}"
        if not taken(code):
            return code
    raise RuntimeError("could not find a free pickup code; the code space is too small for this site")


def normalise_code(text: str) -> str | None:
    """Digits only (keypads and scanners may add spaces or dashes). None if it cannot be a code."""
    digits = "".join(ch for ch in text if ch not in " -\t")
    if not digits or not digits.isascii() or not digits.isdigit() or len(digits) > 32:
        return None
    return digits


def mask_code(code: str | None) -> str:
    """For logs and masked messages: last two digits only."""
    if not code:
        return ""
    return "*" * max(0, len(code) - 2) + code[-2:]


def yearly_guess_budget(p: PickupCodePolicy) -> float:
    return p.site_bucket + p.site_refill_per_hour * HOURS_PER_YEAR


def expected_successes_per_year(p: PickupCodePolicy, active: int | None = None) -> float:
    active = p.assumed_active_parcels if active is None else active
    return yearly_guess_budget(p) * active / float(10**p.length)


def expected_courier_successes_per_year(p: PickupCodePolicy, couriers: int, digits: int) -> float:
    """Courier codes: the site-wide courier bucket's yearly budget, each guess hitting one of
    `couriers` enrolled codes of `digits` digits (docs/security.md, "Courier codes")."""
    return float(yearly_guess_budget(p) * couriers / 10**digits)


@dataclass
class AttemptState:
    """One lockout scope: a kiosk (consecutive failures) or the whole site (token bucket)."""

    failures: int = 0
    lockouts: int = 0
    tokens: float = 0.0
    locked_until: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after_s: int = 0
    attempts_left: int = 0


def refill(site: AttemptState, p: PickupCodePolicy, now: datetime) -> None:
    if site.updated_at is None:
        site.tokens = float(p.site_bucket)
    else:
        hours = max(0.0, (now - site.updated_at).total_seconds() / 3600)
        site.tokens = min(float(p.site_bucket), site.tokens + hours * p.site_refill_per_hour)
    site.updated_at = now


def check(kiosk: AttemptState, site: AttemptState, p: PickupCodePolicy, now: datetime) -> Verdict:
    """May this kiosk try a code now? Call `refill` on the site state first."""
    waits = []
    if kiosk.locked_until and kiosk.locked_until > now:
        waits.append((kiosk.locked_until - now).total_seconds())
    if site.tokens < 1:
        waits.append((1 - site.tokens) / p.site_refill_per_hour * 3600)
    if waits:
        return Verdict(False, retry_after_s=max(1, math.ceil(max(waits))))
    return Verdict(True, attempts_left=attempts_left(kiosk, site, p, now))


def attempts_left(kiosk: AttemptState, site: AttemptState, p: PickupCodePolicy, now: datetime | None = None) -> int:
    """Wrong codes this kiosk may still enter before it locks (0 while locked)."""
    if kiosk.locked_until is not None and (now is None or kiosk.locked_until > now):
        return 0
    return max(0, min(p.kiosk_attempts - kiosk.failures, math.floor(site.tokens)))


def record_failure(kiosk: AttemptState, site: AttemptState, p: PickupCodePolicy, now: datetime) -> bool:
    """Count one wrong code. Returns True when this failure locked the kiosk."""
    site.tokens = max(0.0, site.tokens - 1)
    site.updated_at = now
    kiosk.failures += 1
    kiosk.updated_at = now
    if kiosk.failures >= p.kiosk_attempts:
        wait = min(p.kiosk_lockout_s * 2**kiosk.lockouts, p.kiosk_lockout_max_s)
        kiosk.locked_until = now + timedelta(seconds=wait)
        kiosk.lockouts += 1
        kiosk.failures = 0
        return True
    return False


def record_success(kiosk: AttemptState, now: datetime) -> None:
    kiosk.failures = 0
    kiosk.lockouts = 0
    kiosk.locked_until = None
    kiosk.updated_at = now
