"""A site whose config sets `[site].name` is named by it at HQ (its birth carries it, ADR 0041): in the site list
and on the fleet page in both languages, with the id beside it; a site with no name is shown by its id. The birth
also carries the site's time zone, which HQ keeps for the site page's local times."""

from __future__ import annotations

import asyncio

import httpx

from edge.clock import SimClock
from tests.hq.conftest import site_cfg, until


async def test_the_fleet_page_names_sites_by_their_name(hq_broker, hq_serve, sites, tmp_path):
    from edge.daemon import Daemon

    hq = hq_serve().start()
    cfg = site_cfg("gardens-east", hq_broker.url, None)
    cfg = cfg.model_copy(update={"site": cfg.site.model_copy(update={"name": "东园小区 Gardens East",
                                                                      "timezone": "Europe/Berlin"})})
    cfg.site.model_fields_set.add("name")
    named = Daemon(cfg, clock=SimClock(), data_dir=tmp_path / "named", simulated=True)
    await named.start()
    try:
        await sites("gardens-west", hq_broker.url)

        def listed() -> dict[str, object]:
            return {r["site"]: r.get("name") for r in hq.api("GET", "/api/v1/sites").json() if r["online"]}

        await until(lambda: len(listed()) == 2, what="both sites online at HQ")
        assert listed() == {"gardens-east": "东园小区 Gardens East", "gardens-west": None}
        # the birth carries the site's time zone: the site page shows its events in the site's local time
        zones = {r["site"]: r.get("timezone") for r in hq.api("GET", "/api/v1/sites").json()}
        assert zones == {"gardens-east": "Europe/Berlin", "gardens-west": "Asia/Shanghai"}
        cookies = {"lockerd_hq": hq.token}
        for lang in ("zh", "en"):
            page = (await asyncio.to_thread(httpx.get, hq.url(f"/?lang={lang}"), cookies=cookies)).text
            assert ("东园小区 Gardens East（gardens-east）" if lang == "zh" else "东园小区 Gardens East (gardens-east)") in page, lang
            assert "gardens-west" in page and "None (gardens-west)" not in page
    finally:
        await named.stop()
