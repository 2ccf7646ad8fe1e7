"""A backup restored onto a new SD card keeps courier codes working (the per-install key travels with it).

Found by the 2026-12-02 trial: `lockerd restore` onto an empty data directory (install.md's "replace the Pi"
path) gave a database whose courier codes were hashed with a key that was not there any more; the daemon
made a new one, every courier was refused at the kiosk, and the same code could be enrolled twice.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from edge.cli import backup as bk
from edge.cli.main import main


def _lockerd(*argv: str) -> int:
    return main(["--log-level", "ERROR", *argv])


def test_restore_onto_an_empty_dir_keeps_courier_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = tmp_path / "old-card", tmp_path / "new-card"
    assert _lockerd("courier", "add", "--code", "73000123", "--company", "中通快递", "--data-dir", str(old)) == 0
    assert _lockerd("backup", "--data-dir", str(old)) == 0
    backup = Path(capsys.readouterr().out.strip().splitlines()[-1])
    key = bk.key_of(backup)
    assert key.read_bytes() == (old / bk.SECRET_NAME).read_bytes()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600

    new.mkdir()
    assert _lockerd("restore", str(backup), "--data-dir", str(new)) == 0
    assert (new / bk.SECRET_NAME).read_bytes() == (old / bk.SECRET_NAME).read_bytes()
    capsys.readouterr()
    # the restored code is still that courier's: enrolling it again is refused, disabling it works
    assert _lockerd("courier", "add", "--code", "73000123", "--company", "X", "--data-dir", str(new)) == 1
    assert "already in use" in capsys.readouterr().err
    assert _lockerd("courier", "disable", "73000123", "--data-dir", str(new)) == 0


def test_restore_replaces_a_new_cards_own_key_and_keeps_it_aside(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    assert _lockerd("courier", "add", "--code", "5550001", "--company", "SF", "--data-dir", str(old)) == 0
    assert _lockerd("backup", "--data-dir", str(old)) == 0
    backup = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert _lockerd("courier", "add", "--code", "5550009", "--company", "JD", "--data-dir", str(new)) == 0  # own key
    new_key = (new / bk.SECRET_NAME).read_bytes()
    assert _lockerd("restore", str(backup), "--data-dir", str(new)) == 0
    assert (new / bk.SECRET_NAME).read_bytes() == (old / bk.SECRET_NAME).read_bytes()
    aside = list(new.glob(f"{bk.SECRET_NAME}.pre-restore-*"))
    assert [p.read_bytes() for p in aside] == [new_key]
    assert _lockerd("courier", "disable", "5550001", "--data-dir", str(new)) == 0


def test_restore_without_the_key_says_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    assert _lockerd("courier", "add", "--code", "5550002", "--company", "SF", "--data-dir", str(old)) == 0
    assert _lockerd("backup", "--data-dir", str(old)) == 0
    backup = Path(capsys.readouterr().out.strip().splitlines()[-1])
    os.unlink(bk.key_of(backup))  # a backup made before keys travelled with it
    assert _lockerd("restore", str(backup), "--data-dir", str(new)) == 0
    err = capsys.readouterr().err
    assert "courier codes enrolled before the backup will be refused" in err and "secret.key" in err
    assert "Traceback" not in err


def test_pruning_removes_the_key_with_its_backup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "d"
    assert _lockerd("courier", "add", "--code", "5550003", "--company", "SF", "--data-dir", str(data)) == 0
    for _ in range(3):
        assert _lockerd("backup", "--data-dir", str(data), "--keep", "2") == 0
    dest = data / "backups"
    backups = bk.list_backups(dest)
    assert len(backups) == 2
    assert sorted(p.name for p in dest.glob("*.key")) == sorted(bk.key_of(b).name for b in backups)
