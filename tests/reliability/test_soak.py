"""Soak: mixed deposits, pickups, cancels and console reads against a real `lockerd simulate`,
sampling the daemon's RSS, open fds, threads and WAL size; then 0 lost and 0 duplicated.

CI: 20 s (slow-marked). LOCKERD_LONG=1: 60 minutes (LOCKERD_SOAK_S overrides either). The figures
print with -s; docs/reliability.md has the measured ones.

The driver is paced by the clock, LOCKERD_SOAK_RATE cycles a second (default 2), not by how fast the shared
machine is: two runs side by side do the same work. LOCKERD_SOAK_MEMORY adds TOML lines to the site's
``[memory]`` section (edge/memory.py), e.g. ``LOCKERD_SOAK_MEMORY='trim_every_s = 30'``, to compare settings.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import sqlite3
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SimServer, launch_sim

LONG = os.environ.get("LOCKERD_LONG") == "1"
SECONDS = float(os.environ.get("LOCKERD_SOAK_S", 3600 if LONG else 20))
#: SQLite's page cache (2 MiB per connection, edge/store/db.py CACHE_KIB) and the first allocations fill in
#: the first minutes; the slope is measured after this (and reported for the whole run as well)
WARMUP_S = float(os.environ.get("LOCKERD_SOAK_WARMUP_S", min(600.0, SECONDS / 4)))

#: cycles a second; a cycle that starts more than a second late starts the schedule again from now (a slip)
RATE = float(os.environ.get("LOCKERD_SOAK_RATE", 2.0))
MEMORY = os.environ.get("LOCKERD_SOAK_MEMORY", "").replace(";", "\n")

pytestmark = [pytest.mark.slow, pytest.mark.timeout(int(SECONDS) + 300)]


def _proc(pid: int) -> dict[str, float]:
    status = Path(f"/proc/{pid}/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return {
        "rss_mb": int(fields["VmRSS"].split()[0]) / 1024,
        "threads": int(fields["Threads"]),
        "fds": len(os.listdir(f"/proc/{pid}/fd")),
    }


def slope_per_10min(samples: list[tuple[float, float]]) -> float:
    """Least-squares slope of (t seconds, value) in value per 10 minutes."""
    n = len(samples)
    if n < 2:
        return 0.0
    mt = sum(t for t, _ in samples) / n
    mv = sum(v for _, v in samples) / n
    var = sum((t - mt) ** 2 for t, _ in samples)
    return 0.0 if var == 0 else 600 * sum((t - mt) * (v - mv) for t, v in samples) / var


class ConsoleReader:
    """A staff member with the console open: logged in once, reading the pages staff keep open and
    opening (then dropping) the live push stream, as a browser tab does."""

    PAGES = ("/", "/parcels", "/compartments", "/tasks", "/locks", "/wallboard", "/api/v1/console/grid")

    def __init__(self, url: str) -> None:
        self.url = url
        self.reads = 0
        self.logins = 0
        self.login()

    def login(self) -> None:
        url = self.url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = self.opener.open(url + "/login", timeout=10).read().decode()
        token = re.search(r'name="_csrf" value="([^"]+)"', page)
        assert token, page
        form = urllib.parse.urlencode({"_csrf": token.group(1), "username": "staff",
                                       "password": "staff-demo-pass"}).encode()
        self.opener.open(url + "/login", data=form, timeout=10).read()
        self.logins += 1

    def read(self, i: int) -> None:
        req = urllib.request.Request(self.url + self.PAGES[i % len(self.PAGES)], headers={"Accept": "text/html"})
        with self.opener.open(req, timeout=10) as resp:
            expired = "/login" in resp.url
            assert resp.status == 200, resp.url
            resp.read()
        if expired:  # the session ended (idle or maximum age): log in again, as staff do
            self.login()
            return
        self.reads += 1
        if i % 5 == 0:  # the push stream: connect, take the first bytes, go away
            with self.opener.open(self.url + "/api/v1/console/stream", timeout=10) as resp:
                resp.read(8)


class Driver:
    def __init__(self, sim: SimServer) -> None:
        self.sim = sim
        self.console = ConsoleReader(sim.url)
        self.logins = 0
        self.auth: dict[str, str] = {}
        self.login()
        self.db = sqlite3.connect(f"file:{sim.data_dir / 'lockerd.db'}?mode=ro", uri=True, timeout=10)
        self.stored: set[str] = set()
        self.collected: set[str] = set()
        self.n = 0

    def login(self) -> None:
        """A courier session lasts 30 minutes: the courier logs in again, as at the kiosk."""
        status, body = self.sim.api("POST", "/api/v1/kiosk/courier/session", {"courier_code": "100001"})
        assert status == 200, body
        self.auth = {"Authorization": "Bearer " + body["token"]}
        self.logins += 1

    def _door(self, c: str, want: str, limit: float = 3.0) -> None:
        t0 = time.monotonic()
        while time.monotonic() - t0 < limit:
            doors = {d["compartment"]: d["door"] for d in self.sim.api("GET", "/api/v1/sim/doors")[1]}
            if doors.get(c) == want:
                return
            time.sleep(0.02)
        raise AssertionError(f"{c} not {want}")

    def _deposit_state(self, dep: str, want: str, limit: float = 3.0) -> dict[str, Any]:
        t0 = time.monotonic()
        while time.monotonic() - t0 < limit:
            status, st = self.sim.api("GET", f"/api/v1/kiosk/deposits/{dep}", headers=self.auth)
            if status == 401:
                self.login()
                continue
            if st["state"] == want:
                return st
            time.sleep(0.02)
        raise AssertionError(f"deposit {dep} not {want}: {st}")

    def cycle(self) -> None:
        self.n += 1
        tn = f"SF8{self.n:011d}"
        status, dep = self.sim.api("POST", "/api/v1/kiosk/deposits",
                                   {"tracking_number": tn, "unit": "1-101", "phone_tail": "1234"}, headers=self.auth)
        if status == 401:  # the session ran out: log in again and deposit
            self.login()
            status, dep = self.sim.api("POST", "/api/v1/kiosk/deposits",
                                       {"tracking_number": tn, "unit": "1-101", "phone_tail": "1234"}, headers=self.auth)
        if status == 409:  # full: collect everything stored so far
            self.collect_all()
            return
        assert status == 201, dep
        c = dep["compartment"]
        self._door(c, "open")
        if self.n % 7 == 0:
            path = f"/api/v1/kiosk/deposits/{dep['deposit_id']}/cancel"
            status, res = self.sim.api("POST", path, headers=self.auth)
            if status == 401:  # the session ran out between the deposit and the cancel
                self.login()
                status, res = self.sim.api("POST", path, headers=self.auth)
            assert status == 200, res
            time.sleep(0.1)
            self.sim.api("POST", f"/api/v1/sim/doors/{c}/close")
            self._deposit_state(dep["deposit_id"], "cancelled")
            return
        self.sim.api("POST", f"/api/v1/sim/doors/{c}/close")
        self._deposit_state(dep["deposit_id"], "stored")
        self.stored.add(tn)
        if self.n % 3 == 0:
            self.collect_all()
        if self.n % 2 == 0:  # kiosk, wallboard and health readers
            self.sim.api("GET", "/api/v1/kiosk/info")
            self.sim.api("GET", "/api/v1/sim/doors")
            self.sim.api("GET", "/healthz")
        self.console.read(self.n)

    def collect_all(self) -> None:
        # one code covers all of a unit's stored parcels: enter each distinct code once
        codes = [r[0] for r in self.db.execute(
            "SELECT DISTINCT pickup_code FROM parcels WHERE state = 'stored' AND pickup_code IS NOT NULL")]
        for code in codes:
            status, res = self.sim.api("POST", "/api/v1/kiosk/pickup", {"code": code})
            assert status == 200, res
            for p in res["parcels"]:
                self._door(p["compartment"], "open")
                self.sim.api("POST", f"/api/v1/sim/doors/{p['compartment']}/close")
                tn = self.db.execute("SELECT tracking_number FROM parcels WHERE id = ?", (p["parcel_id"],)).fetchone()
                if tn:
                    self.collected.add(tn[0])
        time.sleep(0.2)


def site_file(tmp_path: Path) -> Path:
    """The simulator's site file with LOCKERD_SOAK_MEMORY as its [memory] section."""
    from edge.cli.simulate import SIM_PROFILE

    path = tmp_path / "site.toml"
    path.write_text(SIM_PROFILE.read_text() + (f"\n[memory]\n{MEMORY}\n" if MEMORY else ""))
    return path


