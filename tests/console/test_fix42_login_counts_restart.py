"""Login failures counted on a full disk survive a restart (brief fix42 item 4; fix41 left them in memory only).

With the SD card full, fix41 let staff sign in by counting failed logins in memory: a restart of the daemon
forgot them and gave a guesser a fresh set of tries. Now they are also in a file made at full size while the disk
had room (edge/services/login_counts.py), written in place, so a full disk still takes them; the next daemon reads
them, and once the disk has room they join the table (the first login writes them). On a real 64 MiB tmpfs filled to the last byte, and the
file's own guarantees (a torn write, a late write, many writers at once) on their own."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from edge.clock import SimClock
from edge.daemon import Daemon
from edge.services import login_counts as LC
from edge.web.app import create_app
from edge.web.console.auth import get_auth
from tests.reliability.faults import fill_disk, small_disk, start_site_at, stop_site


async def _login(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    page = await client.get("/login?lang=zh")
    token = re.search(r'name="_csrf" value="([^"]+)"', page.text)
    assert token, page.text
    return await client.post("/login", data={"_csrf": token.group(1), "username": username, "password": password})


def _client(app: Any, host: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(host, 5000)), base_url="http://console.test")


@pytest.mark.timeout(180)
async def test_a_lockout_made_on_a_full_disk_survives_a_restart(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", 64) as disk:
        site, emus = await start_site_at(disk / "site")
        clock: SimClock = site.clock
        cfg, data_dir = site.daemon.config, site.data_dir
        again: Daemon | None = None
        try:
            app = create_app(site.daemon)
            auth = get_auth(app)
            attempts, lockout_s = auth.config.login_attempts, auth.config.login_lockout_s
            filler = fill_disk(disk)
            async with _client(app, "10.0.0.9") as guesser:
                codes = [(await _login(guesser, "admin", f"wrong-{i}")).status_code for i in range(attempts)]
            assert codes[-1] == 429 and codes[:-1] == [401] * (attempts - 1), codes
            await site.daemon.stop()
            # the daemon restarts (a watchdog, an upgrade, a power cut); it cannot start until the disk has some
            # room (edge/instance.py writes the site's identity), so space is freed first. Before the fix the new
            # daemon had forgotten the count: the right password signed in, the lockout undone by the restart.
            filler.unlink()
            again = Daemon(cfg, clock=clock, data_dir=data_dir, simulated=True)
            await again.start()
            app = create_app(again)
            async with _client(app, "10.0.0.9") as guesser, _client(app, "10.0.0.10") as other:
                assert (await _login(guesser, "admin", "admin-demo-pass")).status_code == 429
                assert (await _login(other, "admin", "admin-demo-pass")).status_code == 429  # the name's count
                assert (await _login(other, "staff", "staff-demo-pass")).status_code == 303  # others sign in
            row = await again.store.read(lambda tx: tx.one(
                "SELECT failures, locked_until FROM staff_login_attempts WHERE scope = 'user:admin'"))
            assert row is not None and row["failures"] >= attempts and row["locked_until"], row
            assert LC.LoginCountsFile(data_dir / LC.FILE_NAME).open() == {}  # the file was emptied into the table
            clock.advance(lockout_s + 1)
            async with _client(app, "10.0.0.10") as other:
                assert (await _login(other, "admin", "admin-demo-pass")).status_code == 303
        finally:
            if again is not None and again.ready:
                await again.stop()
            elif site.daemon.ready:
                await stop_site(site, emus)


@pytest.mark.timeout(180)
async def test_concurrent_guesses_on_a_full_disk_count_one_by_one_and_stay_counted(tmp_path: Path) -> None:
    """20 wrong passwords at once on a full disk: counted before any is verified, so exactly `login_attempts` - 1
    are refused as wrong and the rest as locked; the file holds the count a restart reads."""
    import asyncio

    with small_disk(tmp_path / "disk", 64) as disk:
        site, emus = await start_site_at(disk / "site")
        try:
            app = create_app(site.daemon)
            attempts = get_auth(app).config.login_attempts
            fill_disk(disk)
            async with _client(app, "10.0.0.9") as guesser:
                codes = await asyncio.gather(*(_login(guesser, "staff", f"wrong-{i}") for i in range(20)))
            statuses = sorted(r.status_code for r in codes)
            assert statuses == [401] * (attempts - 1) + [429] * (20 - attempts + 1), statuses
            kept = LC.LoginCountsFile(site.data_dir / LC.FILE_NAME).open()
            assert kept["user:staff"][0] == attempts and kept["user:staff"][1] is not None, kept
        finally:
            await stop_site(site, emus)


def test_the_file_keeps_the_newest_whole_state(tmp_path: Path) -> None:
    f = LC.LoginCountsFile(tmp_path / LC.FILE_NAME)
    assert f.open() == {}
    assert (tmp_path / LC.FILE_NAME).stat().st_size == 2 * LC.SLOT  # made at full size: later writes need no room
    clock = SimClock()
    until = (clock.now() + timedelta(seconds=300)).replace(microsecond=0)
    assert f.write({"user:admin": [4, None]}, 1)
    assert f.write({"user:admin": [5, until], "ip:10.0.0.9": [5, None]}, 2)
    assert f.write({"user:admin": [1, None]}, 1)  # a late, older state: skipped, the newer one stays
    assert LC.LoginCountsFile(tmp_path / LC.FILE_NAME).open() == {"user:admin": [5, until], "ip:10.0.0.9": [5, None]}
    # a crash in the middle of the next write tears its slot: the other, whole one is read
    path = tmp_path / LC.FILE_NAME
    assert f.write({"user:admin": [6, until]}, 3)
    raw = bytearray(path.read_bytes())
    slot = 3 % 2
    raw[slot * LC.SLOT + 40] ^= 0xFF
    path.write_bytes(bytes(raw))
    assert LC.LoginCountsFile(path).open() == {"user:admin": [5, until], "ip:10.0.0.9": [5, None]}


def test_many_writers_at_once_leave_the_newest(tmp_path: Path) -> None:
    f = LC.LoginCountsFile(tmp_path / LC.FILE_NAME)
    f.open()
    versions = list(range(1, 201))

    def write(v: int) -> None:
        f.write({"user:admin": [v, None]}, v)

    threads = [threading.Thread(target=write, args=(v,)) for v in reversed(versions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    got = LC.LoginCountsFile(tmp_path / LC.FILE_NAME).open()
    assert got == {"user:admin": [200, None]}  # whatever order they ran in: never an older state over a newer
    f.write({"user:admin": [201, None]}, 201)
    assert LC.LoginCountsFile(tmp_path / LC.FILE_NAME).open() == {"user:admin": [201, None]}


def test_a_full_slot_keeps_the_lockouts(tmp_path: Path) -> None:
    f = LC.LoginCountsFile(tmp_path / LC.FILE_NAME)
    f.open()
    until = (SimClock().now() + timedelta(seconds=300)).replace(microsecond=0)
    counts: dict[str, list[Any]] = {f"user:guess{i:04d}": [1, None] for i in range(1000)}
    counts["user:admin"] = [5, until]
    assert f.write(counts, 1)
    got = LC.LoginCountsFile(tmp_path / LC.FILE_NAME).open()
    assert got["user:admin"] == [5, until] and 100 < len(got) < 1000
