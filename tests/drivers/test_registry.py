"""The driver registry is the one list of drivers: config, factory, doctor, emulators and simulate read it."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from drivers import registry
from drivers.locks.base import LockBank
from drivers.options import option_problems
from drivers.registry import DRIVERS, SCANNERS, Addressing

REPO = Path(__file__).resolve().parents[2]
NAMES = ["sim", "gpio", "kerong-cu16", "kerong-cu48", "xor8a", "modbus-relay"]


def test_design_drivers_are_registered() -> None:
    assert sorted(DRIVERS) == sorted(NAMES)
    assert sorted(SCANNERS) == ["none", "serial", "sim"]


@pytest.mark.parametrize("name", NAMES)
def test_each_spec_loads_and_its_options_are_the_drivers_keys(name: str) -> None:
    spec = DRIVERS[name]
    cls: Any = spec.load_class()
    assert issubclass(cls, LockBank)
    model = spec.load_options()
    assert model().model_dump() is not None  # every option has a default
    if spec.addressing is not Addressing.NONE:
        assert set(cls.known_options) == set(model.model_fields)
    if spec.addressing is Addressing.BUS:
        assert spec.layout is not None and spec.emulator is not None
    if spec.emulator:
        assert spec.load_emulator().kind == name


def test_consumers_take_their_lists_from_the_registry() -> None:
    from drivers.diagnostics import SERIAL_DRIVERS
    from drivers.emulators.launch import KINDS, SERIAL_KINDS
    from edge.cli.simulate import HARDWARE_KINDS

    bus = {n for n, s in DRIVERS.items() if s.addressing is Addressing.BUS}
    assert set(SERIAL_DRIVERS) == bus == set(SERIAL_KINDS)
    assert set(KINDS) == set(registry.emulated_kinds()) == bus | {"gpio"}
    assert HARDWARE_KINDS == ["sim", *KINDS]


def test_no_driver_name_list_outside_the_registry() -> None:
    """A literal tuple/list/set naming two or more driver names is a second list to keep in step."""
    names = set(NAMES) - {"sim", "gpio"}
    offenders = []
    for path in [p for d in ("drivers", "edge", "cloudsync", "kiosk") for p in REPO.glob(f"{d}/**/*.py")]:
        if path.name == "registry.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.List | ast.Tuple | ast.Set):
                found = {e.value for e in node.elts if isinstance(e, ast.Constant) and e.value in names}
                if len(found) >= 2:
                    offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not offenders, offenders


def test_registering_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        registry.register(DRIVERS["xor8a"])


def test_unknown_driver_is_a_config_error_naming_the_choices() -> None:
    from edge.config import ConfigError, parse_config

    with pytest.raises(ConfigError) as exc:
        parse_config({"site": {"id": "s"}, "banks": [{"id": "A", "driver": "kerong-cu99", "port": "/dev/x",
                      "compartments": [{"id": "A-01", "size": "S", "board": 0, "lock": 1}]}]})
    key, why = exc.value.problems[0]
    assert key == "banks[A].driver" and "kerong-cu99" in why and "xor8a" in why


def test_options_model_problems_name_the_option() -> None:
    model = DRIVERS["kerong-cu48"].load_options()
    assert option_problems(model, {"unlock_cmd": "0x51", "locked_bit": "1"}) == []
    got = option_problems(model, {"locked_bit": 2, "retries": "many", "lock_bit": 1})
    assert got[0][0] == "lock_bit" and sorted(k for k, _ in got[1:]) == ["locked_bit", "retries"]
    assert "unknown option(s) lock_bit" in got[0][1]


def test_check_config_names_the_bad_option_key(tmp_path: Path) -> None:
    import subprocess
    import sys

    text = (REPO / "firmware-config/kerong-cu16.toml").read_text()
    bad = tmp_path / "opt.toml"
    bad.write_text(text.replace("locked_bit = 0", "locked_bit = 2", 1))
    r = subprocess.run([sys.executable, "-m", "edge.cli.main", "check-config", str(bad)],
                       capture_output=True, text=True, cwd=REPO)
    assert r.returncode == 1 and "banks[A].options.locked_bit" in r.stderr, r.stderr


@pytest.fixture
def acme() -> Any:
    from drivers.registry import BusLayout, DriverSpec

    spec = registry.register(DriverSpec(
        "acme-test", "tests.drivers.acme_driver:AcmeBank", "tests.drivers.acme_driver:AcmeOptions",
        Addressing.BUS, BusLayout(1, 32, 24, 9600), "tests.drivers.acme_driver:AcmeEmulator"))
    try:
        yield spec
    finally:
        DRIVERS.pop(spec.name, None)


def _acme_site(*comps: dict[str, Any], **options: Any) -> dict[str, Any]:
    return {"site": {"id": "s"}, "banks": [{"id": "A", "driver": "acme-test", "port": "/dev/ttyUSB0",
                                            "options": options, "compartments": list(comps)}]}


async def test_a_new_driver_is_one_registration(acme: Any, tmp_path: Path) -> None:
    """Config, check-config, reservations, factory, emulator launcher and doctor all pick it up."""
    from drivers.bus import BusRegistry
    from drivers.diagnostics import probe_banks
    from drivers.emulators.launch import start_emulated_banks, stop_emulators
    from drivers.locks.factory import bank_problems, create_bank
    from edge.clock import SimClock
    from edge.config import ConfigError, load_config, parse_config
    from tests.drivers.conftest import Recorder, wait_for

    with pytest.raises(ConfigError, match="needs board and lock"):
        parse_config(_acme_site({"id": "A-01", "size": "S"}))
    with pytest.raises(ConfigError) as exc:
        parse_config(_acme_site({"id": "A-01", "size": "S", "board": 1, "lock": 2},
                                {"id": "A-02", "size": "S", "board": 1, "lock": 2}))
    assert exc.value.problems[0][0] == "banks[A].compartments[A-02]"
    cfg = parse_config(_acme_site({"id": "A-01", "size": "S", "board": 1, "lock": 2}, acme_mode=9))
    assert bank_problems(cfg.banks[0], cfg.doors)[0][0] == "options.acme_mode"

    clock = SimClock()
    site = load_config(REPO / "firmware-config" / "sim.toml")
    site, emus = start_emulated_banks(site, "acme-test", tmp_path / "emu")
    banks = []
    try:
        assert {b.driver for b in site.banks} == {"acme-test"}
        doors = site.doors.model_copy(update={"poll_interval_s": 0.05})
        banks = [create_bank(b, doors, clock, buses=BusRegistry()) for b in site.banks]
        assert type(banks[0]).__name__ == "AcmeBank"
        rec = Recorder()
        for b in banks:
            await b.start(rec)
        first = banks[0].compartments[0]
        await banks[0].open(first)
        await wait_for(lambda: rec.states(first) == ["open"])
        for b in banks:
            await b.stop()
        banks = []
        findings = probe_banks(site, clock, timeout=1.0)
        assert findings and all(f.ok for f in findings), findings
    finally:
        for b in banks:
            await b.stop()
        stop_emulators(emus)
