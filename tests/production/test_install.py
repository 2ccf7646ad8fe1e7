"""systemd/install.sh against a throwaway root: layout, idempotence, upgrade with backup, rollback.

Builds real virtual environments with pip from a snapshot of the checkout (so concurrent edits in
the working tree cannot change the hash between runs). The upgrade reuses the dependencies of the
current release, so only the first build pays for the full install.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "systemd" / "install.sh"
SNAPSHOT = ["pyproject.toml", "README.md", "edge", "drivers", "cloudsync", "kiosk", "firmware-config", "systemd", "docs"]

pytestmark = pytest.mark.timeout(300)


def _run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(["sh", str(SCRIPT), *args], capture_output=True, text=True, timeout=280)
    if check and proc.returncode != 0:
        raise AssertionError(f"install.sh {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def manifest(root: Path) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = str(p.relative_to(root))
            st = p.lstat()
            if stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", os.readlink(p))
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = ("dir", oct(stat.S_IMODE(st.st_mode)))
            else:
                out[rel] = ("file", oct(stat.S_IMODE(st.st_mode)), hashlib.sha256(p.read_bytes()).hexdigest())
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("install")
    src, root = base / "src", base / "root"
    src.mkdir()
    root.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "var")
    for name in SNAPSHOT:
        p = ROOT / name
        if p.is_dir():
            shutil.copytree(p, src / name, ignore=ignore)
        elif p.exists():
            shutil.copy2(p, src / name)
    # a minimal system image: the shadow files the installer's useradd/groupadd edit through --prefix
    etc = root / "etc"
    etc.mkdir()
    (etc / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    (etc / "shadow").write_text("root:*:19000:0:99999:7:::\n")
    groups = {"root": 0, "dialout": 20, "video": 44, "input": 104, "render": 105}
    (etc / "group").write_text("".join(f"{g}:x:{gid}:\n" for g, gid in groups.items()))
    (etc / "gshadow").write_text("".join(f"{g}:*::\n" for g in groups))
    for f in ("shadow", "gshadow"):
        (etc / f).chmod(0o640)
    first = _run(*_args(root, src))
    assert "building release" in first.stdout
    return {"src": src, "root": root}


PREFIX = "/opt/lk"  # not the default, so the prefix rewriting of the units is exercised


def _args(root: Path, src: Path) -> list[str]:
    return ["--root", str(root), "--image", "--kiosk", "--prefix", PREFIX, "--source", str(src),
            "--python", sys.executable]


def test_layout(site: dict[str, Path]) -> None:
    root = site["root"]
    prefix = root / PREFIX.lstrip("/")
    current = prefix / "current"
    assert current.is_symlink() and os.readlink(current).startswith("releases/0.")
    assert (current / ".complete").exists()
    lockerd = [str(current / "bin" / "python"), "-I", "-m", "edge.cli.main"]
    out = subprocess.run([*lockerd, "--version"], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.startswith("lockerd ")
    # scripts name the interpreter as it will be once the root is / (not the staging path)
    release = os.readlink(current)
    assert (current / "bin" / "lockerd").read_text().splitlines()[0] == f"#!{PREFIX}/{release}/bin/python"
    units = root / "etc" / "systemd" / "system"
    for u in ("lockerd.service", "lockerd-backup.service", "lockerd-backup.timer"):
        assert (units / u).read_text() == (site["src"] / "systemd" / u).read_text().replace("/opt/lockerd", PREFIX)
    cfg = root / "etc" / "lockerd" / "site.toml"
    assert 'data_dir = "/var/lib/lockerd"' in cfg.read_text()
    assert stat.S_IMODE(cfg.stat().st_mode) == 0o640
    check = subprocess.run([*lockerd, "check-config", str(cfg)], capture_output=True, text=True, cwd=root)
    assert check.returncode == 0, check.stdout + check.stderr
    token = root / "var" / "lib" / "lockerd" / "metrics.token"
    assert stat.S_IMODE(token.stat().st_mode) == 0o600 and len(token.read_text().strip()) >= 32
    assert (current / "libexec" / "lockerd" / "kiosk-browser.sh").stat().st_mode & 0o111
    assert os.readlink(root / "usr" / "local" / "bin" / "lockerd") == f"{PREFIX}/current/bin/lockerd"
    # --kiosk
    assert (root / "etc" / "pam.d" / "lockerd-kiosk").exists()
    assert (root / "etc" / "chromium" / "policies" / "managed" / "lockerd-kiosk.json").exists()
    kiosk_unit = (units / "lockerd-kiosk.service").read_text()
    assert f"{PREFIX}/current/libexec/lockerd/kiosk-browser.sh" in kiosk_unit and "/opt/lockerd" not in kiosk_unit


def _entry(root: Path, file: str, name: str) -> list[str]:
    for line in (root / "etc" / file).read_text().splitlines():
        if line.split(":")[0] == name:
            return line.split(":")
    raise AssertionError(f"{name} not in {file}")


def test_image_users_ownership_and_enabled_units(site: dict[str, Path]) -> None:
    root = site["root"]
    user = _entry(root, "passwd", "lockerd")
    assert user[5] == "/var/lib/lockerd" and user[6] == "/usr/sbin/nologin"
    uid, gid = int(user[2]), int(user[3])
    assert 0 < uid < 1000  # a system account
    assert "lockerd" in _entry(root, "group", "dialout")[3].split(",")
    assert "lockerd" in _entry(root, "group", "gpio")[3].split(",")  # gpio was created
    kiosk_groups = {g for g in ("video", "render", "input") if "lockerd-kiosk" in _entry(root, "group", g)[3].split(",")}
    assert kiosk_groups == {"video", "render", "input"}
    data = root / "var" / "lib" / "lockerd"
    assert (data.stat().st_uid, data.stat().st_gid) == (uid, gid)
    assert (data / "metrics.token").stat().st_uid == uid
    cfg = root / "etc" / "lockerd" / "site.toml"
    assert (cfg.stat().st_uid, cfg.stat().st_gid) == (0, gid)
    wants = root / "etc" / "systemd" / "system"
    assert (wants / "multi-user.target.wants" / "lockerd.service").is_symlink()
    assert (wants / "timers.target.wants" / "lockerd-backup.timer").is_symlink()
    assert (wants / "graphical.target.wants" / "lockerd-kiosk.service").is_symlink()


def test_second_run_changes_nothing(site: dict[str, Path]) -> None:
    root = site["root"]
    before = manifest(root)
    again = _run(*_args(root, site["src"]))
    assert "already current" in again.stdout
    assert manifest(root) == before


def test_config_never_overwritten(site: dict[str, Path]) -> None:
    cfg = site["root"] / "etc" / "lockerd" / "site.toml"
    cfg.write_text(cfg.read_text() + "\n# edited on site\n")
    out = _run(*_args(site["root"], site["src"]))
    assert "keeping existing" in out.stdout
    assert cfg.read_text().endswith("# edited on site\n")


def test_upgrade_backs_up_then_rollback_restores(site: dict[str, Path]) -> None:
    root, src = site["root"], site["src"]
    prefix = root / PREFIX.lstrip("/")
    data = root / "var" / "lib" / "lockerd"
    old = os.readlink(prefix / "current")
    # a live database made by the installed release, with one parcel
    py = str(prefix / "current" / "bin" / "python")
    seed = (
        "import sys; from edge.store.db import Store; from edge.clock import SystemClock\n"
        "s = Store(sys.argv[1], SystemClock(), 'site'); s.open()\n"
        "s.write_sync(lambda tx: tx.execute(\"INSERT INTO parcels (id, tracking_number, state, pickup_code,"
        " created_at, updated_at) VALUES ('p-before', 'T1', 'stored', '123456', ?, ?)\", (tx.ts, tx.ts)))\n"
        "s.close()\n"
    )
    # cwd outside the checkout: the release must import its own installed code
    subprocess.run([py, "-c", seed, str(data / "lockerd.db")], check=True, timeout=60, cwd=root)

    (src / "edge" / "_upgrade_marker.py").write_text("MARK = 2\n")
    up = _run(*_args(root, src))
    new = os.readlink(prefix / "current")
    assert new != old and os.readlink(prefix / "previous") == old
    assert "dependencies unchanged" in up.stdout
    backups = sorted((data / "backups").glob("lockerd-*.db"))
    assert len(backups) == 1
    recorded = (prefix / new / ".pre-upgrade-backup").read_text().strip()
    assert recorded == "/" + str(backups[0].relative_to(root))
    ran = subprocess.run([str(prefix / "current" / "bin" / "python"), "-c", "import edge._upgrade_marker as m; print(m.MARK)"],
                         capture_output=True, text=True, check=True, cwd=root)
    assert ran.stdout.strip() == "2"

    # the new release moved the schema on and took new parcels; rolling back must restore the backup
    conn = sqlite3.connect(data / "lockerd.db")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.execute("INSERT INTO parcels (id, tracking_number, state, created_at, updated_at) VALUES ('p-after', 'T2', 'stored', 'x', 'x')")
    conn.execute(f"PRAGMA user_version = {version + 1}")
    conn.commit()
    conn.close()
    back = _run("--root", str(root), "--image", "--prefix", PREFIX, "--rollback")
    assert "restoring the pre-upgrade backup" in back.stdout
    assert os.readlink(prefix / "current") == old and os.readlink(prefix / "previous") == new
    conn = sqlite3.connect(data / "lockerd.db")
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version
        assert conn.execute("SELECT id, pickup_code FROM parcels").fetchall() == [("p-before", "123456")]
    finally:
        conn.close()
    assert list(data.glob("lockerd.db.pre-restore-*"))  # the newer database is kept, not lost

    # rolling forward again (schema of the db is old, the newer release accepts it: no restore)
    fwd = _run("--root", str(root), "--image", "--prefix", PREFIX, "--rollback")
    assert "restoring" not in fwd.stdout
    assert os.readlink(prefix / "current") == new


def test_bad_options(tmp_path: Path) -> None:
    r = _run("--root", str(tmp_path), "--image", check=False)
    assert r.returncode != 0 and "passwd" in r.stderr
    r = _run("--root", str(tmp_path / "missing"), check=False)
    assert r.returncode != 0 and "does not exist" in r.stderr
    r = _run("--root", str(tmp_path), "--rollback", check=False)
    assert r.returncode != 0 and "no previous release" in r.stderr
    r = _run("--frobnicate", check=False)
    assert r.returncode != 0 and "unknown option" in r.stderr
    r = _run("--root", str(tmp_path), "--prefix", "relative", check=False)
    assert r.returncode != 0 and "absolute" in r.stderr
    r = _run("--root", str(tmp_path), "--profile", "no-such-board", "--python", "/nonexistent/python3", check=False)
    assert r.returncode != 0
