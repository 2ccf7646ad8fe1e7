"""Command signatures over RFC 8785 canonical JSON, checked against another language's canonicaliser and
signer: the npm `canonicalize` package and Node's Ed25519 (installed by .ci/setup into tests/hq/js), and
RFC 8785's own published examples."""

from __future__ import annotations

import base64
import json
import os
import random
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cloudsync.jcs import canonicalize
from cloudsync.signing import PublicKey, key_id, verify

JS = Path(__file__).resolve().parent / "js"
NODE = shutil.which("node")

# RFC 8785 section 3.2.2 / 3.2.3: the input as a JSON text and the canonical output
RFC_INPUT = ('{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
             '"string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
             '"literals": [null, true, false]}')
RFC_OUTPUT = ('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
              '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}')
# RFC 8785 appendix B: IEEE 754 bit patterns and their canonical numbers
RFC_NUMBERS = {"0000000000000000": "0", "8000000000000000": "0", "0000000000000001": "5e-324",
               "8000000000000001": "-5e-324", "7fefffffffffffff": "1.7976931348623157e+308",
               "ffefffffffffffff": "-1.7976931348623157e+308", "4340000000000000": "9007199254740992",
               "c340000000000000": "-9007199254740992", "4430000000000000": "295147905179352830000",
               "44b52d02c7e14af5": "9.999999999999997e+22", "44b52d02c7e14af6": "1e+23",
               "3eb0c6f7a0b5ed8d": "0.000001", "3eb0c6f7a0b5ed8c": "9.999999999999997e-7",
               "41b3de4355555553": "333333333.3333332", "41b3de4355555554": "333333333.33333325",
               "41b3de4355555555": "333333333.3333333", "41b3de4355555556": "333333333.3333334"}


def test_rfc8785_published_examples():
    assert canonicalize(json.loads(RFC_INPUT)).decode() == RFC_OUTPUT
    for bits, text in RFC_NUMBERS.items():
        assert canonicalize(struct.unpack(">d", bytes.fromhex(bits))[0]).decode() == text, bits


def _string(rng: random.Random) -> str:
    pools = ["abc", "<>&'\"\\/", "\u00e9\u4e2d\u6587", "\u2028\u2029", "\U0001f600\U0001f4e6", "\x00\x01\x1f\x7f",
             "\ue000\uffff", "\t\n\r\b\f"]
    return "".join(rng.choice(rng.choice(pools)) for _ in range(rng.randint(0, 8)))


def _value(rng: random.Random, depth: int = 0) -> object:
    kind = rng.randint(0, 7 if depth < 3 else 4)
    if kind == 0:
        return _string(rng)
    if kind == 1:
        return rng.choice([0, -1, 7, 2**31, 2**53 - 1, -(2**40), 10**15])
    if kind == 2:
        return rng.choice([1.5, 0.1, -2.25, 1e21, 1e-7, 123456789.125, 5e-324, 1.7976931348623157e308,
                           struct.unpack(">d", struct.pack(">Q", rng.getrandbits(62)))[0]])
    if kind == 3:
        return rng.choice([True, False, None])
    if kind == 4:
        return rng.uniform(-1e6, 1e6)
    if kind == 5:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {_string(rng) or "k": _value(rng, depth + 1) for _ in range(rng.randint(0, 5))}


def _command(rng: random.Random, i: int) -> dict:
    return {"id": f"019a-{i}", "site": "sz-01", "type": rng.choice(["door.open", "parcel.expect", "policy.set"]),
            "issued_at": "2026-12-01T00:00:00Z", "expires_at": "2026-12-01T00:05:00Z",
            "data": {"amount": 1.50, "note": "<b>&</b> 中文", "n": _value(rng), **{_string(rng): _value(rng)
                                                                                  for _ in range(3)}}}


def _go_style(doc: dict) -> str:
    """How another encoder might put the same command on the wire: ASCII only, <>& escaped (like Go)."""
    text = json.dumps(doc, ensure_ascii=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def test_vectors_from_javascript_canonicalize_and_node_signatures(tmp_path):
    if NODE is None or not (JS / "node_modules" / "canonicalize").exists():
        if os.environ.get("CI"):
            pytest.fail("node and tests/hq/js/node_modules are installed by .ci/setup")
        pytest.skip("run .ci/setup (node + npm canonicalize) for the JavaScript vectors")
    key = Ed25519PrivateKey.generate()
    pem = tmp_path / "k.pem"
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    rng = random.Random(8785)
    docs = []
    for i in range(300):
        d = _command(rng, i)
        d["kid"] = key_id(key.public_key())
        docs.append(d)
    out = subprocess.run([NODE, str(JS / "vectors.mjs"), str(pem)], input="".join(
        json.dumps({"doc": d}) + "\n" for d in docs), capture_output=True, text=True, timeout=60, check=True, cwd=JS)
    results = [json.loads(line) for line in out.stdout.split("\n") if line]  # not splitlines: U+2028
    assert len(results) == len(docs)
    pk = PublicKey(key_id(key.public_key()), key.public_key(), "node")
    for d, r in zip(docs, results, strict=True):
        assert canonicalize(d).decode("utf-8") == r["canonical"], d
        wire = json.loads(_go_style({**d, "sig": r["sig"]}))
        assert verify(wire, [pk]) is pk, "a signature made by Node over its canonical JSON must verify"
        tampered = {**wire, "data": {**wire["data"], "amount": 1.51}}
        assert verify(tampered, [pk]) is None
    assert base64.b64decode(results[0]["sig"])
