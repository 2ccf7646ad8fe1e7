"""Where tests write screenshots: one switch, ``LOCKERD_SCREENSHOTS``.

- unset or ``0``: nowhere (``screenshots_dir()`` is None; tests that always shoot use their tmp dir);
- ``1``: docs/screenshots, the pictures the docs link to;
- any other value: that directory (relative to the repository).

    LOCKERD_SCREENSHOTS=1 .venv/bin/pytest tests/browser -k screen
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs" / "screenshots"


def screenshots_dir() -> Path | None:
    raw = os.environ.get("LOCKERD_SCREENSHOTS", "")
    if raw in ("", "0"):
        return None
    out = DOCS if raw == "1" else (Path(raw) if os.path.isabs(raw) else REPO / raw)
    out.mkdir(parents=True, exist_ok=True)
    return out


def screenshots_or(fallback: Path) -> Path:
    """The screenshot directory when one is asked for, else `fallback` (a test's tmp dir)."""
    out = screenshots_dir()
    if out is None:
        fallback.mkdir(parents=True, exist_ok=True)
        return fallback
    return out
