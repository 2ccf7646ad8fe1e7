"""Host checks for `lockerd doctor`: systemd, clock sync, disk, database files, Pi power supply.

Each check returns ``(name, ok, detail)``; a check that does not apply on this machine returns ok=True
with a detail starting with "skipped:". Checks never raise and never need root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from edge import timesync

CheckResult = tuple[str, bool, str]

UNIT = "lockerd.service"
THROTTLED_SYSFS = "/sys/devices/platform/soc/soc:firmware/get_throttled"
_THROTTLE_BITS = {
    0x1: "under-voltage now",
    0x2: "ARM frequency capped now",
    0x4: "throttled now",
    0x8: "soft temperature limit now",
    0x10000: "under-voltage has occurred since boot",
    0x40000: "throttling has occurred since boot",
}


def _run(cmd: list[str], timeout: float = 5.0) -> tuple[int, str]:
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return 255, str(exc)
    return p.returncode, (p.stdout.strip() or p.stderr.strip())


def check_systemd(unit: str = UNIT, systemctl: str | None = None) -> CheckResult:
    """Is the service installed, enabled and active, and does it have a watchdog?"""
    exe = systemctl or shutil.which("systemctl")
    if exe is None or not os.path.isdir("/run/systemd/system"):
        return ("systemd", True, "skipped: not running under systemd")
    rc, out = _run([exe, "show", unit, "-p", "LoadState,ActiveState,UnitFileState,WatchdogUSec,NRestarts"])
    if rc != 0:
        return ("systemd", False, f"systemctl show failed: {out}")
    props = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    if props.get("LoadState") != "loaded":
        return ("systemd", False, f"{unit} is not installed (run systemd/install.sh)")
    problems = []
    if props.get("ActiveState") != "active":
        problems.append(f"{unit} is {props.get('ActiveState', '?')}")
    if props.get("UnitFileState") not in ("enabled", "enabled-runtime", "static"):
        problems.append(f"{unit} is not enabled at boot ({props.get('UnitFileState', '?')})")
    if props.get("WatchdogUSec", "0") in ("0", "infinity", ""):
        problems.append("no watchdog configured")
    restarts = props.get("NRestarts", "0")
    detail = "; ".join(problems) or f"active, watchdog {props.get('WatchdogUSec')}, {restarts} restart(s)"
    return ("systemd", not problems, detail)


def check_clock(probe: Callable[[], bool | None] = timesync.is_synchronised) -> CheckResult:
    answer = probe()
    if answer is None:
        return ("clock sync", True, "skipped: cannot tell (no adjtimex, timesyncd or timedatectl)")
    if answer:
        return ("clock sync", True, "synchronised")
    return (
        "clock sync",
        False,
        "NOT synchronised: the Pi has no RTC; check network/NTP (timedatectl timesync-status). "
        "Time-sensitive actions are refused until it is.",
    )


def check_disk(path: str | Path, min_free_mb: int = 512, min_free_pct: float = 10.0) -> CheckResult:
    p = Path(path)
    while not p.exists() and p != p.parent:
        p = p.parent
    try:
        usage = shutil.disk_usage(p)
    except OSError as exc:
        return ("disk", False, f"{path}: {exc.strerror or exc}")
    free_mb = usage.free / 2**20
    pct = 100.0 * usage.free / usage.total if usage.total else 0.0
    detail = f"{p}: {free_mb:.0f} MiB free ({pct:.0f}%)"
    ok = free_mb >= min_free_mb and pct >= min_free_pct
    if not ok:
        detail += f"; need {min_free_mb} MiB and {min_free_pct:.0f}% (old backups: lockerd backup --keep N)"
    return ("disk", ok, detail)


def check_database_files(data_dir: str | Path, max_wal_mb: int = 64) -> CheckResult:
    """The database exists and its WAL is being checkpointed (a huge WAL wears the SD card)."""
    d = Path(data_dir)
    db = d / "lockerd.db"
    if not db.exists():
        return ("database", False, f"{db} does not exist (first start creates it)")
    if not os.access(d, os.W_OK):
        return ("database", True, f"{db}: {db.stat().st_size / 2**20:.1f} MiB (data dir not writable by this user)")
    wal = Path(str(db) + "-wal")
    wal_mb = wal.stat().st_size / 2**20 if wal.exists() else 0.0
    detail = f"{db}: {db.stat().st_size / 2**20:.1f} MiB, WAL {wal_mb:.1f} MiB"
    if wal_mb > max_wal_mb:
        return ("database", False, detail + f" (over {max_wal_mb} MiB: checkpoints are not keeping up)")
    return ("database", True, detail)


def check_power(sysfs: str = THROTTLED_SYSFS, vcgencmd: str | None = None) -> CheckResult:
    """Raspberry Pi under-voltage / throttling flags (a weak supply corrupts SD cards)."""
    raw: str | None = None
    try:
        raw = Path(sysfs).read_text().strip()
    except OSError:
        exe = vcgencmd or shutil.which("vcgencmd")
        if exe:
            rc, out = _run([exe, "get_throttled"])
            if rc == 0 and "=" in out:
                raw = out.split("=", 1)[1]
    if raw is None:
        return ("power", True, "skipped: not a Raspberry Pi")
    try:
        flags = int(raw, 16)
    except ValueError:
        return ("power", False, f"unreadable throttle flags {raw!r}")
    found = [text for bit, text in _THROTTLE_BITS.items() if flags & bit]
    if not found:
        return ("power", True, "no under-voltage or throttling")
    return ("power", False, ", ".join(found) + " (use the official 5 V / 3-5 A supply)")


def run_all(data_dir: str | Path = "/var/lib/lockerd") -> list[CheckResult]:
    """All host checks, for `lockerd doctor`."""
    checks: list[Callable[[], CheckResult]] = [
        check_systemd,
        check_clock,
        lambda: check_disk(data_dir),
        lambda: check_database_files(data_dir),
        check_power,
    ]
    results: list[CheckResult] = []
    for check in checks:
        try:
            results.append(check())
        except Exception as exc:  # a broken check is a failed check, never a traceback
            results.append((getattr(check, "__name__", "check"), False, f"check crashed: {exc}"))
    return results
