"""`lockerd hq serve --mqtt mqtts://` against the broker docs/hq.md ships (firmware-config/hq/mosquitto.conf:
a private CA, `require_certificate`, `use_identity_as_username`, the shipped ACL).

Found by the 2026-12-02 trial (the issue-17 leftover of the TLS path): HQ's ingest workers and dispatcher
trusted only the system's CAs and presented no certificate, so HQ could not connect to its own documented
broker at all. `--ca-file`, `--cert-file` and `--key-file` now reach both; the PKI is made in the test.
"""

from __future__ import annotations

import json
import ssl
import time
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from cloudsync.hq.dispatch import Dispatcher
from cloudsync.hq.worker import Worker
from edge.cli.main import main
from tests.cloud.conftest import SITE, Broker
from tests.cloud.test_tls import make_pki

REPO = Path(__file__).resolve().parents[2]
NO_DB = "postgresql://nobody@127.0.0.1:1/none"  # the MQTT side only: nothing listens there


@pytest.fixture
def hq_broker(tmp_path: Path):
    pki = make_pki(tmp_path, hq_cn="lockerd-hq-ingest")  # a user of the shipped ACL
    b = Broker(tmp_path / "broker", extra="\n".join([
        f"cafile {pki['ca'][0]}", f"certfile {pki['server'][0]}", f"keyfile {pki['server'][1]}",
        "require_certificate true", "use_identity_as_username true",
        f"acl_file {REPO / 'firmware-config' / 'hq' / 'mosquitto.acl'}"]))
    b.conf.write_text(b.conf.read_text().replace("allow_anonymous true", "allow_anonymous false"))
    b.start()
    yield b, pki
    b.stop()


def _site_publish(port: int, pki: dict[str, tuple[str, str]], topic: str, doc: dict[str, object]) -> None:
    c = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=SITE, protocol=mqtt.MQTTv5)
    ctx = ssl.create_default_context(cafile=pki["ca"][0])
    ctx.load_cert_chain(*pki[SITE])
    c.tls_set_context(ctx)
    c.connect("127.0.0.1", port)
    c.loop_start()
    try:
        c.publish(topic, json.dumps(doc), qos=1).wait_for_publish(5)
    finally:
        c.disconnect()
        c.loop_stop()


def test_ingest_worker_and_dispatcher_over_mqtts_with_hq_certificate(hq_broker) -> None:
    broker, pki = hq_broker
    url = f"mqtts://127.0.0.1:{broker.port}"
    tls = {"ca_file": pki["ca"][0], "cert_file": pki["hq"][0], "key_file": pki["hq"][1]}
    w = Worker(url, NO_DB, client_id="lockerd-hq-ingest-0", **tls)
    d = Dispatcher(url, NO_DB, None, client_id="lockerd-hq-dispatch", **tls)
    w.mqtt.start()
    d.client.connect_async(d.broker.host, d.broker.port, keepalive=30)
    d.client.loop_start()
    try:
        assert w.mqtt.subscribed.wait(10), "the ingest worker did not subscribe over TLS"
        assert d.connected.wait(10), "the dispatcher did not connect over TLS"
        _site_publish(broker.port, pki, f"lockerd/v1/{SITE}/status", {"site": SITE, "online": True})
        deadline, got = time.monotonic() + 10, []
        while not got and time.monotonic() < deadline:
            got = [m for m in w.mqtt.take(10, 0.5, 0) if m.topic.endswith("/status")]
        assert got and json.loads(got[0].payload)["site"] == SITE
    finally:
        d.client.disconnect()
        d.client.loop_stop()
        w.mqtt.stop()


def test_without_the_private_ca_hq_is_not_let_in(hq_broker) -> None:
    broker, pki = hq_broker
    w = Worker(f"mqtts://127.0.0.1:{broker.port}", NO_DB, client_id="lockerd-hq-ingest-0")
    w.mqtt.start()
    try:
        assert not w.mqtt.subscribed.wait(2)
    finally:
        w.mqtt.stop()


@pytest.mark.parametrize(("extra", "says"), [
    (["--ca-file", "/nonexistent/ca.pem"], "CA file /nonexistent/ca.pem"),
    (["--key-file", "k.pem"], "needs its certificate"),
])
def test_serve_names_a_bad_tls_file_before_starting(extra: list[str], says: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["hq", "serve", "--mqtt", "mqtts://127.0.0.1:1", "--database", NO_DB, *extra])
    err = capsys.readouterr().err
    assert rc == 2 and says in err and "Traceback" not in err
