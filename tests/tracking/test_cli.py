"""`lockerd tracking classify` and `lockerd tracking report` as real subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from edge.clock import SimClock
from edge.store.db import Store
from edge.tracking.service import TrackingService
from tests.tracking.conftest import T0

REPO = Path(__file__).resolve().parents[2]


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "edge.cli.main", "tracking", *args], input=stdin, text=True,
                          capture_output=True, cwd=REPO, timeout=60)


def test_classify_subprocess() -> None:
    lines = [{"text": "【苏州市】 快件已被【丰巢智能快递柜】代收"}, {"text": "Out for delivery", "carrier": "UPS"},
             {"text": "x", "code": "17track:InTransit_CustomsReleased"}]
    stdin = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n{broken\n"
    p = run("classify", stdin=stdin)
    assert p.returncode == 0, p.stderr
    out = [json.loads(x) for x in p.stdout.splitlines()]
    assert [o.get("milestone") for o in out] == ["available_for_pickup", "out_for_delivery", "customs_cleared", None]
    assert out[3]["error"] == "invalid_line" and "Traceback" not in p.stderr


async def test_report_subprocess(tmp_path: Path) -> None:
    clock = SimClock(T0, frozen=True)
    store = Store(tmp_path / "lockerd.db", clock, "s")
    store.open()
    svc = TrackingService(store, clock)
    await svc.ingest("SF1234567890123", "SF", [{"time": "2026-03-11T00:00:00Z", "text": "已揽收"},
                                               {"time": "2026-03-11T05:00:00Z", "text": "已放入丰巢柜"}])
    store.close()
    p = run("report", "--data-dir", str(tmp_path), "--since", "2026-03-01", "--until", "2026-04-01", "--csv")
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[1].startswith("SF,1,1.0,")
    p = run("report", "--data-dir", str(tmp_path), "--since", "2026-03-01", "--until", "2026-04-01", "--json")
    assert json.loads(p.stdout)["carriers"][0]["carrier"] == "SF"
    p = run("report", "--data-dir", str(tmp_path), "--since", "March")
    assert p.returncode == 1 and "error" in p.stderr and "Traceback" not in p.stderr
    p = run("report", "--data-dir", str(tmp_path / "none"))
    assert p.returncode == 1 and "no database" in p.stderr
