"""The rules sweep: idempotent, in order, on the injected clock.

Each sweep (1) plans parcels marked due-now by the triggers (``next_due_at = ''``), then (2) runs the
actions due, in batches, in global time order: a batch is cut at the next-due instant of the first
parcel it leaves out (the *horizon*), so after a week without power every action is done once, in the
order it fell due. An action is recorded in ``rule_actions`` (UNIQUE(parcel_id, action)) in the same
transaction as its stage change, event, notification and task, so a crash never half-does one and a
second sweep never repeats one.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from edge.clock import parse_iso, utc_iso
from edge.policy import Policy
from edge.rules.actions import ActionHandlers, reminder_number
from edge.rules.calendar import WorkCalendar
from edge.rules.schedule import ORDER, Action, next_pending, plan
from edge.services.notifier import Notifier
from edge.store.db import Store, Tx

log = logging.getLogger(__name__)

NEVER = "9999-12-31T23:59:59.999Z"
#: messages that are pointless late: not sent when a new policy puts them before its own start
SKIPPABLE = frozenset({"reminder", "fee_notice"})
ROW_SQL = (
    "SELECT s.next_due_at, p.id, p.state, p.tracking_number, p.carrier, p.unit, p.phone_tail, p.category, p.stage,"
    " p.compartment_id, p.shelf_slot, p.pickup_code, p.hold_until, p.stored_at, p.created_at"
    # CROSS JOIN keeps rule_schedule (and its next_due_at index) as the outer loop
    " FROM rule_schedule s CROSS JOIN parcels p ON p.id = s.parcel_id"
)


@dataclass
class SweepResult:
    planned: int = 0
    actions: Counter[str] = field(default_factory=Counter)
    rounds: int = 0

    @property
    def total(self) -> int:
        return sum(self.actions.values())


class RulesEngine(ActionHandlers):
    def __init__(
        self,
        store: Store,
        policy: Callable[[], Policy],
        calendar: WorkCalendar,
        notifier: Notifier,
        *,
        site_name: str = "",
        desk: tuple[str, str, str, str] = ("", "", "", ""),
        batch: int = 500,
        policy_since: Callable[[], datetime | None] | None = None,
    ) -> None:
        self.store = store
        self.policy = policy
        #: when the policy in force was set at run time: reminders it would have sent earlier are skipped
        self.policy_since = policy_since or (lambda: None)
        self.calendar = calendar
        self.notifier = notifier
        self.site_name = site_name or notifier.site_name
        self.desk = desk
        self.batch = batch
        self._grouped = {}

    # --- loading -----------------------------------------------------------------------------------
    def _context(self, tx: Tx, rows: list[dict[str, Any]]) -> dict[str, tuple[list[Any], dict[str, datetime]]]:
        """Pauses and done actions for a batch of parcels, in three queries."""
        ids = [r["id"] for r in rows]
        units = sorted({r["unit"] for r in rows if r["unit"]})
        pauses: dict[str, list[tuple[datetime, datetime]]] = {i: [] for i in ids}
        unit_pauses: dict[str, list[tuple[datetime, datetime]]] = {u: [] for u in units}
        done: dict[str, dict[str, datetime]] = {i: {} for i in ids}
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            for p in tx.all(f"SELECT parcel_id, start_at, until FROM rule_pauses WHERE parcel_id IN ({marks})", chunk):
                pauses[p["parcel_id"]].append((parse_iso(p["start_at"]), parse_iso(p["until"])))
            for a in tx.all(f"SELECT parcel_id, action, done_at FROM rule_actions WHERE parcel_id IN ({marks})", chunk):
                done[a["parcel_id"]][a["action"]] = parse_iso(a["done_at"])
        for chunk in _chunks(units, 500):
            marks = ",".join("?" * len(chunk))
            for p in tx.all(f"SELECT unit, start_at, until FROM rule_pauses WHERE unit IN ({marks})", chunk):
                unit_pauses[p["unit"]].append((parse_iso(p["start_at"]), parse_iso(p["until"])))
        out = {}
        for r in rows:
            own = pauses[r["id"]]
            if r["hold_until"] and not own:
                # a hold written without the trigger (direct insert): pause from storing to its end
                own = [(r["stored_at"], parse_iso(r["hold_until"]))]
            out[r["id"]] = (own + unit_pauses.get(r["unit"] or "", []), done[r["id"]])
        return out

    @staticmethod
    def _prepare(rows: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
        for r in rows:
            if isinstance(r["stored_at"], datetime):
                continue
            for raw in (r["stored_at"], r["created_at"]):
                try:
                    r["stored_at"] = parse_iso(raw)
                    break
                except (ValueError, TypeError, AttributeError):
                    continue
            else:
                log.warning("parcel %s has no usable stored_at/created_at; its clock starts now", r["id"])
                r["stored_at"] = now
        return rows

    def plans(self, tx: Tx, rows: list[dict[str, Any]], now: datetime) -> dict[str, list[Action]]:
        rows = self._prepare(rows, now)
        ctx = self._context(tx, rows)
        policy = self.policy()
        return {r["id"]: plan(r, policy, self.calendar, ctx[r["id"]][0], ctx[r["id"]][1], now=now) for r in rows}

    # --- sweeping ----------------------------------------------------------------------------------
    @staticmethod
    def _anything_due(tx: Tx) -> bool:
        return tx.scalar("SELECT 1 FROM rule_schedule WHERE next_due_at <= ? LIMIT 1", (tx.ts,)) is not None

    async def sweep(self) -> SweepResult:
        result = SweepResult()
        if not await self.store.read(self._anything_due):
            return result  # an idle sweep costs one indexed read and no commit (no fsync)
        while True:
            n = await self.store.write(lambda tx: self._plan_round(tx, result))
            if n < self.batch:
                break
        while True:
            more = await self.store.write(lambda tx: self._act_round(tx, result))
            if not more:
                break
        if result.total:
            log.info("rules sweep: %s action(s) %s", result.total, dict(result.actions))
        return result

    def sweep_sync(self) -> SweepResult:
        result = SweepResult()
        if not self.store.read_sync(self._anything_due):
            return result
        while self.store.write_sync(lambda tx: self._plan_round(tx, result)) >= self.batch:
            pass
        while self.store.write_sync(lambda tx: self._act_round(tx, result)):
            pass
        return result

    def _reschedule(self, tx: Tx, plans: dict[str, list[Action]]) -> None:
        updates = []
        for pid, actions in plans.items():
            nxt = next_pending(actions)
            updates.append((utc_iso(nxt.due_at) if nxt else NEVER, nxt.name if nxt else "", pid))
        tx.conn.executemany("UPDATE rule_schedule SET next_due_at = ?, next_action = ? WHERE parcel_id = ?", updates)

    def _plan_round(self, tx: Tx, result: SweepResult) -> int:
        fetched = tx.all(ROW_SQL + " WHERE s.next_due_at = '' LIMIT ?", (self.batch,))
        rows = self._drop_closed(tx, fetched)
        if rows:
            self._reschedule(tx, self.plans(tx, rows, tx.now))
            result.planned += len(rows)
        return len(fetched)

    @staticmethod
    def _drop_closed(tx: Tx, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Schedule rows of parcels no longer stored (the trigger normally removes them) are dropped."""
        gone = [(r["id"],) for r in rows if r["state"] != "stored"]
        if gone:
            tx.conn.executemany("DELETE FROM rule_schedule WHERE parcel_id = ?", gone)
            rows = [r for r in rows if r["state"] == "stored"]
        return rows

    def _act_round(self, tx: Tx, result: SweepResult) -> bool:
        result.rounds += 1
        now = tx.now
        rows = tx.all(
            ROW_SQL + " WHERE s.next_due_at <= ? ORDER BY s.next_due_at LIMIT ?",
            (tx.ts, self.batch + 1),
        )
        if not rows:
            return False
        if any(r["state"] != "stored" for r in rows):
            self._drop_closed(tx, rows)
            return True
        horizon = now
        more = len(rows) > self.batch
        if more:
            horizon = min(now, parse_iso(rows[-1]["next_due_at"])) if rows[-1]["next_due_at"] else now
            rows = rows[: self.batch]
        by_id = {r["id"]: r for r in rows}
        plans = self.plans(tx, rows, now)
        due: list[tuple[Action, str]] = []
        for pid, actions in plans.items():
            due += [(a, pid) for a in actions if a.done_at is None and not a.projected and a.due_at <= horizon]
        due.sort(key=lambda x: (*x[0].sort_key, x[1]))
        for pid, actions in plans.items():
            # the reminders tell the resident when the parcel becomes overdue (holds and vacations shift it)
            overdue = next((a.due_at for a in actions if a.name == "overdue"), None)
            if overdue is not None:
                by_id[pid]["overdue_at"] = overdue
        for action, pid in due:  # the last reminder a parcel owes in this round is the one sent (actions.py)
            if action.kind == "reminder":
                by_id[pid]["reminder_last"] = max(int(by_id[pid].get("reminder_last") or 0),
                                                  reminder_number(action.name))
        since = self.policy_since()

        def policy_skips(action: Action) -> bool:
            return since is not None and action.kind in SKIPPABLE and action.due_at < since

        # parcels of one recipient under one code due the same kind of message in this round: one message
        members: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for action, pid in due:
            if policy_skips(action):
                continue
            if (key := self.group_key(tx, by_id[pid], action.kind, action.name)) is not None:
                members.setdefault(key, []).append(by_id[pid])
        self._grouped = self.make_groups(tx, members)
        try:
            for action, pid in due:
                if policy_skips(action):
                    self._skip(tx, by_id[pid], action, "policy changed after it fell due")
                    result.actions["skipped"] += 1
                elif self._perform_safely(tx, by_id[pid], action):
                    result.actions[action.kind] += 1
            self.send_groups(tx)
        finally:
            self._grouped = {}
        touched = [by_id[pid] for pid in {pid for _a, pid in due}]
        if touched:
            # done times changed: plan again (disposal now counts from the notice actually posted)
            plans.update(self.plans(tx, touched, now))
        self._reschedule(tx, plans)
        return more

    # --- one action ---------------------------------------------------------------------------------
    @staticmethod
    def _skip(tx: Tx, parcel: dict[str, Any], action: Action, why: str) -> None:
        tx.execute(
            "INSERT OR IGNORE INTO rule_actions (parcel_id, action, due_at, done_at, actor, detail)"
            " VALUES (?, ?, ?, ?, 'rules', ?)",
            (parcel["id"], action.name, utc_iso(action.due_at), tx.ts, json.dumps({"skipped": why})),
        )

    def _perform_safely(self, tx: Tx, parcel: dict[str, Any], action: Action) -> bool:
        """perform() inside a savepoint: one bad parcel is recorded as failed and never blocks the others."""
        tx.execute("SAVEPOINT rule_action")
        try:
            done = self.perform(tx, parcel, action)
        except Exception as exc:
            tx.execute("ROLLBACK TO rule_action")
            tx.execute("RELEASE rule_action")
            if (group := self._grouped.get((parcel["id"], action.kind))) is not None:
                group.performed = [p for p in group.performed if p["id"] != parcel["id"]]
            log.exception("rules: %s for parcel %s failed; recorded as failed, not retried", action.name, parcel["id"])
            tx.execute(
                "INSERT OR IGNORE INTO rule_actions (parcel_id, action, due_at, done_at, actor, detail)"
                " VALUES (?, ?, ?, ?, 'rules', ?)",
                (parcel["id"], action.name, utc_iso(action.due_at), tx.ts,
                 json.dumps({"failed": type(exc).__name__, "message": str(exc)[:200]})),
            )
            return False
        tx.execute("RELEASE rule_action")
        return done

    # --- preview -------------------------------------------------------------------------------------
    def preview(self, tx: Tx, at: datetime) -> list[dict[str, Any]]:
        """What the rules would do by `at` (read-only). Includes projected disposals."""
        rows = tx.all(
            ROW_SQL + " WHERE s.next_due_at <= ? AND p.state = 'stored'", (utc_iso(at),)
        )
        meta = {r["id"]: r for r in rows}
        since = self.policy_since()
        out = []
        for pid, actions in self.plans(tx, rows, tx.now).items():
            r = meta[pid]
            for a in actions:
                if a.done_at is None and a.due_at <= at:
                    out.append({
                        "due_at": utc_iso(a.due_at), "parcel_id": pid, "action": a.name, "projected": a.projected,
                        "tracking_number": r["tracking_number"], "unit": r["unit"], "category": r["category"],
                        "location": r["compartment_id"] or r["shelf_slot"],
                        "skipped": bool(since and a.kind in SKIPPABLE and a.due_at < since),
                    })
        out.sort(key=lambda o: (o["due_at"], ORDER.get(o["action"].split(":")[0], 9), o["action"], o["parcel_id"]))
        return out


def _chunks(items: list[Any], n: int) -> list[list[Any]]:
    return [items[i : i + n] for i in range(0, len(items), n)]
