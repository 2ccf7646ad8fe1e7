"""`lockerd backup`, `lockerd restore` and `lockerd migrate`: the database file on the Pi.

- backup: SQLite's online backup API (consistent while the daemon runs), written to a temporary name,
  checked with PRAGMA integrity_check, then renamed; keeps the newest N backups.
- restore: refuses while the daemon has the database open (an exclusive-lock probe, plus the pid
  file), verifies the file (integrity_check, schema version this lockerd understands, core tables),
  keeps the current database aside as ``<db>.pre-restore-<ts>``, then swaps the copy in.
- the per-install key (``secret.key``, courier codes are hashed with it) travels with each backup as
  ``<backup>.key`` (mode 0600); a restore puts it back, so a backup restored onto a new SD card keeps
  every courier code working (the current key is kept aside as ``secret.key.pre-restore-<ts>``).
- migrate: a backup, then the schema migrations (used by install.sh on upgrade, daemon stopped).
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sqlite3
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)

DB_NAME = "lockerd.db"
PID_NAME = "lockerd.pid"
BACKUP_RE = re.compile(r"^lockerd-(\d{8}T\d{6}(?:\d{3})?Z)(?:-[a-z0-9]+)?\.db$")
REQUIRED_TABLES = ("meta", "compartments", "parcels", "events", "outbox")
DEFAULT_DATA_DIR = "/var/lib/lockerd"
#: the per-install key courier codes are hashed with (edge.daemon.load_secret); a backup carries a copy
SECRET_NAME = "secret.key"
KEY_SUFFIX = ".key"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


# --- locating the database ---------------------------------------------------------------------------
def resolve_data_dir(data_dir: str | None, config: str | None) -> Path:
    if data_dir:
        return Path(data_dir)
    if config:
        from edge.config import ConfigError, load_config

        try:
            return Path(load_config(config).data_dir)
        except ConfigError as exc:
            raise BackupError(exc.explain()) from None
    return Path(os.environ.get("LOCKERD_DATA_DIR") or DEFAULT_DATA_DIR)


def db_path(data_dir: Path) -> Path:
    return data_dir / DB_NAME


def _stamp(now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    return now.astimezone(UTC).strftime("%Y%m%dT%H%M%S") + f"{now.microsecond // 1000:03d}Z"


# --- checks -------------------------------------------------------------------------------------------
def daemon_running(db: Path) -> str | None:
    """Why we believe a daemon has `db` open, or None. Probes an exclusive lock without waiting."""
    pid_file = db.parent / PID_NAME
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        pid = 0
    if pid > 0 and pid != os.getpid():
        try:
            os.kill(pid, 0)
            return f"lockerd is running (pid {pid} in {pid_file})"
        except ProcessLookupError:
            pass
        except PermissionError:
            return f"lockerd is running (pid {pid} in {pid_file})"
    lock = db.parent / "lockerd.lock"
    if lock.exists():
        import fcntl

        try:
            fd = os.open(lock, os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            fd = -1
        if fd >= 0:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return f"lockerd is running (it holds {lock})"
            finally:
                os.close(fd)
    if not db.exists():
        return None
    conn = sqlite3.connect(db, isolation_level=None, timeout=0)
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        return f"the database is in use by another process ({exc}); stop lockerd first"
    except sqlite3.DatabaseError:
        return None  # a damaged file nobody can have open: exactly what a restore replaces
    finally:
        conn.close()
    return None


def verify_database(path: Path) -> int:
    """Check a database file is whole and one this lockerd can run. Returns its schema version."""
    from edge.store.db import SCHEMA_VERSION

    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"{path}: cannot open: {exc}") from None
    try:
        try:
            result = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path}: not a lockerd database ({exc})") from None
    finally:
        conn.close()
    if result != ["ok"]:
        raise BackupError(f"{path}: integrity check failed: {'; '.join(result[:5])}")
    if version < 1:
        raise BackupError(f"{path}: has no lockerd schema (user_version 0)")
    if version > SCHEMA_VERSION:
        raise BackupError(f"{path}: schema v{version} is newer than this lockerd (v{SCHEMA_VERSION})")
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        raise BackupError(f"{path}: not a lockerd database (missing tables: {', '.join(missing)})")
    return version


# --- operations ----------------------------------------------------------------------------------------
def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_db(src: Path, dest: Path) -> None:
    """Online copy with the backup API, then fsync; `dest` must not exist."""
    source = sqlite3.connect(src, timeout=30)
    try:
        target = sqlite3.connect(dest)
        try:
            source.backup(target, pages=4096)
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
    finally:
        source.close()
    with open(dest, "rb+") as fh:
        os.fsync(fh.fileno())


def backup_database(db: Path, dest_dir: Path, *, keep: int | None = None, now: datetime | None = None) -> Path:
    """Write a verified copy of `db` into `dest_dir`; prune to the newest `keep` backups."""
    if not db.is_file():
        raise BackupError(f"{db}: no database here (wrong --data-dir?)")
    dest_dir.mkdir(parents=True, exist_ok=True, mode=0o750)
    clean_temp_files(dest_dir, db.parent)
    stamp = _stamp(now)
    final = dest_dir / f"lockerd-{stamp}.db"
    n = 1
    while final.exists():
        final = dest_dir / f"lockerd-{stamp}-{n}.db"
        n += 1
    tmp = dest_dir / f".{final.name}.tmp"
    tmp.unlink(missing_ok=True)
    try:
        _copy_db(db, tmp)
        verify_database(tmp)
        os.replace(tmp, final)
        _copy_key(db.parent / SECRET_NAME, key_of(final))
        _fsync_dir(dest_dir)
    except sqlite3.Error as exc:
        raise BackupError(f"backup of {db} failed: {exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
    log.info("backed up %s to %s", db, final)
    if keep is not None:
        prune_backups(dest_dir, keep)
    return final


def key_of(backup: Path) -> Path:
    """Where the copy of the per-install key made with `backup` lives."""
    return backup.with_name(backup.name + KEY_SUFFIX)


def _copy_key(src: Path, dest: Path) -> bool:
    """Copy a key file with mode 0600 (written aside, then renamed); False when there is no `src`."""
    try:
        key = src.read_bytes()
    except FileNotFoundError:
        return False
    tmp = dest.with_name(f".{dest.name}.tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, dest)
    return True


def restore_key(backup: Path, data_dir: Path, *, now: datetime | None = None) -> str | None:
    """Put the backup's per-install key in place. Returns a warning for the user, or None."""
    saved, live = key_of(backup), data_dir / SECRET_NAME
    if not saved.is_file():
        if live.exists():
            return None  # an older backup without its key, restored where a key already is: most likely the same Pi
        return (f"{backup} has no {SECRET_NAME} beside it ({saved.name}): courier codes enrolled before the backup "
                f"will be refused; copy {SECRET_NAME} from the old data directory into {data_dir} before starting "
                f"lockerd, or re-issue the codes")
    if live.exists() and live.read_bytes() == saved.read_bytes():
        return None
    if live.exists():
        aside = live.with_name(f"{SECRET_NAME}.pre-restore-{_stamp(now)}")
        _copy_key(live, aside)
    _copy_key(saved, live)
    _fsync_dir(data_dir)
    log.info("restored %s from %s", live, saved)
    return None


