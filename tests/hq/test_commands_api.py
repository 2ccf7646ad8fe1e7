"""A command round trip through HQ's API to a real daemon (`lockerd simulate`), with expiry, an unknown
site and bad input; the fleet page renders in both languages."""

from __future__ import annotations

import time

import httpx

from tests.conftest import launch_sim
from tests.hq.conftest import wait_for


def _state(hq, cmd_id: str) -> dict:
    return hq.api("GET", f"/api/v1/commands/{cmd_id}").json()


def test_command_round_trip_expiry_and_unknown_site(hq_broker, hq_serve, hq_keys, tmp_path):
    hq = hq_serve().start()
    site = "sim-rt"
    args = ("--mqtt", hq_broker.url, "--site-id", site, "--command-pubkey", str(hq_keys[2]))
    sim = launch_sim(tmp_path / "sim", *args)
    try:
        wait_for(lambda: any(r["site"] == site and r["online"] for r in hq.api("GET", "/api/v1/sites").json()),
                    what="site online at HQ")
        r = hq.api("POST", f"/api/v1/sites/{site}/commands", json={"type": "telemetry.now", "data": {}})
        assert r.status_code == 202, r.text
        cmd_id = r.json()["id"]
        done = wait_for(lambda: (s := _state(hq, cmd_id))["state"] in ("done", "failed") and s, what="result")
        assert done["state"] == "done" and done["result"]["ok"] is True, done
        r = hq.api("POST", f"/api/v1/sites/{site}/commands", json={"type": "robot.dance", "data": {}})
        refused = wait_for(lambda: (s := _state(hq, r.json()["id"]))["state"] in ("done", "failed") and s,
                              what="refusal")
        assert refused["state"] == "failed" and refused["result"]["code"] == "unknown_type"

        # expiry: the site is away; the broker holds the command only until expires_at, then drops it
        sim.stop()
        wait_for(lambda: not next(r for r in hq.api("GET", "/api/v1/sites").json() if r["site"] == site)["online"],
                    what="site offline")
        r = hq.api("POST", f"/api/v1/sites/{site}/commands", json={"type": "telemetry.now", "data": {}, "ttl_s": 2})
        late_id = r.json()["id"]
        wait_for(lambda: _state(hq, late_id)["state"] == "expired", within=20, what="expired")
        sim = launch_sim(tmp_path / "sim", *args)
        wait_for(lambda: next(r for r in hq.api("GET", "/api/v1/sites").json() if r["site"] == site)["online"],
                    what="site back")
        time.sleep(2.0)
        late = _state(hq, late_id)
        assert late["state"] == "expired" and late["result"] is None, "an expired command was carried out"
    finally:
        sim.stop()

    r = hq.api("POST", "/api/v1/sites/no-such-site/commands", json={"type": "telemetry.now", "data": {}})
    assert r.status_code == 404 and r.json()["error"] == "unknown_site"
    for bad in ({"type": 5}, {"type": "door.open", "data": []}, {"type": "x.y", "ttl_s": 0}, [1]):
        r = hq.api("POST", f"/api/v1/sites/{site}/commands", json=bad)
        assert r.status_code == 400 and r.json()["error"] == "invalid" and r.json()["message"]
    assert hq.api("GET", "/api/v1/commands/nope").status_code == 404
    assert httpx.get(hq.url("/api/v1/sites")).status_code == 401
    assert httpx.get(hq.url("/"), follow_redirects=False).status_code == 303

    cookies = {"lockerd_hq": hq.token}
    zh = httpx.get(hq.url("/?lang=zh"), cookies=cookies).text
    en = httpx.get(hq.url("/?lang=en"), cookies=cookies).text
    assert "全部站点" in zh and site in zh and "已过期" in zh
    assert "All sites" in en or "all sites" in en
    assert "Expired, not carried out" in en and "telemetry.now" not in en
