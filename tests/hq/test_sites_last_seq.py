"""The site list's `last_seq` follows the events HQ has stored, not only the site's birth.

Found by the 2026-12-02 trial: a site that connected with an empty outbox (birth `last_seq` 0) and then
stored parcels showed `last_seq: 0` in `GET /api/v1/sites` while HQ held its events 1..10 - read by an
operator as "nothing arrived".
"""

from __future__ import annotations

import psycopg
from fastapi.testclient import TestClient

from cloudsync.hq.api import create_app


def test_last_seq_is_the_newest_event_hq_holds(db_url: str) -> None:
    with psycopg.connect(db_url) as c:
        c.execute("INSERT INTO sites (site, online, since, version, stream, last_seq) VALUES "
                  "('gardens-a', true, now(), '0.1.0', 's1', 0), ('gardens-b', true, now(), '0.1.0', 's2', 40), "
                  "('gardens-c', true, now(), '0.1.0', NULL, NULL)")
        c.execute("INSERT INTO streams (site, stream, next_seq, stored) VALUES "
                  "('gardens-a', 's0', 500, 499), ('gardens-a', 's1', 11, 10), ('gardens-b', 's2', 21, 20)")
    api = TestClient(create_app(db_url, token="tok"), headers={"Authorization": "Bearer tok"})
    r = api.get("/api/v1/sites")
    assert r.status_code == 200, r.text
    got = {s["site"]: s["last_seq"] for s in r.json()}
    # a: the current stream's events (not the old stream's); b: the birth knew more than HQ holds yet
    assert got == {"gardens-a": 10, "gardens-b": 40, "gardens-c": None}
    page = api.get("/api/v1/sites", params={"limit": 1})
    assert page.json()[0]["last_seq"] == 10
