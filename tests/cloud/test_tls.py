"""mqtts:// with a per-site client certificate: Mosquitto with require_certificate,
use_identity_as_username and a per-site ACL pattern (the settings docs/mqtt.md documents)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from paho.mqtt.enums import CallbackAPIVersion

from tests.cloud.conftest import SITE, Broker, Hq

ACL = """\
# HQ (certificate CN=hq) reads every site and sends commands
user hq
topic readwrite lockerd/v1/#

# each site (certificate CN = site id = client id) only its own topics
pattern write lockerd/v1/%u/status
pattern write lockerd/v1/%u/events
pattern write lockerd/v1/%u/telemetry
pattern write lockerd/v1/%u/state/compartments
pattern write lockerd/v1/%u/cmd/result
pattern read lockerd/v1/%u/cmd
pattern read lockerd/v1/%u/tracking
"""


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _write(path: Path, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate) -> tuple[str, str]:
    path.with_suffix(".key").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                           serialization.PrivateFormat.PKCS8,
                                                           serialization.NoEncryption()))
    path.with_suffix(".pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(path.with_suffix(".pem")), str(path.with_suffix(".key"))


def make_pki(d: Path, *, hq_cn: str = "hq") -> dict[str, tuple[str, str]]:
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("lockerd test CA")).issuer_name(_name("lockerd test CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    out = {"ca": _write(d / "ca", ca_key, ca)}
    for name, san in (("server", True), (SITE, False), ("hq", False)):
        key = ec.generate_private_key(ec.SECP256R1())
        cn = "127.0.0.1" if san else hq_cn if name == "hq" else name
        b = (x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(ca.subject)
             .public_key(key.public_key()).serial_number(x509.random_serial_number())
             .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1)))
        if san:
            b = b.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                critical=False)
        out[name] = _write(d / name, key, b.sign(ca_key, hashes.SHA256()))
    return out


class TlsHq(Hq):
    def __init__(self, port: int, pki: dict[str, tuple[str, str]]) -> None:
        self._pki = pki
        super().__init__(port, client_id="hq-tls")

    def _configure(self, c: mqtt.Client) -> None:
        ctx = ssl.create_default_context(cafile=self._pki["ca"][0])
        ctx.load_cert_chain(*self._pki["hq"])
        c.tls_set_context(ctx)


@pytest.fixture
def tls_broker(tmp_path: Path):
    pki = make_pki(tmp_path)
    acl = tmp_path / "acl"
    acl.write_text(ACL)
    b = Broker(tmp_path / "tls-broker", extra="\n".join([
        f"cafile {pki['ca'][0]}", f"certfile {pki['server'][0]}", f"keyfile {pki['server'][1]}",
        "require_certificate true", "use_identity_as_username true", f"acl_file {acl}"]))
    conf = b.conf.read_text().replace("allow_anonymous true", "allow_anonymous false")
    b.conf.write_text(conf)
    b.start()
    yield b, pki
    b.stop()


async def test_mqtts_with_client_certificate(tls_broker, daemon_factory, signing_key):
    broker, pki = tls_broker
    hq = TlsHq(broker.port, pki)
    try:
        d = await daemon_factory(f"mqtts://127.0.0.1:{broker.port}", signing_key[1], ca_file=pki["ca"][0],
                                 cert_file=pki[SITE][0], key_file=pki[SITE][1])
        await hq.online(d.boot_id)
        await d.services.compartments.disable("A-01", actor="staff:t", reason="tls test")
        await hq.wait_for(lambda: [e for e in hq.on("/events") if e["type"] == "compartment.disabled"])
        assert d.cloud.status()["connected"]
    finally:
        hq.close()


def test_a_client_without_certificate_is_refused(tls_broker):
    broker, pki = tls_broker
    c = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="intruder", protocol=mqtt.MQTTv5)
    c.tls_set_context(ssl.create_default_context(cafile=pki["ca"][0]))
    try:
        c.connect("127.0.0.1", broker.port)
        for _ in range(20):
            c.loop(0.1)
            if c.is_connected():
                break
        refused = not c.is_connected()
    except (ssl.SSLError, OSError):
        refused = True
    assert refused
