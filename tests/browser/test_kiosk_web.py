"""kiosk.web: the page and its files are served from kiosk/static/, safely, cached and compressed."""

from __future__ import annotations

import gzip
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kiosk import web

STATIC = web.STATIC_DIR


@pytest.fixture()
def client() -> TestClient:
    app = FastAPI()
    app.include_router(web.router)
    return TestClient(app)


def test_page_is_served_with_a_strict_policy(client: TestClient) -> None:
    r = client.get("/kiosk")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert '<script type="module" src="/kiosk/static/js/main.js">' in r.text


def test_trailing_slash_redirects_and_keeps_the_query(client: TestClient) -> None:
    r = client.get("/kiosk/?lang=en", follow_redirects=False)
    assert r.status_code == 307
    assert r.headers["location"] == "/kiosk?lang=en"


@pytest.mark.parametrize(
    "rel",
    ["js/main.js", "kiosk.css", "i18n/zh-CN.js", "i18n/en.js", "js/screens/pickup.js"],
)
def test_static_files_have_their_types(client: TestClient, rel: str) -> None:
    r = client.get("/kiosk/static/" + rel)
    assert r.status_code == 200
    assert r.content == (STATIC / rel).read_bytes()
    want = "text/css" if rel.endswith(".css") else "text/javascript"
    assert r.headers["content-type"].startswith(want)
    assert r.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "rel",
    ["../web.py", "..%2Fweb.py", "js/../../web.py", ".hidden.js", "js/nothing.js", "index.py", "%00.js", "js\\main.js"],
)
def test_nothing_outside_static_is_served(client: TestClient, rel: str) -> None:
    r = client.get("/kiosk/static/" + rel)
    assert r.status_code == 404
    assert b"APIRouter" not in r.content
    # the client may normalise ".." away before the kiosk route sees it; when the route answers, it is JSON
    if r.url.path.startswith("/kiosk/static/"):
        assert r.json()["error"] == "not_found"


def test_revalidation_answers_304(client: TestClient) -> None:
    r = client.get("/kiosk/static/js/main.js")
    etag = r.headers["etag"]
    assert r.headers["cache-control"] == "no-cache"
    again = client.get("/kiosk/static/js/main.js", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    other = client.get("/kiosk/static/js/main.js", headers={"If-None-Match": '"nope"'})
    assert other.status_code == 200


def test_gzip_when_asked(client: TestClient) -> None:
    r = client.get("/kiosk/static/kiosk.css", headers={"Accept-Encoding": "gzip"})
    assert r.headers.get("content-encoding") == "gzip"
    assert r.content == (STATIC / "kiosk.css").read_bytes()  # the client decoded it
    raw = client.get("/kiosk/static/kiosk.css", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in raw.headers


def test_a_changed_file_is_served_fresh(client: TestClient, tmp_path, monkeypatch) -> None:
    (tmp_path / "index.html").write_text("<p>one</p>")
    monkeypatch.setattr(web, "STATIC_DIR", tmp_path)
    assert client.get("/kiosk").text == "<p>one</p>"
    (tmp_path / "index.html").write_text("<p>two, longer</p>")
    assert client.get("/kiosk").text == "<p>two, longer</p>"


def test_no_outside_resources_in_the_page_files() -> None:
    """Everything is served by the daemon: no http(s) URLs, CDNs or outside fonts in any file."""
    for path in STATIC.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", text, re.I), path
            assert "@import" not in text and "url(http" not in text, path


def test_page_weight_is_small() -> None:
    w = web.page_weight()
    assert w["files"] >= 10
    assert w["gzip_bytes"] < 40_000, w  # budget for a Pi: well under one image
    assert w["raw_bytes"] < 120_000, w
    body = (STATIC / "index.html").read_bytes()
    assert gzip.decompress(gzip.compress(body)) == body


def test_the_pickup_hint_promises_no_channel_the_site_may_not_use() -> None:
    """A site may tell residents by SMS only, by HQ's app only, or by a webhook: the kiosk's hint says "the pickup
    message" instead of naming "短信或 App" (trial 2026-12-03c: an SMS-only site's kiosk spoke of an app)."""
    for rel, banned in (("i18n/zh-CN.js", ("短信", "App", "app")), ("i18n/en.js", ("text message", " app"))):
        text = (STATIC / rel).read_text(encoding="utf-8")
        hints = [line for line in text.splitlines() if '"pickup.hint' in line]
        assert len(hints) == 2, rel
        for line in hints:
            assert not any(b in line for b in banned), line
