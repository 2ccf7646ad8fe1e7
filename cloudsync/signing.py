"""Ed25519 signatures over the canonical JSON of a command (DESIGN.md section 4).

`sig` = base64 of the signature over the RFC 8785 (JCS) canonical JSON of the command without `sig`
(cloudsync/jcs.py). For strings, integers, booleans and objects this equals ``json.dumps(fields,
sort_keys=True, separators=(",", ":"), ensure_ascii=False)``; unlike it, it also matches what Go,
Java or JavaScript signers produce for numbers such as ``1.50`` and for escaped input.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from cloudsync.jcs import CanonicalError, canonicalize


def canonical(fields: dict[str, Any]) -> bytes:
    return canonicalize(fields)


def key_id(key: Ed25519PublicKey) -> str:
    """A short stable id of a public key: the first 16 hex digits of SHA-256 of its raw bytes."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


@dataclass(frozen=True)
class PublicKey:
    kid: str
    key: Ed25519PublicKey
    source: str


def load_public_key(path: str | Path) -> PublicKey:
    data = Path(path).read_bytes()
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"{path}: not an Ed25519 public key")
    return PublicKey(key_id(key), key, str(path))


def public_key_problem(path: str | Path) -> str | None:
    """Why a `cloud.command_pubkeys` file cannot be used, in words (None: it is a usable key)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return f"cannot read {path}: {exc.strerror or exc}"
    if b"PRIVATE KEY" in data:
        return (f"{path} is a private key: a site needs HQ's public key only (openssl pkey -in KEY -pubout); "
                "never copy HQ's private key to a site")
    try:
        load_public_key(path)
    except ValueError as exc:
        return f"{path}: not an Ed25519 public key in PEM ({exc})"
    return None


def usable_public_keys(paths: list[str]) -> tuple[list[PublicKey], list[str]]:
    """The keys that load, and for each file that does not, why: one bad file (a rotation's new key with a typo
    in its path) must not take the site's other keys with it."""
    keys: list[PublicKey] = []
    problems: list[str] = []
    for p in paths:
        why = public_key_problem(p)
        if why is None:
            keys.append(load_public_key(p))
        else:
            problems.append(why)
    return keys, problems


def sign(fields: dict[str, Any], private: Ed25519PrivateKey) -> str:
    body = {k: v for k, v in fields.items() if k != "sig"}
    return base64.b64encode(private.sign(canonical(body))).decode("ascii")


def sign_command(fields: dict[str, Any], private: Ed25519PrivateKey) -> dict[str, Any]:
    """Return a copy of the command with `kid` (if missing) and `sig` filled in (for HQ tools and tests)."""
    out = dict(fields)
    out.setdefault("kid", key_id(private.public_key()))
    out.pop("sig", None)
    out["sig"] = sign(out, private)
    return out


def verify(command: dict[str, Any], keys: list[PublicKey]) -> PublicKey | None:
    """The key that signed `command`, or None. Tries the key named by `kid` first, then the others."""
    sig_text = command.get("sig")
    if not isinstance(sig_text, str) or not keys:
        return None
    try:
        sig = base64.b64decode(sig_text, validate=True)
    except (binascii.Error, ValueError):
        return None
    try:
        body = canonical({k: v for k, v in command.items() if k != "sig"})
    except (CanonicalError, RecursionError):
        return None
    kid = command.get("kid")
    ordered = sorted(keys, key=lambda k: k.kid != kid)
    for pk in ordered:
        try:
            pk.key.verify(sig, body)
            return pk
        except InvalidSignature:
            continue
    return None
