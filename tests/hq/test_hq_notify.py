"""HQ tells the residents (ADR 0049): a site on the default `hq` channel commits a `notify.message` event with the
message it hands over, and `lockerd hq serve --notify FILE` sends it through the gateway the file names, once.

Real parts: Mosquitto and PostgreSQL on loopback (tests/hq/conftest.py), in-process site daemons, `lockerd hq
serve` as a subprocess, and a loopback server speaking Twilio's Messages API (tests/notify/receiver.py)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import jsonschema

from edge.services.directory import upsert_unit_tx
from edge.services.unit_rows import UnitIn
from tests.conftest import Site, start_site

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs/schemas/envelope.json").read_text())
PHONE = "+8613800001234"
PUBLIC = "https://lockers.example.cn"


async def hq_site(tmp: Path, name: str, broker_url: str, *, channels: list[dict[str, Any]] | None = None,
                  data_dir: Path | None = None) -> Site:
    """A simulated site with cloud sync on (no `[[notify.channels]]`: the default hq, then the simulator's list)."""
    notify: dict[str, Any] = {"merge_window_s": 0, "quiet_hours": "", "retry_first_s": 1, "retry_max_s": 2}
    if channels is not None:
        notify["channels"] = channels
    s = await start_site(data_dir or tmp / f"data-{name}", site__id=name, site__public_url=PUBLIC, notify=notify,
                         cloud={"enabled": True, "broker": broker_url, "telemetry_interval_s": 3600,
                                "session_expiry_s": 86400})
    await s.daemon.store.write(lambda tx: upsert_unit_tx(tx, UnitIn(unit="1-101", phone=PHONE, lang="zh-CN"),
                                                         actor="test", source="test"))
    return s


async def message_rows(s: Site) -> list[dict[str, Any]]:
    return await s.daemon.store.read(lambda tx: tx.all("SELECT * FROM messages ORDER BY created_at, id"))


async def test_the_hq_channel_commits_the_message_for_hq_with_the_phone_text_and_link(tmp_path, hq_broker):
    """Before ADR 0049 the hq channel marked the message sent and committed nothing HQ could send it from."""
    s = await hq_site(tmp_path, "notify-site-a", hq_broker.url)
    try:
        await s.deposit("SF1400000000001")
        rows = await _wait_sent(s)
        assert rows[0]["channel"] == "hq"
        events = await _wait_events(s, "notify.message", 1)
        d = events[0]["data"]
        assert d["message_id"] == rows[0]["id"] and d["kind"] == "stored" and d["lang"] == "zh-CN"
        assert d["phone"] == PHONE and d["phone_tail"] == "1234" and d["unit"] == "1-101"
        assert d["tracking_number"] == "SF1400000000001"
        assert d["parcels"] and d["parcels"][0]["tracking_number"] == "SF1400000000001"
        code = d["pickup_code"]
        assert code and code == (await s.parcel(d["parcel_id"]))["pickup_code"]
        assert code in d["text"] and d["text"].startswith(rows[0]["text"])
        assert f"{PUBLIC}/p/" in d["text"] and d["pickup_link"].startswith(f"{PUBLIC}/p/")
        assert d["expires_at"] == rows[0]["expires_at"]
        envelope = {"id": "019a2b3c-0000-7000-8000-000000000001", "seq": events[0]["seq"], "stream": "s1",
                    "type": "notify.message", "ts": events[0]["ts"], "site": "notify-site-a", "data": d}
        jsonschema.validate(envelope, SCHEMA)  # the contract HQ is given (docs/schemas/envelope.json)
        await asyncio.sleep(0.3)  # more passes of the dispatcher: still one event for the one message
        assert len(await s.events("notify.message")) == 1
    finally:
        await s.daemon.stop()


async def test_a_site_with_its_own_channel_first_emits_nothing_for_hq(tmp_path, hq_broker):
    s = await hq_site(tmp_path, "notify-site-own", hq_broker.url, channels=[{"kind": "sim"}, {"kind": "hq"}])
    try:
        await s.deposit("SF1400000000002")
        rows = await _wait_sent(s)
        assert rows[0]["channel"] == "sim"
        await asyncio.sleep(0.3)
        assert await s.events("notify.message") == []
    finally:
        await s.daemon.stop()


async def _wait_sent(s: Site, n: int = 1) -> list[dict[str, Any]]:
    for _ in range(200):
        rows = [r for r in await message_rows(s) if r["state"] == "sent"]
        if len(rows) >= n:
            return rows
        await asyncio.sleep(0.05)
    raise AssertionError(f"no sent message: {await message_rows(s)}")


async def _wait_events(s: Site, type_: str, n: int) -> list[dict[str, Any]]:
    for _ in range(200):
        ev = await s.events(type_)
        if len(ev) >= n:
            return ev
        await asyncio.sleep(0.05)
    raise AssertionError(f"no {type_} event")
