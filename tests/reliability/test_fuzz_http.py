"""The whole HTTP API fuzzed from its own OpenAPI document (schemathesis) against `lockerd simulate`.

Every operation the daemon publishes at /openapi.json gets generated requests (valid and invalid
bodies, paths and query strings), sent as a courier with a valid bearer token and as a logged-in
admin (session cookie + CSRF header). Checked: never a 5xx, and every API error is JSON
``{"error", "message"}``. The Server-Sent Events stream is left out (it never ends by design).

CI: 60 examples per operation (hypothesis seed fixed by LOCKERD_SEED); LOCKERD_LONG=1: 500.
"""

from __future__ import annotations

import os
import re
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, seed, settings

from tests.conftest import SimServer, launch_sim

LONG = os.environ.get("LOCKERD_LONG") == "1"
SEED = int(os.environ.get("LOCKERD_SEED", "20261122"))
EXAMPLES = 500 if LONG else 60
SKIP_PATHS = ("/api/v1/kiosk/stream", "/api/v1/console/stream", "/logout")
SEEN: dict[str, int] = {}


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimServer]:
    server = launch_sim(tmp_path_factory.mktemp("fuzzhttp") / "sim", "--demo", "--confirm-timeout", "1")
    try:
        yield server
    finally:
        server.stop()
        report = ", ".join(f"{k}: {v}" for k, v in sorted(SEEN.items()))
        print(f"\nHTTP fuzz (seed {SEED}, {EXAMPLES} examples per operation): {report}")


@pytest.fixture(scope="module")
def auth(sim: SimServer) -> dict[str, str]:
    """A courier bearer token and an admin session (cookie + CSRF token) for the fuzzed requests."""
    st, body = sim.api("POST", "/api/v1/kiosk/courier/session", {"courier_code": "100001"})
    assert st == 200
    headers = {"Authorization": "Bearer " + body["token"]}
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(sim.url + "/login", timeout=10).read().decode()
    m = re.search(r'name="_csrf" value="([^"]+)"', page)
    assert m, page[:500]
    form = {"_csrf": m.group(1), "username": "admin", "password": "admin-demo-pass"}
    home = opener.open(sim.url + "/login", data=urllib.parse.urlencode(form).encode(), timeout=10).read().decode()
    csrf = re.search(r'data-csrf="([^"]+)"', home)
    assert csrf, home[:500]
    headers["Cookie"] = "; ".join(f"{c.name}={c.value}" for c in jar)
    headers["X-CSRF-Token"] = csrf.group(1)
    return headers


def test_no_5xx_and_json_errors(sim: SimServer, auth: dict[str, str]) -> None:
    """Each operation in turn, EXAMPLES generated cases each (positive and negative data)."""
    api = schemathesis.openapi.from_url(sim.url + "/openapi.json")
    failures: list[str] = []
    operations = 0
    for result in api.get_all_operations():
        op = result.ok()
        if op.path.startswith(SKIP_PATHS):
            continue
        operations += 1

        @seed(SEED)
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(case=op.as_strategy())
        def run(case: Any) -> None:
            resp = case.call(base_url=sim.url, headers=auth, timeout=10, allow_redirects=False)
            cls = f"{resp.status_code // 100}xx"
            SEEN[cls] = SEEN.get(cls, 0) + 1
            where = f"{case.method} {case.formatted_path}"
            assert resp.status_code < 500, f"{where}: {resp.status_code} {resp.text[:300]}"
            if resp.status_code >= 400 and case.operation.path.startswith("/api/"):
                body = resp.json()
                assert isinstance(body, dict) and isinstance(body.get("error"), str) \
                    and isinstance(body.get("message"), str), f"{where}: {body}"

        try:
            run()
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{op.method.upper()} {op.path}: {str(exc)[:400]}")
    SEEN["operations"] = operations
    assert operations > 10
    assert failures == []


def test_daemon_still_healthy_after_fuzzing(sim: SimServer) -> None:
    status, body = sim.api("GET", "/healthz")
    assert status == 200 and body["status"] == "ok"
    assert sim.proc.poll() is None
    assert "Traceback" not in sim.log() or "unhandled error" not in sim.log()
