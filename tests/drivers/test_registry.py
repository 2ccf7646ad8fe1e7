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
    for path in [*REPO.glob("drivers/**/*.py"), *REPO.glob("edge/**/*.py")]:
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
