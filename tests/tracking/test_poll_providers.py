"""Polling Kdniao and 17TRACK against fake servers on 127.0.0.1, with the provider's rate limit."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from edge.tracking.poller import Poller, PollerSettings
from edge.tracking.providers import kdniao
from edge.tracking.providers.polling import KdniaoAdapter, PollError, Track17Adapter

APPKEY, TOKEN = "kdn-key", "17-token"


class Fake:
    """Answers Kdniao forms (checking DataSign) and 17TRACK JSON (checking the 17token header)."""

    def __init__(self) -> None:
        self.times: list[float] = []
        outer = self

        class H(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                outer.times.append(time.monotonic())
                if self.path.startswith("/kdn"):
                    form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                    req = json.loads(form["RequestData"])
                    ok = form["DataSign"] == kdniao.data_sign(form["RequestData"], APPKEY)
                    body: Any = {"Success": ok, "Reason": "" if ok else "sign error", "State": "2",
                                 "LogisticCode": req["LogisticCode"],
                                 "Traces": [{"AcceptTime": "2026-03-11 09:00:00", "AcceptStation": "【杭州市】圆通速递 已揽收"}]}
                else:
                    num = json.loads(raw)[0]["number"]
                    ok = self.headers.get("17token") == TOKEN
                    body = {"code": 0 if ok else -18010002, "data": {"accepted": [{"number": num, "track_info": {
                        "tracking": {"providers": [{"events": [{"time_utc": "2026-03-11T02:00:00Z",
                                                                "description": "Arrived at sort facility"}]}]}}}]}}
                out = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *a: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def fake() -> Iterator[Fake]:
    f = Fake()
    yield f
    f.server.shutdown()
    f.server.server_close()


async def test_kdniao_and_17track_adapters(fake: Fake):
    async with httpx.AsyncClient() as client:
        k = KdniaoAdapter(client, fake.url + "/kdn", "1230000", APPKEY)
        evs = await k.query("YTO", "YT1000000000001")
        assert evs[0]["text"].endswith("已揽收")
        with pytest.raises(PollError):
            await KdniaoAdapter(client, fake.url + "/kdn", "1230000", "wrong").query("YTO", "YT1000000000001")
        t = Track17Adapter(client, fake.url + "/17", TOKEN)
        assert (await t.query(None, "RR123456789CN"))[0]["text"] == "Arrived at sort facility"
        with pytest.raises(PollError):
            await Track17Adapter(client, fake.url + "/17", "bad").query(None, "RR123456789CN")


async def test_poller_keeps_to_the_rate_limit(env, fake: Fake):
    for i in range(6):
        await env.service.follow(f"YT100000000001{i}", carrier="YTO")
    settings = PollerSettings(enabled=True, provider="kdniao", max_per_minute=60)  # one a second
    async with httpx.AsyncClient() as client:
        poller = Poller(env.service, env.store, env.clock, KdniaoAdapter(client, fake.url + "/kdn", "1", APPKEY),
                        settings)
        poller._bucket.tokens = 2  # a burst left for two requests, then one a second
        res = await poller.poll_once()
    assert res == {"asked": 6, "stored": 6, "failed": 0}
    gaps = [b - a for a, b in zip(fake.times, fake.times[1:], strict=False)]
    assert sum(gaps) >= 3.5, gaps  # 4 requests past the burst, one a second
