"""Signed HQ commands: checks in the contract's order, the SQLite inbox, results through the outbox.

Order: well-formed -> signature -> site -> expiry (time-sensitive types are refused while the clock is
not synchronised) -> id not seen before. The inbox row is committed before the MQTT message is
acknowledged (paho manual_ack); a repeated id returns the stored result and never acts again. A command
that was being executed when the process died is answered `interrupted` at the next start, not re-run. After
`lockerd restore`, a door command issued before the restore is answered `issued_before_restore`: the restored
inbox has forgotten what the replaced unit carried out after its backup.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from cloudsync.actions import Actions
from cloudsync.ratelog import RateLimitedLog
from cloudsync.signing import PublicKey, verify
from edge.aio import cancel_and_wait
from edge.clock import Clock, parse_iso, utc_iso
from edge.errors import DomainError
from edge.operations import DOOR_FIRING, TIME_SENSITIVE
from edge.store.db import Store, Tx
from edge.store.streams import RESTORED_AT

log = logging.getLogger(__name__)
rlog = RateLimitedLog(log)

FIELDS: dict[str, type | tuple[type, ...]] = {
    "id": str, "site": str, "type": str, "issued_at": str, "expires_at": str, "kid": str, "data": dict, "sig": str,
}
MAX_ID_LEN = 128
MAX_PAYLOAD = 64 * 1024
#: clock difference tolerated between HQ and the site: `issued_at` later than now + SKEW is refused
#: (`not_yet_valid`), and a seen id is kept until its command's expiry + SKEW (and the retention)
SKEW = timedelta(seconds=60)
#: refusals and answers to repeated ids, which anyone on the broker can provoke (forged commands, or
#: replays of a captured signed one), get an audit row / a cmd.result each for a burst, then at a
#: steady rate; the rest are counted and summed up in the next row written (a flood costs no disk)
FORGED_BURST = 20
FORGED_PER_MINUTE = 6.0


class RefusalBudget:
    """A token bucket over the injected clock for refusals anyone on the broker can cause."""

    def __init__(self, clock: Clock, burst: int = FORGED_BURST, per_minute: float = FORGED_PER_MINUTE) -> None:
        self.clock = clock
        self.burst = float(burst)
        self.rate = per_minute / 60.0
        self.tokens = float(burst)
        self.at = clock.now()
        self.suppressed = 0

    def take(self) -> bool:
        now = self.clock.now()
        self.tokens = min(self.burst, self.tokens + max(0.0, (now - self.at).total_seconds()) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        self.suppressed += 1
        return False


@dataclass
class Result:
    id: str | None
    ok: bool
    code: str
    message: str = ""
    data: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "ok": self.ok, "code": self.code, "message": self.message, "data": self.data}


def refuse(cmd_id: str | None, code: str, message: str) -> Result:
    return Result(cmd_id, False, code, message)


class CommandProcessor:
    def __init__(self, *, store: Store, clock: Clock, site: str, keys: list[PublicKey], actions: Actions,
                 retention_days: float = 30.0) -> None:
        self.store = store
        self.clock = clock
        self.site = site
        self.keys = keys
        self.actions = actions
        self.retention_days = retention_days
        self._queue: asyncio.Queue[tuple[bytes, Callable[[], None]]] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self.handled = 0
        self.refused = 0
        self.budget = RefusalBudget(clock)

    # --- lifecycle -----------------------------------------------------------------------------
    async def start(self) -> None:
        await self.recover()
        await self.prune()
        self._task = asyncio.create_task(self._worker(), name="cloud-commands")

    async def stop(self) -> None:
        await cancel_and_wait([self._task])
        self._task = None

    def submit(self, payload: bytes, ack: Callable[[], None]) -> None:
        """From the MQTT link (on the loop): handle in arrival order, `ack` once it is safe."""
        self._queue.put_nowait((payload, ack))

    async def _worker(self) -> None:
        while True:
            payload, ack = await self._queue.get()
            try:
                await self.handle(payload, ack)
            except asyncio.CancelledError:
                raise
            except Exception:
                # the command could not be recorded (database error): it stays unacknowledged, so the
                # broker redelivers it on the next connection instead of it being lost
                log.exception("command handling failed; left unacknowledged")

    # --- the checks ---------------------------------------------------------------------------------
    def check(self, payload: bytes) -> tuple[dict[str, Any] | None, Result | None]:
        """Parse and verify a command. Returns (command, None) when it may proceed to the seen-id check,
        or (maybe the command, refusal)."""
        if len(payload) > MAX_PAYLOAD:
            return None, refuse(None, "invalid", "command too large")
        try:
            cmd = json.loads(payload.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return None, refuse(None, "invalid", "command is not UTF-8 JSON")
        if not isinstance(cmd, dict):
            return None, refuse(None, "invalid", "command is not a JSON object")
        cmd_id = cmd.get("id")
        if not isinstance(cmd_id, str) or not cmd_id or len(cmd_id) > MAX_ID_LEN:
            return None, refuse(None, "invalid", "command id missing or not a string")
        for name, kind in FIELDS.items():
            if not isinstance(cmd.get(name), kind):
                return cmd, refuse(cmd_id, "invalid", f"field {name} missing or of the wrong type")
        if verify(cmd, self.keys) is None:
            return cmd, refuse(cmd_id, "bad_signature", "signature does not verify against this site's keys")
        if cmd["site"] != self.site:
            return cmd, refuse(cmd_id, "wrong_site", f"command is for site {cmd['site']!r}")
        try:
            issued = parse_iso(cmd["issued_at"])
            expires = parse_iso(cmd["expires_at"])
        except ValueError as exc:
            return cmd, refuse(cmd_id, "invalid", f"timestamp: {exc}")
        if self.clock.synchronised and issued > self.clock.now() + SKEW:
            return cmd, refuse(cmd_id, "not_yet_valid", "issued_at is in the future: " + cmd["issued_at"][:40])
        if expires < issued:
            return cmd, refuse(cmd_id, "invalid", "expires_at is before issued_at")
        if expires - issued > timedelta(days=self.retention_days):
            return cmd, refuse(cmd_id, "invalid", "validity longer than the replay window")
        if not self.clock.synchronised:
            if cmd["type"] in TIME_SENSITIVE:
                return cmd, refuse(cmd_id, "clock_unsynchronised",
                                   "the site clock is not synchronised; time-sensitive commands are refused")
        elif self.clock.now() > expires:
            return cmd, refuse(cmd_id, "expired", "command expired at " + cmd["expires_at"])
        return cmd, None

    async def handle(self, payload: bytes, ack: Callable[[], None]) -> Result | None:
        cmd, refusal = self.check(payload)
        if refusal is not None:
            self.refused += 1
            if refusal.id is None:
                rlog.warning("garbage-cmd", "refused a command payload: %s", refusal.message)
                ack()
                return refusal
            if not self.budget.take():
                rlog.warning("forged-cmd", "refused a command (%s); flood: further refusals only counted",
                             refusal.code)
                ack()
                return refusal
            log.warning("refused command %s: %s (%s)", refusal.id[:MAX_ID_LEN], refusal.code, refusal.message)
            suppressed, self.budget.suppressed = self.budget.suppressed, 0
            await self.store.write(lambda tx: self._emit(tx, refusal, "hq", "refused", suppressed))
            ack()
            return refusal
        assert cmd is not None
        cmd_id, type_ = cmd["id"], cmd["type"]
        data = cmd["data"]
        actor = Actions.actor(data)
        known = type_ in self.actions.table

        def _record(tx: Tx) -> Result | None:
            row = tx.one("SELECT state, ok, code, message, result FROM cloud_inbox WHERE id = ?", (cmd_id,))
            if row is not None:
                if row["state"] == "done":
                    stored = Result(cmd_id, bool(row["ok"]), row["code"] or "", row["message"] or "",
                                    json.loads(row["result"]) if row["result"] else None)
                else:
                    stored = Result(cmd_id, False, "in_progress", "command is being executed")
                if self.budget.take():  # a replayed id is answered, within the same budget
                    self._emit(tx, stored, actor, "repeat")
                return stored
            tx.execute(
                "INSERT INTO cloud_inbox (id, type, received_at, issued_at, expires_at, payload, state) "
                "VALUES (?, ?, ?, ?, ?, ?, 'received')",
                (cmd_id, type_, tx.ts, cmd["issued_at"], cmd["expires_at"],
                 json.dumps(cmd, ensure_ascii=False, separators=(",", ":"))),
            )
            if not known:
                res = refuse(cmd_id, "unknown_type", f"unknown command type {type_[:64]!r}")
                self._finish(tx, res, actor, type_)
                return res
            restored = self._restored_after(tx, cmd) if type_ in DOOR_FIRING else None
            if restored:
                res = refuse(cmd_id, "issued_before_restore",
                             f"this site was restored from a backup at {restored}; a door command issued before "
                             "that may already have been carried out by the unit it replaced: not carried out, "
                             "send it again if it is still needed")
                self._finish(tx, res, actor, type_)
                return res
            return None

        early = await self.store.write(_record)
        ack()
        if early is not None:
            if early.code in ("unknown_type", "issued_before_restore"):
                self.refused += 1
                log.warning("refused command %s (%s): %s", cmd_id[:MAX_ID_LEN], early.code, early.message)
            else:
                log.info("command %s seen before; returned its stored result", cmd_id)
            return early
        try:
            out = await self.actions.run(type_, data, cmd)
            res = Result(cmd_id, True, "ok", "", out)
        except DomainError as exc:
            res = Result(cmd_id, False, exc.code, exc.message)
        except Exception:
            log.exception("command %s (%s) failed", cmd_id, type_)
            res = Result(cmd_id, False, "internal", "the command failed on the site; see its log")
        await self.store.write(lambda tx: self._finish(tx, res, actor, type_))
        self.handled += 1
        log.info("command %s (%s) done: %s", cmd_id, type_, res.code)
        return res

    @staticmethod
    def _restored_after(tx: Tx, cmd: dict[str, Any]) -> str | None:
        """When the site was restored from a backup, if that was after `cmd` was issued (a command the restored
        inbox does not know: the replaced unit may have carried it out after the backup was taken)."""
        row = tx.one("SELECT value FROM meta WHERE key = ?", (RESTORED_AT,))
        if row is None:
            return None
        try:
            restored = parse_iso(row["value"])
        except (ValueError, TypeError):
            return None
        return row["value"] if parse_iso(cmd["issued_at"]) < restored else None

    # --- records ---------------------------------------------------------------------------------
    def _emit(self, tx: Tx, res: Result, actor: str, what: str, suppressed: int = 0) -> None:
        tx.emit("cmd.result", res.as_dict())
        if what == "refused":
            extra = {"suppressed_before": suppressed} if suppressed else {}
            tx.audit(actor, "cmd.refused", res.id or "", res.message, code=res.code, **extra)

    def _finish(self, tx: Tx, res: Result, actor: str, type_: str) -> None:
        tx.execute(
            "UPDATE cloud_inbox SET state = 'done', ok = ?, code = ?, message = ?, result = ?, done_at = ? "
            "WHERE id = ?",
            (int(res.ok), res.code, res.message, json.dumps(res.data, ensure_ascii=False), tx.ts, res.id),
        )
        tx.emit("cmd.result", res.as_dict())
        tx.audit(actor, "cmd." + type_[:64], res.id or "", res.message, ok=res.ok, code=res.code)

    async def recover(self) -> int:
        """Answer commands left half-done by a crash: never re-run them (a door must not open twice)."""
        def _r(tx: Tx) -> int:
            rows = tx.all("SELECT id, type FROM cloud_inbox WHERE state = 'received'")
            for r in rows:
                self._finish(tx, Result(r["id"], False, "interrupted",
                                        "the site restarted while executing this command; it was not repeated"),
                             "hq", r["type"])
            return len(rows)

        n = await self.store.write(_r)
        if n:
            log.warning("%s command(s) were interrupted by a restart; answered without repeating them", n)
        return n

    async def prune(self) -> int:
        """Forget seen ids past the retention AND past their command's own expiry + SKEW: a command
        whose validity outlives the retention is still recognised as a repeat until it expires."""
        now = self.clock.now()
        cutoff = utc_iso(now - timedelta(days=self.retention_days))

        def fn(tx: Tx) -> int:
            rows = tx.all("SELECT id, expires_at FROM cloud_inbox WHERE state = 'done' AND received_at < ?", (cutoff,))
            gone = []
            for r in rows:
                try:
                    keep = parse_iso(r["expires_at"]) + SKEW > now
                except (ValueError, TypeError):
                    keep = False
                if not keep:
                    gone.append(r["id"])
            for cmd_id in gone:
                tx.execute("DELETE FROM cloud_inbox WHERE id = ?", (cmd_id,))
            return len(gone)

        return await self.store.write(fn)
