"""Signed commands against the real daemon: checks in order, inbox before ack, never acting twice."""

from __future__ import annotations

import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.cloud.cmdutil import command, raw
from tests.cloud.conftest import SITE, validate_published


async def _door_commands(d, compartment: str = "A-01") -> list[dict]:
    return await d.store.read(lambda tx: tx.all(
        "SELECT actor, reason, purpose FROM door_commands WHERE compartment_id = ?", (compartment,)))


async def _handle(cloud, cmd_or_bytes):
    acks = []
    payload = cmd_or_bytes if isinstance(cmd_or_bytes, bytes) else raw(cmd_or_bytes)
    res = await cloud.commands.handle(payload, lambda: acks.append(1))
    assert acks == [1], "every handled command is acknowledged exactly once"
    return res


async def test_door_open_then_replay_acts_once(broker, hq_factory, daemon_factory, signing_key):
    key, pub = signing_key
    hq = hq_factory()
    d = await daemon_factory(broker.url, pub)
    await hq.online(d.boot_id)
    cmd = command(key, d.clock, "door.open", {"compartment": "A-01", "reason": "resident locked out",
                                               "operator": "alice"}, site=SITE)
    hq.publish(f"lockerd/v1/{SITE}/cmd", raw(cmd))
    results = await hq.wait_for(lambda: [r for r in hq.on("/cmd/result") if r["id"] == cmd["id"]])
    assert results[0]["ok"] is True and results[0]["code"] == "ok"
    assert [r["actor"] for r in await _door_commands(d)] == ["hq:alice"]
    # the same command again (a replay or a redelivery): stored result, no second opening
    hq.publish(f"lockerd/v1/{SITE}/cmd", raw(cmd))
    results = await hq.wait_for(lambda: [r for r in hq.on("/cmd/result") if r["id"] == cmd["id"]][1:])
    assert results[0]["ok"] is True
    assert len(await _door_commands(d)) == 1
    inbox = await d.store.read(lambda tx: tx.all("SELECT id, state, ok FROM cloud_inbox"))
    assert inbox == [{"id": cmd["id"], "state": "done", "ok": 1}]
    await hq.wait_for(lambda: [e for e in hq.on("/events") if e["type"] == "staff.remote_open"])
    assert validate_published(hq) > 3


async def test_refusals_never_act(broker, daemon_factory, signing_key):
    key, pub = signing_key
    d = await daemon_factory(broker.url, pub)
    cloud = d.cloud
    data = {"compartment": "A-01", "reason": "x", "operator": "mallory"}

    forged = command(Ed25519PrivateKey.generate(), d.clock, "door.open", data, site=SITE)
    assert (await _handle(cloud, forged)).code == "bad_signature"

    tampered = command(key, d.clock, "door.open", data, site=SITE)
    tampered["data"] = {**data, "compartment": "A-02"}
    assert (await _handle(cloud, tampered)).code == "bad_signature"

    expired = command(key, d.clock, "door.open", data, site=SITE, issued_delta_s=-600, ttl_s=60)
    assert (await _handle(cloud, expired)).code == "expired"

    other_site = command(key, d.clock, "door.open", data, site="another-site")
    assert (await _handle(cloud, other_site)).code == "wrong_site"

    unknown = command(key, d.clock, "door.explode", {}, site=SITE)
    assert (await _handle(cloud, unknown)).code == "unknown_type"

    missing = command(key, d.clock, "door.open", {"compartment": "A-01"}, site=SITE)
    res = await _handle(cloud, missing)
    assert (res.ok, res.code) == (False, "invalid")

    too_long = command(key, d.clock, "door.open", data, site=SITE, ttl_s=40 * 86400)
    assert (await _handle(cloud, too_long)).code == "invalid"

    d.clock.synchronised = False
    unsynced = command(key, d.clock, "door.open", data, site=SITE)
    assert (await _handle(cloud, unsynced)).code == "clock_unsynchronised"
    d.clock.synchronised = True

    assert await _door_commands(d) == []
    # refusals are answered through the outbox
    results = await d.store.read(lambda tx: [json.loads(r["data"]) for r in tx.all(
        "SELECT data FROM events WHERE type = 'cmd.result'")])
    codes = [r["code"] for r in results]
    assert codes.count("bad_signature") == 2 and "expired" in codes and "wrong_site" in codes


