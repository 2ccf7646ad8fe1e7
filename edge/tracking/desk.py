"""What the front desk and the other parts ask of tracking: anomaly lists, the follow-up log, the register,
the carrier report, ETAs, telemetry, retention. Mixed into TrackingService (edge/tracking/service.py),
which provides `store`, `expect` and `_clear`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from edge.clock import utc_iso
from edge.errors import DomainError
from edge.store.db import Store, Tx
from edge.tracking import eta as E
from edge.tracking import followups as F
from edge.tracking import register as G
from edge.tracking import report as R
from edge.tracking.carriers import normalise_tracking_number
from edge.tracking.settings import TrackingSettings

#: roles an anomaly or task can be owned by, besides a named staff user
ROLES = ("front_desk", "resident", "courier", "manager")


def tn(value: Any) -> str:
    """A tracking number from a caller, normalised, or a 422 DomainError saying what is wrong."""
    if not isinstance(value, str):
        raise DomainError("invalid_tracking_number", "tracking number must be text", status=422)
    try:
        return normalise_tracking_number(value)
    except ValueError as exc:
        raise DomainError("invalid_tracking_number", str(exc), status=422) from None


def open_anomaly_counts(tx: Tx) -> tuple[dict[str, int], dict[str, int]]:
    """Open anomalies (the tracking part's `anomalies` table) by severity and by kind."""
    by_sev: dict[str, int] = {"yellow": 0, "red": 0}
    by_kind: dict[str, int] = {}
    for r in tx.all("SELECT kind, severity, COUNT(*) AS n FROM anomalies WHERE cleared_at IS NULL"
                    " GROUP BY kind, severity"):
        by_sev[r["severity"]] = by_sev.get(r["severity"], 0) + r["n"]
        by_kind[r["kind"]] = by_kind.get(r["kind"], 0) + r["n"]
    return by_sev, by_kind


class DeskMixin:
    store: Store
    expect: Callable[..., Any] | None
    settings: TrackingSettings

    # --- retention --------------------------------------------------------------------------------
    async def purge(self, days: int = 180) -> dict[str, int]:
        """Forget finished waybills (and their events, closed anomalies, follow-ups) untouched for `days`."""
        cutoff = utc_iso(self.store.clock.now() - timedelta(days=days))
        if not await self.store.read(lambda tx: tx.scalar(
                "SELECT 1 FROM tracked WHERE final = 1 AND updated_at < ? LIMIT 1", (cutoff,))):
            return {"waybills": 0, "events": 0}

        def fn(tx: Tx) -> dict[str, int]:
            old = ("SELECT tracking_number FROM tracked WHERE final = 1 AND updated_at < ? AND NOT EXISTS"
                   " (SELECT 1 FROM anomalies a WHERE a.tracking_number = tracked.tracking_number"
                   " AND a.cleared_at IS NULL)")
            n_events = tx.execute(f"DELETE FROM tracking_events WHERE tracking_number IN ({old})", (cutoff,)).rowcount
            tx.execute(f"DELETE FROM followups WHERE tracking_number IN ({old})", (cutoff,))
            tx.execute(f"DELETE FROM tracking_tasks WHERE tracking_number IN ({old})", (cutoff,))
            tx.execute(f"DELETE FROM anomalies WHERE tracking_number IN ({old})", (cutoff,))
            n = tx.execute(f"DELETE FROM tracked WHERE tracking_number IN ({old})", (cutoff,)).rowcount
            return {"waybills": n, "events": n_events}

        return await self.store.write(fn)

    async def anomalies(self, *, open_only: bool = True) -> list[dict[str, Any]]:
        """Anomalies (open ones by default), red first, with the follow-up count and whether an escalation
        step has been suggested."""
        sql = ("SELECT a.*, (SELECT COUNT(*) FROM followups f WHERE f.tracking_number = a.tracking_number"
               " AND f.ts >= a.raised_at) AS follow_ups, a.escalation IS NOT NULL AS escalation_due FROM anomalies a")
        sql += " WHERE a.cleared_at IS NULL" if open_only else ""
        sql += " ORDER BY CASE a.severity WHEN 'red' THEN 0 ELSE 1 END, a.raised_at"

        def fn(tx: Tx) -> list[dict[str, Any]]:
            out = tx.all(sql)
            for a in out:
                a["detail"] = json.loads(a.get("detail") or "{}")
            return out

        return await self.store.read(fn)

    async def assign(self, tracking_number: str, kind: str, owner: str, *, actor: str) -> dict[str, Any]:
        """Name the owner of an open anomaly (a role such as front_desk, or an active staff user); its open
        follow-up tasks carry the same owner."""
        number = tn(tracking_number)
        owner = (owner or "").strip()[:64]

        def fn(tx: Tx) -> dict[str, Any]:
            user = tx.scalar("SELECT 1 FROM staff_users WHERE username = ? AND active = 1", (owner,))
            if owner not in ROLES and not user:
                raise DomainError("invalid_owner", "the owner is a role (front desk, resident, courier, manager) or an"
                                  " active staff user", status=422)
            a = tx.one("SELECT id FROM anomalies WHERE tracking_number = ? AND kind = ? AND cleared_at IS NULL",
                       (number, kind))
            if a is None:
                raise DomainError("anomaly_not_found", f"no open {kind} anomaly for {number}", status=404)
            tx.execute("UPDATE anomalies SET assignee = ? WHERE id = ?", (owner, a["id"]))
            tx.execute("UPDATE tasks SET owner = ? WHERE state = 'open' AND id IN"
                       " (SELECT task_id FROM tracking_tasks WHERE anomaly_id = ?)", (owner, a["id"]))
            tx.audit(actor, "tracking.assign", number, owner, kind=kind)
            return {"tracking_number": number, "kind": kind, "owner": owner}

        return await self.store.write(fn)

    async def open_anomalies(self) -> list[dict[str, Any]]:
        return await self.anomalies(open_only=True)

    async def timeline(self, tracking_number: str) -> list[dict[str, Any]]:
        return await self.events(tracking_number)

    # --- follow-ups, register, report, ETA ------------------------------------------------------------
    async def add_follow_up(
        self, *, tracking_number: str, channel: str, said: str, actor: str, contact: str = "",
        ticket: str | None = None, next_at: str | None = None, when: str | None = None,
    ) -> dict[str, Any]:
        number = tn(tracking_number)

        def fn(tx: Tx) -> dict[str, Any]:
            try:
                return F.add(tx, number, channel=channel, said=said, actor=actor, contact=contact, ticket=ticket,
                             next_at=next_at, when=when,
                             schedule=lambda kind: list(self.settings.playbook(kind).followup_hours))
            except F.FollowupError as exc:
                raise DomainError("invalid_follow_up", str(exc), status=422) from None

        return await self.store.write(fn)

    async def follow_ups(self, tracking_number: str) -> list[dict[str, Any]]:
        number = tn(tracking_number)
        return await self.store.read(lambda tx: F.list_for(tx, number))

    async def due_follow_ups(self) -> list[dict[str, Any]]:
        return await self.store.read(lambda tx: F.due(tx, tx.ts))

    async def carrier_report(
        self, *, days: int | None = 30, since: str | None = None, until: str | None = None
    ) -> list[dict[str, Any]]:
        def fn(tx: Tx) -> list[dict[str, Any]]:
            hi = until or tx.ts
            lo = since or utc_iso(tx.now - timedelta(days=days or 30))
            return R.carrier_rows(tx, lo, hi)

        return await self.store.read(fn)

    async def report_summary(self, days: int = 30) -> dict[str, Any]:
        return R.summary(await self.carrier_report(days=days))

    async def kpis(self, days: int = 30) -> dict[str, Any]:
        """Carrier KPIs and per-source freshness over the last `days` (telemetry; HQ's problem-carrier list)."""
        def fn(tx: Tx) -> dict[str, Any]:
            hi, lo = tx.ts, utc_iso(tx.now - timedelta(days=days))
            out = R.summary(R.carrier_rows(tx, lo, hi))
            out.update(period_days=days, freshness=R.source_freshness(tx, lo, hi))
            return out

        return await self.store.read(fn)

    async def eta(self, tracking_number: str) -> dict[str, Any]:
        number = tn(tracking_number)
        return await self.store.read(lambda tx: E.eta(tx, number))

    async def register(self, *, include_matched: bool = False) -> list[dict[str, Any]]:
        return await self.store.read(lambda tx: G.list_register(tx, include_matched=include_matched))

    async def import_register_csv(self, text: str, *, actor: str) -> dict[str, Any]:
        if self.expect is None:
            raise DomainError("not_available", "the parcel service is not available", status=503)
        return await G.import_csv(text, self.expect, actor=actor)

    def telemetry(self) -> dict[str, Any]:
        """Open anomalies by severity and kind (off-loop safe: a read on the store thread)."""
        by_sev, by_kind = self.store.read_sync(open_anomaly_counts)
        return {"anomalies_by_severity": by_sev, "anomalies_by_kind": by_kind}

    async def events(self, tracking_number: str) -> list[dict[str, Any]]:
        number = tn(tracking_number)
        return await self.store.read(lambda tx: tx.all(
            "SELECT id, time, text, location, code, milestone, confidence FROM tracking_events"
            " WHERE tracking_number = ? ORDER BY time, id", (number,)))
