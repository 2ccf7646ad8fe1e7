"""Log masking knows the code's shape, not a word before it."""

from __future__ import annotations

import pytest

from edge import logsetup
from edge.logsetup import redact, register_code_length


@pytest.mark.parametrize("line", [
    "请凭取件码 5063772986 取件",           # the finding: Chinese, no ASCII "code"
    "取件码5063772986",
    "parcel ready, 5063772986",            # no word at all: the code's length alone
    "Abholcode: 5063772986",
    "取件码 50637 72986",                    # grouped
    "pickup code 506-377-2986",
    "取件码５０６３７７２９８６",              # full-width digits
    "验证码 482913",                        # a 6-digit code named in Chinese
])
def test_codes_are_masked_in_any_language(line: str) -> None:
    out = redact(line)
    digits = "".join(ch for ch in out if ch.isdigit())
    assert "*" in out and len(digits) <= 2, out


@pytest.mark.parametrize("line", [
    "tracking SF1234567890 stored in A-07",
    "door A-07 opened at 2026-03-02T01:00:00Z",
    "outbox depth 12345, port 8080",
    "parcel 01HQ0000000000000000000000",
])
def test_other_numbers_are_kept(line: str) -> None:
    assert redact(line) == line


def test_a_site_with_8_digit_codes_gets_them_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logsetup, "_CODE_LENGTHS", set(logsetup._CODE_LENGTHS))  # process-wide: restore
    register_code_length(8)
    assert redact("请取件 50637729") == "请取件 ******29"
