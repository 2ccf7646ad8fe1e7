"""Killed backups and restores leave temp files; they are cleaned at start and by `backup --keep`."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from pathlib import Path

from tests.conftest import REPO, lockerd_cmd
from tests.reliability.faults import start_site_at, stop_site


async def test_stale_temp_files_are_removed(tmp_path: Path) -> None:
    data = tmp_path / "site"
    site, emus = await start_site_at(data)
    await stop_site(site, emus)
    backups = data / "backups"
    backups.mkdir(exist_ok=True)
    old = time.time() - 3600
    stale = [backups / ".lockerd-20260101T000000Z.db.tmp", data / "lockerd.db.restore-tmp"]
    for p in stale:
        p.write_bytes(b"\0" * 1024 * 1024)
        os.utime(p, (old, old))
    fresh = backups / ".lockerd-20260101T000001Z.db.tmp"  # a backup running right now
    fresh.write_bytes(b"x")
    r = await asyncio.to_thread(subprocess.run, [*lockerd_cmd(), "backup", "--data-dir", str(data), "--keep", "2"],
                                capture_output=True, text=True, cwd=str(REPO))
    assert r.returncode == 0, r.stderr
    assert not stale[0].exists() and fresh.exists()
    # and at start, for the data dir's own restore leftovers
    site, emus = await start_site_at(data)
    await stop_site(site, emus)
    assert not stale[1].exists()
