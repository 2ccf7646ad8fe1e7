"""kill -9 at random points across deposits and pickups (DESIGN.md section 7).

CI runs 100 operations with a fixed seed; LOCKERD_LONG=1 runs 1,000 (seed from LOCKERD_SEED, default
20261122; LOCKERD_KILL_OPS overrides either). Every kind of kill (quiet, timer, aimed inside a request,
with a door open) is tried in the first lifetimes of any size. The results are in docs/reliability.md.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.reliability.killcampaign import Campaign, check

LONG = os.environ.get("LOCKERD_LONG") == "1"
SEED = int(os.environ.get("LOCKERD_SEED", "20261122"))
OPS = int(os.environ.get("LOCKERD_KILL_OPS", "1000" if LONG else "100"))


@pytest.mark.slow
@pytest.mark.timeout(3600 if LONG else 240)
def test_kill9_campaign(tmp_path: Path) -> None:
    data = tmp_path / "site"
    ledger = Campaign(data, SEED, OPS).run()
    report = check(data, ledger)
    print("kill -9 campaign:", json.dumps({"seed": SEED, **report}))
    assert report["kills_quiet"] + report["kills_inflight"] >= OPS // 12
    # every kind of kill was tried, at any size
    assert report["kills_quiet"] >= 1 and report["kills_inflight"] >= 1, report
    assert report["kills_aimed_in_request"] >= 1 and report["kills_with_door_open"] >= 1, report
    assert report["deposits_stored"] > OPS // 10
    assert report["pickups"] > OPS // 20
