"""Courier accounts and kiosk sessions."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta
from typing import Any

from edge.clock import utc_iso
from edge.domain import codes as codemath
from edge.domain.text import check_text
from edge.errors import DomainError
from edge.ids import short_id
from edge.policy import PickupCodePolicy
from edge.services import attempts
from edge.services.directory import company_label
from edge.store.db import Store, Tx

log = logging.getLogger(__name__)

SESSION_MINUTES = 30
SITE_SCOPE = "courier-login:site"
MAX_COMPANY = 64
MAX_NAME = 64
#: courier codes this short or shorter weaken the guessing bound (docs/security.md)
RECOMMENDED_CODE_DIGITS = 8
#: courier codes: a kiosk locks for a minute (doubling, up to 15) after 5 wrong codes, and the whole
#: site accepts 20 wrong courier codes at once, then 1 an hour (docs/security.md has the arithmetic)
LOGIN_POLICY = PickupCodePolicy(kiosk_attempts=5, kiosk_lockout_s=60, kiosk_lockout_max_s=900,
                                site_bucket=20, site_refill_per_hour=1.0)


class CourierService:
    def __init__(self, store: Store, secret: bytes) -> None:
        self.store = store
        self._secret = secret
        #: the site's language: the kiosk shows a known carrier's company in it
        self.lang = "zh-CN"

    def _hash(self, value: str) -> str:
        return hmac.new(self._secret, value.encode(), hashlib.sha256).hexdigest()

    def add_tx(self, tx: Tx, code: str, company: str, name: str = "", *, warn_short: bool = True) -> str:
        """Enrol a courier code (or return the one already enrolled); ``warn_short`` False for the simulator's
        documented demo codes, whose shortness is no site's choice."""
        if not (code.isascii() and code.isdigit()) or not 4 <= len(code) <= 16:
            raise DomainError("invalid_code", "courier codes are 4-16 digits", status=422)
        company = check_text(company, "company", MAX_COMPANY)
        name = check_text(name, "name", MAX_NAME, required=False)
        h = self._hash(code)
        row = tx.one("SELECT id FROM couriers WHERE code_hash = ?", (h,))
        if row:
            return str(row["id"])
        if warn_short and len(code) < RECOMMENDED_CODE_DIGITS:
            log.warning("a courier code of %s digits was added; %s or more keep guessing out of reach",
                        len(code), RECOMMENDED_CODE_DIGITS)
        cid = short_id("cour")
        tx.execute(
            "INSERT INTO couriers (id, code_hash, company, name, created_at) VALUES (?, ?, ?, ?, ?)",
            (cid, h, company, name, tx.ts),
        )
        tx.audit("system", "courier.add", cid, "", company=company)
        return cid

    async def login(self, code: str, *, kiosk: str) -> dict[str, Any]:
        """Log a courier in. The lockout is checked and the attempt recorded in the same writer
        transaction as the code lookup: per kiosk (the kiosk as identified by its connection, see
        edge/web/kiosk_identity.py) and site-wide (a token bucket no choice of kiosk escapes)."""
        scope = f"courier-login:{kiosk}"
        code = (code or "").strip()

        def fn(tx: Tx) -> dict[str, Any] | DomainError:
            st, site = attempts.load_many(tx, scope, SITE_SCOPE)
            codemath.refill(site, LOGIN_POLICY, tx.now)
            verdict = codemath.check(st, site, LOGIN_POLICY, tx.now)
            if not verdict.allowed:
                return DomainError(
                    "too_many_attempts",
                    "too many wrong courier codes; wait and try again",
                    status=429,
                    retry_after=verdict.retry_after_s,
                )
            row = None
            if code.isascii() and code.isdigit() and len(code) <= 16:
                row = tx.one(
                    "SELECT id, company, name FROM couriers WHERE code_hash = ? AND active = 1", (self._hash(code),)
                )
            if row is None:
                locked = codemath.record_failure(st, site, LOGIN_POLICY, tx.now)
                attempts.save_many(tx, {scope: st, SITE_SCOPE: site}, tx.now)
                if locked or site.tokens < 1:
                    scope_name = "courier_kiosk" if locked else "courier_site"
                    until = st.locked_until.isoformat() if locked and st.locked_until else None
                    tx.emit("security.code_lockout", {"kiosk": kiosk, "scope": scope_name, "until": until,
                                                      "code_kind": "courier"})
                    tx.audit("kiosk:" + kiosk, "security.courier_lockout", kiosk if locked else "site",
                             "kiosk locked after wrong courier codes" if locked
                             else "site-wide courier-code allowance used up")
                return DomainError("courier_code_invalid", "that courier code is not known", status=401)
            codemath.record_success(st, tx.now)
            tx.execute("UPDATE couriers SET last_used_at = ? WHERE id = ?", (tx.ts, row["id"]))
            attempts.save_many(tx, {SITE_SCOPE: site, scope: st}, tx.now)
            token = secrets.token_urlsafe(32)
            expires = tx.now + timedelta(minutes=SESSION_MINUTES)
            tx.execute("DELETE FROM courier_sessions WHERE expires_at < ?", (tx.ts,))
            tx.execute(
                "INSERT INTO courier_sessions (token_hash, courier_id, kiosk, expires_at) VALUES (?, ?, ?, ?)",
                (self._hash(token), row["id"], kiosk, utc_iso(expires)),
            )
            tx.audit("courier:" + row["id"], "courier.login", kiosk)
            return {
                "token": token,
                "courier": {"id": row["id"], "company": company_label(row["company"], self.lang), "name": row["name"]},
                "expires_at": utc_iso(expires),
            }

        result = await self.store.write(fn)
        if isinstance(result, DomainError):
            raise result
        return result

    async def authenticate(self, token: str | None) -> dict[str, Any]:
        """The courier behind a bearer token; sliding expiry. Raises 401 otherwise."""
        if not token:
            raise DomainError("unauthorized", "log in with your courier code first", status=401)
        h = self._hash(token)

        def fn(tx: Tx) -> dict[str, Any] | None:
            row = tx.one(
                "SELECT s.courier_id, s.expires_at, c.company, c.name FROM courier_sessions s"
                " JOIN couriers c ON c.id = s.courier_id WHERE s.token_hash = ? AND c.active = 1",
                (h,),
            )
            if row is None or row["expires_at"] < tx.ts:
                return None
            return {"id": row["courier_id"], "company": row["company"], "name": row["name"]}

        courier = await self.store.read(fn)
        if courier is None:
            raise DomainError("session_expired", "your session has ended; enter your courier code again", status=401)
        return courier

    async def logout(self, token: str) -> None:
        h = self._hash(token)
        await self.store.write(lambda tx: tx.execute("DELETE FROM courier_sessions WHERE token_hash = ?", (h,)))
