"""docs/asyncapi.yaml and docs/schemas stay consistent with what the code publishes."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

from cloudsync.topics import HQ_STATUS, Topics

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_asyncapi_references_existing_schemas_and_topics():
    doc = yaml.safe_load((DOCS / "asyncapi.yaml").read_text())
    assert doc["asyncapi"].startswith("3.")
    for name, msg in doc["components"]["messages"].items():
        ref = msg["payload"]["$ref"]
        schema = json.loads((DOCS / ref).read_text())
        Draft202012Validator.check_schema(schema)
        v = Draft202012Validator(schema)
        if name in ("status", "cmdResult"):  # the other examples abbreviate ids and signatures
            for ex in msg.get("examples", []):
                assert v.is_valid(ex["payload"]), (name, ex)
    t = Topics("{site_id}")
    addresses = {c["address"] for c in doc["channels"].values()}
    assert addresses == {t.status, t.events, t.compartments, t.telemetry, t.cmd_result, t.cmd, t.tracking,
                         HQ_STATUS}
    for op in doc["operations"].values():
        assert op["action"] in ("send", "receive")
