"""The condition, negation, future and request cues of every pack language, in one list (ADR 0037).

A cue says an event named in a text did not happen (yet), or happens only on a condition: "if", "will", "not",
"request", 未, 予定. Two stages read these words:

- the keyword stage (edge/tracking/keywords.py) abstains on a text that holds any cue of any kind and language
  (``abstain_words``); a keyword file's optional ``abstain`` list extends this one, it never replaces it;
- the guard pass (edge/tracking/guard.py) reads a delivery or an expiry in a condition as none done: ``condition_pattern``
  (the final readings: "if the holding period has expired") and ``conditional_openers`` (a condition or a time clause
  before a delivery verb: "once delivered", "sobald zugestellt", "dès que livré").

Words are written as the keyword stage matches them: lower case, accents allowed (texts and cues are folded alike,
edge/tracking/fold.py); a Latin word matches a whole word, a trailing ``*`` any word starting so ("request*"); a word
with a CJK character matches anywhere. Kinds:

- ``condition``: a condition or a question (if, when, unless, wenn, si, quando, als, 如, 場合, 吗);
- ``negation``: not, no, never, nicht, ne/pas, não, niet, 未, 不, ません;
- ``future``: a future, a modal or a plan (will, can, expected, wird, sera, zal, 将, 预计, 予定);
- ``request``: a request, a choice, a correction, a notice or a payment: no movement (request*, cancel*, storniert,
  demande*, 申请, 取消, 変更, お知らせ).

Two narrower views for the guards, each built from these words (a test checks it):

- ``CLAUSE``: the condition cues a guard reads as a rule of the service on its own. An ambiguous word only before
  a determiner ("si" is also "yes" and "so", "als" also "as", "caso" also "case"); 如 only as 如果 (如有疑问, "any
  question", closes most Chinese texts); 場合 only as 場合は / なかった場合;
- ``TEMPORAL``: a time clause that puts a delivery verb after it in the future ("after", "as soon as", "nachdem",
  "dès que"): a guard's condition opener, not an abstain word (the keyword stage never held them).
"""

from __future__ import annotations

import re

KINDS = ("condition", "negation", "future", "request")

CUES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "condition": ("if", "once", "when", "until", "unless", "whether", "in case"),
        "negation": ("not", "no", "never", "cannot", "can't", "don't", "didn't", "doesn't", "won't", "couldn't", "isn't",
                     "wasn't", "hasn't", "haven't", "unable"),
        "future": ("will", "would", "can", "could", "may", "might", "should", "shall", "expected", "estimated", "planned",
                   "soon"),
        "request": ("request*", "cancel*", "chosen", "choose", "prefer*", "claim*", "investigat*", "payment*", "paid",
                    "charge*", "correct*", "change*", "changing", "updat*", "upgrad*", "modif*", "email*", "e-mail*",
                    "notif*", "contact*", "call*", "texted", "instruction*", "delet*", "message*", "sms"),
    },
    "de": {
        "condition": ("wenn", "falls", "sobald"),
        "negation": ("nicht", "kein", "keine", "keinen"),
        "future": ("wird", "werden", "voraussichtlich", "geplant", "soll", "sollte", "kann", "könnte"),
        "request": ("storniert", "gewählt", "wunsch*", "nachricht*", "benachrichtigung*"),
    },
    "es": {
        "condition": ("si", "cuando"),
        "negation": ("no",),
        "future": ("sera", "seran", "podra", "puede", "prevista", "previsto"),
        "request": (),
    },
    "fr": {
        "condition": ("si", "quand", "lorsque"),
        "negation": ("ne", "pas", "non"),
        "future": ("sera", "seront", "prevu*", "bientot", "pourra", "peut"),
        "request": ("choisi*", "demande*"),
    },
    "pt": {
        "condition": ("quando", "caso"),
        "negation": ("nao",),
        "future": ("sera", "serao", "podera", "pode", "previsto", "prevista", "previsao"),
        "request": (),
    },
    "nl": {
        "condition": ("als", "zodra", "wanneer", "indien"),
        "negation": ("niet", "geen"),
        "future": ("zal", "zullen", "verwacht*", "kan"),
        "request": (),
    },
    "zh": {
        "condition": ("如", "若", "是否", "吗"),
        "negation": ("未", "不", "没", "无法"),
        "future": ("待", "将", "预计"),
        "request": ("取消", "更改", "修改", "申请", "短信", "通知"),
    },
    "ja": {
        "condition": ("場合", "次第", "か?"),
        "negation": ("ません", "未", "ない"),
        "future": ("予定",),
        "request": ("変更", "取消", "キャンセル", "希望", "連絡", "お知らせ", "依頼"),
    },
}

# the condition cues a guard reads as a rule of the service (module docstring); each starts with, or holds, a
# ``condition`` cue of CUES
CLAUSE: dict[str, tuple[str, ...]] = {
    "en": ("if", "unless", "once", "in case"),
    "de": ("wenn", "falls", "sobald"),
    "fr": ("si le", "si la", "si votre", "si vous"),
    "es": ("si el", "si su", "si tu", "si usted"),
    "pt": ("si o", "si a", "caso o", "caso a"),
    "nl": tuple(f"{w} {d}" for w in ("als", "indien", "zodra") for d in ("het", "de", "u", "je", "uw", "jouw")),
    "zh": ("如果", "若"),
    "ja": ("場合は", "なかった場合"),
}

# time clauses a guard reads before a delivery verb as a condition (module docstring); not abstain words
TEMPORAL: dict[str, tuple[str, ...]] = {
    "en": ("after", "as soon as", "before"),
    "de": ("nachdem",),
    "fr": ("une fois", "dès que", "après"),
    "es": ("una vez", "en cuanto", "tan pronto como"),
    "pt": ("assim que", "uma vez", "logo que", "depois que"),
    "nl": ("nadat",),
}

# condition cues that are no opener before a delivery verb: nl "als" is also "as" ("als brievenbuspakje bezorgd" is a
# delivery), pt "caso" also "case"
NOT_OPENERS: dict[str, tuple[str, ...]] = {"nl": ("als",), "pt": ("caso",)}

_CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")


def abstain_words() -> list[str]:
    """Every cue of every kind and language: the keyword stage abstains on a text holding one."""
    return [w for kinds in CUES.values() for kind in KINDS for w in kinds[kind]]


def words(lang: str) -> list[str]:
    """One language's cues, every kind."""
    return [w for kind in KINDS for w in CUES.get(lang, {}).get(kind, ())]


def condition_pattern() -> str:
    """A regex (unfolded) over CLAUSE: a Latin form as whole words, a CJK form anywhere."""
    latin = [w for forms in CLAUSE.values() for w in forms if not _CJK.search(w)]
    cjk = [w for forms in CLAUSE.values() for w in forms if _CJK.search(w)]
    return "|".join([r"\b(?:" + "|".join(re.escape(w) for w in latin) + r")\b"] + [re.escape(w) for w in cjk])


def conditional_openers(lang: str) -> str:
    """A regex alternation (unfolded) of one Latin language's condition cues and time clauses (but NOT_OPENERS),
    longest first: what opens a clause before a delivery verb ("once", "sobald", "dès que", "tan pronto como")."""
    skip = NOT_OPENERS.get(lang, ())
    forms = [w for w in CUES[lang]["condition"] + TEMPORAL.get(lang, ())
             if not _CJK.search(w) and not w.endswith("*") and w not in skip]
    return "|".join(re.escape(w) for w in sorted(set(forms), key=lambda w: (-len(w), w)))
