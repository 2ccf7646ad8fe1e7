"""Build signed commands the way HQ does (tests only)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cloudsync.signing import sign_command
from edge.clock import utc_iso
from edge.ids import uuid7


def command(key: Ed25519PrivateKey, clock: Any, type_: str, data: dict[str, Any], *, site: str,
            cmd_id: str | None = None, ttl_s: float = 300, issued_delta_s: float = 0) -> dict[str, Any]:
    issued = clock.now() + timedelta(seconds=issued_delta_s)
    body = {"id": cmd_id or uuid7(), "site": site, "type": type_, "issued_at": utc_iso(issued),
            "expires_at": utc_iso(issued + timedelta(seconds=ttl_s)), "data": data}
    return sign_command(body, key)


def raw(cmd: dict[str, Any]) -> bytes:
    return json.dumps(cmd, ensure_ascii=False).encode()
