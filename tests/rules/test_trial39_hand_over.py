"""Trial 2026-12-07d (trial39): the disposal "hand_over" read 交给住户 (give it to the resident) on the Chinese console,
while the resident's notice says the parcel will be 移交处理 (handed over for disposal) and the choice marks the
parcel disposed, not collected: a desk could think it was giving the parcel to its owner."""

from __future__ import annotations

from edge import glossary
from edge.rules.messages import HOW_TEXT
from edge.rules.service import DISPOSAL_STATE


def test_the_console_and_the_notice_say_the_same_hand_over() -> None:
    assert DISPOSAL_STATE["hand_over"] == "disposed"
    assert glossary.label("disposal", "hand_over", "zh") == HOW_TEXT["hand_over"]["zh-CN"] == "移交处理"
    assert "住户" not in glossary.label("disposal", "hand_over", "zh")
    assert glossary.label("disposal", "hand_over", "en") == "hand over for disposal"
