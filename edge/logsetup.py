"""Logging setup: structured journald records (stdlib only) and masking of pickup codes and secrets.

- Under systemd, records go to journald's native socket (/run/systemd/journal/socket) as fields:
  MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, LOGGER, CODE_FILE/LINE/FUNC, THREAD, and any ``extra``
  given as ``journal={...}`` (e.g. ``log.info("...", extra={"journal": {"COMPARTMENT": "A-07"}})``).
  ``journalctl -u lockerd LOGGER=edge.services.doors`` then filters by module.
- Without the socket but with stderr connected to the journal ($JOURNAL_STREAM), lines get the
  ``<N>`` priority prefix systemd understands; otherwise plain timestamped lines on stderr.
- Every handler carries `RedactFilter`, which masks codes by their shape, not by a word before them:
  every standalone run of exactly a pickup code's length (10 digits by default; the pickup service
  registers the site's length) is masked down to its last two digits in any line, in any language; in a
  line that names a code (code, PIN, OTP, 码/碼), every run of 6-12 digits, also written in groups
  (``50637 72986``, ``506-377-2986``) or in full-width digits, is masked too. Password/token/secret/key
  values, Bearer tokens and PEM private keys are replaced.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import struct
import sys
import threading
from typing import Any, TextIO

JOURNAL_SOCKET = "/run/systemd/journal/socket"
IDENTIFIER = "lockerd"
_MAX_DATAGRAM = 200_000

_CODE_WORD = re.compile(r"code|\bpin\b|\botp\b|码|碼", re.IGNORECASE)
#: a standalone run of digits, or digit groups of 3-5 joined by single spaces or dashes; "standalone" =
#: not glued to ASCII letters or digits (an alphanumeric tracking number like SF1234567890 is kept)
_DIGITS_RE = re.compile(r"(?<![0-9A-Za-z])(?:\d{3,5}(?:[ -]\d{3,5})+|\d+)(?![0-9A-Za-z])")
_CODE_LENGTHS: set[int] = {10}
_CONTEXT_RANGE = range(6, 13)


def register_code_length(length: int) -> None:
    """Mask digit runs of this length in every line (called with the site's pickup-code length)."""
    if 6 <= length <= 16:
        _CODE_LENGTHS.add(length)


def _mask_run(m: re.Match[str], in_context: bool) -> str:
    run = m.group(0)
    digits = [ch for ch in run if ch.isdigit()]
    n = len(digits)
    grouped = len(digits) != len(run)
    if (not grouped and n in _CODE_LENGTHS) or (in_context and n in _CONTEXT_RANGE):
        keep = 2
        out = []
        seen = 0
        for ch in run:
            if ch.isdigit():
                seen += 1
                out.append(ch if seen > n - keep else "*")
            else:
                out.append(ch)
        return "".join(out)
    return run


_SECRET_RE = re.compile(
    r"((?:password|passwd|secret|token|api[_-]?key|private[_-]?key|session|cookie)\w*[\"']?\s*[:=]\s*[\"']?)"
    r"([^\s\"',;&}]+)",
    re.IGNORECASE,
)
_BEARER_RE = re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+", re.IGNORECASE)
_PEM_RE = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)", re.S)


def redact(text: str) -> str:
    """Mask pickup codes (keep the last two digits) and secrets in a log line."""
    if not text:
        return text
    text = _PEM_RE.sub("[private key redacted]", text)
    in_context = bool(_CODE_WORD.search(text))
    text = _DIGITS_RE.sub(lambda m: _mask_run(m, in_context), text)
    text = _SECRET_RE.sub(lambda m: m.group(1) + "***", text)
    return _BEARER_RE.sub(r"\1***", text)


