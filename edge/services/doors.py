"""Door commands and door events: the safety-critical core.

Lifecycle of a command: ``pending`` (written durably BEFORE the relay fires) -> ``fired`` ->
``opened`` (sensor saw it open) | ``already_open`` (a fresh read saw it open when fired) | ``jammed``
(not seen open within ``doors.confirm_timeout_s`` + ``late_open_grace_s``, and a fresh read of the board
says closed) | ``unknown`` (the board did not answer the fresh read: the door may be open) | ``failed``
(could not be put on the wire). A ``pending`` or ``fired`` command found at boot becomes ``unknown``
and is never fired again. A timer that fired late because the process stood still (see
:mod:`edge.services.loopwatch`) never decides a jam: the command gets a fresh confirm window.

Nothing in memory changes before its record has committed. A write that fails (disk full, I/O
error) is retried, in order, until it lands; meanwhile the door is in the "record pending" state
(`record_pending`, the hub's ``door`` event carries ``"record": "pending"``).

Everything that touches a door (sensor changes, confirmations, timeouts, left-open timers) goes
through one asyncio queue and is handled in order by one task, so there are no races between a
sensor change and a timeout. Purpose handlers (deposit, pickup, ...) are called inside the same
transaction as the door's own record, and may return new commands to fire after the commit.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import time
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
from edge.services.door_boot import reconcile_boot  # noqa: F401  (kept importable from here)
from edge.services.loopwatch import LoopWatch
from edge.store.db import Store, StoreWriteError, Tx

log = logging.getLogger(__name__)


def jam_task(tx: Tx, c: str, command_id: str) -> int:
    """One open ``door_jammed`` task per door: a repeated jam updates it (how many, the last one)
    instead of adding another; clearing the door's fault closes it (CompartmentService.clear_fault)."""
    row = tx.one(
        "SELECT id, detail FROM tasks WHERE kind = 'door_jammed' AND compartment_id = ? AND state = 'open'"
        " ORDER BY id LIMIT 1",
        (c,),
    )
    if row is None:
        first = {"jams": 1, "first_at": tx.ts, "last_at": tx.ts, "command_id": command_id}
        cur = tx.execute(
            "INSERT INTO tasks (kind, compartment_id, title, detail, created_at) VALUES (?, ?, ?, ?, ?)",
            ("door_jammed", c, f"Door {c} did not open; check the lock", json.dumps(first), tx.ts),
        )
        return int(cur.lastrowid or 0)
    try:
        old = json.loads(row["detail"] or "{}")
    except ValueError:
        old = {}
    detail: dict[str, Any] = old if isinstance(old, dict) else {}
    jams = detail.get("jams")
    detail.update(jams=(jams if isinstance(jams, int) else 1) + 1, last_at=tx.ts, command_id=command_id)
    detail.setdefault("first_at", tx.ts)
    tx.execute("UPDATE tasks SET detail = ? WHERE id = ?", (json.dumps(detail), row["id"]))
    return int(row["id"])

class PurposeHandler(Protocol):
    def outcome_tx(self, tx: Tx, cmd: dict[str, Any], outcome: str) -> list[dict[str, Any]]:
        """The command resolved. Return new commands (created in tx) to fire after commit."""
        ...

    def closed_tx(self, tx: Tx, cmd: dict[str, Any]) -> list[dict[str, Any]]:
        """The door of a resolved command was seen closed again."""
        ...


#: after a jam, an uncommanded open of that door this soon is its late commanded open (audited), not an alarm
LATE_OPEN_WINDOW_S = 30.0
#: write failures worth retrying (the disk may get space again); anything else is a bug, logged once
RETRYABLE = (StoreWriteError, sqlite3.OperationalError, OSError)


