"""Kiosk identity a client cannot choose; courier codes limited per kiosk and site-wide; the scan stream
only to the kiosk; the courier-code guessing bound of docs/security.md recomputed."""

from __future__ import annotations

import re
from pathlib import Path

from edge.domain import codes as codemath
from edge.services.couriers import LOGIN_POLICY
from edge.web.app import create_app
from tests.conftest import REPO, Site, start_site
from tests.security.conftest import OUTSIDER, client_for


async def test_rotating_x_kiosk_id_does_not_escape_the_courier_lockout(sec_site: Site) -> None:
    client = client_for(create_app(sec_site.daemon))
    statuses = []
    for i in range(300):
        r = await client.post("/api/v1/kiosk/courier/session", json={"courier_code": f"{900000 + i}"},
                              headers={"X-Kiosk-Id": f"rot-{i}"})
        statuses.append(r.status_code)
    assert statuses[:LOGIN_POLICY.kiosk_attempts] == [401] * LOGIN_POLICY.kiosk_attempts
    assert set(statuses[LOGIN_POLICY.kiosk_attempts:]) == {429}, "a new X-Kiosk-Id reset the lockout"
    r = await client.post("/api/v1/kiosk/courier/session", json={"courier_code": "100001"},
                          headers={"X-Kiosk-Id": "fresh"})
    assert r.status_code == 429, "the real code logged in during the lockout"


async def test_rotating_x_kiosk_id_does_not_escape_the_pickup_lockout(sec_site: Site) -> None:
    client = client_for(create_app(sec_site.daemon))
    pc = sec_site.daemon.policy().pickup_code
    statuses = [(await client.post("/api/v1/kiosk/pickup", json={"code": f"{i:010d}"},
                                   headers={"X-Kiosk-Id": f"rot-{i}"})).status_code for i in range(40)]
    assert statuses[:pc.kiosk_attempts] == [404] * pc.kiosk_attempts and set(statuses[pc.kiosk_attempts:]) == {429}
    # the site bucket was not drained by the rotation: only the kiosk's own wrong codes counted
    site_tokens = await sec_site.daemon.store.read(
        lambda tx: tx.scalar("SELECT tokens FROM code_attempts WHERE scope = 'pickup:site'"))
    assert site_tokens >= pc.site_bucket - pc.kiosk_attempts


async def test_courier_codes_have_a_site_wide_bucket_across_token_kiosks(tmp_path: Path) -> None:
    kiosks = []
    for i in range(8):
        f = tmp_path / f"k{i}.token"
        f.write_text(f"token-of-kiosk-{i}-" + "x" * 24)
        f.chmod(0o600)
        kiosks.append({"id": f"k{i}", "token_file": str(f)})
    site = await start_site(tmp_path / "site", web={"kiosks": kiosks})
    try:
        client = client_for(create_app(site.daemon), OUTSIDER)
        tokens = [f"token-of-kiosk-{i}-" + "x" * 24 for i in range(8)]
        failures = 0
        for n in range(200):
            r = await client.post("/api/v1/kiosk/courier/session", json={"courier_code": f"{800000 + n}"},
                                  headers={"X-Kiosk-Token": tokens[n % 8]})
            if r.status_code == 401:
                failures += 1
            else:
                assert r.status_code == 429, r.text
        assert failures <= LOGIN_POLICY.site_bucket, f"{failures} wrong courier codes were checked"
        r = await client.post("/api/v1/kiosk/courier/session", json={"courier_code": "100001"},
                              headers={"X-Kiosk-Token": tokens[0]})
        assert r.status_code == 429 and r.json()["retry_after"] > 0
    finally:
        await site.daemon.stop()


async def test_a_device_that_is_not_a_kiosk_is_refused(sec_site: Site) -> None:
    client = client_for(create_app(sec_site.daemon), OUTSIDER)
    for path, body in (("/api/v1/kiosk/pickup", {"code": "1234567890"}),
                       ("/api/v1/kiosk/courier/session", {"courier_code": "100001"})):
        r = await client.post(path, json=body, headers={"X-Kiosk-Id": "kiosk-1"})
        assert r.status_code == 403 and r.json()["error"] == "kiosk_unknown"
    r = await client.post("/api/v1/kiosk/pickup", json={"code": "1234567890"}, headers={"X-Kiosk-Token": "guess" * 6})
    assert r.status_code == 403


async def test_the_scan_stream_is_refused_to_a_device_that_is_not_the_kiosk(sec_site: Site) -> None:
    client = client_for(create_app(sec_site.daemon), OUTSIDER)
    r = await client.get("/api/v1/kiosk/stream", headers={"X-Kiosk-Id": "kiosk-1"})
    assert r.status_code == 403 and "scan" not in r.text
    r = await client.get("/api/v1/kiosk/stream?kiosk_token=" + "g" * 30)
    assert r.status_code == 403


def test_courier_code_guessing_bound_in_the_docs_is_recomputed() -> None:
    doc = (REPO / "docs" / "security.md").read_text()
    budget = codemath.yearly_guess_budget(LOGIN_POLICY)
    assert f"{int(budget):,} wrong courier codes" in doc, "docs/security.md states another yearly budget"
    rows = re.findall(r"^\| (\d+) digits \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$", doc, re.M)
    assert rows, "the courier-code table is missing from docs/security.md"
    for digits, *cells in rows:
        for couriers, cell in zip((10, 100, 500), cells, strict=True):
            want = codemath.expected_courier_successes_per_year(LOGIN_POLICY, couriers, int(digits))
            got = float(cell.strip().strip("*").replace(",", ""))
            assert abs(got - want) <= want * 0.02, f"{digits} digits, {couriers} couriers: doc {got}, computed {want}"
    # the recommendation meets its own target: 8 digits, 100 couriers, under 0.01 a year
    assert codemath.expected_courier_successes_per_year(LOGIN_POLICY, 100, 8) < 0.01


async def test_a_courier_token_works_only_at_a_kiosk(sec_site: Site) -> None:
    app = create_app(sec_site.daemon)
    r = await client_for(app).post("/api/v1/kiosk/courier/session", json={"courier_code": "100002"})
    token = r.json()["token"]
    r = await client_for(app, OUTSIDER).post("/api/v1/kiosk/deposits", json={"tracking_number": "YT1234567890"},
                                             headers={"Authorization": "Bearer " + token})
    assert r.status_code == 403 and r.json()["error"] == "kiosk_unknown"
