"""`lockerd simulate` on a real site's data keeps the site's own admin password (trial of 2026-12-05).

The trial copied its site's data dir to move the clock with `lockerd simulate --hardware kerong-cu16 --data-dir COPY`;
the simulator's demo seeding reset the site's `admin` to the published `admin-demo-pass` (and logged it out), so the
site's own password no longer worked. An empty data dir still gets every demo login."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import launch_sim, lockerd_cmd

REPO = Path(__file__).resolve().parents[2]


def _login(server: Any, user: str, password: str) -> int:
    """303 to the console when the password is right (a refusal answers the login page again)."""
    with httpx.Client(base_url=server.url, follow_redirects=False) as c:
        page = c.get("/login")
        token = re.search(r'name="_csrf" value="([^"]+)"', page.text)
        assert token, page.text[:300]
        r = c.post("/login", data={"username": user, "password": password, "_csrf": token.group(1), "next": "/"})
        return r.status_code if r.status_code != 303 or "/login" not in r.headers.get("location", "") else 401


def test_simulate_keeps_a_real_sites_admin_password(tmp_path: Path) -> None:
    data = tmp_path / "site"
    r = subprocess.run([*lockerd_cmd(), "user", "add", "admin", "--role", "admin", "--password-stdin",
                        "--data-dir", str(data)], input="the-sites-own-pass-1\n", capture_output=True, text=True,
                       timeout=60, cwd=str(REPO))
    assert r.returncode == 0, r.stderr
    server = launch_sim(data)
    try:
        assert _login(server, "admin", "the-sites-own-pass-1") == 303
        assert _login(server, "admin", "admin-demo-pass") != 303
        # a demo account the site did not have is not added either (review26): a published password on a real
        # site's data (the live database, run by mistake) logs anyone into its console
        assert _login(server, "staff", "staff-demo-pass") != 303
        assert "admin kept with their own password" in server.log()
        assert "no demo staff login added, none changed" in server.log() and "staff-demo-pass" not in server.log()
    finally:
        server.stop()


def test_an_empty_data_dir_still_gets_the_demo_logins(tmp_path: Path) -> None:
    server = launch_sim(tmp_path / "sim")
    try:
        assert _login(server, "admin", "admin-demo-pass") == 303
    finally:
        server.stop()