@dataclass
class _Active:
    cmd: dict[str, Any]
    outcome: str | None = None
    #: time.monotonic() when the unlock went on the wire
    fired_mono: float = 0.0
    #: a confirm window was restarted after a stall (only once)
    rechecked: bool = False


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
        #: stalls of the process (SIGSTOP, swap): a late timer re-checks instead of deciding
        self.watch = LoopWatch(stall_s=max(0.5, min(2.0, cfg.confirm_timeout_s / 2)))
        self._left_timers: dict[str, asyncio.Task[None]] = {}
        #: compartment -> why its latest record has not been written yet (disk full...)
        self._record_pending: dict[str, str] = {}
        #: compartment -> time.monotonic() until which an open is the late commanded one, not forced
        self._late_ok: dict[str, float] = {}
        #: compartment -> (time.monotonic() of the last forced-open alarm, alarms suppressed since)
        self._forced: dict[str, tuple[float, int]] = {}
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

        def fn(tx: Tx) -> None:
            for c, st in states.items():
                set_door(tx, c, st.value)

        await self.store.write(fn)
        self._doors = dict(states)
        for c, st in states.items():
            if st is DoorState.OPEN:
                self._start_left_open_timer(c)
        self.watch.start(starting=True)  # until the daemon says it is ready (edge/daemon.py)
        self._worker = asyncio.create_task(self._run(), name="doors")

    async def stop(self) -> None:
        await cancel_and_wait([*self._timers, self._worker])
        await self.watch.stop()
        self._worker = None

    async def drain(self) -> None:
        """Wait until every queued door item is handled (tests and the simulator use this)."""
        await self._queue.join()

    # --- state for allocation, health and screens ------------------------------------------------------
    def unavailable(self) -> set[str]:
        """Compartments a deposit must not be given: their board does not answer or their door's state
        is unknown (a door on a dead board may be open, or may not open)."""
        out: set[str] = set()
        for c, bank in self.banks.items():
            if bank.has_sensors and self._doors.get(c, DoorState.UNKNOWN) is DoorState.UNKNOWN:
                out.add(c)
            elif bank.has_sensors and bank.door_states().get(c, DoorState.UNKNOWN) is DoorState.UNKNOWN:
                out.add(c)
        return out

    def active_refs(self, purpose: str) -> set[str]:
        """Refs of commands of this purpose fired and not yet closed (safe to call from the writer thread)."""
        out: set[str] = set()
        for acts in list(self._active.values()):
            for a in list(acts):
                if a.cmd.get("purpose") == purpose and a.outcome in (None, "opened", "already_open") and a.cmd.get("ref"):
                    out.add(a.cmd["ref"])
        return out

    def record_pending(self, c: str) -> bool:
        """Whether this door's latest record waits for the disk (retried until it lands)."""
        return c in self._record_pending

    def pending_records(self) -> dict[str, str]:
        """Every door whose record waits for the disk, with why."""
        return dict(self._record_pending)

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
        if before is DoorState.OPEN and bank.has_sensors:
            # "already open" is decided from the board now, not from a poll up to poll_interval_s old
            # (a door shutting as the courier presses cancel must not count as open)
            before = await bank.read_door(c)
        # several commands may be active on one door (a staff open during a deposit): each is
        # resolved and closed on its own, so none of them loses its close
        act = _Active(cmd)
        self._active.setdefault(c, []).append(act)
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
        act.fired_mono = time.monotonic()
        if not bank.has_sensors:
            self._queue.put_nowait(("resolve", cmd["id"], c, "opened", "no door sensor"))
        elif before is DoorState.OPEN:
            self._queue.put_nowait(("resolve", cmd["id"], c, "already_open", ""))
        else:
            self._after(self.cfg.confirm_timeout_s, ("timeout", cmd["id"], c, "confirm"), real_time=True)

    # --- the ordered worker -----------------------------------------------------------------------
    async def _run(self) -> None:
        while True:
            item = await self._queue.get()
            try:
                await self._handle_until_recorded(item)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("door event %s failed", item[0])
            finally:
                self._queue.task_done()

    async def _handle_until_recorded(self, item: tuple[Any, ...]) -> None:
        """Handle one item; if its write fails, retry it (the queue waits behind it, in order)."""
        c = str(item[1] if item[0] in ("change", "left_open") else item[2])
        delay = 0.2
        while True:
            try:
                await self._handle(item)
            except RETRYABLE as exc:
                if c not in self._record_pending:
                    why = getattr(exc, "detail", None) or str(exc)
                    log.error("door %s: its record could not be written (%s); retrying until it lands", c, why)
                    self._record_pending[c] = str(exc)
                    self._publish(c, self.door_state(c), record="pending")
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            if self._record_pending.pop(c, None) is not None:
                log.warning("door %s: its pending record is written now", c)
                self._publish(c, self.door_state(c), record="ok")
            return

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
            _, cmd_id, c, stage = item
            act = self._find(c, cmd_id)
            if act and act.outcome is None:
                await self._on_timeout(act, stage)
        elif kind == "left_open":
            _, c, episode = item
            if self._doors.get(c) is DoorState.OPEN and self._episode.get(c) == episode:
                await self._left_open(c)

    async def _on_timeout(self, act: _Active, stage: str) -> None:
        """The confirm timer ran out: ask the board before calling anything a jam."""
        cmd = act.cmd
        c = cmd["compartment_id"]
        fresh = await self.banks[c].read_door(c)
        if fresh is DoorState.OPEN:
            await self._resolve(act, "opened", f"seen open on a fresh read ({stage})")
            return
        if not act.rechecked and self.watch.stalled_since(act.fired_mono):
            # the process stood still: the timer says nothing about the door. Give it a fresh window.
            act.rechecked = True
            log.warning("door %s: confirm timer ran late after a stall; re-checking (command %s)", c, cmd["id"])
            self._after(self.cfg.confirm_timeout_s, ("timeout", cmd["id"], c, "recheck"), real_time=True)
            return
        if stage != "grace" and self.cfg.late_open_grace_s > 0:
            self._after(self.cfg.late_open_grace_s, ("timeout", cmd["id"], c, "grace"), real_time=True)
            return
        waited = self.cfg.confirm_timeout_s + self.cfg.late_open_grace_s
        if fresh is DoorState.UNKNOWN:
            await self._resolve(act, "unknown", f"board did not answer a fresh read after {waited:g} s; the door may be open")
        else:
            await self._resolve(act, "jammed", f"not seen open within {waited:g} s (fresh read: closed)")

    async def _on_change(self, c: str, state: DoorState) -> None:
        if c not in self.banks:
            log.warning("door change for unknown compartment %s ignored", c)
            return
        prev = self._doors.get(c)
        if prev is state:
            return
        active = list(self._active.get(c, []))
        if state is DoorState.OPEN:
            waiting = [a for a in active if a.outcome is None]
            for act in waiting:
                await self._resolve(act, "opened", "")
            if not waiting:
                if any(a.outcome in ("opened", "already_open", "unknown") for a in active):
                    await self.store.write(lambda tx: set_door(tx, c, "open"), durable=False)
                elif time.monotonic() < self._late_ok.get(c, 0.0):
                    await self._late_open(c)
                else:
                    await self._forced_open(c)
            self._episode[c] = self._episode.get(c, 0) + 1
            self._doors[c] = state
            self._start_left_open_timer(c)
        elif state is DoorState.CLOSED:
            for act in [a for a in active if a.outcome in ("opened", "already_open")]:
                await self._closed(act)
                self._active[c] = [a for a in self._active.get(c, []) if a is not act]
            if not any(a.outcome in ("opened", "already_open") for a in active):
                await self.store.write(lambda tx: set_door(tx, c, "closed"), durable=False)
            # an 'unknown' command's door has been seen again: it is settled (staff check it)
            self._active[c] = [a for a in self._active.get(c, []) if a.outcome != "unknown"]
            self._doors[c] = state
            self._cancel_left_open_timer(c)
        else:
            await self.store.write(lambda tx: set_door(tx, c, "unknown"), durable=False)
            self._doors[c] = state
        self._publish(c, state.value)

    async def _resolve(self, act: _Active, outcome: str, note: str) -> None:
        cmd = act.cmd
        c = cmd["compartment_id"]
        handler = self.handlers.get(cmd["purpose"], self.handlers["remote"])

        def fn(tx: Tx) -> list[dict[str, Any]]:
            tx.execute(
                "UPDATE door_commands SET state = ?, fired_at = ?, resolved_at = ?, note = ? WHERE id = ?",
                (outcome, cmd.get("fired_at"), tx.ts, note or None, cmd["id"]),
            )
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
                jam_task(tx, c, cmd["id"])
            elif outcome == "unknown":
                comps.raise_fault(tx, c, "door_unconfirmed", command_id=cmd["id"])
                tx.execute(
                    "INSERT INTO tasks (kind, compartment_id, title, created_at) VALUES ('check_compartment', ?, ?, ?)",
                    (c, f"The board of {c} did not answer after an open: check whether the door is open", tx.ts),
                )
            elif outcome == "failed":
                comps.raise_fault(tx, c, "lock_board_unreachable", error=note)
            return handler.outcome_tx(tx, {**cmd, "state": outcome}, outcome)

        # an opening is advisory until the close commits; a jam or failure is recorded durably now
        follow = await self.store.write(fn, durable=outcome in ("jammed", "failed", "unknown"), reserve=True)
        # only now, with the record committed, does memory change
        act.outcome = outcome
        cmd["state"] = outcome
        if outcome in ("jammed", "failed"):
            self._active[c] = [a for a in self._active.get(c, []) if a is not act]
            # its door may still open late (a lagging sensor, a sticky latch): that is this open, not a
            # forced one, until the door has been seen again
            self._late_ok[c] = time.monotonic() + LATE_OPEN_WINDOW_S
            log.warning("door %s %s (command %s, %s)", c, outcome, cmd["id"], cmd["purpose"])
        elif outcome == "unknown":
            log.warning("door %s: outcome unknown, board silent (command %s, %s)", c, cmd["id"], cmd["purpose"])
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

        follow = await self.store.write(fn, reserve=True)
        for new in follow:
            await self.fire(new)

    async def _late_open(self, c: str) -> None:
        """A jammed door opening just after it was called jammed: the commanded open, late."""

        def fn(tx: Tx) -> None:
            set_door(tx, c, "open")
            tx.audit("system", "door.late_open", c, "opened just after its confirm timeout (commanded open)")

        await self.store.write(fn, reserve=True)
        log.warning("door %s opened late, after its confirm timeout: taken as the commanded open", c)

    async def _forced_open(self, c: str) -> None:
        now = time.monotonic()
        last, suppressed = self._forced.get(c, (float("-inf"), 0))
        every = self.cfg.forced_open_alarm_every_s
        if every > 0 and now - last < every:
            # a flapping sensor or a door kicked repeatedly: one alarm per door per interval
            self._forced[c] = (last, suppressed + 1)
            await self.store.write(lambda tx: set_door(tx, c, "open"), durable=False)
            return

        def fn(tx: Tx) -> None:
            set_door(tx, c, "open")
            data: dict[str, Any] = {"compartment": c}
            if suppressed:
                data["suppressed"] = suppressed
            tx.emit("door.forced_open", data)
            tx.audit("system", "door.forced_open", c, "opened without a command", suppressed=suppressed)

        await self.store.write(fn, reserve=True)
        self._forced[c] = (now, 0)
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
        self._cancel_left_open_timer(c)
        self._left_timers[c] = self._after(
            self.cfg.left_open_after_s, ("left_open", c, self._episode.get(c, 0)), real_time=False
        )

    def _cancel_left_open_timer(self, c: str) -> None:
        # a closed door's alarm timer would otherwise live on for left_open_after_s (every opening
        # left one task, its sleep and its event behind: memory that grew with the opening rate)
        task = self._left_timers.pop(c, None)
        if task is not None and not task.done():
            task.cancel()

    def _after(self, seconds: float, item: tuple[Any, ...], *, real_time: bool) -> asyncio.Task[None]:
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
        return task

    def _find(self, c: str, cmd_id: str) -> _Active | None:
        return next((a for a in self._active.get(c, []) if a.cmd["id"] == cmd_id), None)

    def _publish(self, c: str, door: str, *, record: str | None = None) -> None:
        data: dict[str, Any] = {"compartment": c, "door": door}
        if record is not None or c in self._record_pending:
            data["record"] = record or "pending"
        self.hub.publish("door", data)
        for cb in self.listeners:
            try:
                cb(c, door)
            except Exception:
                log.exception("door listener failed")

    def door_state(self, c: str) -> str:
        st = self._doors.get(c)
        return st.value if st else "unknown"
