"""The README's first-run paragraph quotes what `lockerd simulate` prints: the demo logins cannot drift apart.

The trial of 2026-12-03b found the README's couriers as "(SF)" while the CLI printed "(SF Express)".
"""

from __future__ import annotations

import re
from pathlib import Path

from edge.cli.simulate import demo_lines

README = Path(__file__).resolve().parents[2] / "README.md"


def _first_run_paragraph() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("the demo logins:")
    return " ".join(text[start:text.index("\n\n", start)].split())


def _printed(label: str) -> str:
    line = next(x for x in demo_lines() if x.strip().startswith(label))
    return line.split(":", 1)[1].strip()


def test_the_readme_quotes_the_couriers_as_simulate_prints_them() -> None:
    printed = re.findall(r"(\d+) \(([^)]*)\)", _printed("demo couriers"))
    quoted = re.findall(r"`(\d+)` \(([^)]*)\)", _first_run_paragraph())
    assert printed, demo_lines()
    assert quoted == printed


def test_the_readme_quotes_a_staff_login_and_a_unit_that_simulate_prints() -> None:
    para = _first_run_paragraph()
    staff = re.search(r"staff `([^`]+)` / `([^`]+)`", para)
    unit = re.search(r"units such as `([^`]+)` with phone tail `(\d+)`", para)
    assert staff and unit, para
    assert "{} / {} (".format(*staff.groups()) in _printed("demo staff")
    assert "{} (phone tail {})".format(*unit.groups()) in _printed("demo units")
