"""Host checks for `lockerd doctor`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from edge import health_checks as hc


def test_clock_check() -> None:
    assert hc.check_clock(lambda: True) == ("clock sync", True, "synchronised")
    name, ok, detail = hc.check_clock(lambda: False)
    assert not ok and "NOT synchronised" in detail
    assert hc.check_clock(lambda: None)[1] is True


def test_disk_check(tmp_path: Path) -> None:
    name, ok, detail = hc.check_disk(tmp_path / "not" / "yet", min_free_mb=0, min_free_pct=0)
    assert ok and str(tmp_path) in detail
    name, ok, detail = hc.check_disk(tmp_path, min_free_mb=10**9)
    assert not ok and "need" in detail


def test_database_check(tmp_path: Path) -> None:
    assert hc.check_database_files(tmp_path)[1] is False
    conn = sqlite3.connect(tmp_path / "lockerd.db")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (randomblob(300000))")
    conn.commit()
    name, ok, detail = hc.check_database_files(tmp_path)
    assert ok and "WAL" in detail
    assert hc.check_database_files(tmp_path, max_wal_mb=0)[1] is False
    conn.close()


def test_power_check(tmp_path: Path) -> None:
    f = tmp_path / "get_throttled"
    assert hc.check_power(str(f), vcgencmd="/nonexistent")[2].startswith("skipped")
    f.write_text("0\n")
    assert hc.check_power(str(f)) == ("power", True, "no under-voltage or throttling")
    f.write_text("50005\n")
    name, ok, detail = hc.check_power(str(f))
    assert not ok and "under-voltage now" in detail and "since boot" in detail
    f.write_text("zz")
    assert hc.check_power(str(f))[1] is False


def test_systemd_check_without_systemctl() -> None:
    name, ok, detail = hc.check_systemd(systemctl="/nonexistent/systemctl")
    assert name == "systemd"
    assert ok is False or detail.startswith("skipped")


def test_run_all_never_raises(tmp_path: Path) -> None:
    results = hc.run_all(tmp_path)
    assert [r[0] for r in results] == ["systemd", "clock sync", "disk", "database", "power"]
    assert all(isinstance(ok, bool) and isinstance(detail, str) for _, ok, detail in results)
