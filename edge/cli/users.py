"""`lockerd user add|passwd|disable|enable|list`: staff accounts for the console (first admin included).

The database is found from `--data-dir DIR` or `--config FILE` (its `data_dir`). Passwords are read
from a terminal prompt (twice) or, with `--password-stdin`, from the first line of standard input; they
never appear on the command line.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from pathlib import Path
from typing import Any

from edge.clock import SystemClock
from edge.errors import DomainError
from edge.services import staff as users
from edge.services.staff import StaffService
from edge.store.db import Store, StoreError

log = logging.getLogger(__name__)

DB_FILE = "lockerd.db"


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("user", help="manage staff console accounts")
    sub = p.add_subparsers(dest="user_cmd", required=True)

    def common(sp: argparse.ArgumentParser) -> None:
        g = sp.add_mutually_exclusive_group()
        g.add_argument("--data-dir", help="data directory holding the database (default ./var)")
        g.add_argument("--config", help="site config file (its data_dir is used)")

    add = sub.add_parser("add", help="create an account")
    add.add_argument("username")
    add.add_argument("--role", choices=users.ROLES, default="staff")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    common(add)
    add.set_defaults(func=cmd_add)

    pw = sub.add_parser("passwd", help="set a new password (logs the user out everywhere)")
    pw.add_argument("username")
    pw.add_argument("--password-stdin", action="store_true")
    common(pw)
    pw.set_defaults(func=cmd_passwd)

    dis = sub.add_parser("disable", help="disable an account (logs it out)")
    dis.add_argument("username")
    common(dis)
    dis.set_defaults(func=lambda a: _set_active(a, False))

    en = sub.add_parser("enable", help="enable an account again")
    en.add_argument("username")
    common(en)
    en.set_defaults(func=lambda a: _set_active(a, True))

    ls = sub.add_parser("list", help="list accounts")
    common(ls)
    ls.set_defaults(func=cmd_list)


def data_dir_of(args: argparse.Namespace) -> Path:
    if getattr(args, "config", None):
        from edge.config import load_config

        return Path(load_config(args.config).data_dir)
    return Path(getattr(args, "data_dir", None) or "./var")


def _open(args: argparse.Namespace) -> Store:
    data_dir = data_dir_of(args)
    store = Store(data_dir / DB_FILE, SystemClock(), site_id="cli")
    store.open()
    return store


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Again: ") != first:
        raise DomainError("password_mismatch", "the two passwords differ")
    return first


def _run(args: argparse.Namespace, fn: Any) -> int:
    try:
        store = _open(args)
    except Exception as exc:  # config errors, unreadable dir, newer schema
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        return fn(store)
    except DomainError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()


def _credentials(args: argparse.Namespace) -> tuple[str, str] | None:
    """The checked user name and password of `args`, or None once the reason is printed."""
    try:
        return users.check_username(args.username), users.check_password(_read_password(args))
    except DomainError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return None


def cmd_add(args: argparse.Namespace) -> int:
    creds = _credentials(args)
    if creds is None:
        return 1
    name, password = creds

    def go(store: Store) -> int:
        StaffService(store).add_sync(name, password, args.role, actor="cli")
        print(f"added {name} ({args.role})")
        return 0

    return _run(args, go)


def cmd_passwd(args: argparse.Namespace) -> int:
    creds = _credentials(args)
    if creds is None:
        return 1
    name, password = creds

    def go(store: Store) -> int:
        StaffService(store).set_password_sync(name, password, actor="cli")
        print(f"password changed for {name}")
        return 0

    return _run(args, go)


def _set_active(args: argparse.Namespace, active: bool) -> int:
    def go(store: Store) -> int:
        StaffService(store).set_active_sync(args.username, active, actor="cli")
        print(f"{'enabled' if active else 'disabled'} {args.username.strip().lower()}")
        return 0

    return _run(args, go)


def cmd_list(args: argparse.Namespace) -> int:
    def go(store: Store) -> int:
        rows = StaffService(store).list_sync()
        print(f"{'USER':<24} {'ROLE':<6} {'ACTIVE':<6} LAST LOGIN")
        for u in rows:
            print(f"{u.username:<24} {u.role:<6} {'yes' if u.active else 'no':<6} {u.last_login_at or '-'}")
        return 0

    return _run(args, go)
