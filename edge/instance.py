"""One daemon per data dir, and a database that knows which locker it belongs to.

* :func:`claim` takes an exclusive ``flock`` on ``DATA_DIR/lockerd.lock`` for the life of the process
  and writes ``lockerd.pid``. A second daemon on the same data dir is refused with a message naming
  the first (its pid), before it touches the database, the doors or the broker.
* ``DATA_DIR/site.json`` records the site, an instance id (also in the database's ``meta``) and
  whether this locker has ever held a parcel. :func:`check_database` refuses to start on an empty,
  missing or unreadable database where the site has held parcels (a fresh schema would forget them,
  and the next deposit could be given a door that holds one), naming the newest backup and the
  restore command; likewise for a corrupt database or a read-only data dir, in words.

Every refusal is a :class:`StartRefused`; the CLI prints it and exits with :data:`EXIT_REFUSED`
(systemd's unit does not restart on it: a restart loop would not fix any of these).
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

LOCK_NAME = "lockerd.lock"
PID_NAME = "lockerd.pid"
SITE_FILE = "site.json"
#: EX_CONFIG: the unit's RestartPreventExitStatus
EXIT_REFUSED = 78


class StartRefused(Exception):
    """lockerd must not start here; the message says why and what to do (English, then Chinese)."""


@dataclass
class Claim:
    data_dir: Path
    fd: int

    def release(self) -> None:
        pid_file = self.data_dir / PID_NAME
        try:
            if pid_file.read_text().strip() == str(os.getpid()):
                pid_file.unlink()
        except OSError:
            pass
        try:
            os.close(self.fd)  # closing drops the flock
        except OSError:
            pass


def _read_only(exc: OSError) -> bool:
    return exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM)


def claim(data_dir: Path) -> Claim:
    """Lock the data dir for this process (held until release or exit) and write the pid file."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(data_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o640)
    except OSError as exc:
        if _read_only(exc):
            raise StartRefused(
                f"The data directory {data_dir} cannot be written ({exc.strerror}). lockerd keeps its "
                "records there and will not start without it: check the disk is mounted read-write and "
                "owned by the lockerd user.\n"
                f"数据目录 {data_dir} 无法写入。请确认磁盘以读写方式挂载，且属于 lockerd 用户。"
            ) from None
        raise StartRefused(f"The data directory {data_dir} cannot be used: {exc.strerror}.\n"
                           f"无法使用数据目录 {data_dir}。") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        other = _pid_of(data_dir)
        who = f"process {other}" if other else "another process"
        raise StartRefused(
            f"Another lockerd ({who}) is already running on {data_dir}. Two daemons on one data dir would "
            "fight over the doors and the records: stop that one first (systemctl stop lockerd).\n"
            f"已有另一个 lockerd（{'进程 ' + str(other) if other else '另一进程'}）在使用 {data_dir}，请先停止它。"
        ) from None
    try:
        tmp = data_dir / (PID_NAME + ".tmp")
        tmp.write_text(f"{os.getpid()}\n")
        os.replace(tmp, data_dir / PID_NAME)
    except OSError as exc:
        os.close(fd)
        raise StartRefused(
            f"The data directory {data_dir} cannot be written ({exc.strerror}); lockerd will not start.\n"
            f"数据目录 {data_dir} 无法写入，lockerd 不会启动。"
        ) from None
    return Claim(data_dir, fd)


def _pid_of(data_dir: Path) -> int | None:
    try:
        return int((data_dir / PID_NAME).read_text().strip())
    except (OSError, ValueError):
        return None


