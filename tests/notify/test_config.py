"""`[[notify.channels]]`: the install guide's example is valid, secrets are only ever files, bad keys are named."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from edge.config import ConfigError, parse_config
from tests.conftest import REPO, sim_config


def _site(notify: dict) -> dict:
    data = sim_config(Path("/tmp/x")).model_dump(mode="python")
    data["notify"] = notify
    return data


def test_the_install_guides_example_is_a_valid_config() -> None:
    text = (REPO / "docs" / "install.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```toml\n(.*?)```", text, re.S) if "[[notify.channels]]" in b)
    cfg = parse_config(_site(tomllib.loads(block)["notify"]))
    assert [c.kind for c in cfg.notify.channels] == ["webhook", "sms-aliyun", "gsm-modem"]


@pytest.mark.parametrize(("notify", "key", "why"), [
    ({"channels": [{"kind": "sms-aliyun", "access_key_id": "a", "access_key_secret": "inline!", "sign_name": "s",
                    "templates": {}}]}, "access_key_secret", "unknown key"),
    ({"channels": [{"kind": "pigeon"}]}, "notify.channels[0]", "pigeon"),
    ({"channels": [{"kind": "webhook", "url": "ftp://x"}]}, "url", "match pattern"),
    ({"channels": [{"kind": "hq", "kinds": ["stored", "parcel_exploded"]}]}, "kinds", "unknown message kind"),
])
def test_bad_channel_config_names_the_key(notify: dict, key: str, why: str) -> None:
    with pytest.raises(ConfigError) as exc:
        parse_config(_site(notify), "site.toml")
    text = exc.value.explain()
    assert key in text and why in text, text


async def test_a_missing_secret_file_is_reported_and_the_channel_skipped(tmp_path: Path) -> None:
    from tests.conftest import start_site

    site = await start_site(tmp_path / "s", notify={"channels": [
        {"kind": "sms-aliyun", "access_key_id": "a", "access_key_secret_file": str(tmp_path / "nope"),
         "sign_name": "s", "templates": {"stored": "SMS_1"}},
        {"kind": "sim"}]})
    try:
        st = site.daemon.notify.status()
        assert st["problems"] and "cannot read" in st["problems"][0] and "nope" in st["problems"][0]
        assert list(st["channels"]) == ["sim"]
    finally:
        await site.daemon.stop()


async def test_first_run_of_a_real_site_says_what_is_missing(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """No demo data on `lockerd run`; with no channel (cloud off, no [notify]) the log says so too."""
    import logging

    from edge.clock import SimClock
    from edge.daemon import Daemon

    d = Daemon(sim_config(tmp_path / "d"), clock=SimClock(), data_dir=tmp_path / "d", simulated=False)
    with caplog.at_level(logging.WARNING, logger="edge.notify.component"):
        await d.start()
    try:
        text = caplog.text
        for item in ("no staff admin account", "no courier codes", "no residents' units", "no channel reaches"):
            assert item in text, text
        counts = await d.store.read(lambda tx: (tx.scalar("SELECT count(*) FROM couriers"),
                                                tx.scalar("SELECT count(*) FROM units")))
        assert counts == (0, 0)
    finally:
        await d.stop()
