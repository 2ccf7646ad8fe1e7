"""Secrets the site config names by file (``*_file`` keys), and the check-config pass over them.

A secret is kept out of the config file: a ``*_file`` key names a file holding it (first line only),
in the data dir (owned by ``lockerd``, mode 0600) or in ``/etc/lockerd`` (``root:lockerd``, mode 0640,
as install.sh leaves the files there). A relative path is taken from the data dir, the daemon's working
directory. A few keys also take the value inline, for configs written before; ``lockerd check-config``
warns about each one that is set, and refuses a named file that is missing, unreadable, empty, or open
to other users (or writable by the group).

Config models mark their secret keys with ``SECRET_FILE`` and ``SECRET_INLINE`` (json_schema_extra), so
the pass finds them wherever they sit. No secret's value is ever put in a message or a log line: only
keys, paths and modes.
"""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

log = logging.getLogger(__name__)

#: the marker in a field's json_schema_extra
MARK = "lockerd_secret"
#: permission bits a secret file must not have: any access by other users, or writing by the group
TOO_OPEN = 0o027

Kind = Literal["file", "inline"]
#: ``Field(json_schema_extra=SECRET_FILE)``: a ``*_file`` key naming a file that holds a secret
SECRET_FILE: dict[str, Any] = {MARK: "file"}
#: ``Field(repr=False, json_schema_extra=SECRET_INLINE)``: a secret written inline (its ``*_file`` twin wins)
SECRET_INLINE: dict[str, Any] = {MARK: "inline"}

#: (key, problem) pairs already logged by secret_value
_reported: set[tuple[str, str]] = set()


class SecretFileError(ValueError):
    """A named secret file that cannot be used; the message names the path and the fix, never the secret."""


def resolve(path: str, base: Path | None = None) -> Path:
    p = Path(path)
    return base / p if base is not None and not p.is_absolute() else p


def read_secret_file(path: str, base: Path | None = None) -> str:
    """The first line of the secret file `path` (relative to `base`), or SecretFileError saying why not."""
    p = resolve(path, base)
    try:
        mode = stat.S_IMODE(p.stat().st_mode)
        if not p.is_file():
            raise SecretFileError(f"{p} is not a file")
        text = p.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise SecretFileError(f"{p} does not exist") from None
    except PermissionError:
        raise SecretFileError(f"{p} cannot be read by this user (it must be readable by lockerd)") from None
    except UnicodeDecodeError:
        raise SecretFileError(f"{p} is not UTF-8 text") from None
    except OSError as exc:
        raise SecretFileError(f"{p} cannot be read: {exc.strerror or exc}") from None
    if mode & TOO_OPEN:
        who = "other users" if mode & 0o007 else "its group"
        raise SecretFileError(f"{p} is open to {who} (mode {mode:04o}); make it 0600 (or 0640 root:lockerd):"
                              f" chmod 0600 {p}")
    if not text:
        raise SecretFileError(f"{p} is empty")
    return text.splitlines()[0].strip()


def secret_value(inline: str, path: str, what: str, base: Path | None = None) -> str:
    """The secret of a key pair (`path` wins over `inline`); "" and one error line when the file is unusable,
    so the part that needs it says "not configured" rather than failing on every request."""
    if not path:
        return inline
    try:
        return read_secret_file(path, base)
    except SecretFileError as exc:
        if (what, str(exc)) not in _reported:  # a part may ask on every request: say it once
            _reported.add((what, str(exc)))
            log.error("%s: %s; the secret is not used", what, exc)
        return ""


def _mark(model: BaseModel, name: str) -> Kind | None:
    extra = type(model).model_fields[name].json_schema_extra
    kind = extra.get(MARK) if isinstance(extra, dict) else None
    if kind == "file":
        return "file"
    return "inline" if kind == "inline" else None


def _label(item: BaseModel, index: int) -> str:
    for attr in ("id", "name"):
        value = getattr(item, attr, None)
        if isinstance(value, str) and value:
            return value
    return str(index)


def secret_keys(model: BaseModel, prefix: str = "") -> Iterator[tuple[str, Kind, str]]:
    """(key, "file" | "inline", value) of every marked secret key that is set, anywhere in `model`."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        key = f"{prefix}.{name}" if prefix else name
        kind = _mark(model, name)
        if kind is not None:
            if isinstance(value, str) and value:
                yield key, kind, value
        elif isinstance(value, BaseModel):
            yield from secret_keys(value, key)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from secret_keys(item, f"{key}[{_label(item, i)}]")
        elif isinstance(value, dict):
            for k, item in value.items():
                if isinstance(item, BaseModel):
                    yield from secret_keys(item, f"{key}.{k}")


def check_secrets(config: BaseModel, base: Path | None) -> tuple[list[tuple[str, str]], list[str]]:
    """(problems, warnings) of the config's secrets: a named file that cannot be used is a problem (key,
    reason); a secret written inline is a warning naming its key and the ``*_file`` key to use instead."""
    problems: list[tuple[str, str]] = []
    warnings: list[str] = []
    found = list(secret_keys(config))
    files = {key for key, kind, _ in found if kind == "file"}
    for key, kind, value in found:
        if kind == "file":
            try:
                read_secret_file(value, base)
            except SecretFileError as exc:
                problems.append((key, str(exc)))
        elif f"{key}_file" in files:
            warnings.append(f"{key} is set inline and also in {key}_file, which wins; remove the inline secret")
        else:
            warnings.append(f"{key} holds a secret inline in the config; put it in a file (mode 0600) and name"
                            f" that in {key}_file instead")
    return problems, warnings
