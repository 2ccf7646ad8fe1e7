"""docs/openapi.json is the API the daemon serves (regenerate: lockerd openapi > docs/openapi.json)."""

from __future__ import annotations

import json
from pathlib import Path

from edge.cli.openapi import spec

DOC = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_published_openapi_is_current() -> None:
    published = json.loads(DOC.read_text())
    assert published == json.loads(json.dumps(spec(), sort_keys=True)), (
        "docs/openapi.json is stale: run `lockerd openapi > docs/openapi.json`"
    )


def test_kiosk_contract_paths_present() -> None:
    paths = json.loads(DOC.read_text())["paths"]
    for p in ("/api/v1/kiosk/courier/session", "/api/v1/kiosk/deposits", "/api/v1/kiosk/deposits/{deposit_id}",
              "/api/v1/kiosk/deposits/{deposit_id}/cancel", "/api/v1/kiosk/pickup", "/healthz",
              "/api/v1/sim/doors", "/api/v1/sim/clock", "/api/v1/sim/scan", "/api/v1/sim/notifications",
              "/api/v1/sim/demo"):
        assert p in paths, p
