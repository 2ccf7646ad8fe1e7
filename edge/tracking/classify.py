"""Milestone classifier: a tracking event's text (+ carrier, + status code) -> milestone and confidence.

Pure and fast (compiled once, no I/O). The rules live in edge/tracking/rules.py and the status-code
tables in edge/tracking/codes.py; this module only applies them in order.
"""

from __future__ import annotations

import functools
import re
import re._constants as C  # the regex parser, to find the literal prefixes a rule needs (a fast pre-filter)
import re._parser as P
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from edge.tracking.carriers import carrier_code
from edge.tracking.codes import code_milestone
from edge.tracking.fallback import CONFIDENCE as MODEL_CONFIDENCE
from edge.tracking.fallback import RULE_NAME as MODEL_RULE
from edge.tracking.fallback import NgramModel, shipped
from edge.tracking.fold import MAX_TEXT, fold_chars, signer_and_place, template
from edge.tracking.guard import NOT_DELIVERED_TEXT, Origin, Seen, reread
from edge.tracking.keywords import CONFIDENCE as KEYWORD_CONFIDENCE
from edge.tracking.keywords import RULE_NAME as KEYWORD_RULE
from edge.tracking.keywords import KeywordSet, KeywordStage, cue_matcher, load_all
from edge.tracking.packs import CodeTable, Pack, load_code_tables, load_packs
from edge.tracking.rules import CARRIER_RULES, MILESTONES, RULES, Rule

_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Classification:
    milestone: str
    confidence: float
    rule: str  # the name of the rule that decided, "code" for a status code, "staff" for a staff label, "" unknown
    signer: str | None = None  # who signed ("门卫", "本人", "neighbour"), when the text says (delivered/pickup only)
    place: str | None = None  # the locker/station/point the text names, for the delivered_not_here check
    template: str = ""  # the folded text the answer was cached under (staff labels key on it)

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"milestone": self.milestone, "confidence": self.confidence, "rule": self.rule}
        if self.signer:
            out["signer"] = self.signer
        if self.place:
            out["place"] = self.place
        return out


LOW_CONFIDENCE = 0.6  # below this an answer goes to the staff queue too
CACHE_SIZE = 20_000  # templates -> answers (a site sees a few thousand; bounded for the 80 MB budget)
RAW_CACHE_SIZE = 10_000  # exact texts -> answers (with signer/place), in front of the template cache


_LOADED: dict[str, Any] = {}


def _defaults(kind: str) -> Any:
    """The shipped rule table (the built-in rules with every pack, compiled), code tables and keywords, read once
    per process (they are data, never mutated). The packs' phrases are not kept: the compiled table is what
    classifies (0.6 MB less, mem39)."""
    if kind not in _LOADED:
        loaders: dict[str, Callable[[], Any]] = {
            "table": lambda: _Table(_compile(merge_packs(RULES, load_packs()))),
            "codes": load_code_tables, "keywords": load_all}
        _LOADED[kind] = loaders[kind]()
    return _LOADED[kind]


def merge_packs(rules: list[Rule], packs: list[Pack]) -> list[Rule]:
    """The rules with each pack phrase added to the rule it names (priority is the rule's place)."""
    extra: dict[str, list[str]] = {}
    for pack in packs:
        for ph in pack.phrases:
            extra.setdefault(ph.rule, []).append(ph.pattern)
    return [replace(r, patterns=r.patterns + tuple(extra[r.name])) if r.name in extra else r for r in rules]


# A rule compiled: (regex over its ASCII patterns, the word prefixes one of which a text needs for it to
# match, regex over its Chinese patterns, the characters one of which a text needs, rule).
# The "needs" are a pre-filter derived from the patterns themselves, so most rules are skipped without
# running a regex. English patterns only match at the start of a word.
_Need = frozenset[str] | None
_Compiled = list[tuple[re.Pattern[str] | None, _Need, re.Pattern[str] | None, _Need, re.Pattern[str] | None, _Need, Rule]]
_LATIN_WORD = re.compile(r"[a-z]{3}")
_CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")  # CJK, kana, hangul, full-width forms
_WORDS = re.compile(r"[a-z\u00c0-\u024f]+")
_K = 3


