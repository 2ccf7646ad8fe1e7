"""`[site].desk_hours` as a property types it (the trial of 2026-12-04, docs/trial-2026-12-04.md): a trailing comma
was refused as "'' is not a time range", which names nothing the operator wrote; full-width digits and colons from
a Chinese input method ("０８：００－２０：００") and "08:00～20:00" were refused or, for "８:00-20:00", accepted and shown
in residents' messages as typed; digits of other scripts ("٨:00-20:00") were accepted as 8 o'clock."""

from __future__ import annotations

from datetime import time

import pytest

from edge.config import ConfigError, SiteInfo, parse_config


def _explain(bad: str) -> str:
    with pytest.raises(ConfigError) as err:
        parse_config({"site": {"id": "s1", "desk_hours": bad}})
    return err.value.explain()


def test_a_trailing_comma_is_named_in_words() -> None:
    text = _explain("08:00-20:00,")
    assert "'08:00-20:00,' has an empty part between commas" in text, text
    assert "'' is" not in text, text


@pytest.mark.parametrize("typed", ["０８：００－２０：００", "08:00～20:00", "８:00-20:00", "08:00-12:00，14:00-20:00"])
def test_full_width_input_is_read_and_kept_in_ascii(typed: str) -> None:
    site = SiteInfo.model_validate({"id": "s1", "desk_hours": typed})
    assert site.desk_hours.isascii(), site.desk_hours
    assert site.desk_hours.replace("~", "-").startswith(("08:00-", "8:00-")), site.desk_hours


def test_the_ascii_form_is_kept_as_written() -> None:
    assert SiteInfo.model_validate({"id": "s1", "desk_hours": "8:00-20:00"}).desk_hours == "8:00-20:00"


def test_digits_of_other_scripts_are_refused() -> None:
    text = _explain("٨:00-20:00")
    assert "is not a time range" in text and "HH:MM-HH:MM" in text, text


def test_full_width_hours_give_the_periods() -> None:
    from edge.config import desk_periods

    assert desk_periods("０８：００－１２：００，１４：００－２０：００") == [(time(8), time(12)), (time(14), time(20))]
