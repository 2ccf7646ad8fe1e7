"""A tracking update sent down through HQ's API (`POST /api/v1/sites/{site}/tracking`) reaches a real site daemon
(`lockerd simulate`) over real Mosquitto, is kept once even when sent twice, and bad bodies are refused."""

from __future__ import annotations

import sqlite3

from tests.conftest import launch_sim
from tests.hq.conftest import wait_for

UPDATE = {"tracking_number": "SF7700112233445", "carrier": "sf",
          "events": [{"time": "2026-12-04T08:30:00+08:00", "text": "快件已到达【北京顺义集散中心】"},
                     {"time": "2026-12-04T09:10:00+08:00", "text": "快件交给王师傅，正在派送途中"}]}


def _site_rows(data_dir, sql: str) -> list[tuple]:
    con = sqlite3.connect(f"file:{data_dir / 'lockerd.db'}?mode=ro", uri=True, timeout=5)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_tracking_update_reaches_the_site_once(hq_broker, hq_serve, hq_keys, tmp_path):
    hq = hq_serve().start()
    site = "sim-track"
    data = tmp_path / "sim"
    sim = launch_sim(data, "--mqtt", hq_broker.url, "--site-id", site, "--command-pubkey", str(hq_keys[2]))
    try:
        wait_for(lambda: any(r["site"] == site and r["online"] for r in hq.api("GET", "/api/v1/sites").json()),
                 what="site online at HQ")
        first = hq.api("POST", f"/api/v1/sites/{site}/tracking", json=UPDATE)
        assert first.status_code == 202, first.text
        up = first.json()
        assert up["duplicate"] is False and up["state"] == "queued"
        again = hq.api("POST", f"/api/v1/sites/{site}/tracking", json=UPDATE)
        assert again.status_code == 200 and again.json()["id"] == up["id"] and again.json()["duplicate"] is True

        wait_for(lambda: hq.api("GET", f"/api/v1/tracking/{up['id']}").json()["state"] == "sent", what="sent")
        rows = wait_for(lambda: _site_rows(data, "SELECT digest, tracking_number FROM cloud_tracking_inbox"),
                        what="the site kept the update")
        assert rows == [(up["key"], UPDATE["tracking_number"])], rows
        events = wait_for(lambda: _site_rows(data, "SELECT text, milestone FROM tracking_events WHERE "
                                                   f"tracking_number = '{UPDATE['tracking_number']}' ORDER BY time"),
                          what="the site classified the events")
        assert events == [(UPDATE["events"][0]["text"], "arrived_at_hub"),
                          (UPDATE["events"][1]["text"], "out_for_delivery")], events
        listed = hq.api("GET", f"/api/v1/sites/{site}/tracking",
                        params={"tracking_number": UPDATE["tracking_number"]}).json()
        assert [r["id"] for r in (listed if isinstance(listed, list) else listed.get("updates", []))] == [up["id"]]
    finally:
        sim.stop()

    assert hq.api("POST", "/api/v1/sites/no-such-site/tracking", json=UPDATE).status_code == 404
    for bad, field in (({**UPDATE, "events": []}, "events"), ({"events": UPDATE["events"]}, "tracking_number"),
                       ({**UPDATE, "events": [{"time": "2026-12-04 09:10", "text": "派件"}]}, "events[0].time")):
        r = hq.api("POST", f"/api/v1/sites/{site}/tracking", json=bad)
        assert r.status_code == 400 and field in r.json()["message"], r.text
    r = hq.api("POST", f"/api/v1/sites/{site}/tracking", content=b"not json")
    assert r.status_code == 400
