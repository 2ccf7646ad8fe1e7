"""Trial42: rotating HQ's command key by docs/operations.md. Step 2 adds the new public key beside the old one;
a typo in its path, or HQ's private key copied there by mistake, passed `lockerd check-config` ("OK"), and at the
restart the site dropped the old key too: every HQ command was refused, the gap the two keys are there to avoid."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from edge.cli import check_config
from edge.clock import SimClock
from edge.daemon import Daemon
from tests.cloud.cmdutil import command, raw
from tests.cloud.conftest import SITE, site_config

ROOT = Path(__file__).resolve().parents[2]


def _site_toml(tmp_path: Path, keys: list[Path]) -> Path:
    text = (ROOT / "firmware-config" / "kerong-cu16.toml").read_text(encoding="utf-8")
    text = text.replace('data_dir = "/var/lib/lockerd"', f'data_dir = "{tmp_path / "data"}"')
    text = text.replace('driver = "serial"', 'driver = "none"')
    listed = ", ".join(f'"{k}"' for k in keys)
    text += f'\n[cloud]\nenabled = true\nbroker = "mqtt://127.0.0.1:1883"\ncommand_pubkeys = [{listed}]\n'
    cfg = tmp_path / "site.toml"
    cfg.write_text(text, encoding="utf-8")
    return cfg


def _check(cfg: Path) -> int:
    return check_config.run(argparse.Namespace(file=str(cfg)))


def _private_pem(path: Path) -> Path:
    path.write_bytes(Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return path


def test_check_config_names_a_command_key_it_cannot_use(tmp_path: Path, signing_key,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    _, old = signing_key
    assert _check(_site_toml(tmp_path, [old])) == 0
    capsys.readouterr()

    assert _check(_site_toml(tmp_path, [old, tmp_path / "hq-2O27.pem"])) == 1  # a typo: O for 0
    err = capsys.readouterr().err
    assert "cloud.command_pubkeys[1]" in err and "hq-2O27.pem" in err and "OK" not in err

    assert _check(_site_toml(tmp_path, [old, _private_pem(tmp_path / "hq-2027.key.pem")])) == 1
    err = capsys.readouterr().err
    assert "cloud.command_pubkeys[1]" in err and "private key" in err


async def test_a_bad_second_key_keeps_the_first_working(broker, signing_key, tmp_path: Path) -> None:
    key, old = signing_key
    clock = SimClock()
    cfg = site_config(broker.url, old)
    cfg.cloud.command_pubkeys.append(str(tmp_path / "missing.pem"))
    d = Daemon(cfg, clock=clock, data_dir=tmp_path / "data", simulated=True)
    await d.start()
    try:
        acks: list[int] = []
        res = await d.cloud.commands.handle(raw(command(key, clock, "telemetry.now", {}, site=SITE)),
                                            lambda: acks.append(1))
        assert (res.ok, res.code) == (True, "ok")
    finally:
        await d.stop()