async def test_garbage_on_the_command_topic_is_survived(broker, hq_factory, daemon_factory, signing_key):
    key, pub = signing_key
    hq = hq_factory()
    d = await daemon_factory(broker.url, pub)
    await hq.online(d.boot_id)
    topic = f"lockerd/v1/{SITE}/cmd"
    for junk in (b"", b"\xff\xfe\x00", b"not json", b"[1,2]", b"null", b'{"id": 5}', b'{"id": "x"}',
                 json.dumps({"id": "y" * 1000}).encode(), b"{" * 5000, json.dumps({"id": "z", "data": []}).encode(),
                 json.dumps({"id": "q", "site": SITE, "type": "door.open", "issued_at": "yesterday",
                             "expires_at": "tomorrow", "kid": "k", "data": {}, "sig": "!!"}).encode()):
        hq.publish(topic, junk)
    ok = command(key, d.clock, "telemetry.now", {}, site=SITE)
    hq.publish(topic, raw(ok))
    res = await hq.wait_for(lambda: [r for r in hq.on("/cmd/result") if r["id"] == ok["id"]])
    assert res[0]["ok"] and "occupancy" in res[0]["data"]
    assert d.cloud.status()["connected"]
    validate_published(hq)


async def test_services_through_commands(broker, daemon_factory, signing_key):
    key, pub = signing_key
    d = await daemon_factory(broker.url, pub)
    cloud = d.cloud
    res = await _handle(cloud, command(key, d.clock, "compartment.disable",
                                       {"compartment": "A-02", "reason": "broken hinge"}, site=SITE))
    assert res.ok, res
    state = await d.store.read(lambda tx: tx.scalar("SELECT state FROM compartments WHERE id = 'A-02'"))
    assert state == "disabled"
    res = await _handle(cloud, command(key, d.clock, "compartment.enable",
                                       {"compartment": "A-02", "reason": "fixed"}, site=SITE))
    assert res.ok, res
    res = await _handle(cloud, command(key, d.clock, "compartment.disable",
                                       {"compartment": "Z-99", "reason": "x"}, site=SITE))
    assert not res.ok and res.code not in ("ok", "internal")  # the service's own error code
    res = await _handle(cloud, command(key, d.clock, "parcel.expect",
                                       {"tracking_number": "SF1234567890123", "unit": "3-1202",
                                        "phone_tail": "5678"}, site=SITE))
    assert res.ok, res
    res = await _handle(cloud, command(key, d.clock, "parcel.expect",
                                       {"tracking_number": "SF1", "unit": "3-1202", "category": "weird"}, site=SITE))
    assert res.code == "invalid"
    res = await _handle(cloud, command(key, d.clock, "resync", {"from_seq": 1}, site=SITE))
    assert res.ok and res.data["queued"] >= 1
    res = await _handle(cloud, command(key, d.clock, "resync", {"from_seq": "1"}, site=SITE))
    assert res.code == "invalid"


async def test_interrupted_command_is_answered_not_repeated(broker, daemon_factory, signing_key, tmp_path):
    key, pub = signing_key
    d = await daemon_factory(broker.url, pub)
    cmd = command(key, d.clock, "door.open", {"compartment": "A-01", "reason": "r", "operator": "o"}, site=SITE)
    # as if the process died after committing the inbox row, before the door command
    await d.store.write(lambda tx: tx.execute(
        "INSERT INTO cloud_inbox (id, type, received_at, payload, state) VALUES (?, 'door.open', ?, '{}', 'received')",
        (cmd["id"], tx.ts)))
    cloud = d.cloud
    assert await cloud.commands.recover() == 1
    res = await _handle(cloud, cmd)
    assert (res.ok, res.code) == (False, "interrupted")
    assert await _door_commands(d) == []
