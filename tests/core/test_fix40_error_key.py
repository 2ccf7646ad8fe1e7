"""One definition for a config error's key (issue 18 leftovers: cloudsync/hq/notify.py's `_key` and edge/config.py's
`_loc` were twins, and only HQ's left out the tag pydantic puts in a discriminated union's location: the site file
said "notify.channels[0].sms-twilio.from_number" where HQ's file said "channels[0].from_number")."""

from __future__ import annotations

import pytest

from cloudsync.hq import notify as hq_notify
from edge.config import ConfigError, error_key, parse_config


def test_the_site_file_names_a_channels_key_without_its_kind() -> None:
    with pytest.raises(ConfigError) as got:
        parse_config({"site": {"id": "x"}, "banks": [],
                      "notify": {"channels": [{"kind": "sms-twilio", "account_sid": "bad"}]}})
    text = str(got.value)
    assert "notify.channels[0].account_sid:" in text and "notify.channels[0].from_number:" in text, text
    assert "sms-twilio." not in text


def test_one_definition_for_both_files() -> None:
    data = {"channels": [{"kind": "smtp"}, {"kind": "sms-twilio", "account_sid": "x"}], "banks": [{"id": "A"}]}
    assert error_key(("channels", 1, "sms-twilio", "from_number"), data) == "channels[1].from_number"
    assert error_key(("banks", 0, "port"), data) == "banks[A].port"
    assert error_key((), data) == ""
    assert not hasattr(hq_notify, "_key") and hq_notify.error_key is error_key
