"""Adapters to the optional components (tracking, rules, cloud). Each returns None/empty when absent.

The console never writes their tables itself: it calls their service objects
(``daemon.components["tracking"].service``, ``["rules"].service``, ``["cloud"].status()``).
"""

from __future__ import annotations

import inspect
import logging
from typing import Any

from edge.errors import DomainError

log = logging.getLogger(__name__)


def component(daemon: Any, name: str) -> Any:
    comps = getattr(daemon, "components", None) or {}
    return comps.get(name)


def service(daemon: Any, name: str) -> Any:
    comp = component(daemon, name)
    return getattr(comp, "service", None) if comp is not None else None


def method(obj: Any, *names: str) -> Any:
    """The first of `names` that `obj` has (None when obj is None or has none of them)."""
    if obj is None:
        return None
    for n in names:
        fn = getattr(obj, n, None)
        if callable(fn):
            return fn
    return None


async def maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


def unavailable_error(what: str) -> DomainError:
    return DomainError("not_available", f"{what} is not available on this site (component absent)", status=503)


# --- cloud ---------------------------------------------------------------------------------------------
def cloud_status(ctx: Any) -> dict[str, Any] | None:
    comp = component(ctx.daemon, "cloud")
    fn = method(comp, "status")
    if fn is None:
        return None
    try:
        st = fn()
    except Exception:
        log.warning("cloud status failed", exc_info=True)
        return {"connected": False}
    return st if isinstance(st, dict) else {"connected": bool(st)}


# --- tracking ------------------------------------------------------------------------------------------
def tracking(ctx: Any) -> Any:
    return service(ctx.daemon, "tracking")


async def open_anomalies(ctx: Any) -> list[dict[str, Any]] | None:
    fn = method(tracking(ctx), "open_anomalies", "list_anomalies", "anomalies")
    if fn is None:
        return None
    try:
        rows = await maybe_await(fn())
    except Exception:
        log.warning("tracking anomalies failed", exc_info=True)
        return None
    return [dict(r) for r in rows or []]


async def anomaly_grades(ctx: Any) -> dict[str, str]:
    """parcel_id -> worst open anomaly severity (yellow/red)."""
    out: dict[str, str] = {}
    for a in await open_anomalies(ctx) or []:
        pid, sev = a.get("parcel_id"), a.get("severity")
        if pid and sev in ("yellow", "red") and out.get(pid) != "red":
            out[pid] = sev
    return out


async def tracking_events(ctx: Any, parcel: dict[str, Any]) -> list[dict[str, Any]] | None:
    fn = method(tracking(ctx), "timeline", "events_for", "events")
    if fn is None:
        return None
    try:
        rows = await maybe_await(fn(parcel["tracking_number"]))
    except DomainError:
        return []
    return [dict(r) for r in rows or []]


def _followups_module() -> Any:
    try:
        from edge.tracking import followups
    except ImportError:
        return None
    return followups


async def follow_ups(ctx: Any, tracking_number: str) -> list[dict[str, Any]] | None:
    svc = tracking(ctx)
    fn = method(svc, "follow_ups", "followups", "list_followups")
    if fn is not None:
        rows = await maybe_await(fn(tracking_number))
        return [dict(r) for r in rows or []]
    mod = _followups_module()
    if svc is None or mod is None:
        return None
    return await ctx.daemon.store.read(lambda tx: mod.list_for(tx, tracking_number))


async def add_follow_up(ctx: Any, tracking_number: str, **fields: Any) -> Any:
    """Record a follow-up through the tracking part (its service method, else its follow-up module)."""
    svc = tracking(ctx)
    fn = method(svc, "add_followup", "add_follow_up", "follow_up_add")
    mod = _followups_module()
    if svc is None or (fn is None and mod is None):
        raise unavailable_error("tracking follow-ups")
    try:
        if fn is not None:
            return await maybe_await(fn(tracking_number=tracking_number, **fields))
        return await ctx.daemon.store.write(lambda tx: mod.add(tx, tracking_number, **fields))
    except ValueError as exc:  # the follow-up module's FollowupError
        raise DomainError("followup_invalid", str(exc), status=422) from None


async def carrier_report(ctx: Any, since: str, until: str) -> dict[str, Any] | None:
    """{"rows": [...], "problems": [...]} from the tracking part, or None when it is absent."""
    svc = tracking(ctx)
    fn = method(svc, "carrier_report")
    if fn is not None:
        got = await maybe_await(fn(since=since, until=until))
        if isinstance(got, dict):
            return got
        rows = [dict(r) for r in got or []]
        try:
            from edge.tracking.report import problem_carriers
        except ImportError:
            return {"rows": rows, "problems": []}
        return {"rows": rows, "problems": problem_carriers(rows)}
    if svc is None:
        return None
    try:
        from edge.tracking import report
    except ImportError:
        return None
    rows = await ctx.daemon.store.read(lambda tx: report.carrier_rows(tx, since, until))
    return {"rows": rows, "problems": report.problem_carriers(rows)}


# --- rules ---------------------------------------------------------------------------------------------
def rules(ctx: Any) -> Any:
    return service(ctx.daemon, "rules")


async def rules_call(ctx: Any, names: tuple[str, ...], *args: Any, **kwargs: Any) -> Any:
    fn = method(rules(ctx), *names)
    if fn is None:
        raise unavailable_error("the storage rules")
    return await maybe_await(fn(*args, **kwargs))


def policy_service(ctx: Any) -> Any:
    comp = component(ctx.daemon, "rules")
    svc = rules(ctx)
    for cand in (getattr(svc, "policies", None), getattr(comp, "policies", None), getattr(comp, "policy", None), svc):
        if method(cand, "set_policy") is not None:
            return cand
    return None
