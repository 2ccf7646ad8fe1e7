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

from edge.cli.simulate import build_config, offline_lines, resume_clock

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
    assert cfg.notify.channels == []  # the simulator's own gateway (GET /api/v1/sim/notifications) instead
    assert cfg.alerts.robots == []
    assert cfg.cloud.sync.webhooks == []
    assert cfg.cloud.enabled is False
    assert cfg.notify.quiet_hours == "21:30-08:00"  # the site's other notify settings stay


def test_an_explicit_mqtt_broker_still_connects(tmp_path: Path) -> None:
    cfg = build_config(_args(tmp_path, mqtt="mqtt://127.0.0.1:1883"))
    assert cfg.cloud.enabled is True and cfg.cloud.broker == "mqtt://127.0.0.1:1883"
    assert cfg.notify.channels == []


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
