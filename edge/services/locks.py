"""Safety locks staff can see and clear (issue 20): the wrong-code lockouts and the rules hold.

* pickup codes: a kiosk locked after wrong codes (``pickup:kiosk:<kiosk>``) and the site-wide allowance
  (``pickup:site``, a token bucket) in ``code_attempts``;
* courier codes: the same pair (``courier-login:<kiosk>``, ``courier-login:site``);
* console logins: a user (``user:<name>`` and that user's ``dev:<device>:<name>`` scopes) or an address
  (``ip:<address>``) in ``staff_login_attempts``;
* the storage-rules hold after a large clock step (edge/rules/clockguard.py).

Clearing is one method for the console and any other caller: it needs a reason, is refused for a lock
that is not (or no longer) active, writes an audit row with who and why in the same transaction, and
keeps what guards against guessing: a cleared kiosk keeps its lockout count (the next lockout is still
longer), and a site-wide allowance is refilled to its size, never beyond. Clearing a site-wide allowance
or a console login lockout widens what an attacker may try, so it needs an admin (docs/decisions/0020).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from edge.clock import Clock, parse_iso
from edge.domain import codes as codemath
from edge.errors import DomainError, NotFound
from edge.policy import PickupCodePolicy
from edge.services import attempts
from edge.services.couriers import LOGIN_POLICY
from edge.services.couriers import SITE_SCOPE as COURIER_SITE
from edge.services.pickups import SITE_SCOPE as PICKUP_SITE
from edge.store.db import Store, Tx

if TYPE_CHECKING:
    from edge.daemon import Daemon
    from edge.rules.clockguard import ClockGuard

log = logging.getLogger(__name__)

RULES_HOLD = "rules:hold"
MAX_REASON = 200

#: kinds a non-admin may clear
STAFF_KINDS = ("pickup_kiosk", "courier_kiosk", "rules_hold")


@dataclass(frozen=True)
class Lock:
    id: str  # what the clear call takes: "<table>:<scope>" or "rules:hold"
    kind: str  # pickup_kiosk | pickup_site | courier_kiosk | courier_site | login_user | login_ip | rules_hold
    subject: str  # the kiosk, user or address it applies to ("" for site-wide)
    remaining_s: int
    admin_only: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _code_kind(scope: str) -> tuple[str, str] | None:
    if scope == PICKUP_SITE:
        return "pickup_site", ""
    if scope == COURIER_SITE:
        return "courier_site", ""
    if scope.startswith("pickup:kiosk:"):
        return "pickup_kiosk", scope.removeprefix("pickup:kiosk:")
    if scope.startswith("courier-login:"):
        return "courier_kiosk", scope.removeprefix("courier-login:")
    return None


def _lock(id_: str, kind: str, subject: str, remaining: float) -> Lock:
    return Lock(id_, kind, subject, max(1, round(remaining)), kind not in STAFF_KINDS)


class SafetyLocks:
    def __init__(self, store: Store, clock: Clock, pickup_policy: Callable[[], PickupCodePolicy],
                 guard: Callable[[], ClockGuard | None] = lambda: None) -> None:
        self.store = store
        self.clock = clock
        self._pickup_policy = pickup_policy
        self._guard = guard

    def _bucket(self, scope: str) -> PickupCodePolicy:
        return LOGIN_POLICY if scope == COURIER_SITE else self._pickup_policy()

    # --- what is locked now ------------------------------------------------------------------------
    def active_tx(self, tx: Tx) -> list[Lock]:
        out: list[Lock] = []
        for r in tx.all("SELECT scope FROM code_attempts ORDER BY scope"):
            kind = _code_kind(r["scope"])
            if kind is None:
                continue
            st = attempts.load(tx, r["scope"])
            if kind[0].endswith("_site"):
                p = self._bucket(r["scope"])
                codemath.refill(st, p, tx.now)
                if st.tokens < 1:
                    out.append(_lock("code:" + r["scope"], kind[0], "", (1 - st.tokens) / p.site_refill_per_hour * 3600))
            elif st.locked_until and st.locked_until > tx.now:
                out.append(_lock("code:" + r["scope"], kind[0], kind[1], (st.locked_until - tx.now).total_seconds()))
        users: dict[str, float] = {}
        for r in tx.all("SELECT scope, locked_until FROM staff_login_attempts WHERE locked_until IS NOT NULL"):
            left = (parse_iso(r["locked_until"]) - tx.now).total_seconds()
            if left <= 0:
                continue
            scope = str(r["scope"])
            if scope.startswith("ip:"):
                out.append(_lock("login:" + scope, "login_ip", scope.removeprefix("ip:"), left))
            elif scope.startswith("user:"):
                name = scope.removeprefix("user:")
                users[name] = max(users.get(name, 0.0), left)
            elif scope.startswith("dev:"):
                name = scope.split(":", 2)[2] if scope.count(":") >= 2 else ""
                users[name] = max(users.get(name, 0.0), left)
        out.extend(_lock("login:user:" + n, "login_user", n, s) for n, s in sorted(users.items()))
        held = self._rules_held_s()
        if held > 0:
            out.append(_lock(RULES_HOLD, "rules_hold", "", held))
        return out

    async def active(self) -> list[Lock]:
        return await self.store.read(self.active_tx)

    def _rules_held_s(self) -> float:
        guard = self._guard()
        if guard is None:
            return 0.0
        return float(guard.status().get("rules_held_s") or 0.0)

    # --- clearing ----------------------------------------------------------------------------------
    async def clear(self, lock_id: str, *, actor: str, reason: str, is_admin: bool) -> Lock:
        """Clear one active lock with who and why (audited). Returns the lock as it was."""
        reason = (reason or "").strip()[:MAX_REASON]
        if not reason:
            raise DomainError("reason_required", "give a reason for this action", status=422)
        guard = self._guard() if lock_id == RULES_HOLD else None

        def fn(tx: Tx) -> Lock:
            found = next((lk for lk in self.active_tx(tx) if lk.id == lock_id), None)
            if found is None:
                raise NotFound("lock_not_active", "this lock is not active (it may have ended by itself)")
            if found.admin_only and not is_admin:
                raise DomainError("forbidden", "this needs an admin account", status=403)
            table, _, scope = lock_id.partition(":")
            if table == "code":
                st = attempts.load(tx, scope)
                if found.kind.endswith("_site"):
                    p = self._bucket(scope)
                    codemath.refill(st, p, tx.now)
                    st.tokens = float(p.site_bucket)
                else:
                    st.locked_until = None
                    st.failures = 0  # the lockout count stays: the next lockout is still the longer one
                attempts.save(tx, scope, st, tx.now)
            elif table == "login":
                if scope.startswith("user:"):
                    name = scope.removeprefix("user:")
                    tx.execute("DELETE FROM staff_login_attempts WHERE scope = ? OR (scope LIKE 'dev:%' AND"
                               " substr(scope, length(scope) - length(?)) = ':' || ?)", (scope, name, name))
                else:
                    tx.execute("DELETE FROM staff_login_attempts WHERE scope = ?", (scope,))
            if table == "rules":
                from edge.rules.clockguard import ClockGuard

                ClockGuard.release_tx(tx)
            tx.audit(actor, "security.lock_cleared" if table != "rules" else "clock.hold_released",
                     found.subject or "site", reason, kind=found.kind, remaining_s=found.remaining_s)
            return found

        found = await self.store.write(fn)
        if guard is not None:
            guard.release(actor)
        log.warning("%s cleared by %s (%s left): %s", found.kind, actor, f"{found.remaining_s} s", reason)
        return found


def locks_of(daemon: Daemon) -> SafetyLocks:
    """The daemon's safety locks (built on demand: it keeps no state of its own)."""

    def guard() -> ClockGuard | None:
        try:
            return daemon.rules.guard
        except RuntimeError:  # the rules part is not started
            return None

    return SafetyLocks(daemon.store, daemon.clock, lambda: daemon.policy().pickup_code, guard)


__all__ = ["RULES_HOLD", "Lock", "SafetyLocks", "locks_of"]
