"""`lockerd hq watch`: the fleet view folds status, telemetry and events; garbage is ignored."""

from __future__ import annotations

import asyncio
import io
import json

from cloudsync.hq import Fleet, watch
from edge.cli.main import build_parser
from tests.cloud.conftest import SITE


def test_fleet_folds_messages_and_ignores_garbage():
    f = Fleet()
    f.apply("lockerd/v1/s1/status", json.dumps({"online": True, "boot_id": "b1", "bdseq": 4, "version": "0.1",
                                                "last_seq": 9, "outbox_depth": 3, "ts": "x"}).encode(), 100.0)
    f.apply("lockerd/v1/s1/telemetry", json.dumps({"occupancy": {"S": {"total": 4, "free": 1}, "M": {"total": 2,
                                                   "free": 2}}, "doors_open": 1, "faults": ["A-01"],
                                                   "anomalies": {"red": 2, "yellow": 1},
                                                   "outbox": {"depth": 0}}).encode(), 101.0)
    f.apply("lockerd/v1/s2/status", json.dumps({"online": False, "boot_id": "b9", "bdseq": 1}).encode(), 102.0)
    f.apply("lockerd/v1/s1/status", json.dumps({"online": False, "boot_id": "b1", "bdseq": 3}).encode(), 103.0)
    for junk in (b"", b"x", b"[]", b'{"occupancy": 5}'):
        f.apply("lockerd/v1/s3/telemetry", junk, 104.0)
    f.apply("other/topic", b"{}", 104.0)
    s1 = f.sites["s1"]
    assert s1.online is True, "a late will with an older bdseq does not mark the site offline"
    assert (s1.free, s1.total, s1.red, s1.faults) == (3, 6, 2, 1)
    assert f.sites["s2"].online is False
    text = f.render(110.0)
    assert "s1" in text and "OFFLINE" in text and "3/6" in text
    assert f.ignored == 4  # b'{"occupancy": 5}' is a telemetry document whose one odd field is skipped


def test_watch_keeps_good_fields_and_ignores_wills_of_other_boots():
    f = Fleet()
    f.apply("lockerd/v1/s1/status", json.dumps({"online": True, "boot_id": "b2", "bdseq": 7, "version": "0.2",
                                                "last_seq": 1, "outbox_depth": 0, "ts": "x"}).encode(), 1.0)
    # the Will of the previous boot arrives late, with a bdseq lower or higher: it is not this boot's
    for bdseq in (6, 8):
        f.apply("lockerd/v1/s1/status", json.dumps({"online": False, "boot_id": "b1", "bdseq": bdseq}).encode(), 2.0)
    assert f.sites["s1"].online is True
    f.apply("lockerd/v1/s1/telemetry", json.dumps({"occupancy": {"S": {"total": 2, "free": 1}}, "doors_open": "x",
                                                   "faults": None, "anomalies": {"red": 3}}).encode(), 3.0)
    assert (f.sites["s1"].free, f.sites["s1"].total, f.sites["s1"].red) == (1, 2, 3)
    f.apply("lockerd/v1/s1/status", json.dumps({"online": False, "boot_id": "b2", "bdseq": 7}).encode(), 4.0)
    assert f.sites["s1"].online is False


async def test_watch_sees_a_live_site(broker, daemon_factory):
    d = await daemon_factory(broker.url)
    await d.cloud.telemetry_now()
    out = io.StringIO()
    rc = await asyncio.get_running_loop().run_in_executor(
        None, lambda: watch(broker.url, duration=1.5, once=True, out=out, share="hq", interval=0.5))
    assert rc == 0
    line = next(ln for ln in out.getvalue().splitlines() if ln.startswith(SITE))
    assert "online" in line


def test_cli_registers_hq_watch():
    args = build_parser().parse_args(["hq", "watch", "--mqtt", "mqtt://127.0.0.1:1", "--once", "--duration", "0.1"])
    assert args.func(args) == 1  # nothing listens on port 1: a clear error, no traceback
    args = build_parser().parse_args(["hq", "watch", "--mqtt", "http://nope"])
    assert args.func(args) == 2
