"""Bad input of every kind on the downward topics: a clear refusal, never an exception."""

from __future__ import annotations

import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cloudsync.actions import Actions
from cloudsync.commands import CommandProcessor
from cloudsync.jcs import CanonicalError
from cloudsync.signing import PublicKey, key_id, sign_command
from cloudsync.tracking_in import BadTracking, validate
from edge.clock import SimClock

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=10), kids, max_size=5),
    max_leaves=20)
FIELDS = ["id", "site", "type", "issued_at", "expires_at", "kid", "data", "sig"]
commands = st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=8)

KEY = Ed25519PrivateKey.generate()
PUB = PublicKey(key_id(KEY.public_key()), KEY.public_key(), "test")


def processor() -> CommandProcessor:
    acts = Actions(object(), resync=None, telemetry_now=None)  # type: ignore[arg-type]
    return CommandProcessor(store=None, clock=SimClock(), site="s1", keys=[PUB], actions=acts)  # type: ignore[arg-type]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=200), commands.map(lambda d: json.dumps(d).encode())))
def test_command_check_never_raises(payload: bytes) -> None:
    cmd, refusal = processor().check(payload)
    assert refusal is not None  # nothing unsigned gets through
    assert refusal.code in ("invalid", "bad_signature")


def test_deep_nesting_is_refused_not_raised() -> None:
    deep = b"[" * 60000 + b"]" * 60000
    assert processor().check(deep[:60000])[1].code == "invalid"
    try:
        validate(deep)
    except BadTracking:
        pass


@settings(max_examples=80, deadline=None)
@given(commands)
def test_signed_garbage_is_refused_cleanly(fields: dict) -> None:
    fields = {**fields, "site": fields.get("site", "s1")}
    try:
        signed = sign_command(fields, KEY)
    except CanonicalError:  # NaN or infinity: no JSON signer can sign it; a site gets it unsigned
        signed = {**fields, "sig": "AAAA"}
    cmd, refusal = processor().check(json.dumps(signed).encode())
    if refusal is not None:
        assert refusal.code in ("invalid", "wrong_site", "expired", "bad_signature")


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode()),
                 st.dictionaries(st.sampled_from(["tracking_number", "carrier", "events"]), json_values)
                 .map(lambda d: json.dumps(d).encode())))
def test_tracking_validate_never_crashes(payload: bytes) -> None:
    try:
        tn, carrier, events = validate(payload)
    except BadTracking:
        return
    assert isinstance(tn, str) and isinstance(events, list)
