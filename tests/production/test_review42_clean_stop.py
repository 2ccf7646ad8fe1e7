"""Ctrl-C (or `systemctl stop`) while a kiosk and a console have their live streams open: a clean, quick stop.

Found by the review of 2026-12-08: the README's `lockerd simulate --demo`, with the kiosk page open in Chromium,
took 3 s to stop and printed "Cancel 1 running task(s), timeout graceful shutdown exceeded" and an "Exception in
ASGI application" traceback ending in CancelledError. The kiosk's server-sent-event stream never ends by itself,
and uvicorn waits for open responses before it cancels them. A real kiosk keeps that stream open all day, so every
stop and restart of a site logged the traceback as an error in the journal.
"""

from __future__ import annotations

import http.client
import signal
import time
from pathlib import Path

from tests.conftest import SimServer, launch_sim
from tests.console.test_cloud_status import Browserless


def _open_stream(server: SimServer, path: str, cookie: str = "") -> http.client.HTTPResponse:
    host, port = server.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.request("GET", path, headers={"Accept": "text/event-stream", **({"Cookie": cookie} if cookie else {})})
    resp = conn.getresponse()
    assert resp.status == 200, (path, resp.status, resp.read()[:300])
    assert resp.readline().startswith(b"retry:")  # the stream is open and has sent its first line
    return resp


def _console_cookie(server: SimServer) -> str:
    c = Browserless(server.url)
    c.login("admin", "admin-demo-pass")
    jar = c.opener.handlers  # the cookie processor's jar holds the session
    for h in jar:
        cookies = getattr(h, "cookiejar", None)
        if cookies is not None:
            return "; ".join(f"{ck.name}={ck.value}" for ck in cookies)
    raise AssertionError("no console session cookie")


def test_ctrl_c_with_the_kiosk_and_console_streams_open(tmp_path: Path) -> None:
    server = launch_sim(tmp_path / "sim")
    try:
        kiosk = _open_stream(server, "/api/v1/kiosk/stream")
        console = _open_stream(server, "/api/v1/console/stream", _console_cookie(server))
        t0 = time.monotonic()
        server.proc.send_signal(signal.SIGINT)
        code = server.proc.wait(15)
        took = time.monotonic() - t0
        # both streams were ended by the server (end of the chunked body), not cut off
        assert kiosk.read() is not None and console.read() is not None
    finally:
        server.stop()
    log = server.log()
    assert code == 0, log[-3000:]
    assert "Traceback" not in log and "graceful shutdown exceeded" not in log, log[-3000:]
    assert took < 2.5, f"stopped {took:.1f} s after the signal"
