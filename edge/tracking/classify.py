"""Milestone classifier: a tracking event's text (+ carrier, + status code) -> milestone and confidence.

Pure and fast (compiled once, no I/O). The rules live in edge/tracking/rules.py and the status-code
tables in edge/tracking/codes.py; this module only applies them in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from edge.tracking.carriers import carrier_code
from edge.tracking.codes import code_milestone
from edge.tracking.rules import CARRIER_RULES, MILESTONES, RULES, Rule

_WS = re.compile(r"\s+")
MAX_TEXT = 2000


@dataclass(frozen=True)
class Classification:
    milestone: str
    confidence: float
    rule: str  # the rule (or "code:<provider table>") that decided, "" for unknown

    def as_dict(self) -> dict[str, object]:
        return {"milestone": self.milestone, "confidence": self.confidence, "rule": self.rule}


# one rule compiled as (regex over ASCII patterns or None, regex over non-ASCII patterns or None, rule)
_Compiled = list[tuple[re.Pattern[str] | None, re.Pattern[str] | None, Rule]]
_LATIN_WORD = re.compile(r"[a-z]{3}")


def _join(parts: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in parts)) if parts else None


def _compile(rules: list[Rule]) -> _Compiled:
    out: _Compiled = []
    for r in rules:
        if r.milestone not in MILESTONES:
            raise ValueError(f"rule {r.name!r} names an unknown milestone {r.milestone!r}")
        ascii_parts = [p.lower() for p in r.patterns if p.isascii()]
        other_parts = [p for p in r.patterns if not p.isascii()]
        out.append((_join(ascii_parts), _join(other_parts), r))
    return out


def _first(compiled: _Compiled, text: str, latin: bool, cjk: bool) -> Rule | None:
    for ascii_re, other_re, rule in compiled:
        if cjk and other_re is not None and other_re.search(text):
            return rule
        if latin and ascii_re is not None and ascii_re.search(text):
            return rule
    return None


class Classifier:
    """Applies carrier rules, then general rules, then the status code. Build once, call often.

    Texts are lower-cased once; ASCII patterns run only on texts with Latin words, Chinese patterns only
    on texts with non-ASCII characters (so an English text never pays for the Chinese tables).
    """

    def __init__(self, rules: list[Rule] | None = None, carrier_rules: dict[str, list[Rule]] | None = None) -> None:
        self._rules = _compile(RULES if rules is None else rules)
        self._carrier = {k: _compile(v) for k, v in (CARRIER_RULES if carrier_rules is None else carrier_rules).items()}
        self._carrier_cache: dict[str | None, str | None] = {}

    def _carrier_code(self, carrier: str | None) -> str | None:
        try:
            return self._carrier_cache[carrier]
        except KeyError:
            code = carrier_code(carrier)
            if len(self._carrier_cache) < 10_000:
                self._carrier_cache[carrier] = code
            return code

    def _text_rule(self, text: str, carrier: str | None) -> Rule | None:
        cjk = not text.isascii()
        latin = not cjk or _LATIN_WORD.search(text) is not None
        if carrier is not None:
            specific = self._carrier.get(carrier)
            if specific:
                rule = _first(specific, text, latin, cjk)
                if rule is not None:
                    return rule
        return _first(self._rules, text, latin, cjk)

    def classify(
        self, text: str | None, carrier: str | None = None, code: object = None, provider: str | None = None
    ) -> Classification:
        clean = _WS.sub(" ", text[:MAX_TEXT]).strip().lower() if isinstance(text, str) else ""
        rule = self._text_rule(clean, self._carrier_code(carrier)) if clean else None
        by_code = code_milestone(code, provider)
        if rule is not None:
            if by_code is not None and by_code[0] == rule.milestone:
                return Classification(rule.milestone, max(rule.confidence, 0.97), rule.name)
            if by_code is not None and by_code[1] and rule.confidence < 0.9:
                return Classification(by_code[0], 0.8, "code")
            return Classification(rule.milestone, rule.confidence, rule.name)
        if by_code is not None and by_code[0] != "unknown":
            return Classification(by_code[0], 0.8 if by_code[1] else 0.5, "code")
        return Classification("unknown", 0.0, "")


_default: Classifier | None = None


def classify(text: str | None, carrier: str | None = None, code: object = None, provider: str | None = None) -> Classification:
    """Classify with the built-in rules (a shared Classifier built on first use)."""
    global _default
    if _default is None:
        _default = Classifier()
    return _default.classify(text, carrier, code, provider)
