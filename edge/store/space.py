"""Disk space for the store: free-space readings, and a reserve kept for door outcomes.

A locker whose disk fills must still be able to write what its doors did (a parcel taken out, a
parcel put in): losing those is what turns a full disk into a lost parcel. The store keeps a file
of `size` bytes beside the database. When a door outcome's write fails for lack of space, the file
is deleted and the write retried, and new work (deposits, console edits) is refused with a clear
error until the disk has room again and the reserve is back.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

log = logging.getLogger(__name__)

RESERVE_NAME = ".lockerd-reserve"


def free_bytes(path: Path) -> int | None:
    try:
        return int(shutil.disk_usage(path).free)
    except OSError:
        return None


class DiskReserve:
    def __init__(self, directory: Path, size: int) -> None:
        self.path = directory / RESERVE_NAME
        self.size = max(0, int(size))

    @property
    def enabled(self) -> bool:
        return self.size > 0

    @property
    def held(self) -> bool:
        try:
            return self.path.stat().st_size >= self.size > 0
        except OSError:
            return False

    def ensure(self) -> bool:
        """Create (or complete) the reserve file; False if the disk has no room for it now."""
        if not self.enabled or self.held:
            return self.held
        free = free_bytes(self.path.parent)
        if free is not None and free < 2 * self.size:
            return False  # leave what room there is to the database
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            with open(tmp, "wb") as f:
                chunk = b"\0" * (1 << 16)
                left = self.size
                while left > 0:
                    n = min(left, len(chunk))
                    f.write(chunk[:n])
                    left -= n
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except OSError as exc:
            log.warning("could not set aside the disk reserve (%s)", exc)
            try:
                tmp.unlink()
            except OSError:
                pass
            return False
        return True

    def release(self) -> bool:
        """Free the reserve for the writes that must land. True if there was one to free."""
        if not self.path.exists():
            return False
        try:
            self.path.unlink()
        except OSError as exc:
            log.error("could not release the disk reserve: %s", exc)
            return False
        log.error("disk full: released the %d-byte reserve so door outcomes can still be written", self.size)
        return True
