"""Trial41: A-16 was taken out of site.toml while a parcel was in it; `lockerd check-config` said OK with no
warning, and the parcel then sat in a door nothing could open or show. It now warns, naming door and parcel."""

from __future__ import annotations

import argparse
import re
import sqlite3
from pathlib import Path

import pytest

from edge.cli import check_config

ROOT = Path(__file__).resolve().parents[2]


def _config(tmp_path: Path, drop: str | None) -> Path:
    text = (ROOT / "firmware-config" / "modbus-relay.toml").read_text(encoding="utf-8")
    text = text.replace('data_dir = "/var/lib/lockerd"', f'data_dir = "{tmp_path / "data"}"')
    text = text.replace('driver = "serial"', 'driver = "none"')
    if drop:
        text = re.sub(r'\[\[banks\.compartments\]\]\nid = "' + drop + r'"\n(?:[^\[\n][^\n]*\n)*', "", text)
    cfg = tmp_path / f"site-{drop}.toml"
    cfg.write_text(text, encoding="utf-8")
    return cfg


def _db_with_parcel_in(tmp_path: Path, door: str) -> None:
    (tmp_path / "data").mkdir()
    conn = sqlite3.connect(tmp_path / "data" / "lockerd.db")
    conn.execute("CREATE TABLE parcels (id TEXT, tracking_number TEXT, state TEXT, compartment_id TEXT)")
    conn.execute("INSERT INTO parcels VALUES ('p1', 'ZT7300000000003', 'stored', ?)", (door,))
    conn.execute("INSERT INTO parcels VALUES ('p2', 'SF1400000000000', 'collected', 'A-15')")
    conn.commit()
    conn.close()


def test_check_config_warns_about_a_removed_door_that_holds_a_parcel(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    _db_with_parcel_in(tmp_path, "A-16")
    cfg = _config(tmp_path, "A-16")
    assert check_config.run(argparse.Namespace(file=str(cfg))) == 0
    out = capsys.readouterr()
    assert "15 compartments" in out.out
    assert "A-16 is no longer in the config but parcel ZT7300000000003 is still in it" in out.err
    assert "A-15" not in out.err  # a collected parcel's old door is no concern


def test_no_warning_when_the_door_is_still_configured(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _db_with_parcel_in(tmp_path, "A-16")
    assert check_config.run(argparse.Namespace(file=str(_config(tmp_path, None)))) == 0
    assert "no longer in the config" not in capsys.readouterr().err
