"""Signed commands: future-dated refused, seen ids outlive the retention until the command expires,
forged-command floods cost bounded rows; one limit for tracking updates; MQTT Maximum Packet Size."""

from __future__ import annotations

import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cloudsync.actions import Actions
from cloudsync.commands import FORGED_BURST, CommandProcessor
from cloudsync.signing import PublicKey, key_id
from cloudsync.tracking_in import MAX_EVENTS as CLOUD_MAX_EVENTS
from cloudsync.tracking_in import TrackingIntake, validate
from edge.tracking.service import MAX_EVENTS as SERVICE_MAX_EVENTS
from tests.cloud.cmdutil import command, raw
from tests.conftest import Site

KEY = Ed25519PrivateKey.generate()
PUB = PublicKey(key_id(KEY.public_key()), KEY.public_key(), "test")


def processor(site: Site, runs: list[int]) -> CommandProcessor:
    d = site.daemon

    async def resync(from_seq: int) -> int:
        return 0

    async def telemetry_now() -> dict[str, Any]:
        runs.append(1)
        return {}

    return CommandProcessor(store=d.store, clock=d.clock, site=d.config.site.id, keys=[PUB],
                            actions=Actions(d, resync=resync, telemetry_now=telemetry_now))


def noop() -> None:
    return None


async def test_a_future_dated_command_is_refused(sec_site: Site) -> None:
    runs: list[int] = []
    cp = processor(sec_site, runs)
    site_id = sec_site.daemon.config.site.id
    res = await cp.handle(raw(command(KEY, sec_site.clock, "telemetry.now", {}, site=site_id,
                                      issued_delta_s=3600, ttl_s=7200)), noop)
    assert res is not None and not res.ok and res.code == "not_yet_valid" and runs == []
    res = await cp.handle(raw(command(KEY, sec_site.clock, "telemetry.now", {}, site=site_id,
                                      issued_delta_s=30)), noop)  # within the skew
    assert res is not None and res.ok and runs == [1]


async def test_a_seen_id_is_kept_until_the_command_itself_expires(sec_site: Site) -> None:
    runs: list[int] = []
    cp = processor(sec_site, runs)
    site_id = sec_site.daemon.config.site.id
    cmd = command(KEY, sec_site.clock, "telemetry.now", {}, site=site_id, issued_delta_s=50,
                  ttl_s=cp.retention_days * 86400)
    assert (await cp.handle(raw(cmd), noop)).ok and runs == [1]
    sec_site.clock.advance(cp.retention_days * 86400 + 5)  # past the retention, before the expiry
    await cp.prune()
    again = await cp.handle(raw(cmd), noop)
    assert runs == [1], "the command was acted on twice"
    assert again is not None and again.ok
    sec_site.clock.advance(3600)
    assert await cp.prune() == 1  # gone once it expired (+ skew)


async def test_a_forged_command_flood_costs_bounded_audit_and_outbox_rows(sec_site: Site) -> None:
    cp = processor(sec_site, [])
    forger = Ed25519PrivateKey.generate()
    site_id = sec_site.daemon.config.site.id

    def counts(tx: Any) -> tuple[int, int]:
        return (int(tx.scalar("SELECT count(*) FROM audit WHERE action = 'cmd.refused'")),
                int(tx.scalar("SELECT count(*) FROM events WHERE type = 'cmd.result'")))

    before = await sec_site.daemon.store.read(counts)
    for _ in range(300):
        res = await cp.handle(raw(command(forger, sec_site.clock, "door.open", {"compartment": "A-01"},
                                          site=site_id)), noop)
        assert res is not None and res.code == "bad_signature"
    audit, results = (a - b for a, b in zip(await sec_site.daemon.store.read(counts), before, strict=True))
    assert audit <= FORGED_BURST + 1 and results <= FORGED_BURST + 1, (audit, results)
    assert cp.refused == 300
    sec_site.clock.advance(600)  # the budget refills: the next refusal is recorded with the count left out
    await cp.handle(raw(command(forger, sec_site.clock, "door.open", {}, site=site_id)), noop)
    row = await sec_site.daemon.store.read(
        lambda tx: tx.one("SELECT detail FROM audit WHERE action = 'cmd.refused' ORDER BY rowid DESC LIMIT 1"))
    assert json.loads(row["detail"]).get("suppressed_before", 0) >= 300 - FORGED_BURST


async def test_one_limit_for_tracking_updates(sec_site: Site) -> None:
    assert CLOUD_MAX_EVENTS == SERVICE_MAX_EVENTS
    events = [{"time": "2026-03-01T08:00:00Z", "text": f"到达 分拨中心 {i}"} for i in range(600)]
    payload = json.dumps({"tracking_number": "SF1234567890123", "carrier": "SF", "events": events}).encode()
    d = sec_site.daemon
    intake = TrackingIntake(d.store, lambda: d.tracking.service if d.tracking is not None else None)
    assert await intake.handle(payload) == "invalid"  # refused at once, never left pending
    pending = await sec_site.daemon.store.read(
        lambda tx: tx.scalar("SELECT count(*) FROM cloud_tracking_inbox WHERE ingested_at IS NULL"))
    assert pending == 0
    ok = json.dumps({"tracking_number": "SF1234567890123", "carrier": "SF", "events": events[:500]}).encode()
    assert validate(ok)[0] == "SF1234567890123"


async def test_replaying_a_captured_command_costs_bounded_rows_and_acts_once(sec_site: Site) -> None:
    runs: list[int] = []
    cp = processor(sec_site, runs)
    cmd = raw(command(KEY, sec_site.clock, "telemetry.now", {}, site=sec_site.daemon.config.site.id))

    def results(tx: Any) -> int:
        return int(tx.scalar("SELECT count(*) FROM events WHERE type = 'cmd.result'"))

    before = await sec_site.daemon.store.read(results)
    for _ in range(300):
        await cp.handle(cmd, noop)
    assert runs == [1]
    assert await sec_site.daemon.store.read(results) - before <= FORGED_BURST + 1
