"""Resident pickup by code at the kiosk: lockout first, then open every door the code covers.

A parcel becomes ``collected`` when its door is seen closed again after opening (or as soon as the
door has fired, on hardware without a door sensor).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

from edge.domain import codes as codemath
from edge.domain.parcel import ParcelState
from edge.errors import DomainError
from edge.logsetup import register_code_length
from edge.policy import Policy
from edge.services import attempts, refusals
from edge.services.doors import DoorService, release_if_empty, set_door
from edge.services.lifecycle import Event, Notice, ParcelLifecycle, Timeline
from edge.services.notifier import Notifier
from edge.services.pickup_followup import PickupFollowUp, StaffOpenHandler
from edge.store.db import Store, Tx

log = logging.getLogger(__name__)

SITE_SCOPE = "pickup:site"


class PickupService(PickupFollowUp):
    #: after firing, let the other pickups woken by the same commit fire before this one answers
    YIELD_AFTER_FIRE = True

    def __init__(self, store: Store, doors: DoorService, notifier: Notifier, policy_fn: Callable[[], Policy]) -> None:
        self.store = store
        self.doors = doors
        self.notifier = notifier
        self.lifecycle = ParcelLifecycle(notifier)
        self._policy = policy_fn
        doors.handlers["pickup"] = self
        # a parcel's door opened by staff for the resident: collected when it has opened and closed again
        doors.handlers["remote"] = StaffOpenHandler(self.lifecycle, doors, doors.handlers["remote"])
        register_code_length(self.policy.pickup_code.length)  # logs mask runs of this length anywhere

    @property
    def policy(self) -> Policy:
        return self._policy()

    async def submit(self, code: str, *, kiosk: str = "kiosk") -> dict[str, Any]:
        pc = self.policy.pickup_code
        normal = codemath.normalise_code(code or "")
        kscope = f"pickup:kiosk:{kiosk}"
        deadline = self.doors.cfg.request_deadline_s
        stall = self.doors.watch.recent_stall(within_s=1.0, min_len_s=deadline)
        if stall is not None:
            # the process stood still longer than the kiosk waits: this request may have been sent
            # during the freeze by someone who has since walked away. Never open a door for it.
            log.warning("pickup request right after a %.0f s stall not acted on", stall[1] - stall[0])
            raise DomainError(
                "request_expired",
                "the locker was busy and this request is too old; please enter the code again",
                status=409,
            )

        def fn(tx: Tx) -> dict[str, Any] | DomainError:
            # six statements for a one-parcel pickup (perf18; ten before): both lockout scopes in one read and
            # one write, the parcels with their compartment's state and pending command in one query, then
            # the command, its audit line and the timeline line
            ks, ss = attempts.load_many(tx, kscope, SITE_SCOPE)
            codemath.refill(ss, pc, tx.now)
            verdict = codemath.check(ks, ss, pc, tx.now)
            if not verdict.allowed:
                return DomainError(
                    "too_many_attempts",
                    "too many wrong codes; please wait before trying again",
                    status=429,
                    retry_after=verdict.retry_after_s,
                )
            rows = []
            if normal is not None and len(normal) == pc.length:
                rows = tx.all(PICKUP_ROWS_SQL, (normal,))
            if not rows:
                locked = codemath.record_failure(ks, ss, pc, tx.now)
                attempts.save_many(tx, {kscope: ks, SITE_SCOPE: ss}, tx.now)
                if locked or ss.tokens < 1:
                    scope = "kiosk" if locked else "site"
                    tx.emit(
                        "security.code_lockout",
                        {"kiosk": kiosk, "scope": scope, "until": ks.locked_until.isoformat() if locked and ks.locked_until else None},
                    )
                    tx.audit("kiosk:" + kiosk, "security.code_lockout", kiosk, f"{scope} locked after wrong codes")
                return DomainError(
                    "code_invalid",
                    "that pickup code is not valid",
                    status=404,
                    attempts_left=codemath.attempts_left(ks, ss, pc, tx.now),
                )
            codemath.record_success(ks, tx.now)
            attempts.save_many(tx, {kscope: ks, SITE_SCOPE: ss}, tx.now)
            lockers = [r for r in rows if r["compartment_id"]]
            at_desk = [r for r in rows if not r["compartment_id"]]
            cmds = []
            busy = self.doors.active_refs("pickup")
            doors: dict[str, str] = {}
            for r in lockers:
                if r["compartment_id"] in doors:
                    continue
                if r["compartment_state"] == "fault":
                    # a door that jammed already: say so now (no second command, no second task)
                    doors[r["compartment_id"]] = "jammed"
                    continue
                doors[r["compartment_id"]] = "opening"
                if r["id"] in busy or r["pickup_pending"]:
                    # the same code at a second kiosk (or a double tap): one open command per parcel
                    tx.log(r["id"], "pickup_repeat_ignored", "kiosk:" + kiosk)
                    continue
                cmds.append(
                    self.doors.create_tx(
                        tx, r["compartment_id"], actor="resident:" + (r["unit"] or ""), reason="pickup",
                        purpose="pickup", ref=r["id"],
                    )
                )
                tx.log(r["id"], "pickup_opened", "kiosk:" + kiosk)
            return {
                "parcels": [{"parcel_id": r["id"], "compartment": r["compartment_id"],
                             "door": doors[r["compartment_id"]]} for r in lockers],
                "at_desk": len(at_desk),
                "cmds": cmds,
            }

        # urgent: ahead of the writes already waiting (other doors' outcomes and closes), so a resident's
        # door is not queued behind the follow-up of everyone else's pickup (issue 18)
        res = await self.store.write(fn, urgent=True)
        if isinstance(res, DomainError):
            raise res
        cmds: list[Any] = res.pop("cmds")
        for cmd in cmds:
            await self.doors.fire(cmd)
        if cmds and self.YIELD_AFTER_FIRE:
            # the pickups of one group commit wake together, one after another on this loop: step aside once,
            # so that theirs fire now rather than after this one's answer is validated, encoded and sent
            # (decision 0032: the slowest 1% shared their commit with other pickups)
            await asyncio.sleep(0)
        if not res["parcels"] and res["at_desk"]:
            res["message"] = "your parcels are at the parcel-room desk"
        return res

    # --- door events (PurposeHandler) ------------------------------------------------------------
    def outcome_tx(self, tx: Tx, cmd: dict[str, Any], outcome: str) -> list[dict[str, Any]]:
        bank = self.doors.banks.get(cmd["compartment_id"])
        if outcome == "opened" and bank is not None and not bank.has_sensors:
            self._collect(tx, cmd)  # no sensor: opening is all we will ever see
        elif outcome in ("jammed", "failed"):
            tx.log(cmd["ref"], "pickup_door_failed", "system", outcome=outcome)
            open_task(tx, "pickup_failed", cmd["ref"], cmd["compartment_id"],
                      f"A resident could not open {cmd['compartment_id']}: hand the parcel over")
        return []

    def closed_tx(self, tx: Tx, cmd: dict[str, Any]) -> list[dict[str, Any]]:
        self._collect(tx, cmd)
        return []

    def _collect(self, tx: Tx, cmd: dict[str, Any]) -> None:
        p = tx.one("SELECT * FROM parcels WHERE id = ?", (cmd["ref"],))
        if p is None or p["state"] != "stored":
            return
        if refusals.refused(tx, p["id"]):  # the resident put it back and refused it: it stays stored
            set_door(tx, cmd["compartment_id"], "closed")
            return
        self.lifecycle.move(
            tx, p, ParcelState.COLLECTED, actor=cmd["actor"],
            timeline=Timeline("collected", {"compartment": cmd["compartment_id"]}),
            event=Event("parcel.collected", {
                "parcel_id": p["id"], "tracking_number": p["tracking_number"], "compartment": p["compartment_id"],
                "unit": p["unit"], "method": "kiosk_code"}),
            notice=Notice("collected"),
        )
        close_tasks(tx, p["id"], cmd["actor"])
        set_door(tx, cmd["compartment_id"], "closed")
        release_if_empty(tx, cmd["compartment_id"])


#: the stored parcels a code opens, each with its compartment's state and whether a pickup command for it is
#: written and not yet done (door_commands_open, a partial index, keeps that cheap). ``+p.state``: the code is
#: looked up by its own index (parcels_code); on ``p.state = 'stored'`` SQLite chose parcels_state instead and
#: read every stored parcel of the site (1.4-2.6 ms of CPU at 10,000 stored in memory, 0.013-0.028 ms now; the
#: whole pickup write 5.0-5.7 ms -> 0.66-0.68 ms in the daemon: docs/performance.md, perf18)
PICKUP_ROWS_SQL = (
    "SELECT p.*, c.state AS compartment_state, EXISTS (SELECT 1 FROM door_commands d WHERE d.state IN"
    " ('pending','fired') AND d.ref = p.id AND d.purpose = 'pickup') AS pickup_pending"
    " FROM parcels p LEFT JOIN compartments c ON c.id = p.compartment_id"
    " WHERE p.pickup_code = ? AND +p.state = 'stored' ORDER BY p.compartment_id"
)


def open_task(tx: Tx, kind: str, parcel_id: str | None, compartment: str | None, title: str,
              **detail: Any) -> None:
    """One open task per (kind, parcel): a second jam or a second report does not add another."""
    if tx.scalar("SELECT COUNT(*) FROM tasks WHERE state = 'open' AND kind = ? AND parcel_id IS ?",
                 (kind, parcel_id)):
        return
    tx.execute(
        "INSERT INTO tasks (kind, parcel_id, compartment_id, title, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (kind, parcel_id, compartment, title, json.dumps(detail, ensure_ascii=False), tx.ts),
    )


def close_tasks(tx: Tx, parcel_id: str, who: str) -> None:
    """The parcel reached its resident: its 'hand it over' tasks are done by themselves."""
    tx.execute(
        "UPDATE tasks SET state = 'done', done_at = ?, done_by = ? WHERE state = 'open' AND parcel_id = ?"
        " AND kind IN ('pickup_failed', 'door_jammed', 'restart_unknown')",
        (tx.ts, who, parcel_id),
    )
