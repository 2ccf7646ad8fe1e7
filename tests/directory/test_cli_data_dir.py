"""`lockerd courier|unit list/disable/enable/remove` on a data dir with no database: a clear refusal.

Found by the 2026-12-02 trial: a mistyped `--data-dir` (or running from another directory, with the
default ./var) silently created an empty database and a new key there and answered "no couriers yet"
about a site that has them. Enrolling and importing still create the database of a new site.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from edge.cli.main import main

READ_OR_CHANGE = [
    ["courier", "list"],
    ["courier", "disable", "73000123"],
    ["courier", "enable", "73000123"],
    ["unit", "list"],
    ["unit", "remove", "1-101"],
]


@pytest.mark.parametrize("argv", READ_OR_CHANGE, ids=lambda a: "-".join(a[:2]))
def test_no_database_is_refused_and_nothing_is_created(argv: list[str], tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    typo = tmp_path / "var" / "lib" / "lockred"
    assert main(["--log-level", "ERROR", *argv, "--data-dir", str(typo)]) == 1
    err = capsys.readouterr().err
    assert f"no lockerd database in {typo}" in err and "--data-dir" in err
    assert "Traceback" not in err
    assert not typo.exists()


def test_the_config_s_data_dir_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = (Path(__file__).parents[2] / "firmware-config" / "sim.toml").read_text()
    cfg = tmp_path / "site.toml"
    cfg.write_text(src.replace('data_dir = "./var"', f'data_dir = "{tmp_path / "nowhere"}"'))
    assert main(["--log-level", "ERROR", "unit", "list", "--config", str(cfg)]) == 1
    assert f"no lockerd database in {tmp_path / 'nowhere'}" in capsys.readouterr().err


def test_enrolling_creates_a_new_sites_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "new-site"
    assert main(["--log-level", "ERROR", "courier", "add", "--code", "73000123", "--company", "SF",
                 "--data-dir", str(data)]) == 0
    assert main(["--log-level", "ERROR", "courier", "list", "--data-dir", str(data)]) == 0
    assert "SF" in capsys.readouterr().out
