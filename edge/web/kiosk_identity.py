"""Which kiosk sent a request, decided by how it connects, never by a header the client chooses.

* The kiosk browser on the Pi itself reaches the server over loopback (and not through a configured
  proxy, which rewrites the client to the forwarded address): it is the kiosk ``local``.
* A kiosk on another machine sends its configured token (``web.kiosks``, one token file each) in the
  ``X-Kiosk-Token`` header, or as ``?kiosk_token=`` on the event stream (EventSource cannot set headers).
* Anything else is not a kiosk: it may not log couriers in, try pickup codes or watch the scan stream.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from edge.web.shield import is_loopback
from edge.web.webconfig import WebConfig

if TYPE_CHECKING:
    from edge.daemon import Daemon

log = logging.getLogger(__name__)

LOCAL_KIOSK = "local"
TOKEN_HEADER = "x-kiosk-token"
_TOKEN_HEADER_B = TOKEN_HEADER.encode()
TOKEN_QUERY = "kiosk_token"
MIN_TOKEN = 24
SIM_TOKENS_FILE = "sim_kiosk_tokens.json"  # `lockerd simulate` only


@dataclass(slots=True)
class KioskTokens:
    tokens: list[tuple[str, bytes]]
    sim_file: Path | None = None

    def add(self, kiosk: str) -> str:
        """A new token for `kiosk` (the simulator's control API makes extra kiosks this way; they are
        kept in the data dir, so a restarted simulator still knows its kiosks)."""
        token = secrets.token_urlsafe(24)
        self.tokens.append((kiosk, token.encode()))
        if self.sim_file is not None:
            minted = _read_sim(self.sim_file)
            minted[token] = kiosk
            tmp = self.sim_file.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as f:
                json.dump(minted, f)
            os.replace(tmp, self.sim_file)
        return token

    def match(self, given: str | None) -> str | None:
        if not given:
            return None
        raw = given.strip().encode()
        found = None
        for kiosk, token in self.tokens:  # compare against all, so timing does not tell which matched
            if hmac.compare_digest(raw, token):
                found = kiosk
        return found


def load_tokens(cfg: WebConfig, base: Path | None = None) -> KioskTokens:
    out = []
    for k in cfg.kiosks:
        path = Path(k.token_file)
        if not path.is_absolute() and base is not None:
            path = base / path
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
            token = path.read_text().strip()
        except OSError as exc:
            log.warning("kiosk %s: cannot read its token file (%s); it cannot log in", k.id, exc.strerror or exc)
            continue
        if mode & 0o077:
            log.warning("kiosk %s: token file is readable by others; fix it to mode 0600", k.id)
        if len(token) < MIN_TOKEN:
            log.warning("kiosk %s: token shorter than %s characters; ignored", k.id, MIN_TOKEN)
            continue
        out.append((k.id, token.encode()))
    return KioskTokens(out)


def _read_sim(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def tokens_of(app: Any) -> KioskTokens:
    cached = getattr(app.state, "kiosk_tokens", None)
    if cached is None:
        daemon: Daemon = app.state.daemon
        data_dir = daemon.data_dir
        cached = load_tokens(daemon.config.web, data_dir)
        if daemon.simulated:
            cached.sim_file = data_dir / SIM_TOKENS_FILE
            cached.tokens += [(kiosk, token.encode()) for token, kiosk in _read_sim(cached.sim_file).items()]
        app.state.kiosk_tokens = cached
    return cached


def identify(request: Any) -> str | None:
    """The kiosk's id, or None when the request does not come from a kiosk."""
    return identify_scope(request.scope, request.app)


def identify_scope(scope: Any, app: Any) -> str | None:
    """``identify`` from the ASGI scope itself (edge/web/kiosk_fast.py has no Request): the token header (the
    first one, as Starlette's ``headers.get``), else the token query parameter (the last one, as its
    ``query_params.get``), else the loopback connection that came through no proxy."""
    given = None
    for k, v in scope.get("headers", ()):
        if k == _TOKEN_HEADER_B:
            given = v.decode("latin-1")
            break
    if not given and scope.get("query_string"):
        for k, v in parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True):
            if k == TOKEN_QUERY:
                given = v
    if given:
        kiosk = tokens_of(app).match(given)
        if kiosk is not None:
            return kiosk
    # no token, or a stale one: the loopback browser is still the Pi's own kiosk (a wrong token gains
    # a loopback client nothing it did not have)
    client = scope.get("client")
    host = client[0] if client else None
    if is_loopback(host) and "lockerd_proxy" not in scope:
        return LOCAL_KIOSK
    return None
