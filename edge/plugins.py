"""Optional modules: parts of lockerd that may be absent (a trimmed install) are skipped, not fatal."""

from __future__ import annotations

import importlib
import logging
from types import ModuleType

log = logging.getLogger(__name__)


def import_optional(name: str) -> ModuleType | None:
    """Import `name`; None if that module (or its package) is not installed.

    A module that exists but fails to import (a bug, a missing dependency of its own) is not hidden:
    the error is raised so the caller can decide to warn or stop.
    """
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
            log.debug("optional module %s not installed", name)
            return None
        raise
