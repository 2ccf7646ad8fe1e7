"""The optional provider poller against a local fake Kuaidi100-style server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from edge.tracking.poller import Kuaidi100Adapter, Poller, PollerSettings, ProviderError
from tests.tracking.conftest import Env

KEY, CUSTOMER = "secret-key", "CUST01"


class FakeKuaidi100:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.fail = False
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode()).items()}
                outer.requests.append(form)
                param = json.loads(form["param"])
                good = hashlib.md5((form["param"] + KEY + form["customer"]).encode()).hexdigest().upper()
                if outer.fail:
                    body: dict[str, Any] = {"result": False, "returnCode": "500", "message": "查询无结果，请隔段时间再查"}
                elif form["sign"] != good:
                    body = {"result": False, "returnCode": "400", "message": "sign error"}
                else:
                    body = {"message": "ok", "status": "200", "state": "0", "com": param["com"], "nu": param["num"],
                            "data": [{"time": "2026-03-11 12:00:00", "ftime": "2026-03-11 12:00:00",
                                      "context": "【上海浦东】快件已到达", "location": "上海浦东", "statusCode": "1001"},
                                     {"time": "2026-03-11 09:00:00", "ftime": "2026-03-11 09:00:00",
                                      "context": "顺丰速运 已收取快件", "statusCode": "103"}]}
                raw = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/poll/query.do"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake() -> Iterator[FakeKuaidi100]:
    f = FakeKuaidi100()
    yield f
    f.close()


async def test_poll_rate_limit_and_ingest(env: Env, fake: FakeKuaidi100) -> None:
    await env.service.follow("SF1234567890123", carrier="SF")
    await env.service.follow("731234567890", carrier="ZTO")
    settings = PollerSettings(enabled=True, url=fake.url, customer=CUSTOMER, key=KEY)
    async with httpx.AsyncClient(timeout=5) as client:
        poller = Poller(env.service, env.store, env.clock, Kuaidi100Adapter(client, fake.url, CUSTOMER, KEY), settings)
        r = await poller.poll_once()
        assert r == {"asked": 2, "stored": 4, "failed": 0}
        assert {json.loads(q["param"])["com"] for q in fake.requests} == {"shunfeng", "zhongtong"}
        assert [e["milestone"] for e in await env.service.events("SF1234567890123")] == ["picked_up", "arrived_at_hub"]
        assert (await poller.poll_once())["asked"] == 0  # within 30 minutes: not again
        env.clock.advance(29 * 60)
        assert (await poller.poll_once())["asked"] == 0
        fake.fail = True
        env.clock.advance(60)
        r = await poller.poll_once()
        assert r == {"asked": 2, "stored": 0, "failed": 2}
        assert (await poller.poll_once())["asked"] == 0  # failures count toward the limit too
        assert len(fake.requests) == 4


async def test_adapter_errors_are_clear(fake: FakeKuaidi100) -> None:
    async with httpx.AsyncClient(timeout=5) as client:
        bad_key = Kuaidi100Adapter(client, fake.url, CUSTOMER, "wrong")
        with pytest.raises(ProviderError, match="sign error"):
            await bad_key.query("SF", "SF1234567890123")
        with pytest.raises(ProviderError, match="no Kuaidi100 company code"):
            await bad_key.query(None, "X1")
        closed = Kuaidi100Adapter(client, "http://127.0.0.1:9/none", CUSTOMER, KEY)
        with pytest.raises(ProviderError, match="query failed"):
            await closed.query("SF", "SF1234567890123")


def test_rate_limit_cannot_be_configured_below_30_minutes() -> None:
    with pytest.raises(ValueError):
        PollerSettings(min_interval_s=60)
    assert "secret" not in repr(PollerSettings(key="secret"))
