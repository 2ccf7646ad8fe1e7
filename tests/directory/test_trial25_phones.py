"""A new site imports its residents before the daemon's first start (trial of 2026-12-05).

docs/install.md section 7 configures the SMS or modem channel, section 9 imports the units. Run in that order on
a database the daemon had not opened yet, `lockerd unit import units.csv --config site.toml` dropped every full
phone number without a word ("imported: 5 added"): the rule that keeps them was a flag only the daemon wrote at
its start. The first resident's pickup code then went past the modem to the next channel.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import lockerd_cmd

REPO = Path(__file__).resolve().parents[2]
UNITS = "房号,手机号,手机尾号,语言\n5-801,13812345678,,中文\n5-802,,8802,英文\n"
MODEM = '\n[[notify.channels]]\nkind = "gsm-modem"\nport = "/dev/ttyUSB3"\n'
HOOK = '\n[[notify.channels]]\nkind = "webhook"\nurl = "http://127.0.0.1:9/hook"\n'


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*lockerd_cmd(), *args], capture_output=True, text=True, timeout=60, cwd=str(REPO))


def _site(tmp_path: Path, channels: str) -> Path:
    text = (REPO / "firmware-config" / "sim.toml").read_text()
    text = text.replace('data_dir = "./var"', f'data_dir = "{tmp_path / "data"}"', 1)
    cfg = tmp_path / "site.toml"
    cfg.write_text(text + channels)
    return cfg


def _phones(cfg: Path) -> list[tuple[str, str | None, str | None]]:
    listed = json.loads(_cli("unit", "list", "--json", "--config", str(cfg)).stdout)
    return [(u["unit"], u["phone"], u["phone_tail"]) for u in listed]


def test_an_import_before_the_first_start_keeps_the_numbers_a_modem_needs(tmp_path: Path) -> None:
    cfg = _site(tmp_path, MODEM)
    csv = tmp_path / "units.csv"
    csv.write_text(UNITS, encoding="utf-8")
    dry = _cli("unit", "import", str(csv), "--dry-run", "--config", str(cfg))
    assert dry.returncode == 0 and "2 to add" in dry.stdout and "warning" not in dry.stderr
    r = _cli("unit", "import", str(csv), "--config", str(cfg))
    assert r.returncode == 0 and "2 added" in r.stdout, r.stderr
    assert "warning" not in r.stderr
    assert _phones(cfg) == [("5-801", "13812345678", "5678"), ("5-802", None, "8802")]


def test_numbers_that_no_channel_sends_to_are_dropped_with_a_warning(tmp_path: Path) -> None:
    cfg = _site(tmp_path, HOOK)
    csv = tmp_path / "units.csv"
    csv.write_text(UNITS, encoding="utf-8")
    r = _cli("unit", "import", str(csv), "--config", str(cfg))
    assert r.returncode == 0 and "2 added" in r.stdout
    assert "1 full phone number(s) not kept, only their last 4 digits" in r.stderr
    assert "[[notify.channels]]" in r.stderr and "Traceback" not in r.stderr
    assert _phones(cfg) == [("5-801", None, "5678"), ("5-802", None, "8802")]
    # by data dir alone the channels are unknown: the warning says how to keep them
    r = _cli("unit", "import", str(csv), "--data-dir", str(tmp_path / "data2"))
    assert "not kept" in r.stderr and "--config" in r.stderr