#: a temp file this old belongs to a backup or restore that was killed (a live one rewrites it constantly)
STALE_TEMP_S = 300.0


def clean_temp_files(dest_dir: Path, data_dir: Path | None = None, *, older_than_s: float = STALE_TEMP_S) -> list[Path]:
    """Remove what killed backups and restores left behind (a slow way to a full disk)."""
    now = time.time()
    found: list[Path] = []
    if dest_dir.is_dir():
        found += [p for p in dest_dir.iterdir() if p.name.startswith(".lockerd-") and p.name.endswith(".tmp")]
    if data_dir is not None and data_dir.is_dir():
        found += list(data_dir.glob("*.restore-tmp"))
    removed = []
    for p in found:
        try:
            if now - p.stat().st_mtime >= older_than_s:
                p.unlink()
                removed.append(p)
                log.warning("removed %s, left by a backup or restore that did not finish", p)
        except OSError:
            continue
    return removed


def list_backups(dest_dir: Path) -> list[Path]:
    """Backups in `dest_dir`, oldest first."""
    if not dest_dir.is_dir():
        return []
    found = [p for p in dest_dir.iterdir() if BACKUP_RE.match(p.name) and p.is_file()]
    return sorted(found, key=lambda p: (BACKUP_RE.match(p.name).group(1), p.name))  # type: ignore[union-attr]


