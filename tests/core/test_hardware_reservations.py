"""Site-wide reservation of lock addresses and GPIO pins: `check-config` names both keys of a clash."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from drivers.reservations import pin_identity
from edge.config import ConfigError, parse_config

REPO = Path(__file__).resolve().parents[2]


def _bus_bank(bank: str, port: str, addrs: list[tuple[int, int]], driver: str = "kerong-cu16") -> dict[str, Any]:
    return {"id": bank, "driver": driver, "port": port,
            "compartments": [{"id": f"{bank}-{i + 1:02d}", "size": "M", "board": b, "lock": lk}
                             for i, (b, lk) in enumerate(addrs)]}


def _gpio_bank(bank: str, pins: list[tuple[Any, Any]], **options: Any) -> dict[str, Any]:
    return {"id": bank, "driver": "gpio", "options": options,
            "compartments": [{"id": f"{bank}-{i + 1:02d}", "size": "S", "relay_pin": r, "sensor_pin": s}
                             for i, (r, s) in enumerate(pins)]}


def _site(*banks: dict[str, Any], scanner: dict[str, Any] | None = None) -> dict[str, Any]:
    d: dict[str, Any] = {"site": {"id": "s1"}, "banks": list(banks)}
    if scanner is not None:
        d["scanner"] = scanner
    return d


def problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(ConfigError) as exc:
        parse_config(data, "site.toml")
    return exc.value.problems


def test_two_banks_on_one_port_board_and_lock() -> None:
    got = problems(_site(_bus_bank("A", "/dev/ttyUSB0", [(0, 1), (0, 2)]),
                         _bus_bank("B", "/dev/ttyUSB0", [(1, 1), (0, 2)])))
    assert got == [("banks[B].compartments[B-02]",
                    "port /dev/ttyUSB0 board 0 lock 2 is already used by banks[A].compartments[A-02]")]


def test_one_bank_using_an_address_twice() -> None:
    got = problems(_site(_bus_bank("A", "/dev/ttyUSB0", [(3, 5), (3, 5)], driver="xor8a")))
    assert got == [("banks[A].compartments[A-02]",
                    "port /dev/ttyUSB0 board 3 lock 5 is already used by banks[A].compartments[A-01]")]


def test_shared_bus_with_distinct_addresses_and_separate_ports_are_fine() -> None:
    parse_config(_site(_bus_bank("A", "/dev/ttyUSB0", [(0, 1), (0, 2)]),
                       _bus_bank("B", "/dev/ttyUSB0", [(1, 1), (1, 2)]),
                       _bus_bank("C", "/dev/ttyUSB1", [(0, 1), (0, 2)])))


def test_two_gpio_doors_on_one_pin_across_banks() -> None:
    got = problems(_site(_gpio_bank("A", [(5, 17), (6, 27)]), _gpio_bank("B", [(13, 22), (6, 23)])))
    assert got == [("banks[B].compartments[B-02].relay_pin",
                    "GPIO pin 6 is already used by banks[A].compartments[A-02].relay_pin")]


def test_a_sensor_and_a_relay_on_one_pin_in_any_spelling() -> None:
    # BOARD11 is BCM 17 on the Pi header
    got = problems(_site(_gpio_bank("A", [(5, 17), ("BOARD11", None)])))
    assert got == [("banks[A].compartments[A-02].relay_pin",
                    "GPIO pin BOARD11 is already used by banks[A].compartments[A-01].sensor_pin")]
    got = problems(_site(_gpio_bank("A", [("GPIO5", "BCM6"), (6, None)])))
    assert got[0][0] == "banks[A].compartments[A-02].relay_pin"
    assert "banks[A].compartments[A-01].sensor_pin" in got[0][1]


def test_emulated_cabinets_have_their_own_pins() -> None:
    parse_config(_site(_gpio_bank("A", [(0, 1)], emulated_pins="cab-A"),
                       _gpio_bank("B", [(0, 1)], emulated_pins="cab-B")))


def test_scanner_on_a_lock_bus_port() -> None:
    got = problems(_site(_bus_bank("A", "/dev/ttyUSB0", [(0, 1)]),
                         scanner={"driver": "serial", "port": "/dev/ttyUSB0"}))
    assert got == [("scanner.port", "port /dev/ttyUSB0 is already used by banks[A].port")]


@pytest.mark.parametrize("spelling", [17, "17", "GPIO17", "gpio17", "BCM17", "BOARD11", "J8:11"])
def test_pin_spellings(spelling: Any) -> None:
    assert pin_identity(spelling) == "GPIO17"


def test_check_config_refuses_a_duplicate_naming_both_keys(tmp_path: Path) -> None:
    data = tomllib.loads((REPO / "firmware-config/kerong-cu16.toml").read_text())
    text = (REPO / "firmware-config/kerong-cu16.toml").read_text()
    first = data["banks"][0]["compartments"][0]
    # a second bank on the same port whose first door reuses A's first board and lock
    extra = (f'\n[[banks]]\nid = "Z"\ndriver = "kerong-cu16"\nport = "{data["banks"][0]["port"]}"\n'
             f'[[banks.compartments]]\nid = "Z-01"\nsize = "M"\nboard = {first["board"]}\nlock = {first["lock"]}\n')
    bad = tmp_path / "dup.toml"
    bad.write_text(text + extra)
    r = subprocess.run([sys.executable, "-m", "edge.cli.main", "check-config", str(bad)],
                       capture_output=True, text=True, cwd=REPO)
    assert r.returncode == 1, r.stdout + r.stderr
    assert str(bad) in r.stderr and "Traceback" not in r.stderr
    assert f"banks[Z].compartments[Z-01]: port {data['banks'][0]['port']} board {first['board']} " \
           f"lock {first['lock']} is already used by banks[A].compartments[{first['id']}]" in r.stderr


def test_check_config_refuses_two_gpio_doors_on_one_pin(tmp_path: Path) -> None:
    text = (REPO / "firmware-config/gpio-8door.toml").read_text()
    bad = tmp_path / "pin.toml"
    bad.write_text(text.replace("sensor_pin = 27", "sensor_pin = 5", 1))  # A-02's sensor on A-01's relay
    r = subprocess.run([sys.executable, "-m", "edge.cli.main", "check-config", str(bad)],
                       capture_output=True, text=True, cwd=REPO)
    assert r.returncode == 1, r.stdout + r.stderr
    assert ("banks[A].compartments[A-02].sensor_pin: GPIO pin 5 is already used by "
            "banks[A].compartments[A-01].relay_pin") in r.stderr
