"""Staff accounts: argon2id password hashes, roles, login-failure lockout (`StaffService`).

The functions run inside a store transaction (`tx`); `StaffService` wraps them for the console (async,
hashing and verifying off the event loop: they are deliberately slow, memory-hard) and for the CLI
(`*_sync`, on a store of its own). The console's login guard (edge/web/console/auth.py) keeps the
cookies and sessions and asks this service whether a login is good.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from edge.clock import parse_iso, utc_iso
from edge.errors import Conflict, DomainError, NotFound
from edge.services.login_counts import Counts, LoginCountsFile
from edge.store.db import Store, Tx
from edge.store.errors import StoreWriteError

log = logging.getLogger(__name__)

Role = Literal["admin", "staff"]
ROLES: tuple[str, ...] = ("admin", "staff")
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,31}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 256

# argon2id with the OWASP baseline (19 MiB, 2 passes, 1 lane): memory-hard, ~20 ms on a Pi 4.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
# verified against for unknown users, so a login takes as long whether or not the name exists: a hash of a
# known word with _hasher's parameters, written here once (hashing it at import cost 20-50 ms and a 19 MiB
# buffer at every start, mem38); tests/security check its parameters are _hasher's
_DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$IwQwgysllUS7ww2b42IvaQ$9uuCKpdqc5I99/GROGXJMzWigfjo9L0ZINRlJnX/bZg"


async def _verify_unless_locked(left: float, stored: str | None, password: str) -> bool:
    """The password checked against `stored` off the event loop, unless a lockout has `left` seconds to run (429):
    the one step of a login on a writable disk and on a full one."""
    if left > 0:
        raise DomainError("login_locked", "too many failed logins; try again later", status=429,
                          retry_after=int(left) + 1)
    return await asyncio.get_running_loop().run_in_executor(
        None, verify_password, stored, (password or "")[:MAX_PASSWORD])


def _failed(locked: float) -> DomainError:
    """A wrong password's refusal: locked out (429) when this failure reached the limit, else 401."""
    if locked:
        return DomainError("login_locked", "too many failed logins; try again later", status=429,
                           retry_after=int(locked))
    return DomainError("login_failed", "wrong user name or password", status=401)


@dataclass(frozen=True, slots=True)
class StaffUser:
    username: str
    role: str
    active: bool
    session_epoch: int
    display_name: str = ""
    last_login_at: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _user(row: dict[str, Any]) -> StaffUser:
    return StaffUser(
        username=row["username"],
        role=row["role"],
        active=bool(row["active"]),
        session_epoch=int(row["session_epoch"]),
        display_name=row.get("display_name") or "",
        last_login_at=row.get("last_login_at"),
    )


# --- validation and hashing --------------------------------------------------------------------------
def check_username(username: str) -> str:
    name = (username or "").strip().lower()
    if not USERNAME_RE.match(name):
        raise DomainError(
            "invalid_username", "user names are 2-32 characters: a-z, 0-9, '.', '_', '-' (start with a letter or digit)"
        )
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise DomainError("invalid_role", f"role must be one of {', '.join(ROLES)}")
    return role


