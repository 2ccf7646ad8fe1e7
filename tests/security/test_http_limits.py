"""Request bodies (413 and flat memory), bounded metric labels, the Host check, bad paths, /docs."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import resource

import pytest

from edge.web.app import create_app
from edge.web.metrics import get_metrics
from tests.conftest import Site
from tests.security.conftest import client_for, live_server, raw_request

MB = 1024 * 1024


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / MB


async def test_declared_300_mb_body_is_refused_before_reading(sec_site: Site) -> None:
    async with live_server(sec_site) as srv:
        head = (b"POST /api/v1/kiosk/pickup HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                b"Content-Length: 314572800\r\n\r\n{\"code\": \"")
        answer = await raw_request(srv.port, head)
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
        assert b"body_too_large" in answer


async def test_chunked_oversized_bodies_get_413_and_memory_stays_flat(sec_site: Site) -> None:
    chunk = b"9" * (256 * 1024)
    size = 40 * MB  # CI size; the finding used three 300 MB bodies

    async def send_chunked() -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", srv.port)
        answer = asyncio.create_task(reader.read(4096))  # read while sending: the 413 comes early
        writer.write(b"POST /api/v1/kiosk/pickup HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        sent = 0
        try:
            while sent < size and not answer.done():
                writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                await writer.drain()
                sent += len(chunk)
            return await asyncio.wait_for(answer, 5)
        except (ConnectionError, OSError):
            return answer.result() if answer.done() and not answer.exception() else b""
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async with live_server(sec_site) as srv:
        before, peak_before = rss_mb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        answers = [await send_chunked() for _ in range(3)]
        grown = max(rss_mb() - before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - peak_before)
    assert all(a.startswith(b"HTTP/1.1 413") for a in answers), [a[:80] for a in answers]
    assert grown < 20, f"RSS grew {grown:.1f} MB for three {size // MB} MB bodies"


async def test_body_limits_are_sized_per_route(sec_site: Site) -> None:
    client = client_for(create_app(sec_site.daemon))
    r = await client.post("/api/v1/kiosk/pickup", content=b"{" + b" " * (20 * 1024) + b"}",
                          headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["error"] == "body_too_large"
    r = await client.post("/api/v1/kiosk/pickup", json={"code": "1234567890"})
    assert r.status_code == 404  # a normal body still passes
    r = await client.post("/parcels/x/hold", content=b"x" * (2 * MB), headers={"content-type": "text/plain"})
    assert r.status_code == 413


async def test_odd_methods_do_not_grow_the_metric_series(sec_site: Site) -> None:
    app = create_app(sec_site.daemon)
    client = client_for(app)
    for i in range(2000):  # the finding used 20,000
        await client.request(f"X{i:05d}", "/healthz")
    metrics = get_metrics(app)
    methods = {s.labels["method"] for fam in metrics.requests.collect() for s in fam.samples}
    assert methods <= {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"}, methods


async def test_a_foreign_host_name_is_refused(sec_site: Site) -> None:
    client = client_for(create_app(sec_site.daemon))
    for host in ("attacker.example", "rebind.attacker.example:8080"):
        r = await client.post("/api/v1/kiosk/pickup", json={"code": "1234567890"}, headers={"host": host})
        assert r.status_code == 421 and r.json()["error"] == "host_not_allowed"
    for host in ("127.0.0.1:8080", "localhost", "[::1]:8080", "lockerpi", "lockerpi.local", "192.168.1.20"):
        assert (await client.get("/healthz", headers={"host": host})).status_code == 200, host


@pytest.mark.parametrize("path", ["/static/console/%00.css", "/static/console/a%00b", "/kiosk/static/%00",
                                  "/login%00", "/static/console/%ff%fe.css"])
async def test_nul_and_invalid_bytes_in_a_path_are_404_without_a_traceback(
        sec_site: Site, path: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR)
    async with live_server(sec_site) as srv:
        answer = await raw_request(srv.port, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 404"), answer[:120]
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"


async def test_docs_load_nothing_from_a_cdn(sec_site: Site) -> None:
    client = client_for(create_app(sec_site.daemon))
    r = await client.get("/docs")
    assert r.status_code == 200 and "/api/v1/kiosk/pickup" in r.text
    assert "<script" not in r.text and "cdn" not in r.text.lower() and "http" not in r.text.split("</style>", 1)[1]
    assert "default-src 'none'" in r.headers["content-security-policy"]
