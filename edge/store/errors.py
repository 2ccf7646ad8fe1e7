"""The store's errors: a closed or too-new database, and a disk that refuses writes."""

from __future__ import annotations

import sqlite3

from edge.errors import DomainError


class StoreError(Exception):
    pass


class StoreWriteError(DomainError):
    """The database could not be written (disk full, I/O error, read-only): one clear JSON error."""

    def __init__(self, detail: str, *, full: bool = False) -> None:
        super().__init__(
            "storage_full" if full else "storage_unavailable",
            "the locker's storage is full; staff have been told. Please try again later"
            if full
            else "the locker cannot save records right now; staff have been told. Please try again later",
            status=503,
        )
        self.detail = detail
        self.full = full


#: sqlite3 messages that mean "the disk refused", not "the code is wrong"
_WRITE_FAULTS = ("full", "disk i/o", "readonly", "read-only", "unable to open", "no space")


def write_fault(exc: BaseException) -> StoreWriteError | None:
    if isinstance(exc, StoreWriteError):
        return exc
    text = str(exc).lower()
    if isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError | OSError) and any(
        k in text for k in _WRITE_FAULTS
    ):
        return StoreWriteError(str(exc), full="full" in text or "no space" in text)
    return None
