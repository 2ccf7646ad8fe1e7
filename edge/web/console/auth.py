"""Console access control: secret key, signed session cookies, CSRF tokens, login with lockout.

* The secret key is generated once in the data dir (``console_secret.key``, mode 0600); it never goes
  to the repo, the logs or the database.
* A session is a signed cookie ``{"u": user, "sid": random, "e": epoch, "iat": issued}``; it expires
  ``session_hours`` after issue by the injected clock and dies when the user's ``session_epoch`` moves
  (password change, disable, role change). HttpOnly, SameSite=Lax, Secure when configured.
* CSRF: a synchronizer token derived from the session id (HMAC with the secret), required on every
  POST/PUT/PATCH/DELETE as the ``_csrf`` form field or the ``X-CSRF-Token`` header.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import stat
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itsdangerous import BadSignature, URLSafeSerializer

from edge.clock import parse_iso, utc_iso
from edge.services.staff import StaffService, StaffUser

if TYPE_CHECKING:
    from edge.daemon import Daemon

log = logging.getLogger(__name__)

SESSION_COOKIE = "lockerd_session"
LOGIN_COOKIE = "lockerd_login"
DEVICE_COOKIE = "lockerd_device"
DEVICE_DAYS = 365
SECRET_FILE = "console_secret.key"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_FIELD = "_csrf"
CSRF_HEADER = "x-csrf-token"
IP_ATTEMPTS_FACTOR = 4  # a source address may fail this many times more than one user name

#: paths anyone may reach: the kiosk, health, the simulator's control API, login, API docs, static files
PUBLIC_EXACT = frozenset({"/kiosk", "/healthz", "/login", "/docs", "/openapi.json", "/favicon.ico"})
PUBLIC_PREFIXES = ("/kiosk/", "/api/v1/kiosk/", "/api/v1/sim/", "/docs/", "/static/",
                   "/api/v1/tracking/push/",  # providers prove themselves with their signature
                   "/p/")  # the pickup QR page of an SMS link: draws its own address, reads nothing (kiosk/pickup_page.py)


#: routes that check a bearer token themselves (Prometheus scrapes /metrics with metrics.token); a request
#: to one of these carrying `Authorization: Bearer ...` is left to the route, any other needs a session
BEARER_PATHS = frozenset({"/metrics"})


def is_public(path: str) -> bool:
    return path in PUBLIC_EXACT or path.startswith(PUBLIC_PREFIXES)


def load_or_create_secret(data_dir: str | Path) -> bytes:
    """The console's signing key: 32 random bytes in ``data_dir/console_secret.key``, mode 0600."""
    path = Path(data_dir) / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_secret(path)
    key = secrets.token_bytes(32)
    with os.fdopen(fd, "w") as f:
        f.write(key.hex() + "\n")
    log.info("generated a new console secret key in %s", path.parent)
    return key


def _read_secret(path: Path) -> bytes:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("console secret %s was readable by others (mode %o); fixing to 0600", path, mode)
        path.chmod(0o600)
    try:
        key = bytes.fromhex(path.read_text().strip())
    except ValueError:
        key = b""
    if len(key) < 32:
        raise RuntimeError(f"{path} is damaged; delete it to generate a new key (staff must log in again)")
    return key


@dataclass(frozen=True, slots=True)
class Session:
    username: str
    sid: str
    epoch: int
    issued: str