# --- site identity ----------------------------------------------------------------------------------
def read_identity(data_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((data_dir / SITE_FILE).read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        log.warning("%s is unreadable; treating this locker as one that has held parcels", data_dir / SITE_FILE)
        return {"has_held_parcels": True}
    return data if isinstance(data, dict) else {"has_held_parcels": True}


def write_identity(data_dir: Path, ident: dict[str, Any]) -> None:
    path = data_dir / SITE_FILE
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w") as f:
        json.dump(ident, f, indent=1, sort_keys=True)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _has_backups(data_dir: Path) -> bool:
    return bool(_backups(data_dir))


def _backups(data_dir: Path) -> list[Path]:
    from edge.cli.backup import list_backups

    return list_backups(data_dir / "backups")


def _restore_hint(data_dir: Path) -> str:
    backups = _backups(data_dir)
    if not backups:
        return ("No backup was found in " + str(data_dir / "backups") + ": restore the newest copy you have with "
                f"`lockerd restore FILE --data-dir {data_dir}`.\n未找到备份；请用 `lockerd restore 备份文件 "
                f"--data-dir {data_dir}` 恢复最新的一份。")
    newest = backups[-1]
    return (f"The newest backup is {newest}. Restore it with:\n    lockerd restore {newest} --data-dir {data_dir}\n"
            f"最新的备份是 {newest}，请用上面的命令恢复。")


def check_database(data_dir: Path, db: Path) -> None:
    """Before opening the store: refuse an empty, missing or unreadable database on a locker that has
    held parcels. A site that never held one (a new install) starts on a fresh schema as before."""
    ident = read_identity(data_dir)
    held = bool(ident.get("has_held_parcels")) if ident is not None else _has_backups(data_dir)
    forget = ("If you really mean to start this locker with no records, move "
              f"{data_dir / SITE_FILE} away first.\n若确实要以空记录启动，请先移走 {SITE_FILE}。")
    size = db.stat().st_size if db.exists() else -1
    if size <= 0:
        if held:
            what = "missing" if size < 0 else "empty"
            raise StartRefused(
                f"The database {db} is {what}, but this locker has held parcels: starting on a new, empty "
                "database would forget every parcel inside and could give a full compartment to the next "
                f"courier.\n数据库 {db} {'不存在' if size < 0 else '为空'}，但本柜曾存放包裹，不能以空数据库启动。\n"
                + _restore_hint(data_dir) + "\n" + forget
            )
        return
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            ok = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
            has_parcels = version > 0 and bool(
                conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'parcels'").fetchone()
            )
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise StartRefused(
            f"The database {db} cannot be read ({exc}); it may be damaged. lockerd will not start on it.\n"
            f"数据库 {db} 无法读取，可能已损坏，lockerd 不会启动。\n" + _restore_hint(data_dir)
        ) from None
    if ok != "ok":
        raise StartRefused(
            f"The database {db} is damaged (integrity check: {ok}). lockerd will not start on it.\n"
            f"数据库 {db} 已损坏，lockerd 不会启动。\n" + _restore_hint(data_dir)
        )
    if held and not has_parcels:
        raise StartRefused(
            f"The database {db} holds no records (a blank schema), but this locker has held parcels.\n"
            f"数据库 {db} 没有任何记录，但本柜曾存放包裹。\n" + _restore_hint(data_dir) + "\n" + forget
        )


def stamp_identity(data_dir: Path, tx: Any, site_id: str) -> dict[str, Any]:
    """After the store is open (inside a write): the instance id and the held-parcels mark, kept both
    in the database's meta and in site.json beside it."""
    ident = read_identity(data_dir) or {}
    mine, theirs = ident.get("instance"), tx.meta_get("site_instance")
    if mine and theirs and mine != theirs:
        raise StartRefused(
            f"The database in {data_dir} belongs to another locker (instance {theirs}, this data dir is "
            f"{mine}). lockerd will not mix two lockers' records.\n数据库属于另一台柜机，lockerd 不会启动。\n"
            + _restore_hint(data_dir)
        )
    instance = theirs or mine or str(uuid.uuid4())
    held = bool(ident.get("has_held_parcels")) or tx.meta_get("has_held_parcels") == "1" or bool(
        tx.scalar("SELECT 1 FROM parcels WHERE stored_at IS NOT NULL LIMIT 1")
    )
    tx.meta_set("site_instance", instance)
    tx.meta_set("site_id", site_id)
    if held:
        tx.meta_set("has_held_parcels", "1")
    new = {
        "site_id": site_id,
        "instance": instance,
        "has_held_parcels": held,
        "created_at": ident.get("created_at") or datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return new


class HeldParcelsMark:
    """Store listener: the first ``parcel.stored`` of a new locker sets the mark (file and meta)."""

    def __init__(self, data_dir: Path, ident: dict[str, Any], mark_db: Any) -> None:
        self.data_dir = data_dir
        self.ident = ident
        self._mark_db = mark_db

    def __call__(self, events: list[dict[str, Any]]) -> None:
        if self.ident.get("has_held_parcels") or not any(e["type"] == "parcel.stored" for e in events):
            return
        self.ident["has_held_parcels"] = True
        try:
            write_identity(self.data_dir, self.ident)
        except OSError as exc:
            log.warning("could not mark %s (has held parcels): %s", self.data_dir / SITE_FILE, exc)
        self._mark_db()