def prune_backups(dest_dir: Path, keep: int) -> list[Path]:
    if keep < 1:
        raise BackupError("--keep must be 1 or more")
    clean_temp_files(dest_dir)
    backups = list_backups(dest_dir)
    removed = backups[:-keep] if len(backups) > keep else []
    for p in removed:
        p.unlink(missing_ok=True)
        key_of(p).unlink(missing_ok=True)
        log.info("removed old backup %s", p)
    return removed


def restart_numbering(staged: Path, live: Path | None, now: datetime | None = None) -> None:
    """What HQ must be able to tell after a restore (DESIGN.md section 4): new events go to a new
    `stream` (their seq would repeat numbers HQ already holds), and `bdseq` never rewinds. It also records
    when the restore was (`cloud.restored_at`): the restored inbox has forgotten the commands the replaced unit
    carried out after the backup, so a door command issued before the restore is refused, not fired again
    (cloudsync/commands.py). On a clock behind the backup's newest event, that event's time is taken."""
    from edge.clock import utc_iso
    from edge.services.restore_doors import mark_after_restore, remember_backup_end
    from edge.store.streams import RESTORED_AT, current_stream, has_streams, last_pseq, new_stream

    bdseq = 0
    if live is not None:
        try:
            conn = sqlite3.connect(f"file:{live}?mode=ro", uri=True, timeout=5)
            try:
                row = conn.execute("SELECT value FROM meta WHERE key = 'cloud.bdseq'").fetchone()
                bdseq = int(row[0]) if row else 0
            finally:
                conn.close()
        except (sqlite3.Error, ValueError):
            log.warning("could not read bdseq from %s; the restored one is kept", live)
    conn = sqlite3.connect(staged, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        row = conn.execute("SELECT value FROM meta WHERE key = 'cloud.bdseq'").fetchone()
        if bdseq > (int(row[0]) if row else 0):
            conn.execute("INSERT INTO meta (key, value) VALUES ('cloud.bdseq', ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (str(bdseq),))
        if has_streams(conn):  # an older schema gets a new stream from its migration
            # where HQ's copy of the replaced unit's later events starts (edge/services/restore_doors.py)
            remember_backup_end(conn, current_stream(conn)[0], last_pseq(conn))
            new_stream(conn)
        # the replaced unit may have filled doors after the backup: none is given to a deposit until checked
        marked = mark_after_restore(conn)
        if marked:
            log.warning("%d door(s) the backup shows empty are unconfirmed until checked on the console", marked)
        at = utc_iso(now or datetime.now(UTC))
        newest = conn.execute("SELECT max(ts) FROM events").fetchone()[0]
        if isinstance(newest, str) and newest > at:
            at = newest
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (RESTORED_AT, at))
        conn.execute("COMMIT")
    finally:
        conn.close()


def restore_database(backup: Path, db: Path, *, now: datetime | None = None,
                     warnings: list[str] | None = None) -> Path | None:
    """Swap `backup` in as `db`, and its per-install key beside it. Returns where the previous database was
    kept (None if there was none); what the user must still do is appended to `warnings`."""
    verify_database(backup)
    why = daemon_running(db)
    if why:
        raise BackupError(f"refusing to restore: {why}")
    db.parent.mkdir(parents=True, exist_ok=True)
    staged = db.with_name(db.name + ".restore-tmp")
    staged.unlink(missing_ok=True)
    kept: Path | None = None
    try:
        _copy_db(backup, staged)
        verify_database(staged)
        restart_numbering(staged, db if db.exists() else None, now)
        if db.exists():
            kept = db.with_name(f"{db.name}.pre-restore-{_stamp(now)}")
            try:
                _copy_db(db, kept)  # includes what is still in the WAL
            except sqlite3.DatabaseError:
                import shutil  # a damaged file: keep its bytes as they are, for whoever looks later

                kept.unlink(missing_ok=True)
                shutil.copyfile(db, kept)
        # a stale WAL must never be replayed onto the restored file
        for suffix in ("-wal", "-shm", "-journal"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        os.replace(staged, db)
        _fsync_dir(db.parent)
        warning = restore_key(backup, db.parent, now=now)
    except sqlite3.Error as exc:
        raise BackupError(f"restore failed: {exc}") from None
    finally:
        staged.unlink(missing_ok=True)
    if warning:
        log.warning("%s", warning)
        if warnings is not None:
            warnings.append(warning)
    if kept is None:
        log.info("restored %s from %s (there was no database here before)", db, backup)
    else:
        log.info("restored %s from %s (previous database kept as %s)", db, backup, kept)
    return kept


def migrate_database(db: Path, dest_dir: Path) -> tuple[int, int, Path | None]:
    """Back up, then migrate `db` to this lockerd's schema. Returns (from, to, backup)."""
    from edge.store.db import SCHEMA_VERSION, StoreError, migrate

    if not db.exists():
        return 0, 0, None
    why = daemon_running(db)
    if why:
        raise BackupError(f"refusing to migrate: {why}")
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()
    if current == SCHEMA_VERSION:
        return current, current, None
    saved = backup_database(db, dest_dir)
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        # `saved` is the verified backup: no second full copy beside the database (`.pre-vN.bak`, never pruned;
        # with install.sh's own backup an upgrade of a year's 50 MB database left three copies, trial 2026-12-08)
        target = migrate(conn, None)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except (sqlite3.Error, StoreError) as exc:
        raise BackupError(f"migration of {db} failed: {exc} (backup at {saved})") from None
    finally:
        conn.close()
    return current, target, saved


# --- CLI -------------------------------------------------------------------------------------------
def _add_location(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--data-dir", help="directory holding lockerd.db (default: $LOCKERD_DATA_DIR or /var/lib/lockerd)")
    g.add_argument("--config", help="site config file; its data_dir is used")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("backup", help="online backup of the database, with retention")
    _add_location(p)
    p.add_argument("--dest", help="backup directory (default: DATA_DIR/backups)")
    p.add_argument("--keep", type=int, default=None, help="keep only the newest N backups")
    p.set_defaults(func=cmd_backup)

    r = subparsers.add_parser("restore", help="replace the database with a backup (lockerd must be stopped)")
    r.add_argument("file", help="a backup made by `lockerd backup`")
    _add_location(r)
    r.set_defaults(func=cmd_restore)

    m = subparsers.add_parser("migrate", help="back up, then bring the database schema up to date")
    _add_location(m)
    m.add_argument("--dest", help="backup directory (default: DATA_DIR/backups)")
    m.set_defaults(func=cmd_migrate)


def _fail(msg: str) -> int:
    print(f"error: {msg}", file=sys.stderr)
    return 1


def cmd_backup(args: argparse.Namespace) -> int:
    try:
        data_dir = resolve_data_dir(args.data_dir, args.config)
        dest = Path(args.dest) if args.dest else data_dir / "backups"
        if args.keep is not None and args.keep < 1:
            raise BackupError("--keep must be 1 or more")
        path = backup_database(db_path(data_dir), dest, keep=args.keep)
    except (BackupError, OSError) as exc:
        return _fail(str(exc))
    print(path)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    try:
        data_dir = resolve_data_dir(args.data_dir, args.config)
        warnings: list[str] = []
        kept = restore_database(Path(args.file), db_path(data_dir), warnings=warnings)
    except (BackupError, OSError) as exc:
        return _fail(str(exc))
    print(f"restored {db_path(data_dir)} from {args.file}")
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    if kept:
        print(f"previous database kept as {kept}")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    try:
        data_dir = resolve_data_dir(args.data_dir, args.config)
        dest = Path(args.dest) if args.dest else data_dir / "backups"
        before, after, saved = migrate_database(db_path(data_dir), dest)
    except (BackupError, OSError) as exc:
        return _fail(str(exc))
    if saved is None:
        print(f"schema v{after}: nothing to do")
    else:
        print(f"migrated schema v{before} -> v{after} (backup: {saved})")
    return 0
