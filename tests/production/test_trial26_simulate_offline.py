"""`lockerd simulate --config site.toml --data-dir COPY` on a live site's file and data reaches nobody and moves no
parcel (trial of 2026-12-07).

The trial ran the simulator on a copy of a running site's data with the site's own file, as docs/console.md and
trial25 did, and moved the clock a day on: the two 24-hour reminders went out through the site's real webhook (the
property-management system, so to residents) with simulated deadlines, and the GSM modem was tried too (only the
live daemon's lock on the port stopped it). And at start the clock guard took the simulator's clock for a step of
+2785 s (the machine's uptime: a fresh simulated clock counted its monotonic time from 0 where the site's daemon,
in the same boot, had recorded the machine's) and re-based every stored parcel 46 minutes into the future; the
residents' reminders then named other deadlines than their pickup messages."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from edge.cli.simulate import build_config, offline_lines, resume_clock, simulated_channels

SITE = """
config_version = 1
[site]
id = "lotus-court-b"
name = "荷花苑"
timezone = "Asia/Shanghai"
[[banks]]
id = "A"
driver = "modbus-relay"
port = "/dev/ttyUSB0"
[[banks.compartments]]
id = "A-01"
size = "S"
board = 1
lock = 1
[cloud]
enabled = true
broker = "mqtts://hq.example.cn:8883"
[[cloud.sync.webhooks]]
kind = "wecom"
url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=site"
[[alerts.robots]]
kind = "dingtalk"
url = "https://oapi.dingtalk.com/robot/send?access_token=site"
[[notify.channels]]
kind = "webhook"
url = "https://pms.example.internal/lockerd/messages"
[[notify.channels]]
kind = "gsm-modem"
port = "/dev/ttyUSB1"
"""


def _args(tmp_path: Path, **extra: object) -> argparse.Namespace:
    site = tmp_path / "site.toml"
    site.write_text(SITE)
    values: dict[str, object] = {"config": str(site), "data_dir": str(tmp_path / "copy"), "site_id": None,
                                 "confirm_timeout": None, "mqtt": None, "command_pubkey": None}
    values.update(extra)
    return argparse.Namespace(**values)


def test_the_sites_own_channels_robots_and_hq_link_are_not_used(tmp_path: Path) -> None:
    cfg = build_config(_args(tmp_path))
    # the simulator's own gateway (GET /api/v1/sim/notifications) first, which accepts every message; behind it a
    # stand-in that is never sent to, so the directory keeps the full phone numbers the file's SMS channel keeps
    kinds = [(c.kind, getattr(c, "url", None), getattr(c, "send_phone", None)) for c in cfg.notify.channels]
    assert kinds == [("sim", None, None), ("webhook", "http://127.0.0.1:9/", True)]
    assert cfg.alerts.robots == []
    assert cfg.cloud.sync.webhooks == []
    assert cfg.cloud.enabled is False
    assert cfg.notify.quiet_hours == "21:30-08:00"  # the site's other notify settings stay


def test_an_explicit_mqtt_broker_still_connects(tmp_path: Path) -> None:
    cfg = build_config(_args(tmp_path, mqtt="mqtt://127.0.0.1:1883"))
    assert cfg.cloud.enabled is True and cfg.cloud.broker == "mqtt://127.0.0.1:1883"
    assert cfg.notify.channels[0].kind == "sim"


def test_a_fresh_simulated_clock_keeps_the_machines_time_base(tmp_path: Path) -> None:
    """The clock guard compares wall minus monotonic time with what the site's daemon recorded in this boot."""
    clock = resume_clock(tmp_path)  # no sim-clock file: the first simulation of this data dir
    real = time.time() - time.monotonic()
    assert abs((clock.now().timestamp() - clock.monotonic()) - real) < 1.0
    assert abs(clock.now().timestamp() - time.time()) < 1.0


def test_send_messages_keeps_the_files_channels_and_nothing_else(tmp_path: Path) -> None:
    cfg = build_config(_args(tmp_path, send_messages=True))
    assert [c.kind for c in cfg.notify.channels] == ["webhook", "gsm-modem"]
    assert cfg.alerts.robots == [] and cfg.cloud.enabled is False


def test_the_start_lines_say_what_was_left_off(tmp_path: Path) -> None:
    args = _args(tmp_path)
    (line,) = offline_lines(args, build_config(args))
    assert "its message channels (webhook, gsm-modem)" in line and "staff alert robots" in line
    assert "its HQ link" in line and "--send-messages" in line


def test_a_file_without_phone_channels_gets_the_gateway_alone_and_none_stays_none() -> None:
    assert simulated_channels([{"kind": "smtp", "host": "mail"}]) == [{"kind": "sim"}]
    assert simulated_channels([]) == []  # no [[notify.channels]]: the simulator's default (edge/notify)


def test_the_residents_phone_numbers_stay_in_the_data_the_simulation_runs_on(tmp_path: Path) -> None:
    """With the file's SMS channel left off, the directory dropped every full phone number at start (audit
    directory.phones_dropped 'no channel sends to phone numbers') from the copy the simulation ran on."""
    import sqlite3
    import subprocess

    from tests.conftest import launch_sim, lockerd_cmd

    repo = Path(__file__).resolve().parents[2]
    site = tmp_path / "site.toml"
    profile = (repo / "firmware-config" / "sim.toml").read_text(encoding="utf-8")
    data = tmp_path / "copy"
    assert '\ndata_dir = "./var"\n' in profile
    profile = profile.replace('\ndata_dir = "./var"\n', f'\ndata_dir = "{data}"\n')  # the import writes there
    site.write_text(profile + '\n[[notify.channels]]\nkind = "gsm-modem"\nport = "/dev/ttyUSB9"\n', encoding="utf-8")
    units = tmp_path / "units.csv"
    units.write_text("房号,手机号\n3-201,13912340001\n", encoding="utf-8")
    r = subprocess.run([*lockerd_cmd(), "unit", "import", str(units), "--config", str(site)],
                       capture_output=True, text=True, timeout=60, cwd=str(repo))
    assert r.returncode == 0, r.stderr
    server = launch_sim(data, "--config", str(site))
    try:
        assert "its message channels (gsm-modem)" in server.log()
    finally:
        server.stop()
    with sqlite3.connect(data / "lockerd.db") as db:
        assert db.execute("SELECT phone FROM units WHERE unit = '3-201'").fetchone()[0] == "13912340001"
