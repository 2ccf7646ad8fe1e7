"""Console login failures counted while the disk is full, kept where a full disk still lets them be written.

On a full disk a login writes nothing to the database (fix41: staff must be able to sign in to free the space),
so the failures are counted in memory. Kept only there, a restart of the daemon forgot them and undid a lockout.
So they are also written to a file made while the disk had room, at its full size: two slots of `SLOT` bytes,
each a header (magic, sequence number, length, CRC-32) and the counts as JSON. A write overwrites the older slot
in place, in blocks the file already owns, so it needs no free space; a crash in the middle of it leaves the
other slot whole, and reading takes the valid slot with the higher number. Once the database can be written,
the counts are merged into `staff_login_attempts` (the higher count and the later lockout of each) and the file
is emptied (StaffService). Writes are serialised by a lock and each writes the newest counts, so concurrent
logins never write an older state over a newer one (docs/security.md "Console logins").
"""

from __future__ import annotations

import json
import logging
import os
import struct
import threading
import zlib
from datetime import datetime
from pathlib import Path
from typing import Any

from edge.clock import parse_iso, utc_iso

log = logging.getLogger(__name__)

FILE_NAME = ".lockerd-login-failures"
SLOT = 16384
_MAGIC = b"LKLF"
_HEAD = struct.Struct(">4sQII")  # magic, sequence, payload length, CRC-32 of the payload

#: scope -> [failures, locked until (None: not locked)]
Counts = dict[str, list[Any]]


class LoginCountsFile:
    """The two-slot file of one data directory (no file: `path` None, counts in memory only)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.ready = False
        self._seq = 0
        self._written = 0  # the newest state number written
        self._lock = threading.Lock()

    def open(self) -> Counts:
        """Make the file at its full size if it is missing (the disk has room at start, or it fails and is
        retried at the next write), and read the counts it holds."""
        if self.path is None:
            return {}
        try:
            if not self.path.exists() or self.path.stat().st_size < 2 * SLOT:
                self._make()
            self.ready = True
        except OSError as exc:
            log.warning("cannot make %s (%s): login failures on a full disk are kept in memory only", self.path,
                        exc.strerror or exc)
            return {}
        return self._read()

    def _make(self) -> None:
        assert self.path is not None
        tmp = self.path.with_name(self.path.name + ".new")
        with open(tmp, "wb") as f:
            f.write(b"\0" * (2 * SLOT))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)
        fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def _read(self) -> Counts:
        assert self.path is not None
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            log.warning("cannot read %s: %s", self.path, exc.strerror or exc)
            return {}
        best: tuple[int, Counts] | None = None
        for i in range(2):
            got = _slot(data[i * SLOT:(i + 1) * SLOT])
            if got is not None and (best is None or got[0] > best[0]):
                best = got
        if best is None:
            return {}
        self._seq = best[0]
        return best[1]

    def write(self, counts: Counts, version: int) -> bool:
        """The counts (the caller's state number `version`, a copy) into the older slot, in place, fsynced; a state
        older than one already written is skipped (it was superseded). False when it could not be written."""
        if self.path is None:
            return False
        with self._lock:
            if version <= self._written:
                return True
            if not self.ready:
                try:
                    self._make()  # it could not be made at start; at a write the disk may have room
                except OSError as exc:
                    log.warning("login failures not written: %s cannot be made: %s", self.path, exc.strerror or exc)
                    return False
                self.ready = True
            payload = _payload(counts)
            seq = self._seq + 1
            block = _HEAD.pack(_MAGIC, seq, len(payload), zlib.crc32(payload)) + payload
            try:
                fd = os.open(self.path, os.O_WRONLY)
                try:
                    os.pwrite(fd, block.ljust(SLOT, b"\0"), (seq % 2) * SLOT)
                    os.fsync(fd)
                finally:
                    os.close(fd)
            except OSError as exc:
                log.warning("login failures not written to %s: %s", self.path, exc.strerror or exc)
                return False
            self._seq = seq
            self._written = version
            return True


def _slot(raw: bytes) -> tuple[int, Counts] | None:
    if len(raw) < _HEAD.size:
        return None
    magic, seq, size, crc = _HEAD.unpack_from(raw)
    payload = raw[_HEAD.size:_HEAD.size + size]
    if magic != _MAGIC or len(payload) != size or zlib.crc32(payload) != crc:
        return None
    try:
        rows = json.loads(payload)
        counts: Counts = {str(s): [int(f), parse_iso(u) if u else None] for s, f, u in rows}
    except (ValueError, TypeError):
        return None
    return seq, counts


def _payload(counts: Counts) -> bytes:
    """The counts as JSON rows within a slot: the lockouts first, then the most failures; what does not fit is
    left out (said in the log): a slot holds about 200 scopes."""
    ranked = sorted(counts.items(), key=lambda kv: (kv[1][1] is None, -int(kv[1][0])))
    rows = [[s, int(f), utc_iso(u) if isinstance(u, datetime) else None] for s, (f, u) in ranked]
    room = SLOT - _HEAD.size
    out = json.dumps(rows, separators=(",", ":")).encode()
    while len(out) > room and rows:
        rows.pop()
        out = json.dumps(rows, separators=(",", ":")).encode()
    if len(rows) < len(counts):
        log.warning("login failures: %d of %d scopes kept on disk (the file is full)", len(rows), len(counts))
    return out
