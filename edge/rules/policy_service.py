"""The policy in force: the site config's, or a newer version set at run time (console, `policy.set`).

Versions only move forward: a document whose version is not newer than the one in force is refused.
A document is complete: keys it leaves out take their defaults, not the values in force.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from edge.clock import parse_iso
from edge.errors import Conflict, DomainError
from edge.policy import Policy
from edge.store.db import Store, Tx

log = logging.getLogger(__name__)


def _explain(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        key = ".".join(str(x) for x in err["loc"]) or "(document)"
        msg = "unknown key" if err["type"] == "extra_forbidden" else err["msg"].removeprefix("Value error, ")
        parts.append(f"{key}: {msg}")
    return "; ".join(parts)


def stored_policy(tx: Tx) -> tuple[Policy, str, str] | None:
    """The newest stored policy document, with who set it and when (None if none)."""
    row = tx.one("SELECT doc, actor, set_at FROM policy_versions ORDER BY version DESC LIMIT 1")
    if row is None:
        return None
    try:
        return Policy.model_validate_json(row["doc"]), row["actor"], row["set_at"]
    except ValidationError:
        log.exception("stored policy document no longer validates; using the site config's")
        return None


def effective_policy(tx: Tx, base: Policy) -> Policy:
    return effective_policy_since(tx, base)[0]


def effective_policy_since(tx: Tx, base: Policy) -> tuple[Policy, datetime | None]:
    """The policy in force and when it was set at run time (None: the site config's)."""
    found = stored_policy(tx)
    if found is not None and found[0].version > base.version:
        return found[0], parse_iso(found[2])
    return base, None


#: meta key: the stored policy's currency was checked once (a database written before fix40)
CURRENCY_CHECKED = "policy.currency_checked"


def migrate_old_currency(tx: Tx, site_currency: str) -> int | None:
    """Once per database: a stored policy written before fix40 names `storage_fee.currency = "CNY"` because that
    was the default and could not be left empty; at a site whose country's currency is another (HKD in Hong Kong)
    it is rewritten to empty, the site's own, in place (same version, same amounts) and audited in words. Returns
    the version rewritten, or None. A site that sets CNY after this check keeps it."""
    if tx.meta_get(CURRENCY_CHECKED) is not None:
        return None
    tx.meta_set(CURRENCY_CHECKED, "1")
    if site_currency == "CNY":
        return None
    row = tx.one("SELECT version, doc FROM policy_versions ORDER BY version DESC LIMIT 1")
    if row is None:
        return None
    try:
        doc = json.loads(row["doc"])
    except ValueError:
        return None
    fee = doc.get("storage_fee") if isinstance(doc, dict) else None
    if not isinstance(fee, dict) or str(fee.get("currency") or "").upper() != "CNY":
        return None
    fee["currency"] = ""
    tx.execute("UPDATE policy_versions SET doc = ? WHERE version = ?",
               (json.dumps(doc, ensure_ascii=False, sort_keys=True), row["version"]))
    tx.audit("system", "policy.currency", f"policy v{row['version']}", "old default currency")
    log.warning("stored policy v%s named CNY (the old default); the storage fee is now in %s, the site's currency",
                row["version"], site_currency)
    return int(row["version"])


class PolicyService:
    def __init__(self, store: Store, base: Policy) -> None:
        self.store = store
        self.base = base
        self._current = base
        self._since: datetime | None = None
        #: called with the new policy after a change commits (the engine reschedules)
        self.listeners: list[Any] = []

    def current(self) -> Policy:
        return self._current

    def since(self) -> datetime | None:
        """When the policy in force was set at run time (None for the site config's policy).

        Reminders the new policy would have sent before this instant are not sent late.
        """
        return self._since

    async def load(self) -> Policy:
        self._current, self._since = await self.store.read(lambda tx: effective_policy_since(tx, self.base))
        if self._current is not self.base:
            log.info("policy version %s in force (stored; site config has %s)", self._current.version,
                     self.base.version)
        return self._current

    def load_sync(self) -> Policy:
        self._current, self._since = self.store.read_sync(lambda tx: effective_policy_since(tx, self.base))
        return self._current

    def validate(self, doc: Any) -> Policy:
        if isinstance(doc, Policy):
            return doc
        if not isinstance(doc, dict):
            raise DomainError("policy_invalid", "a policy document must be a JSON object")
        if "version" not in doc:
            raise DomainError("policy_invalid", "version: a policy document needs a version number")
        try:
            return Policy.model_validate(doc)
        except ValidationError as exc:
            raise DomainError("policy_invalid", _explain(exc)) from None

    def _set(self, tx: Tx, policy: Policy, actor: str, source: str) -> tuple[Policy, datetime]:
        in_force = effective_policy(tx, self.base)
        if policy.version <= in_force.version:
            raise Conflict(
                "policy_version_old",
                f"policy version {policy.version} is not newer than the version in force ({in_force.version})",
                current_version=in_force.version,
            )
        doc = policy.model_dump(mode="json")
        tx.execute(
            "INSERT INTO policy_versions (version, doc, actor, source, set_at) VALUES (?, ?, ?, ?, ?)",
            (policy.version, json.dumps(doc, ensure_ascii=False, sort_keys=True), actor, source, tx.ts),
        )
        tx.audit(actor, "policy.set", f"policy v{policy.version}", source, previous=in_force.version)
        # every stored parcel is rescheduled under the new clocks on the next sweep
        tx.execute("UPDATE rule_schedule SET next_due_at = ''")
        return policy, tx.now

    async def set_policy(self, doc: dict[str, Any] | Policy, actor: str, source: str = "console") -> Policy:
        policy = self.validate(doc)
        new, since = await self.store.write(lambda tx: self._set(tx, policy, actor, source))
        self._changed(new, since)
        return new

    def set_policy_sync(self, doc: dict[str, Any] | Policy, actor: str, source: str = "cli") -> Policy:
        policy = self.validate(doc)
        new, since = self.store.write_sync(lambda tx: self._set(tx, policy, actor, source))
        self._changed(new, since)
        return new

    def _changed(self, new: Policy, since: datetime) -> None:
        self._current, self._since = new, since
        log.info("policy version %s set", new.version)
        for fn in self.listeners:
            try:
                fn(new)
            except Exception:
                log.exception("policy listener failed")
