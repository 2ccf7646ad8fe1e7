"""docs/schemas/cmd.json and the command part of docs/asyncapi.yaml, generated from the registry.

    python -m edge.operations.schema --write    # rewrite both files
    python -m edge.operations.schema --check    # exit 1 when a checked-in file differs (CI: the test)

cmd.json: the signed envelope (the fields cloudsync/commands.py checks), `type` one of the MQTT
operations, and for each type its `data` schema, generated from the operation's pydantic model.
asyncapi.yaml: only the `receiveCmd` operation and the `cmd` message (one example per type) are
generated; the rest of the file is written by hand and left as it is."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml
from pydantic.json_schema import models_json_schema

from edge.operations.base import Operation
from edge.operations.registry import COMMANDS

DOCS = Path(__file__).resolve().parents[2] / "docs"
CMD_JSON = DOCS / "schemas" / "cmd.json"
ASYNCAPI = DOCS / "asyncapi.yaml"
REGENERATE = "python -m edge.operations.schema --write"

#: the envelope (DESIGN.md section 4); cloudsync/commands.py FIELDS checks the same names and types
ENVELOPE: dict[str, dict[str, Any]] = {
    "id": {"type": "string", "minLength": 1, "maxLength": 128, "description": "unique per command (ULID or UUID)"},
    "site": {"type": "string", "description": "the site id the command is for"},
    "type": {"type": "string"},
    "issued_at": {"type": "string", "description": "ISO 8601 UTC"},
    "expires_at": {"type": "string", "description": "ISO 8601 UTC; at most 30 days after issued_at"},
    "kid": {"type": "string", "description": "first 16 hex digits of SHA-256 of the raw Ed25519 public key"},
    "data": {"type": "object", "description": "the operation's input (see allOf)"},
    "sig": {"type": "string", "description": "base64 Ed25519 signature"},
}
SIGNING = ("sig = base64(Ed25519(canonical JSON of every other field)); canonical = RFC 8785 JSON "
           "Canonicalization Scheme (JCS) in UTF-8 (for strings, integers, booleans and objects it equals "
           "json.dumps(fields, sort_keys=True, separators=(',', ':'), ensure_ascii=False)).")
UNSYNCED = "Time-sensitive: refused (clock_unsynchronised) while the site clock is not synchronised."


def describe(op: Operation[Any]) -> str:
    parts = [f"{op.summary}."]
    if op.time_sensitive:
        parts.append(UNSYNCED)
    if op.result:
        parts.append(f"Result data: {op.result}.")
    return " ".join(parts)


def cmd_schema() -> dict[str, Any]:
    """The JSON Schema of a command on lockerd/v1/{site}/cmd."""
    models = list(dict.fromkeys(op.model for op in COMMANDS.values()))
    refs, top = models_json_schema([(m, "validation") for m in models], ref_template="#/$defs/{model}")
    branches = []
    for name, op in COMMANDS.items():
        data_ref = refs[(op.model, "validation")]
        branches.append({
            "if": {"properties": {"type": {"const": name}}, "required": ["type"]},
            "then": {"description": f"{name}: {describe(op)}", "properties": {"data": data_ref}},
        })
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://lockerd.example/schemas/cmd.json",
        "title": "Command (lockerd/v1/{site}/cmd, HQ -> site)",
        "description": SIGNING + f" Generated from edge/operations/registry.py: {REGENERATE}.",
        "type": "object",
        "required": list(ENVELOPE),
        "properties": {**ENVELOPE, "type": {"enum": list(COMMANDS)}},
        "allOf": branches,
        "$defs": top.get("$defs", {}),
    }


def cmd_json_text() -> str:
    return json.dumps(cmd_schema(), indent=2, ensure_ascii=False) + "\n"


# --- AsyncAPI: the generated blocks ---------------------------------------------------------------
def receive_cmd() -> dict[str, Any]:
    sensitive = ", ".join(n for n, op in COMMANDS.items() if op.time_sensitive)
    return {
        "action": "receive",
        "channel": {"$ref": "#/channels/cmd"},
        "description": (
            "Checked in this order: well-formed, Ed25519 signature (kid names the key; every configured key is "
            "tried; the signature covers the RFC 8785 canonical JSON of every other field), site, expiry "
            f"(the time-sensitive types {sensitive} are refused while the site clock is not synchronised), id not "
            "seen in the last 30 days. The command is committed to the site's inbox before the PUBLISH is "
            "acknowledged; a repeated id returns the stored result and never acts twice. Then the type "
            "(unknown_type) and the data (invalid, naming the field); one example per type below. Generated "
            f"from edge/operations/registry.py ({REGENERATE})."),
        "bindings": {"mqtt": {"qos": 1, "bindingVersion": "0.2.0"}},
        "messages": [{"$ref": "#/channels/cmd/messages/cmd"}],
        "reply": {"channel": {"$ref": "#/channels/cmdResult"}},
    }


def cmd_message() -> dict[str, Any]:
    examples = []
    for n, (name, op) in enumerate(COMMANDS.items(), start=1):
        examples.append({"name": name, "summary": op.summary, "payload": {
            "id": f"019a2b3c-0000-7000-8000-{n:012d}", "site": "sz-01", "type": name,
            "issued_at": "2026-11-22T01:00:00Z", "expires_at": "2026-11-22T01:05:00Z", "kid": "3b1f0c2a9d8e7f60",
            "data": dict(op.example), "sig": "base64..."}})
    return {"name": "cmd", "title": "A signed command", "payload": {"$ref": "./schemas/cmd.json"},
            "examples": examples}


def _block(key: str, value: dict[str, Any], indent: int) -> str:
    body = yaml.safe_dump({key: value}, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in body.splitlines(keepends=True))


def _splice(text: str, parent: str, key: str, block: str) -> str:
    """Replace `key:`'s block under the top-level-or-nested `parent:` line, matching by indentation."""
    m = re.search(rf"^{re.escape(parent)}:\n", text, re.M)
    if m is None:
        raise ValueError(f"docs/asyncapi.yaml: no {parent.strip()!r} section")
    indent = len(parent) - len(parent.lstrip()) + 2
    k = re.compile(rf"^{' ' * indent}{re.escape(key)}:\n", re.M).search(text, m.end())
    if k is None:
        raise ValueError(f"docs/asyncapi.yaml: no {key!r} under {parent.strip()!r}")
    end = re.compile(rf"^ {{0,{indent}}}\S", re.M).search(text, k.end())
    stop = end.start() if end else len(text)
    return text[:k.start()] + block + text[stop:]


