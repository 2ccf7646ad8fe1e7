"""Storage rules on a clock known to be right.

A Raspberry Pi boots with a stale clock until NTP answers, and NTP then *steps* it, possibly by weeks.
Deadlines computed on the wrong clock would all fall due at once (every parcel reminded, overdue and
posted on the notice board within seconds). The guard:

* keeps the rules sweep off while ``clock.synchronised`` is False;
* notices a step (wall time minus monotonic time moving by more than `step_s`) before every sweep,
  and re-bases what was stamped on the old time base: ``stored_at`` of the parcels stored since the
  last known base (so their deadlines are re-planned from their real, monotonic age), the due times of
  those parcels' open tasks, and the code
  lockouts (so a backward step never lengthens one);
* logs every step, writes it to the audit log, publishes a staff alarm and opens a staff task, and
  after a step of `large_step_s` or more holds the sweep for `hold_s` (or until staff release it), so
  staff see the step before any mass action runs.

The time base (boot id, wall-minus-monotonic offset, when it began) is kept in ``meta``, so a step
that happened while lockerd was stopped is still seen within the same boot. The hold after a large step is
kept there too (``clock_hold``: when it ends, wall time on the stepped, right clock), written in the
transaction that re-bases, so a restart (an upgrade, a power cut) holds the rules for what is left of it
rather than releasing them (trial 2026-12-07f); staff's release clears it in the transaction of its audit.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from edge.aio import cancel_and_wait
from edge.clock import Clock, parse_iso, utc_iso
from edge.hub import Hub
from edge.store.db import Store, Tx

log = logging.getLogger(__name__)

BOOT_ID = Path("/proc/sys/kernel/random/boot_id")
#: the meta key of the rules hold after a large step: its end, UTC ISO on the (right) wall clock
HOLD_KEY = "clock_hold"


def hold_active(tx: Tx) -> bool:
    """The rules hold after a large clock step is running (`HOLD_KEY`, its end on the stepped clock, after now)."""
    end = tx.meta_get(HOLD_KEY)
    if not end:
        return False
    try:
        return parse_iso(end) > tx.now
    except (ValueError, TypeError):
        return False


def clock_trusted(tx: Tx) -> bool:
    """A date computed now may be told to a resident: NTP has vouched for the clock and no hold after a large
    step is running (staff have not yet looked at the step). While not, a message names no deadline
    (docs/notifications.md "A clock not yet right")."""
    return bool(getattr(tx.clock, "synchronised", True)) and not hold_active(tx)


def boot_id() -> str:
    try:
        return BOOT_ID.read_text().strip()
    except OSError:
        return ""


class ClockGuard:
    def __init__(self, clock: Clock, store: Store, hub: Hub | None = None, *, step_s: float = 120.0,
                 large_step_s: float = 3600.0, hold_s: float = 600.0, every_s: float = 5.0) -> None:
        self.clock = clock
        self.store = store
        self.hub = hub
        self.step_s = step_s
        self.large_step_s = large_step_s
        self.hold_s = hold_s
        self.every_s = every_s
        self._offset: float | None = None
        self._epoch_start: datetime | None = None
        self.hold_until: float = 0.0
        self.last_step_s: float | None = None
        self.steps = 0
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._warned = False

    def offset(self) -> float:
        return self.clock.now().timestamp() - self.clock.monotonic()

    # --- lifecycle -------------------------------------------------------------------------------
    async def start(self) -> None:
        saved, hold = await self.store.read(lambda tx: (tx.meta_get("clock_base"), tx.meta_get(HOLD_KEY)))
        self._resume_hold(hold)
        now_off = self.offset()
        base: dict[str, Any] = {}
        try:
            base = json.loads(saved) if saved else {}
        except ValueError:
            base = {}
        if base and base.get("boot") == boot_id() and isinstance(base.get("offset"), int | float):
            self._offset = float(base["offset"])
            self._epoch_start = parse_iso(base["start"])
            await self.check()  # a step while lockerd was stopped, in this boot
        else:
            self._offset = now_off
            self._epoch_start = self.clock.now()
            await self._save()
        self._task = asyncio.create_task(self._run(), name="clock-guard")

    def _resume_hold(self, hold: str | None) -> None:
        """A hold a restart cut short: what is left of it (never more than `hold_s`; an end that cannot be read,
        or one past, holds nothing)."""
        if not hold:
            return
        try:
            left = (parse_iso(hold) - self.clock.now()).total_seconds()
        except (ValueError, TypeError):
            return
        if left > 0:
            self.hold_until = time.monotonic() + min(left, self.hold_s)
            log.warning("storage rules held for %.0f s more after a clock step (the hold survived a restart)",
                        min(left, self.hold_s))

    async def stop(self) -> None:
        task, self._task = self._task, None
        await cancel_and_wait([task])

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.every_s)
            try:
                await self.check()
            except Exception:
                log.warning("clock step check failed", exc_info=True)

    async def _save(self) -> None:
        doc = json.dumps({"boot": boot_id(), "offset": self._offset, "start": utc_iso(self._epoch_start or self.clock.now())})
        await self.store.write(lambda tx: tx.meta_set("clock_base", doc), durable=False)

    # --- the gate --------------------------------------------------------------------------------
    def rules_allowed(self) -> bool:
        if not self.clock.synchronised:
            if not self._warned:
                log.warning("clock not synchronised: storage rules wait (no reminders, overdue or notices)")
                self._warned = True
            return False
        self._warned = False
        return time.monotonic() >= self.hold_until

    def release(self, actor: str) -> None:
        """Staff have seen the step: let the rules run now."""
        if self.hold_until:
            log.warning("rules hold after a clock step released by %s", actor)
        self.hold_until = 0.0

    @staticmethod
    def release_tx(tx: Tx) -> None:
        """The durable half of `release`, in the transaction that audits it: a restart does not bring it back."""
        tx.execute("DELETE FROM meta WHERE key = ?", (HOLD_KEY,))

    def status(self) -> dict[str, Any]:
        held = max(0.0, self.hold_until - time.monotonic())
        return {"synchronised": self.clock.synchronised, "steps": self.steps,
                "last_step_s": self.last_step_s, "rules_held_s": round(held, 1)}

    # --- steps -----------------------------------------------------------------------------------
    async def check(self) -> float | None:
        """Compare the time base with the last one; re-base and report a step. Returns the step (s)."""
        async with self._lock:
            if self._offset is None:
                return None
            step = self.offset() - self._offset
            if abs(step) < self.step_s:
                return None
            old_start = self._epoch_start or self.clock.now()
            old_now = self.clock.now() - timedelta(seconds=step)  # the old base's "now", the last time it stamped
            large = abs(step) >= self.large_step_s

            def rebase(tx: Tx) -> dict[str, Any]:
                out = rebase_tx(tx, step, old_start, old_now)
                if large:
                    tx.meta_set(HOLD_KEY, utc_iso(self.clock.now() + timedelta(seconds=self.hold_s)))
                return out

            counts = await self.store.write(rebase, reserve=True)
            self._offset = self.offset()
            # the new base holds what was just moved onto it: a later step (NTP after a backward jump) moves it back
            earliest = counts.get("earliest")
            self._epoch_start = min(self.clock.now(), parse_iso(earliest)) if earliest else self.clock.now()
            self.last_step_s = step
            self.steps += 1
            if large:
                self.hold_until = time.monotonic() + self.hold_s
            log.warning("wall clock stepped by %+.0f s; re-based %d stored parcel(s) and %d lockout(s)%s",
                        step, counts["parcels"], counts["lockouts"],
                        f"; storage rules held for {self.hold_s:g} s so staff can look first" if large else "")
            if self.hub is not None:
                self.hub.publish("alarm", {"kind": "clock.step", "step_s": round(step), "rules_held": large})
            await self._save()
            return step


def rebase_tx(tx: Tx, step: float, since: datetime, until: datetime | None = None) -> dict[str, Any]:
    """Move what was stamped on the old time base onto the new one (in one transaction).

    The old base stamped times from `since` (its start) to `until` (its last "now", the wall time just before the
    step). A parcel stamped later than `until` was stamped on another, right, base: a Pi rebooting after a power cut
    with a clock days behind starts a base in the past, and the parcels stored before the cut lie "ahead" of it;
    moving them with NTP's step put their reminders and overdue days late (trial 2026-12-07f)."""
    delta = timedelta(seconds=step)
    since_iso = utc_iso(since)
    if until is None:
        parcels = tx.all(
            "SELECT id, stored_at FROM parcels WHERE state = 'stored' AND stored_at IS NOT NULL AND stored_at >= ?",
            (since_iso,),
        )
    else:
        parcels = tx.all(
            "SELECT id, stored_at FROM parcels WHERE state = 'stored' AND stored_at IS NOT NULL AND stored_at >= ?"
            " AND stored_at <= ?", (since_iso, utc_iso(until + timedelta(seconds=1))),
        )
    moved: list[str] = []
    for p in parcels:
        new = utc_iso(parse_iso(p["stored_at"]) + delta)
        moved.append(new)
        tx.execute("UPDATE parcels SET stored_at = ? WHERE id = ?", (new, p["id"]))
    # their open tasks were due on the old base too (a move task due 72 h after the old stored_at): the same move,
    # or the task reads "past due" hours before the deadline the re-planned reminders tell (trial 2026-12-05 item 14)
    tasks = 0
    for p in parcels:
        for t in tx.all("SELECT id, due_at FROM tasks WHERE parcel_id = ? AND state = 'open' AND due_at IS NOT NULL",
                        (p["id"],)):
            tx.execute("UPDATE tasks SET due_at = ? WHERE id = ?", (utc_iso(parse_iso(t["due_at"]) + delta), t["id"]))
            tasks += 1
    locks = tx.all("SELECT scope, locked_until, updated_at FROM code_attempts WHERE locked_until IS NOT NULL")
    for r in locks:
        tx.execute(
            "UPDATE code_attempts SET locked_until = ?, updated_at = ? WHERE scope = ?",
            (utc_iso(parse_iso(r["locked_until"]) + delta), utc_iso(parse_iso(r["updated_at"]) + delta), r["scope"]),
        )
    human = _human(step)
    tx.audit("system", "clock.step", "", f"the locker's clock jumped {human}", step_s=round(step, 1),
             parcels_rebased=len(parcels), tasks_rebased=tasks, lockouts_rebased=len(locks))
    tx.execute(
        "INSERT INTO tasks (kind, title, created_at) VALUES ('clock_step', ?, ?)",
        (f"The locker's clock jumped {human}. Storage deadlines were re-planned from each parcel's real"
         f" time in the locker; check the reminders before they go out. / 柜机时钟{_human_zh(step)}，"
         "存放期限已按包裹实际存放时长重新计算，请在提醒发出前核对。", tx.ts),
    )
    return {"parcels": len(parcels), "lockouts": len(locks), "earliest": min(moved) if moved else None}


def _human(step: float) -> str:
    s = abs(step)
    amount = f"{s / 86400:.1f} days" if s >= 86400 else (f"{s / 3600:.1f} hours" if s >= 3600 else f"{s / 60:.0f} minutes")
    return ("forward " if step > 0 else "back ") + amount


def _human_zh(step: float) -> str:
    s = abs(step)
    amount = f"{s / 86400:.1f} 天" if s >= 86400 else (f"{s / 3600:.1f} 小时" if s >= 3600 else f"{s / 60:.0f} 分钟")
    return ("向前跳了 " if step > 0 else "向后跳了 ") + amount  # "柜机时钟向前跳了 3.0 小时" (not "跳变了向前")
