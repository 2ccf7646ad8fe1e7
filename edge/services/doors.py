"""Door commands and door events: the safety-critical core.

Lifecycle of a command: ``pending`` (written durably BEFORE the relay fires) -> ``fired`` ->
``opened`` (sensor saw it open) | ``already_open`` (it was open when fired) | ``jammed`` (not seen open
within ``doors.confirm_timeout_s``) | ``failed`` (could not be put on the wire). A ``pending`` or
``fired`` command found at boot becomes ``unknown`` and is never fired again.

Everything that touches a door (sensor changes, confirmations, timeouts, left-open timers) goes
through one asyncio queue and is handled in order by one task, so there are no races between a
sensor change and a timeout. Purpose handlers (deposit, pickup, ...) are called inside the same
transaction as the door's own record, and may return new commands to fire after the commit.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from drivers.locks.base import DoorChange, DoorState, LockBank, LockBankError
from edge.aio import cancel_and_wait
from edge.clock import Clock, utc_iso
from edge.config import DoorsConfig
from edge.domain.text import REASON_MAX, check_text
from edge.errors import DomainError
from edge.hub import Hub
from edge.ids import uuid7
from edge.services import compartments as comps
from edge.store.db import Store, Tx

log = logging.getLogger(__name__)


class PurposeHandler(Protocol):
    def outcome_tx(self, tx: Tx, cmd: dict[str, Any], outcome: str) -> list[dict[str, Any]]:
        """The command resolved. Return new commands (created in tx) to fire after commit."""
        ...

    def closed_tx(self, tx: Tx, cmd: dict[str, Any]) -> list[dict[str, Any]]:
        """The door of a resolved command was seen closed again."""
        ...


@dataclass
class _Active:
    cmd: dict[str, Any]
    outcome: str | None = None


def set_door(tx: Tx, compartment: str, door: str) -> None:
    tx.execute(
        "UPDATE compartments SET door = ?, door_changed_at = ? WHERE id = ? AND door != ?",
        (door, tx.ts, compartment, door),
    )


def release_if_empty(tx: Tx, compartment: str) -> None:
    """After a door closes: a compartment with nothing in it any more is free again."""
    row = comps.get(tx, compartment)
    if row["state"] not in ("occupied", "reserved"):
        return
    n = tx.scalar(
        "SELECT COUNT(*) FROM parcels WHERE compartment_id = ? AND state IN ('stored','depositing')",
        (compartment,),
    )
    busy = tx.scalar(
        "SELECT COUNT(*) FROM deposits WHERE compartment_id = ? AND state IN ('depositing','cancelling')",
        (compartment,),
    )
    if not n and not busy:
        comps.set_state(tx, compartment, "free")


class _Generic:
    """Staff/HQ opens and removals: when the door closes, free the compartment if it is empty."""

    def outcome_tx(self, tx: Tx, cmd: dict[str, Any], outcome: str) -> list[dict[str, Any]]:
        return []

    def closed_tx(self, tx: Tx, cmd: dict[str, Any]) -> list[dict[str, Any]]:
        release_if_empty(tx, cmd["compartment_id"])
        return []


class DoorService:
    def __init__(self, store: Store, clock: Clock, cfg: DoorsConfig, hub: Hub) -> None:
        self.store = store
        self.clock = clock
        self.cfg = cfg
        self.hub = hub
        self.banks: dict[str, LockBank] = {}
        self.handlers: dict[str, PurposeHandler] = {"remote": _Generic(), "removal": _Generic()}
        self._active: dict[str, list[_Active]] = {}
        self._doors: dict[str, DoorState] = {}
        self._episode: dict[str, int] = {}
        self._queue: asyncio.Queue[tuple[Any, ...]] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        self._timers: set[asyncio.Task[None]] = set()
        #: called with (compartment, door) after each change is recorded (SSE, snapshots)
        self.listeners: list[Callable[[str, str], None]] = []

    # --- lifecycle ------------------------------------------------------------------------------
    def attach(self, bank: LockBank) -> None:
        for c in bank.compartments:
            self.banks[c] = bank

    def on_change(self, change: DoorChange) -> None:
        """Driver callback (always called on the loop)."""
        self._queue.put_nowait(("change", change.compartment, change.state))

    async def start(self) -> None:
        """Record the doors as the banks see them now. Opens nothing."""
        states: dict[str, DoorState] = {}
        for c, bank in self.banks.items():
            states[c] = bank.door_states().get(c, DoorState.UNKNOWN)
        self._doors = dict(states)

        def fn(tx: Tx) -> None:
            for c, st in states.items():
                set_door(tx, c, st.value)

        await self.store.write(fn)
        for c, st in states.items():
            if st is DoorState.OPEN:
                self._start_left_open_timer(c)
        self._worker = asyncio.create_task(self._run(), name="doors")

    async def stop(self) -> None:
        await cancel_and_wait([*self._timers, self._worker])
        self._worker = None

    async def drain(self) -> None:
        """Wait until every queued door item is handled (tests and the simulator use this)."""
        await self._queue.join()

    # --- commands -------------------------------------------------------------------------------
    def create_tx(
        self, tx: Tx, compartment: str, *, actor: str, reason: str, purpose: str, ref: str | None = None
    ) -> dict[str, Any]:
        """Write a pending command inside the caller's transaction. Fire it after commit."""
        if compartment not in self.banks:
            raise DomainError("compartment_unknown", f"no lock bank drives {compartment}", status=404)
        cmd = {
            "id": uuid7(tx.now),
            "compartment_id": compartment,
            "actor": actor,
            "reason": reason,
            "purpose": purpose,
            "ref": ref,
            "state": "pending",
            "created_at": tx.ts,
        }
        tx.execute(
            "INSERT INTO door_commands (id, compartment_id, actor, reason, purpose, ref, state, created_at)"
            " VALUES (:id, :compartment_id, :actor, :reason, :purpose, :ref, :state, :created_at)",
            cmd,
        )
        tx.audit(actor, "door.open", compartment, reason, purpose=purpose, command=cmd["id"], ref=ref)
        return cmd

    async def open(
        self, compartment: str, *, actor: str, reason: str, purpose: str = "remote", ref: str | None = None
    ) -> dict[str, Any]:
        """Open one door now (staff, HQ, removals). The reason is required and audited."""
        if not reason or not reason.strip():
            raise DomainError("reason_required", "opening a door needs a reason", status=422)
        check_text(reason, "reason", REASON_MAX)  # bounded, no control characters

        def fn(tx: Tx) -> dict[str, Any]:
            comps.get(tx, compartment)
            cmd = self.create_tx(tx, compartment, actor=actor, reason=reason, purpose=purpose, ref=ref)
            if purpose == "remote":
                tx.emit(
                    "staff.remote_open",
                    {"compartment": compartment, "actor": actor, "reason": reason, "command_id": cmd["id"]},
                )
            return cmd

        cmd = await self.store.write(fn)
        await self.fire(cmd)
        return {"command_id": cmd["id"], "compartment": compartment, "state": cmd["state"]}

    async def fire(self, cmd: dict[str, Any]) -> None:
        """Put an already-recorded pending command on the wire. Never call twice for one command."""
        c = cmd["compartment_id"]
        bank = self.banks[c]
        before = bank.door_states().get(c, DoorState.UNKNOWN)
        # several commands may be active on one door (a staff open during a deposit): each is
        # resolved and closed on its own, so none of them loses its close
        self._active.setdefault(c, []).append(_Active(cmd))
        try:
            await bank.open(c)
        except LockBankError as exc:
            log.warning("door %s: open command could not be sent: %s", c, exc)
            cmd["state"] = "failed"
            self._queue.put_nowait(("resolve", cmd["id"], c, "failed", str(exc)))
            return
        # 'fired' is kept in memory and written with the outcome: a crash before the outcome leaves the
        # command 'pending', which becomes 'unknown' at boot exactly as 'fired' would (ADR 0003). One
        # writer transaction less per door keeps pickups from queueing behind each other.
        cmd["state"] = "fired"
        cmd["fired_at"] = utc_iso(self.clock.now())
        if not bank.has_sensors:
            self._queue.put_nowait(("resolve", cmd["id"], c, "opened", "no door sensor"))
        elif before is DoorState.OPEN:
            self._queue.put_nowait(("resolve", cmd["id"], c, "already_open", ""))
        else:
            self._after(self.cfg.confirm_timeout_s, ("timeout", cmd["id"], c), real_time=True)

    # --- the ordered worker -----------------------------------------------------------------------
    async def _run(self) -> None:
        while True:
            item = await self._queue.get()
            try:
                await self._handle(item)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("door event %s failed", item[0])
            finally:
                self._queue.task_done()

    async def _handle(self, item: tuple[Any, ...]) -> None:
        kind = item[0]
        if kind == "change":
            await self._on_change(item[1], item[2])
        elif kind == "resolve":
            _, cmd_id, c, outcome, note = item
            act = self._find(c, cmd_id)
            if act and act.outcome is None:
                await self._resolve(act, outcome, note)
        elif kind == "timeout":
            _, cmd_id, c = item
            act = self._find(c, cmd_id)
            if act and act.outcome is None:
                await self._resolve(act, "jammed", f"not seen open within {self.cfg.confirm_timeout_s:g} s")
        elif kind == "left_open":
            _, c, episode = item
            if self._doors.get(c) is DoorState.OPEN and self._episode.get(c) == episode:
                await self._left_open(c)

    async def _on_change(self, c: str, state: DoorState) -> None:
        if c not in self.banks:
            log.warning("door change for unknown compartment %s ignored", c)
            return
        prev = self._doors.get(c)
        if prev is state:
            return
        self._doors[c] = state
        active = list(self._active.get(c, []))
        if state is DoorState.OPEN:
            self._episode[c] = self._episode.get(c, 0) + 1
            self._start_left_open_timer(c)
            waiting = [a for a in active if a.outcome is None]
            for act in waiting:
                await self._resolve(act, "opened", "")
            if not waiting:
                if any(a.outcome in ("opened", "already_open") for a in active):
                    await self.store.write(lambda tx: set_door(tx, c, "open"), durable=False)
                else:
                    await self._forced_open(c)
        elif state is DoorState.CLOSED:
            done = [a for a in active if a.outcome in ("opened", "already_open")]
            if done:
                self._active[c] = [a for a in active if a not in done]
                for act in done:
                    await self._closed(act)
            else:
                await self.store.write(lambda tx: set_door(tx, c, "closed"), durable=False)
        self._publish(c, state.value)

    async def _resolve(self, act: _Active, outcome: str, note: str) -> None:
        act.outcome = outcome
        cmd = act.cmd
        c = cmd["compartment_id"]
        handler = self.handlers.get(cmd["purpose"], self.handlers["remote"])

        def fn(tx: Tx) -> list[dict[str, Any]]:
            tx.execute(
                "UPDATE door_commands SET state = ?, fired_at = ?, resolved_at = ?, note = ? WHERE id = ?",
                (outcome, cmd.get("fired_at"), tx.ts, note or None, cmd["id"]),
            )
            cmd["state"] = outcome
            if outcome in ("opened", "already_open"):
                set_door(tx, c, "open")
                tx.emit(
                    "door.opened",
                    {
                        "compartment": c,
                        "command_id": cmd["id"],
                        "purpose": cmd["purpose"],
                        "actor": cmd["actor"],
                        "outcome": outcome,
                    },
                )
            elif outcome == "jammed":
                tx.emit("door.jammed", {"compartment": c, "command_id": cmd["id"], "purpose": cmd["purpose"]})
                comps.raise_fault(tx, c, "door_jammed", command_id=cmd["id"])
                tx.execute(
                    "INSERT INTO tasks (kind, compartment_id, title, created_at) VALUES (?, ?, ?, ?)",
                    ("door_jammed", c, f"Door {c} did not open; check the lock", tx.ts),
                )
            elif outcome == "failed":
                comps.raise_fault(tx, c, "lock_board_unreachable", error=note)
            return handler.outcome_tx(tx, cmd, outcome)

        # an opening is advisory until the close commits; a jam or failure is recorded durably now
        follow = await self.store.write(fn, durable=outcome in ("jammed", "failed"))
        if outcome in ("jammed", "failed"):
            self._active[c] = [a for a in self._active.get(c, []) if a is not act]
            log.warning("door %s %s (command %s, %s)", c, outcome, cmd["id"], cmd["purpose"])
        for new in follow:
            await self.fire(new)

    async def _closed(self, act: _Active) -> None:
        cmd = act.cmd
        c = cmd["compartment_id"]
        handler = self.handlers.get(cmd["purpose"], self.handlers["remote"])

        def fn(tx: Tx) -> list[dict[str, Any]]:
            set_door(tx, c, "closed")
            tx.execute("UPDATE door_commands SET closed_at = ? WHERE id = ?", (tx.ts, cmd["id"]))
            return handler.closed_tx(tx, cmd)

        follow = await self.store.write(fn)
        for new in follow:
            await self.fire(new)

    async def _forced_open(self, c: str) -> None:
        def fn(tx: Tx) -> None:
            set_door(tx, c, "open")
            tx.emit("door.forced_open", {"compartment": c})
            tx.audit("system", "door.forced_open", c, "opened without a command")

        await self.store.write(fn)
        log.warning("door %s opened without a command (forced open)", c)

    async def _left_open(self, c: str) -> None:
        secs = self.cfg.left_open_after_s

        def fn(tx: Tx) -> None:
            tx.emit("door.left_open", {"compartment": c, "open_for_s": secs})
            tx.audit("system", "door.left_open", c, f"open for more than {secs:g} s")

        await self.store.write(fn)
        self.hub.publish("alarm", {"kind": "door.left_open", "compartment": c})

    # --- timers -----------------------------------------------------------------------------------
    def _start_left_open_timer(self, c: str) -> None:
        self._after(self.cfg.left_open_after_s, ("left_open", c, self._episode.get(c, 0)), real_time=False)

    def _after(self, seconds: float, item: tuple[Any, ...], *, real_time: bool) -> None:
        async def later() -> None:
            # hardware confirmation is real time; alarms follow the (possibly simulated) site clock
            if real_time:
                await asyncio.sleep(seconds)
            else:
                await self.clock.sleep(seconds)
            self._queue.put_nowait(item)

        task = asyncio.create_task(later())
        self._timers.add(task)
        task.add_done_callback(self._timers.discard)

    def _find(self, c: str, cmd_id: str) -> _Active | None:
        return next((a for a in self._active.get(c, []) if a.cmd["id"] == cmd_id), None)

    def _publish(self, c: str, door: str) -> None:
        self.hub.publish("door", {"compartment": c, "door": door})
        for cb in self.listeners:
            try:
                cb(c, door)
            except Exception:
                log.exception("door listener failed")

    def door_state(self, c: str) -> str:
        st = self._doors.get(c)
        return st.value if st else "unknown"