def check_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise DomainError("weak_password", f"passwords need at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise DomainError("invalid_password", f"passwords are at most {MAX_PASSWORD} characters")
    return password


def hash_password(password: str) -> str:
    return _hasher.hash(check_password(password))


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant-shape check: an unknown user (hash None) still costs one verification."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


# --- accounts ----------------------------------------------------------------------------------------
def get_user(tx: Tx, username: str) -> StaffUser | None:
    row = tx.one("SELECT * FROM staff_users WHERE username = ?", ((username or "").strip().lower(),))
    return _user(row) if row else None


def get_hash(tx: Tx, username: str) -> str | None:
    """The stored hash of an active user, else None."""
    value: str | None = tx.scalar(
        "SELECT password_hash FROM staff_users WHERE username = ? AND active = 1",
        ((username or "").strip().lower(),),
    )
    return value


def list_users(tx: Tx) -> list[StaffUser]:
    return [_user(r) for r in tx.all("SELECT * FROM staff_users ORDER BY username")]


def count_admins(tx: Tx) -> int:
    return int(tx.scalar("SELECT count(*) FROM staff_users WHERE role = 'admin' AND active = 1") or 0)


def add_user(
    tx: Tx, username: str, password: str, role: str, *, actor: str, display_name: str = "", password_hash: str | None = None
) -> StaffUser:
    """Create an account. `password_hash` lets callers hash off the writer thread."""
    name = check_username(username)
    check_role(role)
    if tx.scalar("SELECT 1 FROM staff_users WHERE username = ?", (name,)):
        raise Conflict("user_exists", f"user {name} already exists")
    tx.execute(
        "INSERT INTO staff_users (username, password_hash, role, active, session_epoch, display_name, created_at, updated_at)"
        " VALUES (?, ?, ?, 1, 0, ?, ?, ?)",
        (name, password_hash or hash_password(password), role, display_name[:64], tx.ts, tx.ts),
    )
    tx.audit(actor, "user.add", name, "", role=role)
    log.info("staff user %s added (%s)", name, role)
    return get_user(tx, name)  # type: ignore[return-value]


def set_password(tx: Tx, username: str, password: str, *, actor: str, password_hash: str | None = None) -> None:
    name = check_username(username)
    if get_user(tx, name) is None:
        raise NotFound("user_not_found", f"no user {name}")
    tx.execute(
        "UPDATE staff_users SET password_hash = ?, session_epoch = session_epoch + 1, updated_at = ? WHERE username = ?",
        (password_hash or hash_password(password), tx.ts, name),
    )
    tx.execute("DELETE FROM staff_login_attempts WHERE scope = ?", ("user:" + name,))
    tx.audit(actor, "user.passwd", name)


def set_active(tx: Tx, username: str, active: bool, *, actor: str) -> None:
    name = check_username(username)
    user = get_user(tx, name)
    if user is None:
        raise NotFound("user_not_found", f"no user {name}")
    if not active and user.role == "admin" and user.active and count_admins(tx) <= 1:
        raise Conflict("last_admin", "cannot disable the last active admin")
    tx.execute(
        "UPDATE staff_users SET active = ?, session_epoch = session_epoch + 1, updated_at = ? WHERE username = ?",
        (int(active), tx.ts, name),
    )
    tx.audit(actor, "user.enable" if active else "user.disable", name)


def set_role(tx: Tx, username: str, role: str, *, actor: str) -> None:
    name = check_username(username)
    check_role(role)
    user = get_user(tx, name)
    if user is None:
        raise NotFound("user_not_found", f"no user {name}")
    if user.role == "admin" and role != "admin" and user.active and count_admins(tx) <= 1:
        raise Conflict("last_admin", "cannot demote the last active admin")
    tx.execute(
        "UPDATE staff_users SET role = ?, session_epoch = session_epoch + 1, updated_at = ? WHERE username = ?",
        (role, tx.ts, name),
    )
    tx.audit(actor, "user.role", name, "", role=role)


def ensure_user(tx: Tx, username: str, password: str, role: str) -> str:
    """Make sure `username` exists, is active, has `role` and logs in with `password`.

    Used by `lockerd simulate` to seed the demo staff. Returns "created", "updated" or "unchanged".
    """
    name = check_username(username)
    check_role(role)
    row = tx.one("SELECT * FROM staff_users WHERE username = ?", (name,))
    if row is None:
        add_user(tx, name, password, role, actor="system")
        return "created"
    ok = verify_password(row["password_hash"], password)
    if ok and row["role"] == role and row["active"]:
        return "unchanged"
    new_hash = row["password_hash"] if ok else hash_password(password)
    tx.execute(
        "UPDATE staff_users SET password_hash = ?, role = ?, active = 1, session_epoch = session_epoch + ?, updated_at = ?"
        " WHERE username = ?",
        (new_hash, role, 0 if ok else 1, tx.ts, name),
    )
    tx.audit("system", "user.ensure", name, "", role=role)
    return "updated"


# --- login failures and lockout -------------------------------------------------------------------------
def lockout_remaining(tx: Tx, scopes: list[str]) -> float:
    """Seconds until every scope in `scopes` is unlocked (0 when none is locked)."""
    worst = 0.0
    for scope in scopes:
        until = tx.scalar("SELECT locked_until FROM staff_login_attempts WHERE scope = ?", (scope,))
        if until:
            left = (parse_iso(until) - tx.now).total_seconds()
            worst = max(worst, left)
    return worst


def record_failure(tx: Tx, scopes: list[tuple[str, int]], lockout_s: float) -> float:
    """Count a failed login in each (scope, attempts allowed); lock a scope that reaches its limit.

    Returns the lockout in seconds (0 when nothing got locked)."""
    locked = 0.0
    for scope, attempts in scopes:
        row = tx.one("SELECT failures, locked_until FROM staff_login_attempts WHERE scope = ?", (scope,))
        failures = 1
        if row:
            expired = row["locked_until"] and parse_iso(row["locked_until"]) <= tx.now
            failures = 1 if expired else int(row["failures"]) + 1
        until = None
        if failures >= attempts:
            until = utc_iso(tx.now + timedelta(seconds=lockout_s))
            locked = max(locked, lockout_s)
        tx.execute(
            "INSERT INTO staff_login_attempts (scope, failures, locked_until, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(scope) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until,"
            " updated_at = excluded.updated_at",
            (scope, failures, until, tx.ts),
        )
    return locked


def record_success(tx: Tx, username: str, scopes: list[str]) -> None:
    for scope in scopes:
        tx.execute("DELETE FROM staff_login_attempts WHERE scope = ?", (scope,))
    tx.execute("UPDATE staff_users SET last_login_at = ? WHERE username = ?", (tx.ts, username))


# --- the service ----------------------------------------------------------------------------------------
class StaffService:
    """Staff accounts and logins over one store: the console and the CLI call this, never the table."""

    def __init__(self, store: Store, counts_file: Path | None = None) -> None:
        self.store = store
        #: where those counts survive a restart while the disk is full (edge/services/login_counts.py; None: the
        #: CLI, which signs nobody in)
        self._counts_file = LoginCountsFile(counts_file)
        #: the login-failure counts kept while the disk is full (scope -> [failures, locked until]): the same
        #: bound as the table's, in memory, so a sign-in needs no write (trial 2026-12-07f), and in the file
        self._unwritten_attempts: Counts = self._counts_file.open()
        self._counts_version = 0
        #: the audit entries of logins made while the disk was full, written with the next login that can write
        self._unwritten_audit: list[tuple[str, str, str, str]] = []

    @staticmethod
    async def _hash(password: str) -> str:
        return await asyncio.get_running_loop().run_in_executor(None, hash_password, password)

    # console (async)
    async def all(self) -> list[StaffUser]:
        return await self.store.read(list_users)

    async def active_names(self) -> list[str]:
        return [u.username for u in await self.all() if u.active]

    async def add(self, username: str, password: str, role: str, *, actor: str) -> StaffUser:
        name, h = check_username(username), await self._hash(password)
        return await self.store.write(lambda tx: add_user(tx, name, "", role, actor=actor, password_hash=h))

    async def set_password(self, username: str, password: str, *, actor: str) -> None:
        h = await self._hash(password)
        await self.store.write(lambda tx: set_password(tx, username, "", actor=actor, password_hash=h))

    async def set_active(self, username: str, active: bool, *, actor: str) -> None:
        await self.store.write(lambda tx: set_active(tx, username, active, actor=actor))

    async def session_user(self, sid: str, username: str) -> StaffUser | None:
        """The account behind a session that was not revoked (None for a logged-out session)."""
        def fn(tx: Tx) -> StaffUser | None:
            if tx.scalar("SELECT 1 FROM staff_sessions_revoked WHERE sid = ?", (sid,)):
                return None
            return get_user(tx, username)

        return await self.store.read(fn)

    async def check_login(self, username: str, password: str, scopes: list[tuple[str, int]], lockout_s: float,
                          client: str) -> StaffUser:
        """A login against the lockout `scopes` ((scope, attempts allowed)). Raises DomainError (401 bad
        credentials, 429 locked out).

        The attempt is checked against the lockout and counted as a failure in ONE writer transaction
        before the password is verified, so concurrent guesses count one by one and at most `attempts`
        of them are ever verified; a correct password then clears the count."""
        name = (username or "").strip().lower()[:64]
        scope_names = [s for s, _ in scopes]

        merged: Counts = {}

        def begin(tx: Tx) -> tuple[float, float, str | None]:
            self._write_unwritten_audit(tx)
            merged.update(self._merge_unwritten_attempts(tx))
            left = lockout_remaining(tx, scope_names)
            if left > 0:
                return left, 0.0, None
            locked = record_failure(tx, scopes, lockout_s)  # counted now; a success clears it
            return 0.0, locked, get_hash(tx, name)

        try:
            left, locked, stored = await self.store.write(begin)
        except StoreWriteError as exc:
            if not exc.full:
                raise
            return await self._check_login_unwritten(name, password, scopes, lockout_s, client)
        if merged:  # in the table now: out of memory and the file (unless counted again meanwhile)
            for scope, row in merged.items():
                if self._unwritten_attempts.get(scope) == row:
                    del self._unwritten_attempts[scope]
            await self._save_attempts()
        ok = await _verify_unless_locked(left, stored, password)
        if not ok:
            await self.store.write(lambda tx: tx.audit("staff:" + name if stored else "anonymous",
                                                       "console.login_failed", name, "", client=client))
            log.info("console login failed for a user name (%s)%s", "known" if stored else "unknown",
                     " - locked out" if locked else "")
            raise _failed(locked)

        def success(tx: Tx) -> StaffUser | None:
            record_success(tx, name, scope_names)
            tx.audit("staff:" + name, "console.login", name, "", client=client)
            return get_user(tx, name)

        user = await self.store.write(success)
        if user is None or not user.active:
            raise DomainError("login_failed", "wrong user name or password", status=401)
        return user

    async def _check_login_unwritten(self, name: str, password: str, scopes: list[tuple[str, int]],
                                     lockout_s: float, client: str) -> StaffUser:
        """A login while the disk is full: the lockout read from the table and counted in memory (the same
        attempts and lockout, counted before the password is verified), the user read, nothing written. The
        session is a signed cookie (edge/web/console/auth.py), so staff can sign in to free the space; the
        audit entry is logged now and written with the first login after the disk has room."""
        now = self.store.clock.now()
        scope_names = [s for s, _ in scopes]

        def read(tx: Tx) -> tuple[float, str | None]:
            return lockout_remaining(tx, scope_names), get_hash(tx, name)

        left, stored = await self.store.read(read)
        locked = 0.0
        for scope in scope_names:
            row = self._unwritten_attempts.get(scope)
            if row and row[1] is not None and row[1] > now:
                left = max(left, (row[1] - now).total_seconds())
        if left <= 0:
            for scope, attempts in scopes:  # counted now, as record_failure does; a success clears it
                row = self._unwritten_attempts.setdefault(scope, [0, None])
                if row[1] is not None and row[1] <= now:
                    row[0], row[1] = 0, None
                row[0] += 1
                if row[0] >= attempts:
                    row[1] = now + timedelta(seconds=lockout_s)
                    locked = max(locked, lockout_s)
            await self._save_attempts()  # on disk before the password is tried: a restart keeps the count
        ok = await _verify_unless_locked(left, stored, password)
        if not ok:
            self._unwritten_audit.append(("staff:" + name if stored else "anonymous", "console.login_failed", name,
                                          client))
            del self._unwritten_audit[:-200]
            log.warning("console login failed for a user name (%s) while the disk is full%s",
                        "known" if stored else "unknown", " - locked out" if locked else "")
            raise _failed(locked)
        for scope in scope_names:
            self._unwritten_attempts.pop(scope, None)
        await self._save_attempts()
        user = await self.store.read(lambda tx: get_user(tx, name))
        if user is None or not user.active:
            raise DomainError("login_failed", "wrong user name or password", status=401)
        self._unwritten_audit.append(("staff:" + name, "console.login", name, client))
        del self._unwritten_audit[:-200]
        log.warning("console login by %s while the disk is full (not written; the audit gets it once there is room)",
                    name)
        return user

    async def _save_attempts(self) -> None:
        """The in-memory counts to their file (off the loop); each save carries a newer state number, so a save
        that runs late never writes an older state over a newer one."""
        self._counts_version += 1
        snapshot = {scope: list(row) for scope, row in self._unwritten_attempts.items()}
        await asyncio.get_running_loop().run_in_executor(None, self._counts_file.write, snapshot,
                                                         self._counts_version)

    def _merge_unwritten_attempts(self, tx: Tx) -> Counts:
        """The counts a full disk kept (in memory, or in the file a restart read) into the table: each scope's
        higher count and later lockout; a lockout that has ended counts nothing. Returns what was merged."""
        merged: Counts = {}
        for scope, (failures, until) in self._unwritten_attempts.items():
            merged[scope] = [failures, until]
            if until is not None and until <= tx.now:
                continue
            row = tx.one("SELECT failures, locked_until FROM staff_login_attempts WHERE scope = ?", (scope,))
            if row is not None and not (row["locked_until"] and parse_iso(row["locked_until"]) <= tx.now):
                failures = max(failures, int(row["failures"]))
                if row["locked_until"] and (until is None or parse_iso(row["locked_until"]) > until):
                    until = parse_iso(row["locked_until"])
            tx.execute(
                "INSERT INTO staff_login_attempts (scope, failures, locked_until, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(scope) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until,"
                " updated_at = excluded.updated_at",
                (scope, failures, utc_iso(until) if until else None, tx.ts),
            )
        return merged

    def _write_unwritten_audit(self, tx: Tx) -> None:
        written = list(self._unwritten_audit)
        for actor, action, target, client in written:
            tx.audit(actor, action, target, "while the disk was full", client=client)
        if written:
            tx.after_commit(lambda: self._unwritten_audit.__delitem__(slice(0, len(written))))

    # CLI (sync, on the CLI's own store; hashing on the caller's thread)
    def add_sync(self, username: str, password: str, role: str, *, actor: str) -> StaffUser:
        name, h = check_username(username), hash_password(password)
        return self.store.write_sync(lambda tx: add_user(tx, name, "", role, actor=actor, password_hash=h))

    def set_password_sync(self, username: str, password: str, *, actor: str) -> None:
        name, h = check_username(username), hash_password(password)
        self.store.write_sync(lambda tx: set_password(tx, name, "", actor=actor, password_hash=h))

    def set_active_sync(self, username: str, active: bool, *, actor: str) -> None:
        self.store.write_sync(lambda tx: set_active(tx, username, active, actor=actor))

    def list_sync(self) -> list[StaffUser]:
        return self.store.read_sync(list_users)