class ConsoleAuth:
    """One per app. Built lazily from the daemon (config, clock, store, data dir)."""

    def __init__(self, daemon: Daemon) -> None:
        self.daemon = daemon
        self.config = daemon.config.console
        self.clock = daemon.clock
        self.store = daemon.store
        self.staff: StaffService = daemon.require_services().staff
        self._secret = load_or_create_secret(daemon.data_dir)
        self._sessions = URLSafeSerializer(self._secret, salt="lockerd-console-session")
        self._login = URLSafeSerializer(self._secret, salt="lockerd-console-login")
        self._flash = URLSafeSerializer(self._secret, salt="lockerd-console-flash")
        self._device = URLSafeSerializer(self._secret, salt="lockerd-console-device")

    def sign_flash(self, kind: str, text: str) -> str:
        return self._flash.dumps([kind, text[:300]])

    def read_flash(self, cookie: str | None) -> tuple[str, str] | None:
        try:
            kind, text = self._flash.loads(cookie or "")
        except (BadSignature, ValueError, TypeError):
            return None
        return str(kind), str(text)

    # --- cookies -----------------------------------------------------------------------------------
    @property
    def max_age(self) -> int:
        return int(self.config.session_hours * 3600)

    def cookie_args(self) -> dict[str, Any]:
        return {"httponly": True, "samesite": "lax", "secure": bool(self.config.secure_cookies), "path": "/"}

    def issue(self, user: StaffUser) -> str:
        payload = {"u": user.username, "sid": secrets.token_urlsafe(18), "e": user.session_epoch,
                   "iat": utc_iso(self.clock.now())}
        return self._sessions.dumps(payload)

    def read_session(self, cookie: str | None) -> Session | None:
        if not cookie or len(cookie) > 4096:
            return None
        try:
            data = self._sessions.loads(cookie)
            issued = parse_iso(str(data["iat"]))
            session = Session(str(data["u"]), str(data["sid"]), int(data["e"]), str(data["iat"]))
        except (BadSignature, KeyError, TypeError, ValueError):
            return None
        age = (self.clock.now() - issued).total_seconds()
        if age > self.max_age or age < -300:
            return None
        return session

    # --- CSRF ----------------------------------------------------------------------------------------
    def csrf_token(self, sid: str) -> str:
        return hmac.new(self._secret, b"csrf:" + sid.encode(), hashlib.sha256).hexdigest()

    def check_csrf(self, sid: str, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf_token(sid), str(token))

    def login_nonce(self) -> tuple[str, str]:
        """A pre-session for the login form: (cookie value, form token)."""
        nonce = secrets.token_urlsafe(18)
        return self._login.dumps(nonce), self.csrf_token("login:" + nonce)

    def check_login_csrf(self, cookie: str | None, token: str | None) -> bool:
        try:
            nonce = self._login.loads(cookie or "")
        except BadSignature:
            return False
        return self.check_csrf("login:" + str(nonce), token)

    # --- users ---------------------------------------------------------------------------------------
    async def user_for(self, session: Session | None) -> StaffUser | None:
        if session is None:
            return None
        user = await self.staff.session_user(session.sid, session.username)
        if user is None or not user.active or user.session_epoch != session.epoch:
            return None
        return user

    async def login(self, username: str, password: str, client: str, device: str | None = None) -> StaffUser:
        """Check a login (StaffService.check_login). Raises DomainError (401 bad credentials, 429 locked out).

        From a device this user logged in on before (signed ``lockerd_device`` cookie) only that
        device's own counter applies, so failures for the name or from the shared address made by
        someone else cannot lock the user out there."""
        name = (username or "").strip().lower()[:64]
        attempts = self.config.login_attempts
        device_id = self.read_device(device, name)
        if device_id is not None:
            scopes = [(f"dev:{device_id}:{name}", attempts)]
        else:
            scopes = [("user:" + name, attempts), ("ip:" + client, attempts * IP_ATTEMPTS_FACTOR)]
        return await self.staff.check_login(name, password, scopes, self.config.login_lockout_s, client)

    # --- known devices and logout --------------------------------------------------------------------
    def issue_device(self, username: str, current: str | None = None) -> str:
        """A long-lived signed cookie naming this browser and the users (up to 8, a shared desk PC)
        who logged in on it."""
        device_id, names = self._device_data(current)
        names = [n for n in names if n != username][-7:] + [username]
        return self._device.dumps({"u": names, "d": device_id or secrets.token_urlsafe(12)})

    def read_device(self, cookie: str | None, username: str) -> str | None:
        """The device id when this browser is one `username` logged in on before, else None."""
        device_id, names = self._device_data(cookie)
        return device_id if device_id and username in names else None

    def _device_data(self, cookie: str | None) -> tuple[str | None, list[str]]:
        if not cookie or len(cookie) > 1024:
            return None, []
        try:
            data = self._device.loads(cookie)
            names = data["u"]
            return str(data["d"]), [str(n) for n in names] if isinstance(names, list) else []
        except (BadSignature, KeyError, TypeError, AttributeError):
            return None, []

    async def revoke(self, session: Session) -> None:
        """End a session on the server: its cookie is refused from now on, even if copied."""
        try:
            until = parse_iso(session.issued) + timedelta(seconds=self.max_age + 300)
        except ValueError:
            until = self.clock.now() + timedelta(seconds=self.max_age + 300)

        def fn(tx: Any) -> None:
            tx.execute("DELETE FROM staff_sessions_revoked WHERE expires_at < ?", (tx.ts,))
            tx.execute("INSERT OR IGNORE INTO staff_sessions_revoked (sid, expires_at) VALUES (?, ?)",
                       (session.sid, utc_iso(until)))
            tx.audit("staff:" + session.username, "console.logout", session.username)

        await self.store.write(fn)


def get_auth(app: Any) -> ConsoleAuth:
    auth = getattr(app.state, "console_auth", None)
    if auth is None:
        auth = ConsoleAuth(app.state.daemon)
        app.state.console_auth = auth
    return auth
