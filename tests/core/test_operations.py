"""One definition per operation: the MQTT command table is the registry, and docs/schemas/cmd.json plus the
command part of docs/asyncapi.yaml are what the registry generates (regenerate:
`python -m edge.operations.schema --write`). Bad data is refused `invalid`, never raised."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from cloudsync import commands as cmdproc
from cloudsync.actions import Actions
from cloudsync.commands import CommandProcessor
from cloudsync.signing import PublicKey, key_id
from edge.clock import SimClock
from edge.errors import DomainError
from edge.operations import COMMANDS, OPERATIONS, REGISTRY, TIME_SENSITIVE
from edge.operations import schema as gen
from tests.cloud.cmdutil import command, raw

CMD = json.loads(gen.CMD_JSON.read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(CMD)
#: DESIGN.md section 4 "Types at least"
DESIGN_TYPES = {"door.open", "compartment.disable", "compartment.enable", "parcel.expect", "parcel.hold",
                "policy.set", "resync", "telemetry.now", "courier.upsert", "unit.upsert", "unit.remove"}


def _actions() -> Actions:
    async def resync(a: int, b: int | None, c: str | None) -> dict[str, Any]:
        return {}

    async def now() -> dict[str, Any]:
        return {}

    return Actions(object(), resync=resync, telemetry_now=now)


def _envelope(type_: str, data: Any) -> dict[str, Any]:
    return {"id": "c1", "site": "s", "type": type_, "issued_at": "2026-03-02T00:00:00Z",
            "expires_at": "2026-03-03T00:00:00Z", "kid": "k", "data": data, "sig": "x"}


def test_checked_in_files_are_generated_from_the_registry() -> None:
    assert gen.stale() == [], f"stale contract files: run {gen.REGENERATE}"


def test_command_table_is_the_registry() -> None:
    table = _actions().table
    assert list(table) == list(COMMANDS)
    assert all(table[name] is REGISTRY[name] for name in table)
    assert set(table) >= DESIGN_TYPES
    assert CMD["properties"]["type"]["enum"] == list(table)
    assert [b["if"]["properties"]["type"]["const"] for b in CMD["allOf"]] == list(table)
    assert cmdproc.TIME_SENSITIVE is TIME_SENSITIVE
    assert TIME_SENSITIVE == {"door.open", "compartment.disable", "compartment.enable", "policy.set", "parcel.hold"}
    # the envelope cmd.json documents is the one the processor checks
    assert set(CMD["required"]) == set(cmdproc.FIELDS) == set(CMD["properties"])


def test_asyncapi_command_examples_are_valid_commands() -> None:
    doc = yaml.safe_load(gen.ASYNCAPI.read_text(encoding="utf-8"))
    examples = doc["components"]["messages"]["cmd"]["examples"]
    assert [e["name"] for e in examples] == list(COMMANDS)
    for ex in examples:
        VALIDATOR.validate(ex["payload"])
        REGISTRY[ex["name"]].parse(ex["payload"]["data"])


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.name)
def test_example_parses(op: Any) -> None:
    op.parse(op.example)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_schema_and_model_agree(name: str) -> None:
    """What the published schema requires and types, the model refuses without it, and the other way."""
    op = COMMANDS[name]
    model_schema = op.model.model_json_schema()
    for field in model_schema.get("required", []):
        data = {k: v for k, v in op.example.items() if k != field}
        with pytest.raises(DomainError) as exc:
            op.parse(data)
        assert exc.value.code == "invalid" and f"data.{field} is required" in exc.value.message
        assert not VALIDATOR.is_valid(_envelope(name, data)), (name, field)
    for field in model_schema.get("properties", {}):
        data = {**op.example, field: [1]}
        with pytest.raises(DomainError):
            op.parse(data)
        assert not VALIDATOR.is_valid(_envelope(name, data)), (name, field)
    assert VALIDATOR.is_valid(_envelope(name, dict(op.example)))


def test_refusals_name_the_field_as_before() -> None:
    cases = [
        ("door.open", {"compartment": "A-01", "reason": "x"}, "data.operator is required"),
        ("door.open", {"compartment": " ", "reason": "x", "operator": "o"}, "data.compartment"),
        ("parcel.expect", {"tracking_number": "SF1", "unit": "1-1", "category": "weird"}, "data.category"),
        ("parcel.expect", {"tracking_number": "SF1", "unit": "1-1", "cross_border": "yes"}, "data.cross_border"),
        ("parcel.hold", {"until": "2026-01-01T00:00:00Z"}, "data.parcel_id or data.tracking_number is required"),
        ("parcel.hold", {"parcel_id": "p", "until": "tomorrow"}, "data.until"),
        ("policy.set", {"overdue_hours": 3}, "data.version is required"),
        ("policy.set", {"version": "3"}, "data.version"),
        ("resync", {"from_seq": True}, "data.from_seq"),
        ("resync", {"from_seq": 5, "to_seq": 4}, "data.to_seq must be an integer >= from_seq"),
        ("unit.upsert", {"unit": "9-1", "colour": "red"}, "data.colour: unknown field"),
    ]
    for name, data, why in cases:
        with pytest.raises(DomainError) as exc:
            asyncio.run(_actions().run(name, data, _envelope(name, data)))
        assert exc.value.code == "invalid" and why in exc.value.message, (name, exc.value.message)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=80),
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=12), kids, max_size=4),
    max_leaves=12)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(list(REGISTRY)), st.one_of(
    st.dictionaries(st.sampled_from(["compartment", "reason", "operator", "tracking_number", "unit", "until",
                                     "parcel_id", "version", "from_seq", "to_seq", "stream", "code", "company",
                                     "phone", "category", "expected_by", "size"]), json_values, max_size=6),
    st.dictionaries(st.text(max_size=12), json_values, max_size=4)))
def test_bad_data_is_refused_never_raised(name: str, data: dict[str, Any]) -> None:
    try:
        REGISTRY[name].parse(data)
    except DomainError as exc:
        assert exc.code == "invalid" and exc.message


def test_time_sensitive_types_are_refused_while_the_clock_is_unsynchronised() -> None:
    key = Ed25519PrivateKey.generate()
    clock = SimClock()
    clock.synchronised = False
    proc = CommandProcessor(store=None, clock=clock, site="s1", actions=_actions(),  # type: ignore[arg-type]
                            keys=[PublicKey(key_id(key.public_key()), key.public_key(), "test")])
    for name, op in COMMANDS.items():
        _, refusal = proc.check(raw(command(key, clock, name, dict(op.example), site="s1")))
        if op.time_sensitive:
            assert refusal is not None and refusal.code == "clock_unsynchronised", name
        else:
            assert refusal is None, (name, refusal)
