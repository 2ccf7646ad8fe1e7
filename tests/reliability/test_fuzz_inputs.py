"""Bad input of every kind through the real parts (DESIGN.md section 7): no crash, a clear error.

The per-part unit fuzzers (tests/drivers/test_frames.py, test_scanner.py, tests/cloud/test_fuzz.py,
tests/core/test_config.py, tests/core/test_http.py) feed pure functions. These go one layer deeper:

* config: a valid site file mutated at random depths (values replaced, keys dropped or invented) and
  its TOML text corrupted byte-wise -> a SiteConfig or a ConfigError naming the key, nothing else;
* MQTT commands correctly signed for the site, so they pass the signature/site/expiry checks, with
  random types and data -> the real command processor and the real services of a running daemon:
  every one answered, none with the catch-all ``internal`` code, the daemon still healthy;
* tracking updates of random shape -> the real intake and tracking part: no exception;
* serial line noise and corrupted replies on a live Kerong CU16 / XOR 8A bus (pty emulator) while
  doors are opened -> each open either reaches the board exactly once or fails with LockBankError.
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
import time
import tomllib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cloudsync.actions import Actions
from cloudsync.commands import CommandProcessor
from cloudsync.jcs import CanonicalError
from cloudsync.signing import PublicKey, key_id, sign_command
from cloudsync.tracking_in import TrackingIntake
from drivers.bus import BusRegistry
from drivers.emulators.launch import SERIAL_KINDS
from drivers.locks.base import LockBankError
from drivers.locks.factory import create_bank
from edge.clock import SimClock, utc_iso
from edge.config import BankConfig, ConfigError, DoorsConfig, SiteConfig, load_config, parse_config
from tests.conftest import SIM_PROFILE, start_site

LONG = os.environ.get("LOCKERD_LONG") == "1"
N = 10 if LONG else 1  # example multiplier
COMMON = {"deadline": None, "database": None, "suppress_health_check": list(HealthCheck)}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**63) | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=12), kids, max_size=4),
    max_leaves=12)


# --- config ---------------------------------------------------------------------------------------
BASE_CONFIG = tomllib.loads(SIM_PROFILE.read_text())


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += _paths(v, (*prefix, i))
    return out


ALL_PATHS = _paths(BASE_CONFIG)


@st.composite
def mutated_configs(draw: st.DrawFn) -> dict[str, Any]:
    doc = copy.deepcopy(BASE_CONFIG)
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(ALL_PATHS))
        parent: Any = doc
        try:
            for p in path[:-1]:
                parent = parent[p]
            action = draw(st.sampled_from(["replace", "drop", "invent"]))
            if action == "replace":
                parent[path[-1]] = draw(json_values)
            elif action == "drop" and isinstance(parent, dict):
                parent.pop(path[-1], None)
            elif isinstance(parent, dict):
                parent[draw(st.text(min_size=1, max_size=12))] = draw(json_values)
        except (KeyError, IndexError, TypeError):
            pass  # an earlier mutation removed the way there
    return doc


@settings(max_examples=300 * N, **COMMON)
@given(mutated_configs())
def test_mutated_config_is_valid_or_a_clear_error(doc: dict[str, Any]) -> None:
    try:
        cfg = parse_config(doc, "fuzz.toml")
    except ConfigError as exc:
        text = exc.explain()
        assert "fuzz.toml" in text and "Traceback" not in text
        return
    assert isinstance(cfg, SiteConfig)


@settings(max_examples=150 * N, **COMMON)
@given(st.lists(st.tuples(st.integers(0, 10_000), st.binary(min_size=0, max_size=4)), min_size=1, max_size=6))
def test_corrupted_config_file_is_valid_or_a_clear_error(tmp_path_factory: pytest.TempPathFactory,
                                                          edits: list[tuple[int, bytes]]) -> None:
    raw = bytearray(SIM_PROFILE.read_bytes())
    for pos, data in edits:
        pos %= len(raw)
        raw[pos:pos + len(data)] = data
    path = tmp_path_factory.mktemp("cfg") / "site.toml"
    path.write_bytes(bytes(raw))
    try:
        load_config(path)
    except ConfigError as exc:
        assert str(path) in exc.explain()


# --- MQTT payloads through a running daemon ---------------------------------------------------------
KEY = Ed25519PrivateKey.generate()
PUB = PublicKey(key_id(KEY.public_key()), KEY.public_key(), "fuzz")
TYPES = ["door.open", "compartment.disable", "compartment.enable", "parcel.expect", "parcel.hold",
         "policy.set", "resync", "telemetry.now", "nonsense", ""]
DATA_KEYS = ["compartment", "reason", "operator", "tracking_number", "unit", "carrier", "phone_tail",
             "category", "expected_by", "cross_border", "parcel_id", "until", "from_seq", "version", "policy",
             "document", "x"]
PLAUSIBLE = st.sampled_from(["A-01", "B-12", "Z-99", "1-101", "2-502", "SF1234567890123", "normal", "fresh",
                             "2026-03-05T08:00:00Z", "2999-01-01T00:00:00+08:00", "not-a-date", "", " ", "0", "-1",
                             "\x00", "🙂" * 40, "x" * 600])
data_dicts = st.dictionaries(st.sampled_from(DATA_KEYS), PLAUSIBLE | PLAUSIBLE | json_values, max_size=6)


class LoopSite:
    def __init__(self, tmp: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.site = self.loop.run_until_complete(start_site(tmp / "site"))
        d = self.site.daemon

        async def resync(from_seq: int) -> int:
            return 0

        async def telemetry_now() -> dict[str, Any]:
            return {}

        self.commands = CommandProcessor(store=d.store, clock=d.clock, site=d.config.site.id, keys=[PUB],
                                         actions=Actions(d, resync=resync, telemetry_now=telemetry_now))
        self.intake = TrackingIntake(d.store, lambda: d.tracking.service if d.tracking is not None else None)
        self.counter = 0
        self.codes: dict[str, int] = {}

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def close(self) -> None:
        self.run(self.site.daemon.stop())
        self.loop.close()


@pytest.fixture(scope="module")
def loop_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoopSite]:
    s = LoopSite(tmp_path_factory.mktemp("mqttfuzz"))
    try:
        yield s
    finally:
        print(f"\nsigned command fuzz: result codes {dict(sorted(s.codes.items()))}")
        s.close()


@settings(max_examples=200 * N, **COMMON)
@given(type_=st.one_of(*[st.sampled_from(TYPES)] * 4, st.text(max_size=20)), data=data_dicts,
       expires_in=st.sampled_from([3600] * 6 + [60, -60, 86400 * 400]))
def test_signed_commands_never_fail_internally(loop_site: LoopSite, type_: str, data: dict[str, Any],
                                               expires_in: int) -> None:
    s = loop_site
    s.counter += 1
    now = s.site.clock.now()
    fields = {"id": f"fuzz-{s.counter}", "site": s.site.daemon.config.site.id, "type": type_,
              "issued_at": utc_iso(now), "expires_at": utc_iso(now + timedelta(seconds=expires_in)),
              "kid": PUB.kid, "data": data}
    acked: list[bool] = []
    try:
        signed = sign_command(fields, KEY)
    except CanonicalError:  # NaN or infinity: no RFC 8785 signer signs it; the site gets it unsigned
        signed = {**fields, "sig": "AAAA"}
    res = s.run(s.commands.handle(json.dumps(signed).encode(), lambda: acked.append(True)))
    s.run(s.site.settle())
    assert res is not None and acked == [True]
    s.codes[res.code] = s.codes.get(res.code, 0) + 1
    assert res.code != "internal", (type_, data, res.message)
    assert s.site.daemon.ready


@settings(max_examples=150 * N, **COMMON)
@given(st.fixed_dictionaries(
    {"tracking_number": st.sampled_from(["SF1234567890123", "YT0000000000001", ""]) | st.text(max_size=70)},
    optional={"carrier": st.sampled_from(["SF", "YTO", None]) | json_values,
              "events": st.lists(st.fixed_dictionaries(
                  {"time": st.sampled_from(["2026-03-01T08:00:00Z", "2026-03-01T08:00:00", "x"]) | st.text(max_size=30),
                   "text": st.text(max_size=80) | st.sampled_from(["快件已到达【上海转运中心】", "派件中", "签收"])},
                  optional={"location": json_values, "code": json_values}), max_size=5) | json_values}))
def test_tracking_updates_never_crash(loop_site: LoopSite, doc: dict[str, Any]) -> None:
    out = loop_site.run(loop_site.intake.handle(json.dumps(doc).encode()))
    assert out in ("ingested", "kept", "duplicate", "invalid")


def test_daemon_healthy_after_mqtt_fuzz(loop_site: LoopSite) -> None:
    h = loop_site.site.daemon.health()
    assert h["status"] == "ok"
    rows = loop_site.run(loop_site.site.daemon.store.read(
        lambda tx: tx.scalar("SELECT COUNT(*) FROM cloud_inbox WHERE state != 'done'")))
    assert rows == 0  # every accepted command finished (none stuck half-done)


# --- serial line noise on a live bus ------------------------------------------------------------------
NOISE_KINDS = {"kerong-cu16": [(0, 1), (0, 2), (1, 3)], "xor8a": [(1, 1), (1, 2), (2, 3)]}


class LiveBus:
    def __init__(self, kind: str, tmp: Path) -> None:
        cls, baud, *_ = SERIAL_KINDS[kind]
        from drivers.emulators.base import EmuDoor

        addrs = NOISE_KINDS[kind]
        self.emu = cls([EmuDoor(f"A-{i + 1:02d}", b, lk) for i, (b, lk) in enumerate(addrs)],
                       workdir=tmp).start()
        comps = [{"id": f"A-{i + 1:02d}", "size": "M", "board": b, "lock": lk} for i, (b, lk) in enumerate(addrs)]
        cfg = BankConfig(id="A", driver=kind, port=self.emu.url, baud=baud,
                         options={"reply_timeout_s": 0.05}, compartments=comps)
        self.loop = asyncio.new_event_loop()
        self.bank = create_bank(cfg, DoorsConfig(poll_interval_s=0.05, pulse_ms=100), SimClock(), buses=BusRegistry())
        self.loop.run_until_complete(self.bank.start(lambda change: None))

    def close(self) -> None:
        self.loop.run_until_complete(self.bank.stop())
        self.loop.close()
        self.emu.stop()


@pytest.fixture(scope="module", params=list(NOISE_KINDS))
def live_bus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBus]:
    b = LiveBus(request.param, tmp_path_factory.mktemp("bus"))
    try:
        yield b
    finally:
        b.close()


@settings(max_examples=25 * N, **COMMON)
@given(garbage=st.binary(max_size=24), corrupt=st.integers(0, 2), door=st.sampled_from(["A-01", "A-02", "A-03"]))
def test_line_noise_never_fires_a_lock_twice(live_bus: LiveBus, garbage: bytes, corrupt: int, door: str) -> None:
    emu = live_bus.emu
    before = {d["compartment"]: d["opens"] for d in emu.sim_doors()}
    emu.inject_garbage(garbage)
    emu.corrupt_replies(corrupt)
    try:
        live_bus.loop.run_until_complete(asyncio.wait_for(live_bus.bank.open(door), 5))
        ok = True
    except LockBankError:
        ok = False
    # the board reads the frame on its own thread: give it time to count what reached it
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline and emu.sim_doors()[int(door[-1]) - 1]["opens"] == before[door]:
        time.sleep(0.01)
    time.sleep(0.1)
    after = {d["compartment"]: d["opens"] for d in emu.sim_doors()}
    fired = after[door] - before[door]
    assert fired <= 1, f"{door} fired {fired} times for one open"
    assert fired == 1 or not ok, "open reported success but the board never saw it"
    assert all(after[c] == before[c] for c in after if c != door)
    emu.sim_close(door)
