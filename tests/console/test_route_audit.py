"""Route audit: every route of the whole app, except the public ones, refuses a caller with no session.

Walks the app's route table (pages included, whatever part added them) and the OpenAPI spec, calls each
method with no cookie, and fails on any that answers without a login. Public by design: the kiosk,
/healthz, the simulator API, the login page, /docs and /openapi.json, static files.
"""

from __future__ import annotations

import re

import pytest
from starlette.routing import Mount, Route

from edge.web.console.auth import is_public

PARAM = re.compile(r"\{([^}:]+)(:[^}]+)?\}")


def concrete(path: str) -> str:
    return PARAM.sub("A-01", path)


def routes_of(routes, prefix: str = "") -> list[tuple[str, str]]:
    """(method, path) of every route, descending into included routers (FastAPI keeps them nested)."""
    out = []
    for r in routes:
        if isinstance(r, Route):
            for m in sorted(r.methods or {"GET"}):
                if m != "HEAD":
                    out.append((m, prefix + r.path))
        elif isinstance(r, Mount):
            out.append(("GET", prefix + r.path.rstrip("/") + "/x"))
        elif hasattr(r, "original_router"):
            ctx = getattr(r, "include_context", None)
            out += routes_of(r.original_router.routes, prefix + (getattr(ctx, "prefix", "") or ""))
    return out


def test_public_paths_are_exactly_the_allowed_ones() -> None:
    for p in ("/kiosk", "/kiosk/static/js/main.js", "/api/v1/kiosk/pickup", "/healthz", "/api/v1/sim/doors",
              "/login", "/docs", "/openapi.json", "/static/console/console.css", "/p/LKP1:s:1234567890"):
        assert is_public(p), p
    for p in ("/", "/parcels", "/api/v1/console/grid", "/kiosks", "/api/v1/kiosky", "/login2", "/healthz/x",
              "/api/v1/simulate", "/metrics", "/api/v1/tracking/x", "/docsx", "/openapi.json.bak", "/p", "/parcels/p/x"):
        assert not is_public(p), p


async def test_every_non_public_route_requires_login(console) -> None:
    app = console.app
    spec = app.openapi()
    checked: list[str] = []
    targets = set(routes_of(app.routes))
    for path, item in spec.get("paths", {}).items():
        for method in item:
            if method.upper() in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                targets.add((method.upper(), path))
    assert len(targets) > 20
    client = console.client()
    for method, path in sorted(targets):
        url = concrete(path)
        if is_public(url):
            continue
        for accept in ("text/html", "application/json"):
            r = await client.request(method, url, headers={"accept": accept}, data={"reason": "x"} if method != "GET" else None)
            ok = r.status_code == 401 or (r.status_code == 303 and r.headers["location"].startswith("/login"))
            assert ok, f"{method} {path} answered {r.status_code} without a login: {r.text[:200]}"
        checked.append(f"{method} {path}")
    assert "GET /" in checked and "GET /api/v1/console/grid" in checked and "POST /compartments/{compartment}/{action}" in checked
    # the console's own pages are all in the audit
    for page in ("/parcels", "/desk", "/tasks", "/users", "/settings", "/audit", "/wallboard", "/reports/carriers"):
        assert f"GET {page}" in checked, page


@pytest.mark.parametrize("path", ["/", "/parcels", "/desk", "/tasks/notice", "/reports/carriers.csv"])
async def test_a_forged_cookie_does_not_count_as_a_login(console, path: str) -> None:
    client = console.client()
    client.cookies.set("lockerd_session", "eyJ1IjoiYWRtaW4ifQ.forged")
    r = await client.get(path, headers={"accept": "text/html"})
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


async def test_metrics_bearer_token_is_left_to_the_metrics_route(console) -> None:
    metrics = pytest.importorskip("edge.web.metrics")
    client = console.client()
    assert (await client.get("/metrics")).status_code == 401
    assert (await client.get("/metrics", headers={"authorization": "Bearer not-the-token"})).status_code == 401
    token = metrics.create_token(console.daemon.data_dir)
    r = await client.get("/metrics", headers={"authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    # a bearer header does not open any other route
    assert (await client.get("/api/v1/console/grid", headers={"authorization": f"Bearer {token}"})).status_code == 401