class RedactFilter(logging.Filter):
    """Rewrites each record's message (and traceback text) through `redact`. Never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # bad %-args: keep what we can, never crash logging
            message = f"{record.msg!r} (unformattable args {record.args!r})"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def syslog_priority(levelno: int) -> int:
    if levelno >= logging.CRITICAL:
        return 2
    if levelno >= logging.ERROR:
        return 3
    if levelno >= logging.WARNING:
        return 4
    if levelno >= logging.INFO:
        return 6
    return 7


def _field(key: str, value: Any) -> bytes:
    data = str(value).encode("utf-8", "replace")
    name = key.upper().encode("ascii", "ignore")
    if b"\n" in data:
        return name + b"\n" + struct.pack("<Q", len(data)) + data + b"\n"
    return name + b"=" + data + b"\n"


def _valid_field_name(key: str) -> bool:
    return bool(re.fullmatch(r"[A-Z0-9][A-Z0-9_]{0,63}", key))


class JournaldHandler(logging.Handler):
    """Sends each record to journald's native protocol socket; falls back to stderr on failure."""

    def __init__(self, path: str = JOURNAL_SOCKET, identifier: str = IDENTIFIER, fallback: TextIO | None = None):
        super().__init__()
        self.path = path
        self.identifier = identifier
        self.fallback = fallback
        self._sock: socket.socket | None = None
        self._sock_lock = threading.Lock()
        self.setFormatter(logging.Formatter("%(message)s"))

    def encode(self, record: logging.LogRecord) -> bytes:
        message = self.format(record)
        fields: list[tuple[str, Any]] = [
            ("MESSAGE", message),
            ("PRIORITY", syslog_priority(record.levelno)),
            ("SYSLOG_IDENTIFIER", self.identifier),
            ("LOGGER", record.name),
            ("CODE_FILE", record.pathname),
            ("CODE_LINE", record.lineno),
            ("CODE_FUNC", record.funcName),
            ("THREAD", record.threadName),
        ]
        extra = getattr(record, "journal", None)
        if isinstance(extra, dict):
            for k, v in extra.items():
                key = str(k).upper()
                if _valid_field_name(key) and not key.startswith("_"):
                    fields.append((key, redact(str(v))))
        data = b"".join(_field(k, v) for k, v in fields)
        if len(data) > _MAX_DATAGRAM:
            head = _field("MESSAGE", message[: _MAX_DATAGRAM // 2] + " [truncated]")
            data = head + b"".join(_field(k, v) for k, v in fields[1:])
        return data

    def emit(self, record: logging.LogRecord) -> None:
        try:
            data = self.encode(record)
            with self._sock_lock:
                if self._sock is None:
                    self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
                self._sock.sendto(data, self.path)
        except OSError:
            out = self.fallback or sys.stderr
            try:
                out.write(f"<{syslog_priority(record.levelno)}>{record.name}: {self.format(record)}\n")
                out.flush()
            except Exception:
                self.handleError(record)
        except Exception:
            self.handleError(record)

    def close(self) -> None:
        with self._sock_lock:
            if self._sock is not None:
                self._sock.close()
                self._sock = None
        super().close()


class PriorityPrefixFormatter(logging.Formatter):
    """``<N>logger: message`` lines for stderr captured by journald (sd-daemon(3) prefixes)."""

    def format(self, record: logging.LogRecord) -> str:
        text = f"{record.name}: {super().format(record)}"
        prefix = f"<{syslog_priority(record.levelno)}>"
        return "\n".join(prefix + line for line in text.splitlines() or [""])


def stderr_is_journal(env: dict[str, str] | None = None, stream: TextIO | None = None) -> bool:
    """True when $JOURNAL_STREAM names our stderr (device:inode), as systemd sets it."""
    env = dict(os.environ) if env is None else env
    value = env.get("JOURNAL_STREAM", "")
    if not value:
        return False
    try:
        dev, ino = (int(x) for x in value.split(":", 1))
        st = os.fstat((stream or sys.stderr).fileno())
    except (ValueError, OSError, AttributeError):
        return False
    return (st.st_dev, st.st_ino) == (dev, ino)


def setup_logging(
    level: int | str = "INFO",
    journald: bool | None = None,
    *,
    socket_path: str = JOURNAL_SOCKET,
    stream: TextIO | None = None,
    env: dict[str, str] | None = None,
) -> logging.Handler:
    """Configure the root logger once (idempotent: replaces the handler it installed before).

    journald=True: native socket if present, else ``<N>``-prefixed stderr if $JOURNAL_STREAM is our
    stderr, else plain stderr. journald=None (default): True when started by systemd ($INVOCATION_ID
    or $JOURNAL_STREAM set). Returns the installed handler.
    """
    environ = dict(os.environ) if env is None else env
    if journald is None:
        journald = bool(environ.get("INVOCATION_ID") or environ.get("JOURNAL_STREAM"))
    if isinstance(level, str):
        resolved = logging.getLevelName(level.upper())
        if not isinstance(resolved, int):
            raise ValueError(f"unknown log level {level!r}")
        level = resolved
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_lockerd", False):
            root.removeHandler(h)
            h.close()
    out = stream or sys.stderr
    handler: logging.Handler
    if journald and os.path.exists(socket_path):
        handler = JournaldHandler(socket_path, fallback=out)
    elif journald and stderr_is_journal(environ, out):
        handler = logging.StreamHandler(out)
        handler.setFormatter(PriorityPrefixFormatter("%(message)s"))
    else:
        handler = logging.StreamHandler(out)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    handler.addFilter(RedactFilter())
    setattr(handler, "_lockerd", True)  # noqa: B010 (marks our handler for the next call)
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("uvicorn.access", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
    return handler
