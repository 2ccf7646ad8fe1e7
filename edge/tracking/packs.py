"""Language packs and per-carrier status-code tables: data files an operator can read and extend.

Language packs (``edge/tracking/data/packs/<lang>.jsonl``, one phrase a line)::

    {"rule": "pickup_point", "milestone": "available_for_pickup", "pattern": "point relais", "source": "..."}

``rule`` names the priority slot in edge/tracking/rules.py the phrase joins (a locker phrase must sit above
"delivered", a refusal above "return"); ``milestone`` must be that rule's milestone (it is there so a reader
sees the meaning); ``pattern`` is a Python regex matched against the folded, lower-cased text (accents and
widths folded too: write "livré" or "livre", both match both); a Latin pattern matches at the start of a word,
and an alternative written ``\\w*stem`` anywhere inside one (German and Dutch compounds: ``\\w*zustell``);
``source`` says where the wording comes from. Blank lines and lines starting with ``#`` are skipped.

Code tables (``edge/tracking/data/codes/<carrier>.json``)::

    {"carrier": "FEDEX", "source": "...", "codes": {"DL": {"milestone": "delivered", "specific": true,
     "source": "..."}}}

``"key_width": 3`` makes numeric codes one key with and without leading zeros (UPS 011 = 11); Correios-style
type-status pairs (BDE-01 = BDE-1) are always one key. ``"also_carriers": ["CTT", ...]`` serves one code list to
several carriers (the UPU EMSEVT events every post sends); a carrier's own table wins where both have a code.

A bad pack or table is refused at load with the file and line (PackError), never half loaded.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from edge.tracking.rules import MILESTONES, RULES

DATA_DIR = Path(__file__).resolve().parent / "data"
PACK_DIR = DATA_DIR / "packs"
CODE_DIR = DATA_DIR / "codes"
LANGUAGES = ("zh", "en", "fr", "de", "nl", "es", "pt", "ja")
_RULE_MILESTONE = {r.name: r.milestone for r in RULES}
_UPPER_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\[SWDBAZ]")  # \S \W \D \B \A \Z: lower-casing changes their meaning


class PackError(ValueError):
    """A pack or code table that cannot be loaded; the message names the file and line."""


@dataclass(frozen=True)
class Phrase:
    rule: str
    milestone: str
    pattern: str
    source: str
    where: str  # "fr.jsonl:12"


@dataclass
class Pack:
    lang: str
    phrases: list[Phrase] = field(default_factory=list)


def _fail(where: str, why: str) -> PackError:
    return PackError(f"{where}: {why}")


def load_pack(path: Path) -> Pack:
    """One language pack; every line is checked (rule known, milestone matches, regex compiles, source given)."""
    pack = Pack(path.stem)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(path.name, f"cannot be read ({exc})") from None
    for n, line in enumerate(lines, 1):
        where = f"{path.name}:{n}"
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _fail(where, f"not a JSON object ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise _fail(where, "not a JSON object")
        rule, milestone, pattern, source = (obj.get(k) for k in ("rule", "milestone", "pattern", "source"))
        if not isinstance(milestone, str) or milestone not in MILESTONES:
            raise _fail(where, f"unknown milestone {milestone!r}")
        if not isinstance(rule, str) or rule not in _RULE_MILESTONE:
            raise _fail(where, f"unknown rule {rule!r} (one of: {', '.join(_RULE_MILESTONE)})")
        if _RULE_MILESTONE[rule] != milestone:
            raise _fail(where, f"rule {rule!r} means {_RULE_MILESTONE[rule]!r}, not {milestone!r}")
        if not isinstance(pattern, str) or not pattern.strip():
            raise _fail(where, "empty pattern")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise _fail(where, f"broken regex {pattern!r} ({exc})") from None
        if _UPPER_ESCAPE.search(pattern):
            # the classifier matches lower-cased patterns on lower-cased text, so \S would silently become \s
            raise _fail(where, f"upper-case escape in {pattern!r} (patterns are lower-cased: write [^ ] for \\S)")
        if not isinstance(source, str) or not source.strip():
            raise _fail(where, "no source")
        pack.phrases.append(Phrase(rule, milestone, pattern.lower() if pattern.isascii() else pattern, source, where))
    return pack


def load_packs(directory: Path = PACK_DIR) -> list[Pack]:
    return [load_pack(p) for p in sorted(directory.glob("*.jsonl"))]


CodeTable = dict[str, tuple[str, bool]]


def load_code_table(path: Path) -> tuple[str, CodeTable]:
    """(carrier code, {status code: (milestone, specific)}) from one table file."""
    carriers, table = load_code_table_carriers(path)
    return carriers[0], table


def table_carriers(obj: dict[str, object]) -> tuple[str, ...]:
    """The carriers a parsed table serves: its ``carrier``, then its ``also_carriers``, upper-cased."""
    also = obj.get("also_carriers", [])
    extra = [str(c).upper() for c in also] if isinstance(also, list) else []
    return tuple(dict.fromkeys([str(obj["carrier"]).upper(), *extra]))


def load_code_table_carriers(path: Path) -> tuple[tuple[str, ...], CodeTable]:
    """(the carriers it serves, {status code: (milestone, specific)}) from one table file."""
    try:
        text = path.read_text(encoding="utf-8")
        obj = json.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(path.name, f"cannot be read ({exc})") from None
    except json.JSONDecodeError as exc:
        raise _fail(f"{path.name}:{exc.lineno}", f"not JSON ({exc.msg})") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("carrier"), str) or not isinstance(obj.get("codes"), dict):
        raise _fail(path.name, "needs {\"carrier\": ..., \"source\": ..., \"codes\": {...}}")
    if not str(obj.get("source", "")).strip():
        raise _fail(path.name, "no source")
    also = obj.get("also_carriers", [])
    if not isinstance(also, list) or not all(isinstance(c, str) and c.strip() for c in also):
        raise _fail(path.name, f"also_carriers must be a list of carrier codes, not {also!r}")
    width = obj.get("key_width", 0)
    if not isinstance(width, int) or isinstance(width, bool) or not 0 <= width <= 6:
        raise _fail(path.name, f"key_width must be a whole number 0-6, not {width!r}")
    first_line: dict[str, int] = {}
    for i, s in enumerate(text.splitlines(), 1):  # the line a code's entry starts on, for the error message
        m = _ENTRY_LINE.match(s)
        if m is not None:
            first_line.setdefault(m.group(1), i)
    table: CodeTable = {}
    for code, entry in obj["codes"].items():
        line = first_line.get(str(code)) or next((i for i, s in enumerate(text.splitlines(), 1) if f'"{code}"' in s), 0)
        where = f"{path.name}:{line}"
        if not isinstance(entry, dict) or entry.get("milestone") not in MILESTONES:
            raise _fail(where, f"code {code!r}: unknown milestone {entry.get('milestone') if isinstance(entry, dict) else entry!r}")
        if "specific" in entry and not isinstance(entry["specific"], bool):
            raise _fail(where, f"code {code!r}: specific must be true or false, not {entry['specific']!r}")
        if "source" in entry and not (isinstance(entry["source"], str) and entry["source"].strip()):
            raise _fail(where, f"code {code!r}: empty source")
        value = _VALUES.setdefault((entry["milestone"], bool(entry.get("specific", True))),
                                   (sys.intern(entry["milestone"]), bool(entry.get("specific", True))))
        for key in _code_keys(str(code).upper(), width):
            table[key] = value
    return table_carriers(obj), table


#: one tuple per (milestone, specific) for every table: 4,700 entries share 31 values (mem39)
_VALUES: dict[tuple[str, bool], tuple[str, bool]] = {}
_ENTRY_LINE = re.compile(r'^\s*"((?:[^"\\]|\\.)*)"\s*:\s*\{')
_PAIR = re.compile(r"^([A-Z]{2,4})-(\d{1,2})$")


def _code_keys(code: str, width: int = 0) -> tuple[str, ...]:
    """A type-status pair (Correios BDE-1) is sent as BDE-1 by the webhook and BDE-01 by SRO: both are one key.
    BDE-0 and BDE-1 stay two keys (BDE-00 is BDE-0). A table with ``key_width`` N (UPS statusCode 011) also
    takes its numeric codes without the leading zeros (11) and padded to N digits."""
    if width and code.isdigit():
        return tuple(dict.fromkeys((code, str(int(code)), code.zfill(width))))
    m = _PAIR.match(code)
    if m is None:
        return (code,)
    n = int(m.group(2))
    return tuple(dict.fromkeys((code, f"{m.group(1)}-{n}", f"{m.group(1)}-{n:02d}")))


def load_code_tables(directory: Path = CODE_DIR) -> dict[str, CodeTable]:
    """Every table by carrier. Shared lists (``also_carriers``) go in first, so a carrier's own table wins."""
    loaded = [load_code_table_carriers(p) for p in sorted(directory.glob("*.json"))]
    out: dict[str, CodeTable] = {}
    for carriers, table in sorted(loaded, key=lambda ct: len(ct[0]) == 1):  # stable: file order otherwise
        for carrier in carriers:
            out.setdefault(carrier, {}).update(table)
    return out
