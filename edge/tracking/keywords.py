"""The keyword stage: a last resort for texts the codes, rules and packs leave `unknown` (issue 15, round 10).

Data: ``edge/tracking/data/keywords/<lang>.json``, one file a language::

    {
      "lang": "en",
      "keywords": {
        "customs": {"milestone": "customs_started", "source": "owner/repo:path | page:https://..."},
        "inspect*": {"milestone": "customs_started", "source": "..."}
      }
    }

- a keyword is a literal (no regex), matched on the folded, lower-cased text like the packs (accents and widths
  folded: "expédié" and "expedie" are one keyword). A Latin keyword matches whole words ("scan" finds "scan",
  not "scanned"); a trailing ``*`` lets it match the start of a word ("inspect*" finds "inspection"). A keyword
  may be several words ("sent back"). A keyword with a CJK character (Chinese, Japanese) matches anywhere;
- ``milestone`` is any milestone except ``delivered`` and ``unknown``: the stage never says delivered (a
  delivery needs a rule, a code and the guard, DESIGN.md section 5);
- ``source`` says where the word is attested with that meaning (" | " between several); leave-one-source-out
  (edge/tracking/corpus_eval.py) drops a keyword whose only sources are the held-out one, as it does pack phrases;
- the abstain words (a text holding one gets no keyword answer) are not in these files: they are the condition,
  negation, future and request cues of edge/tracking/cues.py ("if", "will", "not", "request*", 未, 予定, 不), the
  one list the guard pass reads its conditions from too. A file may add an ``"abstain": [...]`` list of its own: it
  EXTENDS its language's cues (for a word only this stage should abstain on), never replaces them. None of the
  shipped files has one.

The stage answers only when every keyword found in a text names one milestone (keywords of two milestones
conflict: it abstains) and no abstain word (the cues of every loaded language, and any file's extension) is in it. Its answer has confidence 0.5 (below
LOW_CONFIDENCE: the staff queue sees it) and rule name ``keywords``. ``Classifier(keywords=[])`` turns it off.

A bad file (bad JSON, an unknown or forbidden milestone, an empty keyword, no source) is refused at load with the
file and the entry (KeywordError), never half loaded.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from edge.tracking import cues
from edge.tracking.fold import fold_chars
from edge.tracking.rules import MILESTONES

KEYWORD_DIR = Path(__file__).resolve().parent / "data" / "keywords"
CONFIDENCE = 0.5
RULE_NAME = "keywords"
FORBIDDEN = frozenset({"delivered", "unknown"})
_CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")
_LETTER = "a-z0-9\u00c0-\u024f"


class KeywordError(ValueError):
    """A keyword file that cannot be loaded; the message names the file and the entry."""


@dataclass(frozen=True)
class Keyword:
    word: str  # as written (folded, lower-cased)
    milestone: str
    source: str
    where: str  # "en.json: customs"


@dataclass
class KeywordSet:
    lang: str
    keywords: list[Keyword] = field(default_factory=list)
    abstain: list[str] = field(default_factory=list)  # its language's cues (edge/tracking/cues.py) + the file's own


def _fail(where: str, why: str) -> KeywordError:
    return KeywordError(f"{where}: {why}")


def _clean(word: object) -> str | None:
    if not isinstance(word, str):
        return None
    w = fold_chars(" ".join(word.split()).lower())
    return w if w.strip("*").strip() else None


def load_keywords(path: Path) -> KeywordSet:
    """One language's keywords; every entry is checked (milestone allowed, keyword not empty, source given)."""
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(path.name, f"cannot be read ({exc})") from None
    except json.JSONDecodeError as exc:
        raise _fail(f"{path.name}:{exc.lineno}", f"not JSON ({exc.msg})") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("keywords"), dict):
        raise _fail(path.name, 'needs {"lang": ..., "keywords": {...}}')
    abstain_raw = obj.get("abstain", [])
    if not isinstance(abstain_raw, list):
        raise _fail(path.name, "abstain must be a list of words")
    out = KeywordSet(str(obj.get("lang") or path.stem))
    out.abstain = [w for w in map(_clean, cues.words(out.lang)) if w]  # the shared cues, then the file's extension
    for word in abstain_raw:
        w = _clean(word)
        if w is None:
            raise _fail(f"{path.name}: abstain {word!r}", "empty or not a string")
        out.abstain.append(w)
    for word, entry in obj["keywords"].items():
        where = f"{path.name}: {word!r}"
        w = _clean(word)
        if w is None:
            raise _fail(where, "empty keyword")
        if not isinstance(entry, dict):
            raise _fail(where, 'needs {"milestone": ..., "source": ...}')
        milestone, source = entry.get("milestone"), entry.get("source")
        if not isinstance(milestone, str) or milestone not in MILESTONES:
            raise _fail(where, f"unknown milestone {milestone!r}")
        if milestone in FORBIDDEN:
            raise _fail(where, f"the keyword stage never says {milestone!r}")
        if not isinstance(source, str) or not source.strip():
            raise _fail(where, "no source")
        out.keywords.append(Keyword(w, milestone, source, where))
    return out


def load_all(directory: Path = KEYWORD_DIR) -> list[KeywordSet]:
    return [load_keywords(p) for p in sorted(directory.glob("*.json"))]


def _regex(words: list[str]) -> re.Pattern[str] | None:
    """One regex over literal words: CJK anywhere, Latin at word bounds (a trailing * = any word ending)."""
    parts = []
    for w in sorted(set(words), key=len, reverse=True):
        prefix = w.endswith("*")
        lit = re.escape(w.rstrip("*"))
        if _CJK.search(w):
            parts.append(lit)
        else:
            parts.append(f"(?<![{_LETTER}]){lit}" + ("" if prefix else f"(?![{_LETTER}])"))
    return re.compile("|".join(parts)) if parts else None


def cue_matcher() -> re.Pattern[str] | None:
    """Every language's condition, negation, future and request cues (edge/tracking/cues.py) as one matcher over a
    folded text, as the stage abstains on them: the learned fallback abstains on them too."""
    return _regex([w for w in map(_clean, cues.abstain_words()) if w])


class KeywordStage:
    """All loaded languages' keywords as one matcher; ``answer(text)`` is a milestone or None (abstain)."""

    def __init__(self, sets: list[KeywordSet]) -> None:
        self.milestone_of: dict[str, str] = {}
        for s in sets:
            for k in s.keywords:
                self.milestone_of.setdefault(k.word.rstrip("*"), k.milestone)
        self._words = _regex([k.word for s in sets for k in s.keywords])
        self._abstain = _regex([w for s in sets for w in s.abstain])

    def answer(self, text: str) -> str | None:
        """The one milestone the keywords in the (folded, lower-cased) text name, else None."""
        if self._words is None or not text:
            return None
        found = {self.milestone_of[m.group()] for m in self._words.finditer(text)}
        if len(found) != 1:
            return None  # no keyword, or keywords of two milestones: conflict, abstain
        if self._abstain is not None and self._abstain.search(text) is not None:
            return None  # a condition, a negation or a future: abstain
        (milestone,) = found
        return milestone if milestone not in FORBIDDEN else None
