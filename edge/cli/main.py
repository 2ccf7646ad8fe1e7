"""`lockerd` command line. Subcommands live in their own modules, each with register(subparsers)."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from edge import __version__
from edge.memory import keep_out_unused_modules

log = logging.getLogger(__name__)

#: the subcommands' modules under edge.cli, in help order (a new one: its module with register(subparsers), then
#: its name here). They are imported when the parser is built, after keep_out_unused_modules().
COMMAND_MODULES = ("simulate", "run", "check_config", "tracking", "rules", "users", "directory", "expected", "backup",
                   "doctor", "hq", "openapi", "restore_doors")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lockerd", description="Parcel locker controller")
    parser.add_argument("--version", action="version", version=f"lockerd {__version__}")
    parser.add_argument("--log-level", default="INFO", help="DEBUG, INFO, WARNING, ERROR")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    keep_out_unused_modules()
    for name in COMMAND_MODULES:
        importlib.import_module(f"edge.cli.{name}").register(sub)
    return parser


def setup_logging(level: str) -> None:
    from edge.logsetup import setup_logging as setup

    lvl = getattr(logging, level.upper(), logging.INFO)
    try:
        setup(lvl)
        return
    except Exception as exc:  # fall back to plain stderr logging, and say why (it was silent)
        failed = exc
    logging.basicConfig(level=lvl, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    log.warning("the log setup failed (%s: %s); logging plainly to stderr", type(failed).__name__, failed)


def main(argv: list[str] | None = None) -> int:
    from edge.memory import tune_malloc

    tune_malloc()  # before the subcommands' imports: their freed big blocks would raise glibc's mmap threshold
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    setup_logging(args.log_level)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