def asyncapi_text(current: str) -> str:
    text = _splice(current, "operations", "receiveCmd", _block("receiveCmd", receive_cmd(), 2))
    return _splice(text, "  messages", "cmd", _block("cmd", cmd_message(), 4))


def stale() -> list[str]:
    """The checked-in files that differ from what the registry generates."""
    out = []
    if not CMD_JSON.exists() or CMD_JSON.read_text(encoding="utf-8") != cmd_json_text():
        out.append(str(CMD_JSON.relative_to(DOCS.parent)))
    current = ASYNCAPI.read_text(encoding="utf-8")
    if asyncapi_text(current) != current:
        out.append(str(ASYNCAPI.relative_to(DOCS.parent)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m edge.operations.schema", description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="rewrite docs/schemas/cmd.json and docs/asyncapi.yaml")
    ap.add_argument("--check", action="store_true", help="exit 1 when a checked-in file is stale")
    args = ap.parse_args(argv)
    if args.write:
        CMD_JSON.write_text(cmd_json_text(), encoding="utf-8")
        ASYNCAPI.write_text(asyncapi_text(ASYNCAPI.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"wrote {CMD_JSON.relative_to(DOCS.parent)} and {ASYNCAPI.relative_to(DOCS.parent)}")
        return 0
    if args.check:
        bad = stale()
        for path in bad:
            print(f"{path} is stale: run {REGENERATE}", file=sys.stderr)
        return 1 if bad else 0
    sys.stdout.write(cmd_json_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
