"""Every channel the Messages page can list is named in words in Chinese and in English (trial 2026-12-07d: under
`lockerd simulate` the stand-in for the site's own channels read "simulation: the site's own channels are off" on
the Chinese page): each kind a site file may configure, and the simulator's stand-in."""

from __future__ import annotations

import re
import typing

from edge.cli.simulate import PHONES_KEPT
from edge.notify.config import ChannelConfig
from edge.web.console.notify_words import channel_name

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
#: brand names that stay as they are in Chinese
BRANDS = {"Twilio", "GSM"}


def _kinds() -> list[str]:
    union = typing.get_args(ChannelConfig)[0]
    return [typing.get_args(m.model_fields["kind"].annotation)[0] for m in typing.get_args(union)]


def _chinese(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text)) and all(w in BRANDS for w in LATIN_WORD.findall(text))


def test_every_channel_kind_has_words_in_both_languages() -> None:
    kinds = _kinds()
    assert {"hq", "sim", "webhook", "sms-aliyun", "sms-tencent", "sms-twilio", "gsm-modem", "smtp"} <= set(kinds)
    for kind in kinds:
        zh, en = channel_name(kind, "zh"), channel_name(kind, "en")
        assert _chinese(zh), (kind, zh)
        assert en != kind or kind == "webhook", (kind, en)  # "webhook" is its English word
        assert not _chinese(en), (kind, en)


def test_the_simulators_stand_in_is_named_in_words() -> None:
    name = str(PHONES_KEPT["name"])
    assert ": " not in name  # the dispatcher's errors read "<channel>: <why>"
    assert _chinese(channel_name(name, "zh")), channel_name(name, "zh")
    assert channel_name(name, "en") == "simulation: the site's own channels are off"
