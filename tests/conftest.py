"""Shared fixtures: an in-process daemon on simulated hardware, a `lockerd simulate` subprocess,
and Debian's Chromium through Playwright. Nothing here talks to a non-loopback address."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from edge.daemon import Daemon

REPO = Path(__file__).resolve().parents[1]
SIM_PROFILE = REPO / "firmware-config" / "sim.toml"
CHROMIUM = os.environ.get("LOCKERD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(autouse=True)
def _root_log_handlers_restored() -> Iterator[None]:
    """A test that runs the CLI in-process (`main([...])`) installs a root StreamHandler on pytest's captured
    stderr; once that capture closes, every later log line printed "--- Logging error ---" noise into other
    tests' output. Each test leaves the root logger's handlers and level as it found them."""
    import logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for h in root.handlers[:]:
        if h not in handlers:
            root.removeHandler(h)
    root.setLevel(level)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- in-process daemon ------------------------------------------------------------------------------
def sim_config(data_dir: Path, **overrides: Any) -> Any:
    from edge.config import load_config

    cfg = load_config(SIM_PROFILE)
    data = cfg.model_dump(mode="python")
    data["data_dir"] = str(data_dir)
    data["doors"]["confirm_timeout_s"] = overrides.pop("confirm_timeout_s", 0.3)
    for key, value in overrides.items():
        section, _, name = key.partition("__")
        if name:
            data[section][name] = value
        else:
            data[section] = value
    # tests' sites send each message at once, as before ADR 0043, unless a test asks for the merge window or
    # quiet hours (tests/notify/test_merge_quiet.py): most tests wait for a message on a clock they do not move
    for name, off in TIMING_OFF.items():
        if f"notify__{name}" not in overrides and name not in (overrides.get("notify") or {}):
            data["notify"][name] = off
    return type(cfg).model_validate(data)


#: `[notify]` timing switched off in tests' sites (see sim_config)
TIMING_OFF: dict[str, Any] = {"merge_window_s": 0, "quiet_hours": ""}


@dataclass
class Site:
    """An in-process daemon on simulated hardware with helpers for tests."""

    daemon: Daemon
    clock: Any
    data_dir: Path
    courier: dict[str, Any] = field(default_factory=dict)

    @property
    def svc(self) -> Any:
        return self.daemon.services

    def bank_of(self, compartment: str) -> Any:
        return next(b for b in self.daemon.banks if compartment in b.compartments)

    async def settle(self) -> None:
        await asyncio.sleep(0.08)  # the simulated latch releases after 50 ms
        await self.svc.doors.drain()

    async def close(self, compartment: str) -> None:
        self.bank_of(compartment).sim_close(compartment)
        await self.settle()

    async def deposit(self, tracking: str, unit: str = "1-101", tail: str = "1234", **kw: Any) -> dict[str, Any]:
        dep = await self.svc.deposits.start(self.courier, tracking_number=tracking, unit=unit, phone_tail=tail, **kw)
        await self.settle()
        await self.close(dep["compartment"])
        return dep

    async def code_of(self, parcel_id: str) -> str:
        return str(await self.daemon.store.read(lambda tx: tx.scalar("SELECT pickup_code FROM parcels WHERE id = ?", (parcel_id,))))

    async def parcel(self, parcel_id: str) -> dict[str, Any]:
        return await self.svc.parcels.get(parcel_id)

    async def events(self, type_: str | None = None) -> list[dict[str, Any]]:
        rows = await self.daemon.store.read(lambda tx: tx.all("SELECT seq, type, ts, data FROM events ORDER BY seq"))
        out = [{**r, "data": json.loads(r["data"])} for r in rows]
        return [e for e in out if type_ is None or e["type"] == type_]


async def start_site(data_dir: Path, clock: Any = None, **overrides: Any) -> Site:
    from edge.clock import SimClock
    from edge.daemon import Daemon
    from edge.demo import seed_logins

    clock = clock or SimClock(start=datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    d = Daemon(sim_config(data_dir, **overrides), clock=clock, data_dir=data_dir, simulated=True)
    await d.start()
    await d.store.write(lambda tx: seed_logins(tx, d.services.couriers))
    login = await d.services.couriers.login("100001", kiosk="test")
    return Site(d, clock, data_dir, login["courier"])


@pytest.fixture
def known_calendar_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """check-config reads a day whose year the installed holiday packages know (1 June 2026: this year only, before
    the next year's check starts in November), so a test of a clean config does not turn on the date it runs."""
    from datetime import date

    from edge.cli import check_config

    monkeypatch.setattr(check_config, "_today", lambda cfg: date(2026, 6, 1))


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[Site]:
    s = await start_site(tmp_path / "site")
    try:
        yield s
    finally:
        await s.daemon.stop()


# --- `lockerd simulate` subprocess -------------------------------------------------------------------
@dataclass
class SimServer:
    url: str
    data_dir: Path
    proc: subprocess.Popen[bytes]
    log_path: Path
    args: list[str]

    def api(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
            timeout: float = 10) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method.upper())
        req.add_header("Content-Type", "application/json")
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                raw = resp.read()
                return resp.status, (json.loads(raw) if raw else None)
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            try:
                return exc.code, json.loads(raw)
            except ValueError:
                return exc.code, raw.decode(errors="replace")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def lockerd_cmd() -> list[str]:
    exe = shutil.which("lockerd", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "edge.cli.main"]