def reconcile_boot(tx: Tx) -> dict[str, int]:
    """At boot, before any door can move: settle what a crash left unfinished. Opens nothing.

    * a ``pending``/``fired`` command has an unknown outcome: marked ``unknown``, never re-fired;
    * a command whose door opened but whose close was never handled is closed off as interrupted;
    * an unfinished deposit is marked failed and its compartment held for a staff check (the parcel
      may or may not be inside); staff resolve it from the console.
    """
    counts = {"unknown_commands": 0, "interrupted_deposits": 0}
    for cmd in tx.all("SELECT * FROM door_commands WHERE state IN ('pending','fired')"):
        tx.execute(
            "UPDATE door_commands SET state = 'unknown', resolved_at = ?, note = ? WHERE id = ?",
            (tx.ts, "outcome unknown after a restart; not fired again", cmd["id"]),
        )
        tx.audit("system", "door.command_unknown", cmd["compartment_id"], "restart", command=cmd["id"])
        _check_task(tx, cmd["compartment_id"], f"Restart during a door command ({cmd['purpose']}): check {cmd['compartment_id']}")
        counts["unknown_commands"] += 1
    for cmd in tx.all(
        "SELECT * FROM door_commands WHERE state IN ('opened','already_open') AND closed_at IS NULL"
    ):
        tx.execute(
            "UPDATE door_commands SET closed_at = ?, note = ? WHERE id = ?",
            (tx.ts, "close not seen before a restart", cmd["id"]),
        )
        if cmd["purpose"] not in ("deposit", "deposit_cancel"):
            _check_task(tx, cmd["compartment_id"], f"Restart while {cmd['compartment_id']} was open ({cmd['purpose']}): check it")
    for dep in tx.all("SELECT * FROM deposits WHERE state IN ('depositing','cancelling')"):
        tx.execute(
            "UPDATE deposits SET state = 'failed', failure = 'interrupted', updated_at = ? WHERE id = ?",
            (tx.ts, dep["id"]),
        )
        c = dep["compartment_id"]
        if c:
            comps.set_state(tx, c, "fault", "check_after_interrupted_deposit|was=reserved")
            tx.execute(
                "INSERT INTO tasks (kind, parcel_id, compartment_id, title, detail, created_at)"
                " VALUES ('interrupted_deposit', ?, ?, ?, ?, ?)",
                (
                    dep["parcel_id"],
                    c,
                    f"Deposit into {c} was interrupted by a restart: open it, then confirm stored or empty",
                    f'{{"deposit_id": "{dep["id"]}"}}',
                    tx.ts,
                ),
            )
        tx.log(dep["parcel_id"], "deposit_interrupted", "system", deposit_id=dep["id"], compartment=c)
        tx.audit("system", "deposit.interrupted", c or "", "restart during deposit", deposit=dep["id"])
        counts["interrupted_deposits"] += 1
    return counts


def _check_task(tx: Tx, compartment: str, title: str) -> None:
    tx.execute(
        "INSERT INTO tasks (kind, compartment_id, title, created_at) VALUES ('check_compartment', ?, ?, ?)",
        (compartment, title, tx.ts),
    )