def test_soak(tmp_path: Path) -> None:
    sim = launch_sim(tmp_path / "site", "--config", str(site_file(tmp_path)), wait=90)  # a loaded machine starts slowly
    try:
        drv = Driver(sim)
        pid = sim.proc.pid
        wal = sim.data_dir / "lockerd.db-wal"
        t0 = time.monotonic()
        samples: list[dict[str, float]] = []
        next_sample = 0.0
        next_cycle = t0
        slips = 0
        while (el := time.monotonic() - t0) < SECONDS:
            wait = next_cycle - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            elif wait < -1.0:
                slips += 1
                next_cycle = time.monotonic()
            next_cycle += 1 / RATE
            drv.cycle()
            if el >= next_sample:
                row = {"t": el, **_proc(pid), "wal_mb": (wal.stat().st_size if wal.exists() else 0) / 1e6}
                samples.append(row)
                next_sample = el + max(1.0, SECONDS / 120)
        drv.collect_all()
        after = [s for s in samples if s["t"] >= WARMUP_S]
        figures = {
            "seconds": round(SECONDS), "rate": RATE, "slips": slips, "memory": MEMORY, "cycles": drv.n, "stored": len(drv.stored), "collected": len(drv.collected),
            "rss_start_mb": round(samples[0]["rss_mb"], 1), "rss_end_mb": round(samples[-1]["rss_mb"], 1),
            "warmup_s": round(WARMUP_S), "console_reads": drv.console.reads,
            "logins": {"courier": drv.logins, "console": drv.console.logins},
            "rss_after_warmup_mb": round(after[0]["rss_mb"], 1),
            "rss_slope_mb_per_10min": round(slope_per_10min([(s["t"], s["rss_mb"]) for s in after]), 3),
            "rss_slope_whole_run": round(slope_per_10min([(s["t"], s["rss_mb"]) for s in samples]), 3),
            "rss_slope_last_half": round(slope_per_10min(
                [(s["t"], s["rss_mb"]) for s in samples if s["t"] >= SECONDS / 2]), 3),
            "fds": [min(s["fds"] for s in after), max(s["fds"] for s in after)],
            "threads": [min(s["threads"] for s in after), max(s["threads"] for s in after)],
            "wal_mb_max": round(max(s["wal_mb"] for s in after), 2),
            "wal_slope_mb_per_10min": round(slope_per_10min([(s["t"], s["wal_mb"]) for s in after]), 3),
            "load_avg": [round(x, 2) for x in os.getloadavg()],
        }
        print("\nsoak:", json.dumps(figures))
        out = os.environ.get("LOCKERD_SOAK_OUT")
        if out:  # the long run writes its samples and figures for docs/reliability.md
            Path(out).write_text(json.dumps({"figures": figures, "samples": samples}, indent=1))
        # 0 lost, 0 duplicated
        db = drv.db
        for tn in drv.stored:
            states = [r[0] for r in db.execute("SELECT state FROM parcels WHERE tracking_number = ?", (tn,))]
            assert states in (["stored"], ["collected"]), (tn, states)
        dup = db.execute("SELECT tracking_number FROM parcels WHERE state IN ('stored','depositing')"
                         " GROUP BY tracking_number HAVING COUNT(*) > 1").fetchall()
        assert not dup
        assert figures["fds"][1] - figures["fds"][0] <= 4
        assert figures["threads"][1] - figures["threads"][0] <= 2
        if LONG:
            assert figures["rss_slope_mb_per_10min"] < 0.1, figures
    finally:
        sim.stop()
