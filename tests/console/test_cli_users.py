"""`lockerd user add|passwd|disable|enable|list` against a real database in tmp_path."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from edge.cli.main import main
from edge.clock import SystemClock
from edge.services import staff as users
from edge.store.db import Store

REPO = Path(__file__).resolve().parents[2]


def run(monkeypatch: pytest.MonkeyPatch, *argv: str, stdin: str = "") -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(["--log-level", "WARNING", *argv])


def hash_of(data_dir: Path, name: str) -> str | None:
    store = Store(data_dir / "lockerd.db", SystemClock(), "t")
    store.open()
    try:
        return store.read_sync(lambda tx: users.get_hash(tx, name))
    finally:
        store.close()


def test_first_admin_then_the_account_lifecycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    d = str(tmp_path / "data")
    assert run(monkeypatch, "user", "add", "Boss", "--role", "admin", "--password-stdin", "--data-dir", d,
               stdin="first-admin-pw\n") == 0
    assert "added boss (admin)" in capsys.readouterr().out
    h = hash_of(tmp_path / "data", "boss")
    assert h and h.startswith("$argon2id$") and users.verify_password(h, "first-admin-pw")
    assert run(monkeypatch, "user", "add", "boss", "--data-dir", d, stdin="another-pw-123\n") == 1
    assert "already exists" in capsys.readouterr().err
    assert run(monkeypatch, "user", "add", "clerk", "--data-dir", d, stdin="short\n") == 1
    assert "at least 8" in capsys.readouterr().err
    assert run(monkeypatch, "user", "add", "bad name!", "--data-dir", d, stdin="long-enough-pw\n") == 1
    assert run(monkeypatch, "user", "add", "clerk", "--data-dir", d, stdin="clerk-password\n") == 0
    assert run(monkeypatch, "user", "passwd", "clerk", "--data-dir", d, stdin="new-clerk-password\n") == 0
    assert users.verify_password(hash_of(tmp_path / "data", "clerk"), "new-clerk-password")
    assert run(monkeypatch, "user", "disable", "boss", "--data-dir", d) == 1
    assert "last active admin" in capsys.readouterr().err
    assert run(monkeypatch, "user", "disable", "clerk", "--data-dir", d) == 0
    assert hash_of(tmp_path / "data", "clerk") is None  # disabled accounts cannot log in
    assert run(monkeypatch, "user", "enable", "clerk", "--data-dir", d) == 0
    assert run(monkeypatch, "user", "passwd", "ghost", "--data-dir", d, stdin="whatever-pw\n") == 1
    capsys.readouterr()
    assert run(monkeypatch, "user", "list", "--data-dir", d) == 0
    out = capsys.readouterr().out
    assert "boss" in out and "clerk" in out and "admin" in out
    assert "first-admin-pw" not in out and "$argon2" not in out


def test_config_file_names_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    cfg = tmp_path / "site.toml"
    data = tmp_path / "elsewhere"
    cfg.write_text(
        f'data_dir = "{data}"\n[site]\nid = "s1"\n[[banks]]\nid = "A"\ndriver = "sim"\n'
        '[[banks.compartments]]\nid = "A-01"\nsize = "S"\n', encoding="utf-8")
    assert run(monkeypatch, "user", "add", "ops", "--role", "admin", "--config", str(cfg), stdin="ops-password-1\n") == 0
    assert (data / "lockerd.db").exists()
    assert run(monkeypatch, "user", "list", "--config", str(tmp_path / "missing.toml")) == 2
    assert "cannot read" in capsys.readouterr().err


def test_the_installed_command_reads_the_password_from_stdin(tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "edge.cli.main", "user", "add", "root1", "--role", "admin", "--password-stdin",
           "--data-dir", str(tmp_path)]
    proc = subprocess.run(cmd, input="piped-password-1\n", capture_output=True, text=True, cwd=REPO, timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert "piped-password-1" not in proc.stdout + proc.stderr