def launch_sim(data_dir: Path, *extra: str, port: int | None = None, wait: float = 20) -> SimServer:
    port = port or free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / f"simulate-{port}.log"
    args = [*lockerd_cmd(), "simulate", "--data-dir", str(data_dir), "--http", f"127.0.0.1:{port}", *extra]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=str(REPO), env=env)
    server = SimServer(f"http://127.0.0.1:{port}", data_dir, proc, log_path, args)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"lockerd simulate exited early:\n{server.log()}")
        try:
            status, body = server.api("GET", "/healthz", timeout=1)
            if status == 200:
                # the demo logins are seeded just after ready; wait for them
                if server.api("GET", "/api/v1/sim/demo", timeout=1)[0] == 200:
                    return server
        except OSError:
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"lockerd simulate did not become ready:\n{server.log()}")


def sim_from_config(text: str, d: Path) -> Iterator[SimServer]:
    """`lockerd simulate --demo` of a site config given as text (written to d/site.toml), stopped after use: the body
    of a fixture for a site unlike firmware-config/sim.toml (a Hong Kong site, a site named in rare characters)."""
    cfg = d / "site.toml"
    cfg.write_text(text, encoding="utf-8")
    server = launch_sim(d / "sim", "--config", str(cfg), "--demo", "--confirm-timeout", "1")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sim_server(tmp_path: Path) -> Iterator[SimServer]:
    server = launch_sim(tmp_path / "sim", "--confirm-timeout", "1")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def sim_server_module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimServer]:
    server = launch_sim(tmp_path_factory.mktemp("simmod") / "sim", "--demo", "--confirm-timeout", "1")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def empty_sim_module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimServer]:
    """A simulator with the demo's units and no parcels, one per module: each test's unit gets exactly its own
    doors (the pickup layout tests count them)."""
    server = launch_sim(tmp_path_factory.mktemp("empty") / "sim", "--confirm-timeout", "1")
    try:
        yield server
    finally:
        server.stop()


# --- Chromium via Playwright ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Module-scoped on purpose: Playwright's sync API keeps an event loop running in the main thread
    while it is open, which would break every asyncio test that runs after it."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


# The longest files run first: with `-n 2 --dist loadfile` (CI) a worker takes a whole file at a time, and a
# 75 s campaign drawn last left the other worker idle for a minute at the end. After pytest-randomly's shuffle
# (trylast), these files move to the front in this order; everything else keeps its (random) order.
HEAVY_FIRST = (
    "tests/reliability/test_kill9.py",
    "tests/reliability/test_bench_smoke.py",
    "tests/production/test_install.py",
    "tests/reliability/test_soak.py",
    "tests/reliability/test_freeze.py",
    "tests/hq/test_commands_api.py",
    "tests/reliability/test_fuzz_inputs.py",
)


def pytest_configure(config: pytest.Config) -> None:
    # pytest-xdist's loadfile scheduler would otherwise re-sort the files by how many tests each holds, most
    # first, which sends the few-test, long campaigns above to the end again (seen: test_kill9 drawn last).
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {path: i for i, path in enumerate(HEAVY_FIRST)}
    root = Path(__file__).resolve().parent.parent

    def key(item: pytest.Item) -> int:
        try:
            rel = Path(str(item.path)).resolve().relative_to(root).as_posix()
        except ValueError:
            return len(HEAVY_FIRST)
        return rank.get(rel, len(HEAVY_FIRST))

    items.sort(key=key)  # stable: the order within a rank stays
