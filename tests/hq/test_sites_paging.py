"""`GET /api/v1/sites` in pages (keyset on the site id) and the fleet page's site list, on a real PostgreSQL."""

from __future__ import annotations

import re

import psycopg
from fastapi.testclient import TestClient

from cloudsync.hq import fleet
from cloudsync.hq.api import create_app

N = 1234  # every 10th site offline, every 7th never seen online (online NULL counts as offline)


def fill(url: str) -> None:
    with psycopg.connect(url) as c:
        c.execute("INSERT INTO sites (site, online, since, version) "
                  "SELECT 'site-' || lpad(g::text, 5, '0'), CASE WHEN g %% 7 = 0 THEN NULL ELSE g %% 10 <> 0 END, "
                  "now(), '1.' || (g %% 3) FROM generate_series(1, %s) g", (N,))


def client(url: str) -> TestClient:
    return TestClient(create_app(url, token="tok"), headers={"Authorization": "Bearer tok"})


def walk(api: TestClient, **params: object) -> tuple[list[str], int]:
    seen: list[str] = []
    pages = 0
    cursor = None
    while True:
        r = api.get("/api/v1/sites", params={**params, **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200, r.text
        body = r.json()
        pages += 1
        assert isinstance(body, list)  # DESIGN.md section 8: the body is the list of sites
        seen += [s["site"] for s in body]
        cursor = r.headers.get("x-next-cursor")
        if cursor is None:
            assert "link" not in r.headers
            return seen, pages
        link = r.headers["link"]
        assert link.endswith('>; rel="next"') and f"cursor={cursor}" in link


def test_every_site_once_in_order_page_by_page(db_url: str) -> None:
    fill(db_url)
    api = client(db_url)
    every = api.get("/api/v1/sites")  # no paging asked: every site, as DESIGN.md section 8 has it
    assert [s["site"] for s in every.json()] == [f"site-{g:05d}" for g in range(1, N + 1)]
    assert "x-next-cursor" not in every.headers
    deeper = api.get("/api/v1/sites", params={"cursor": fleet.encode_cursor("site-00001")})
    assert len(deeper.json()) == fleet.PAGE_DEFAULT  # a cursor without a limit: pages of the default size
    sites, pages = walk(api, limit=100)
    assert sites == [f"site-{g:05d}" for g in range(1, N + 1)] and pages == 13
    offline, _ = walk(api, state="offline", limit=50)
    assert offline == [f"site-{g:05d}" for g in range(1, N + 1) if g % 7 == 0 or g % 10 == 0]
    online, _ = walk(api, state="online", limit=fleet.PAGE_MAX)
    assert len(online) + len(offline) == N and not set(online) & set(offline)
    exact, pages = walk(api, limit=N)  # a last page that is exactly full says so: no empty extra page
    assert len(exact) == N and pages == 1


def test_bad_paging_input_gets_a_clear_400(db_url: str) -> None:
    fill(db_url)
    api = client(db_url)
    for params in ({"limit": 0}, {"limit": fleet.PAGE_MAX + 1}, {"limit": "abc"}, {"state": "asleep"},
                   {"cursor": "!!"}, {"cursor": "c2l0ZS0wMDAwMQ=="}, {"cursor": ""}):
        r = api.get("/api/v1/sites", params=params)
        assert r.status_code == 400, (params, r.text)
        assert r.json()["error"] == "invalid" and r.json()["message"]
    assert client(db_url).get("/api/v1/sites", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_the_paging_is_in_the_openapi_document(db_url: str) -> None:
    spec = client(db_url).get("/openapi.json").json()
    op = spec["paths"]["/api/v1/sites"]["get"]
    names = {p["name"]: p for p in op["parameters"]}
    assert set(names) == {"state", "limit", "cursor"}
    assert "X-Next-Cursor" in op["description"] and str(fleet.PAGE_MAX) in names["limit"]["description"]


def test_the_fleet_page_lists_sites_a_page_at_a_time(db_url: str) -> None:
    fill(db_url)
    api = client(db_url)
    api.cookies.set("lockerd_hq", "tok")
    html = api.get("/", params={"lang": "en"}).text
    assert "All sites" in html and "site-00001" in html and "site-00100" in html and "site-00101" not in html
    seen = 0
    href = "/?lang=en"
    while True:
        html = api.get(href.replace("&amp;", "&")).text
        link = r'<td><a href="/sites/(site-\d{5})\?lang=en">(site-\d{5})</a></td>'  # each site links to its page
        seen += len({b for a, b in re.findall(link, html.split('id="all-sites"')[1]) if a == b})
        m = re.search(r'<a rel="next" href="([^"]+)"', html)
        if m is None:
            break
        assert "Back to the first page" in html or href == "/?lang=en"
        href = m.group(1).split("#")[0]
    assert seen == N
    zh = api.get("/", params={"lang": "zh", "state": "offline"}).text
    assert "全部站点" in zh and "下一页" in zh and "只看离线" in zh
    assert api.get("/", params={"cursor": "garbage!"}).status_code == 200  # a hand-edited link: first page
