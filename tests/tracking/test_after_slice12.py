"""After frozen slice 12's only run (spent, so this family is in-sample): "您的货物已取件" is the courier taking the
resident's order from the sender, not a collection; 您 counts as the one who collected only in "您已取件"."""

from __future__ import annotations

import pytest

from edge.tracking.classify import Classifier
from tests.tracking.written import assert_written

NOT_COLLECTED = ["您的快件已取件，正在发往杭州转运中心", "您的订单已取件", "您的包裹已取件，即将发往分拨中心"]
COLLECTED = ["您已取件，感谢使用", "您已成功取件，欢迎再次使用"]


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier()


def test_written_sentences_are_no_corpus_texts() -> None:
    assert_written(NOT_COLLECTED + COLLECTED)


@pytest.mark.parametrize("text", NOT_COLLECTED)
def test_your_parcel_picked_up_is_no_delivery(clf: Classifier, text: str) -> None:
    assert clf.classify(text).milestone == "picked_up", text


@pytest.mark.parametrize("text", COLLECTED)
def test_you_collected_is_a_delivery(clf: Classifier, text: str) -> None:
    assert clf.classify(text).milestone == "delivered", text
