"""`lockerd unit import --config` keeps phone numbers (the flag) in the import's own transaction (review26, issue
18): an import that fails leaves neither units nor the flag behind, and says so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from edge.cli.main import main
from edge.services import directory as D
from tests.directory.test_trial25_phones import MODEM, UNITS, _site


def test_a_failed_import_leaves_neither_units_nor_the_keep_phones_flag(tmp_path: Path, monkeypatch: Any,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    cfg = _site(tmp_path, MODEM)
    csv = tmp_path / "units.csv"
    csv.write_text(UNITS, encoding="utf-8")
    real = D.upsert_unit_tx
    calls: list[str] = []

    def second_fails(tx: Any, new: Any, **kw: Any) -> Any:
        calls.append(new.unit)
        if len(calls) == 2:
            raise D.DomainError("disk_full", "the database could not be written")
        return real(tx, new, **kw)

    monkeypatch.setattr(D, "upsert_unit_tx", second_fails)
    assert main(["unit", "import", str(csv), "--config", str(cfg)]) == 1
    err = capsys.readouterr().err
    assert "the database could not be written" in err and "nothing was imported" in err, err
    monkeypatch.setattr(D, "upsert_unit_tx", real)
    from edge.clock import SystemClock
    from edge.store.db import Store

    store = Store(tmp_path / "data" / "lockerd.db", SystemClock(), "t")
    store.open()
    try:
        assert store.read_sync(lambda tx: tx.all("SELECT unit FROM units")) == []
        assert store.read_sync(D.keep_phone) is False  # before: the flag stayed, set in a transaction of its own
    finally:
        store.close()


def test_a_bad_config_file_is_one_plain_error_not_a_traceback(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "units.csv"
    csv.write_text(UNITS, encoding="utf-8")
    bad = tmp_path / "site.toml"
    bad.write_text('[site]\nid = "x"\nbogus = 1\n', encoding="utf-8")
    assert main(["unit", "import", str(csv), "--config", str(bad)]) == 1  # before: ConfigError raised out of main
    err = capsys.readouterr().err
    assert "site.bogus: unknown key" in err
