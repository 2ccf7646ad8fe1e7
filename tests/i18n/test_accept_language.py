"""Accept-Language read with its weights (RFC 9110 section 12.4.2; brief fix42 item 5): the best of en, zh-CN and
zh-HK by q, "q=0" never chosen, zh-TW / zh-Hant / zh-MO read as 繁體, a malformed weight dropped, "*" giving the
caller's own language. Pure: `edge.hant.accept_language`."""

from __future__ import annotations

import pytest

from edge import hant

CN, HK = hant.CN, hant.HK


@pytest.mark.parametrize(
    ("header", "want"),
    [
        # the weights choose, not the order (each of these picked the first range before)
        ("en;q=0.5, zh-CN;q=0.9", CN),
        ("zh-CN;q=0.3, zh-TW;q=0.8, en;q=0.5", HK),
        ("zh;q=0.2,en-GB;q=0.7", "en"),
        ("zh-HK;q=0.1, en", "en"),
        # q=0: not acceptable, even when named first or alone
        ("zh-CN;q=0, en;q=0.1", "en"),
        ("en;q=0", None),
        ("en;q=0.000, zh-Hant;q=0.001", HK),
        # 繁體 by any of its tags and subtags
        ("zh-TW", HK), ("zh-Hant", HK), ("zh-MO", HK), ("zh-Hant-TW;q=0.9, en;q=0.8", HK), ("zh_HK", HK),
        ("zh-Hans-HK", CN), ("zh-SG", CN),
        # equal weights: the one named first
        ("en, zh", "en"), ("zh, en", CN), ("en;q=0.8, zh-TW;q=0.8", "en"),
        # a language named twice weighs as its heaviest range
        ("zh-TW;q=0.2, en;q=0.5, zh-HK;q=0.9", HK), ("zh-HK;q=0, zh-Hant-TW;q=0.6, en;q=0.4", HK),
        # languages lockerd does not speak are passed over
        ("fr-FR, de;q=0.9, zh-TW;q=0.1", HK), ("fr;q=1, zh-Hant;q=0.8", HK), ("de, fr", None),
        # malformed: a weight outside 0-1, with four decimals, or not a number is dropped; spaces and case ignored
        ("en;q=2, zh-CN;q=0.4", CN), ("en;q=0.5555, zh-TW;q=0.1", HK), ("en;q=high, zh;q=0.1", CN),
        ("  EN-us ; Q=0.9 ,ZH-tw;q=1.000", HK), ("en;q=1.5", None), (",,;q=1, en", "en"),
        # nothing
        ("", None), (None, None), (";", None),
    ],
)
def test_best_supported_language_by_weight(header: str | None, want: str | None) -> None:
    assert hant.accept_language(header) == want


def test_the_wildcard_gives_the_callers_language_unless_excluded() -> None:
    assert hant.accept_language("*", "en") == "en"
    assert hant.accept_language("*", CN) == CN
    assert hant.accept_language("fr, *;q=0.5", "en") == "en"
    # a named language of the wildcard's weight is preferred to the wildcard, wherever it stands
    assert hant.accept_language("*, zh-HK", "en") == HK
    # "*" covers only the languages no range names: an excluded one is never its answer
    assert hant.accept_language("en;q=0, *", "en") == CN
    assert hant.accept_language("en;q=0, zh;q=0, *", "en") == HK
    assert hant.accept_language("en;q=0, zh;q=0, zh-HK;q=0, *", "en") is None
    # a named language heavier than "*" still wins; "*;q=0" adds nothing
    assert hant.accept_language("*;q=0.1, zh-TW;q=0.5", "en") == HK
    assert hant.accept_language("*;q=0", "en") is None
    assert hant.accept_language("*;q=0, en;q=0.2", CN) == "en"