def _item(op: Any, av: Any) -> set[tuple[str, bool]] | None:
    """Possible leading strings of one parsed regex item: {(text, whole item consumed)}; None = unknown."""
    if op is C.LITERAL:
        return {(chr(av), True)}
    if op is C.IN:
        chars: set[str] = set()
        for sub_op, sub_av in av:
            if sub_op is C.LITERAL:
                chars.add(chr(sub_av))
            elif sub_op is C.RANGE and sub_av[1] - sub_av[0] < 64:
                chars.update(chr(c) for c in range(sub_av[0], sub_av[1] + 1))
            else:
                return None
        return {(c, True) for c in chars}
    if op is C.SUBPATTERN:
        return _prefixes(av[3])
    if op is C.BRANCH:
        out: set[tuple[str, bool]] = set()
        for branch in av[1]:
            out |= _prefixes(branch)
        return out
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        lo, _hi, sub = av
        inner = _prefixes(sub)
        return ({("", True)} if lo == 0 else set()) | {(t, False) for t, _ in inner}
    return None


def _prefixes(seq: Any) -> set[tuple[str, bool]]:
    """{(prefix, complete)}: every match of `seq` starts with one of the prefixes (at most _K chars)."""
    done: set[tuple[str, bool]] = set()
    open_ = {""}
    for op, av in seq:
        if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
            continue  # zero-width
        item = _item(op, av)
        if item is None:
            return done | {(s, False) for s in open_}
        nxt: set[str] = set()
        for s in open_:
            for t, whole in item:
                u = s + t
                if len(u) >= _K:
                    done.add((u[:_K], False))
                elif whole:
                    nxt.add(u)
                else:
                    done.add((u, False))
        open_ = nxt
        if not open_:
            return done
    return done | {(s, True) for s in open_}


# Words and characters too common in tracking texts to be a useful key (the key is only a pre-filter:
# any choice is correct, a rarer one is faster).
_STOP_WORDS = frozenset("a an at by de en in is it of on or th the to we wi yo you no has hav be bei".split())
_COMMON_CHARS = frozenset("已快件您的到达在中心公司发往离开正进行请如有问题联系电话感谢使用期待再次为服务包裹站点网点转运部营业市区省县收人")


def _runs(seq: Any, at_start: bool) -> tuple[list[tuple[str, bool]], bool]:
    """Literal runs every match must contain: [(run, run starts where the match starts)], still-at-start."""
    runs: list[tuple[str, bool]] = []
    cur, cur_start = "", at_start
    for op, av in seq:
        if op is C.LITERAL:
            if not cur:
                cur_start = at_start
            cur += chr(av)
            at_start = False
            continue
        if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
            continue
        if cur:
            runs.append((cur, cur_start))
            cur = ""
        if op is C.SUBPATTERN:
            inner, at_start = _runs(av[3], at_start)
            runs += inner
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
            inner, _ = _runs(av[2], at_start)
            runs += inner
            at_start = False
        else:
            at_start = False
    if cur:
        runs.append((cur, cur_start))
    return runs, at_start


def _latin_keys(run: str, starts_match: bool) -> list[str]:
    keys = []
    for m in _WORDS.finditer(run):
        if m.start() > 0 or starts_match:
            keys.append(m.group()[:3])
    return keys


@functools.cache  # pure; every Classifier (each daemon start, each test site) asks again
def _key(pattern: str, latin: bool) -> str | None:
    """One string a text must contain (Latin: as a word prefix) for `pattern` to match, preferring rare ones."""
    runs, _ = _runs(P.parse(pattern), True)
    if latin:
        cands = [k for run, start in runs for k in _latin_keys(run, start)]
        good = [k for k in cands if k not in _STOP_WORDS]
    else:
        cands = [ch for run, _ in runs for ch in run if not ch.isascii()]
        good = [ch for ch in cands if ch not in _COMMON_CHARS]
    if good:
        return max(good, key=len) if latin else good[0]
    if cands:
        return cands[0]
    return None


@functools.cache
def _inner_key(pattern: str) -> str | None:
    """For a pattern that may match inside a word (a German or Dutch compound: ``\\w*zustell`` finds
    "paketzustellung"): its longest mandatory literal run of 3+ letters, tested as a substring
    (``"*zustell"``)."""
    runs, _ = _runs(P.parse(pattern), True)
    best = max((m.group() for run, _ in runs for m in _WORDS.finditer(run)), key=len, default="")
    return "*" + best if len(best) >= 3 else None


def _needs(patterns: list[str], latin: bool) -> _Need:
    """Per pattern one key (a rare mandatory word prefix or character, or for a pattern that can match
    inside a word a substring marked ``*``), else the possible first word prefixes / first characters.
    None = the rule cannot be pre-filtered."""
    out: set[str] = set()
    try:
        for p in patterns:
            key = _key(p, latin)
            if key:
                out.add(key)
                continue
            inner = _inner_key(p) if latin else None
            if inner:
                out.add(inner)
                continue
            for text, _ in _prefixes(P.parse(p)):
                if latin:
                    m = _WORDS.match(text)
                    text = m.group() if m else ""
                else:
                    text = text[:1]
                if not text:
                    return None
                out.add(text)
    except Exception:  # an internal parser change must never break classification: run the regex
        return None
    return frozenset(out)


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regex ("a|b(?:c|d)" -> ["a", "b(?:c|d)"])."""
    out, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]":
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


def _compile(rules: list[Rule]) -> _Compiled:
    out: _Compiled = []
    for r in rules:
        if r.milestone not in MILESTONES:
            raise ValueError(f"rule {r.name!r} names an unknown milestone {r.milestone!r}")
        # patterns are folded like the texts (accents, widths: fold.fold_chars), so "livré" also finds "livre"
        latin = [fold_chars(p.lower()) for p in r.patterns if not _CJK.search(p)]
        other = [fold_chars(p) for p in r.patterns if _CJK.search(p)]
        # an alternative "\w*stem" (a stem that may end a compound) matches wherever "stem" occurs: it runs as
        # its own regex, without the word-start look-behind, pre-filtered by the stem as a substring
        alts = [a for p in latin for a in _alternatives(p)]
        inner = [a[3:] for a in alts if a.startswith("\\w*") and a[3:]]
        plain = [a for a in alts if not (a.startswith("\\w*") and a[3:])]
        latin_re = re.compile("(?<![a-z\u00c0-\u024f])(?:" + "|".join(f"(?:{p})" for p in plain) + ")") if plain else None
        inner_re = re.compile("|".join(f"(?:{p})" for p in inner)) if inner else None
        inner_keys = [_inner_key(p) for p in inner]
        inner_need: _Need = frozenset(k for k in inner_keys if k) if inner and all(inner_keys) else None
        other_re = re.compile("|".join(f"(?:{p})" for p in other)) if other else None
        out.append((latin_re, _needs(plain, True), other_re, _needs(other, False), inner_re, inner_need, r))
    return out


class _Table:
    """Rules in priority order as entries (Chinese regex, English regex), with an index from each needed
    word prefix (1-3 letters) / first character to a bit mask of the entries that need it. A text's mask = the entries that can
    match it; entries are then tried in priority order."""

    def __init__(self, compiled: _Compiled) -> None:
        self.entries: list[tuple[re.Pattern[str], Rule]] = []
        self.last_bit: dict[str, int] = {}  # rule name -> index of its last entry (to skip past a rule)
        self.always_latin = self.always_other = 0
        self.latin: dict[str, int] = {}
        self.inner: dict[str, int] = {}  # substrings a compound-matching pattern needs (anywhere in the text)
        self.other: dict[str, int] = {}
        for latin_re, latin_need, other_re, other_need, inner_re, inner_need, rule in compiled:
            for regex, need, index, is_latin in ((other_re, other_need, self.other, False),
                                                  (latin_re, latin_need, self.latin, True),
                                                  (inner_re, inner_need, self.latin, True)):
                if regex is None:
                    continue
                bit = 1 << len(self.entries)
                self.last_bit[rule.name] = len(self.entries)
                self.entries.append((regex, rule))
                if need is None:
                    if is_latin:
                        self.always_latin |= bit
                    else:
                        self.always_other |= bit
                    continue
                for key in need:
                    if key.startswith("*"):
                        self.inner[key[1:]] = self.inner.get(key[1:], 0) | bit
                    else:
                        index[key] = index.get(key, 0) | bit
        self.other_keys = frozenset(self.other)
        self.inner_items = tuple(self.inner.items())

    def first(self, text: str, words: list[str], cjk: bool, after: str | None = None) -> Rule | None:
        mask = 0
        if words:
            mask = self.always_latin
            get = self.latin.get
            for w in words:
                mask |= get(w[:1], 0) | get(w[:2], 0) | get(w[:3], 0)
            for sub, bits in self.inner_items:
                if sub in text:
                    mask |= bits
        if cjk:
            mask |= self.always_other
            other = self.other
            for ch in self.other_keys.intersection(text):
                mask |= other[ch]
        if after is not None and after in self.last_bit:
            mask &= ~((1 << (self.last_bit[after] + 1)) - 1)
        entries = self.entries
        while mask:
            low = mask & -mask
            regex, rule = entries[low.bit_length() - 1]
            if regex.search(text):
                return rule
            mask ^= low
        return None


class Classifier:
    """Applies carrier rules, then general rules, then the status code. Build once, call often.

    Texts are lower-cased once; English patterns run only on texts with Latin words, Chinese patterns only
    on texts with non-ASCII characters, and a rule whose patterns need a word or character the text lacks
    is skipped without running its regex.
    """

    def __init__(
        self, rules: list[Rule] | None = None, carrier_rules: dict[str, list[Rule]] | None = None,
        packs: list[Pack] | None = None, code_tables: dict[str, CodeTable] | None = None,
        local: dict[tuple[str, str], str] | None = None, keywords: list[KeywordSet] | None = None,
        fallback: NgramModel | bool = True,
    ) -> None:
        if rules is None and packs is None:
            self._rules = _defaults("table")
        else:
            self._rules = _Table(_compile(merge_packs(RULES if rules is None else rules,
                                                      load_packs() if packs is None else packs)))
        self._carrier = {
            k: _Table(_compile(v)) for k, v in (CARRIER_RULES if carrier_rules is None else carrier_rules).items()
        }
        self.code_tables = _defaults("codes") if code_tables is None else code_tables
        # the last-resort keyword stage (edge/tracking/keywords.py); keywords=[] turns it off
        self.keywords = _defaults("keywords") if keywords is None else keywords
        self._keywords = KeywordStage(self.keywords) if self.keywords else None
        # the learned fallback after the keywords (edge/tracking/fallback.py); fallback=False turns it off
        self.fallback = shipped() if fallback is True else (fallback or None)
        self._cues = cue_matcher() if self.fallback is not None else None
        self._carrier_cache: dict[str | None, str | None] = {}
        self._cache: dict[tuple[str, str | None, object, str | None], Classification] = {}
        self._raw: dict[tuple[object, object, object, object], Classification] = {}
        self.hits = self.misses = 0
        # staff labels: (template, carrier or "") -> milestone; they decide before everything else
        # (keys written before accent/width folding are folded the same way, so old labels still apply)
        self.local: dict[tuple[str, str], str] = {(fold_chars(t), c): m for (t, c), m in (local or {}).items()}

    def set_local(self, template: str, carrier: str | None, milestone: str) -> None:
        """A staff label, in effect from the next call (the cache is cleared)."""
        if milestone not in MILESTONES:
            raise ValueError(f"unknown milestone {milestone!r}")
        self.local[(fold_chars(template), carrier or "")] = milestone
        self._cache.clear()
        self._raw.clear()

    def unset_local(self, template: str, carrier: str | None) -> str | None:
        """A staff label taken back (undone on the labels page): the text reads by the rules again from the next
        call. Returns the milestone the label had (None when there was none)."""
        was = self.local.pop((fold_chars(template), carrier or ""), None)
        self._cache.clear()
        self._raw.clear()
        return was

    def template_of(self, text: str | None) -> str:
        return template(text)

    def _carrier_table_code(self, carrier: str | None, code: object) -> tuple[str, bool] | None:
        if carrier is None or code is None or isinstance(code, bool):
            return None
        table = self.code_tables.get(carrier.upper())
        if table is None:
            return None
        text = str(code).strip()
        if ":" in text:
            head, tail = text.split(":", 1)
            if head.strip().upper() != carrier.upper():
                return None
            text = tail
        return table.get(text.strip().upper())

    def _carrier_code(self, carrier: str | None) -> str | None:
        try:
            return self._carrier_cache[carrier]
        except KeyError:
            code = carrier_code(carrier)
            if len(self._carrier_cache) < 10_000:
                self._carrier_cache[carrier] = code
            return code

    def _text_rule(self, text: str, carrier: str | None, after: str | None = None) -> Rule | None:
        cjk = not text.isascii() and _CJK.search(text) is not None
        words = _WORDS.findall(text) if not cjk or _LATIN_WORD.search(text) else []
        if carrier is not None and after is None:
            specific = self._carrier.get(carrier)
            if specific is not None:
                rule = specific.first(text, words, cjk)
                if rule is not None:
                    return rule
        return self._rules.first(text, words, cjk, after)

    def classify(
        self, text: str | None, carrier: str | None = None, code: object = None, provider: str | None = None
    ) -> Classification:
        code_key = code if code is None or isinstance(code, (str, int)) else str(code)
        raw_key: tuple[object, object, object, object] | None = (text, carrier, code_key, provider)
        try:
            done = self._raw.get(raw_key)  # type: ignore[arg-type]
        except TypeError:  # unhashable input (a list as carrier...): no raw cache for it
            done, raw_key = None, None
        if done is not None:
            self.hits += 1
            return done
        result = self._classify(text, carrier, code, code_key, provider)
        if raw_key is not None and CACHE_SIZE > 0:
            if len(self._raw) >= RAW_CACHE_SIZE:
                self._raw.clear()
            self._raw[raw_key] = result
        return result

    def _classify(self, text: str | None, carrier: str | None, code: object, code_key: object,
                  provider: str | None) -> Classification:
        template = self.template_of(text)
        carrier_ = self._carrier_code(carrier) if isinstance(carrier, str) else None
        provider_ = provider if isinstance(provider, str) else None
        key = (template, carrier_, code_key, provider_)
        hit = self._cache.get(key)
        if hit is None:
            self.misses += 1
            hit = self._decide(template, carrier_, code, provider_)
            if hit.rule != "staff":  # the guard pass's final readings over the answer that stands
                again = self._reread(template, hit.milestone, hit.rule, "final")
                if again is not None and again[0] != hit.milestone:
                    hit = replace(hit, milestone=again[0], confidence=min(hit.confidence, 0.8), rule=again[1])
            if CACHE_SIZE > 0:
                if len(self._cache) >= CACHE_SIZE:
                    self._cache.clear()
                self._cache[key] = hit
        else:
            self.hits += 1
        if hit.milestone in ("delivered", "available_for_pickup") and isinstance(text, str):
            signer, place = signer_and_place(text[:MAX_TEXT])
            if signer or place:
                return replace(hit, signer=signer, place=place)
        return hit

    def _reread(self, clean: str, milestone: str, name: str, origin: Origin, rule: Rule | None = None,
                carrier_: str | None = None) -> tuple[str, str] | None:
        """The guard pass (edge/tracking/guard.py, ``READINGS``) over one answer: a text rule's (``origin="rule"``,
        ``rule`` is that rule), a delivered code's (``"code"``, ``rule`` is the text rule that also matched, if one
        did) or the answer that stands (``"final"``). (milestone, rule name) when a reading changes it, else None."""
        if origin == "rule":
            def below() -> str | None:
                nxt = self._text_rule(clean, carrier_, after=name)
                return nxt.milestone if nxt is not None else None
            return reread(clean, Seen(milestone, name, "rule", collected=name == "collected", below=below))
        if origin == "code":
            return reread(clean, Seen(milestone, name, "code", collected=rule is not None and rule.name == "collected",
                                      text_rule=rule.milestone if rule is not None else None))
        return reread(clean, Seen(milestone, name, "final"))

    def _code_answer(self, milestone: str, confidence: float, clean: str, rule: Rule | None) -> Classification:
        """A status code's answer; a `delivered` code is still re-read by the guard pass: a locker, station, agent or
        third party, a return or a negation in the text wins (a carrier's "signed" code is sent for a 丰巢 locker too),
        unless the text itself says the recipient collected it."""
        if milestone == "delivered" and clean:
            again = self._reread(clean, milestone, "code", "code", rule)
            if again is not None:
                return Classification(again[0], 0.8, again[1], template=clean)
        return Classification(milestone, confidence, "code", template=clean)

    def _decide(self, clean: str, carrier_: str | None, code: object, provider: str | None) -> Classification:
        if self.local:
            staff = self.local.get((clean, carrier_ or "")) or self.local.get((clean, ""))
            if staff is not None:
                return Classification(staff, 0.95, "staff", template=clean)
        # a specific per-carrier code decides before the text (DESIGN.md section 5)
        by_carrier = self._carrier_table_code(carrier_, code)
        rule = self._text_rule(clean, carrier_) if clean else None
        if by_carrier is not None and by_carrier[1]:
            return self._code_answer(by_carrier[0], 0.95, clean, rule)
        by_code = by_carrier or code_milestone(code, provider)
        if rule is not None:
            milestone, name = rule.milestone, rule.name
            again = self._reread(clean, milestone, name, "rule", rule, carrier_)  # the word, then the scene
            if again is not None:
                milestone, name = again
            if by_code is not None and by_code[0] == milestone:
                return Classification(milestone, max(rule.confidence, 0.97), name, template=clean)
            if milestone == "delivered" and name != "collected" and by_code is not None and by_code[1] \
                    and by_code[0] in NOT_DELIVERED_TEXT:
                # a plain "Delivered" beside a specific locker, point, return or failure code (Kuaidi100 304,
                # TrackingMore delivered004): the code says where it went; `delivered` needs more than the word
                return Classification(by_code[0], 0.8, "code", template=clean)
            if by_code is not None and by_code[1] and rule.confidence < 0.9:
                return self._code_answer(by_code[0], 0.8, clean, rule)
            return Classification(milestone, rule.confidence, name, template=clean)
        if by_code is not None and by_code[0] != "unknown":
            return self._code_answer(by_code[0], 0.8 if by_code[1] else 0.5, clean, rule)
        if self._keywords is not None and clean:
            # last resort: no rule, no code; never `delivered`, abstains on a conflict or a condition (round 10)
            word = self._keywords.answer(clean)
            if word is not None:
                return Classification(word, KEYWORD_CONFIDENCE, KEYWORD_RULE, template=clean)
        if self.fallback is not None and clean and "?" not in clean \
                and (self._cues is None or self._cues.search(clean) is None):
            # the learned fallback, last: never `delivered`, abstains on a question, a cue or below its threshold
            # (decision 0047)
            guess = self.fallback.answer(clean)
            if guess is not None:
                return Classification(guess[0], MODEL_CONFIDENCE, MODEL_RULE, template=clean)
        return Classification("unknown", 0.0, "", template=clean)


_default: Classifier | None = None


def classify(text: str | None, carrier: str | None = None, code: object = None, provider: str | None = None) -> Classification:
    """Classify with the built-in rules (a shared Classifier built on first use)."""
    global _default
    if _default is None:
        _default = Classifier()
    return _default.classify(text, carrier, code, provider)
