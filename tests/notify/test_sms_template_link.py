"""The pickup link in the template SMS providers (Aliyun, Tencent): sent as template values (`qr`, the part
after `<public_url>/p/`, and `link`, the whole address) when the site has a public address, never without
one; a Tencent template list naming the link on a site without one is refused at start (ADR 0019, issue 18)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from edge.config import ConfigError, parse_config
from edge.notify.channels import aliyun, tencent
from edge.notify.config import AliyunSmsChannel, TencentSmsChannel
from edge.notify.dispatcher import with_pickup_qr
from tests.notify.receiver import Receiver
from tests.notify.test_config import _site
from tests.notify.test_providers import MSG, _secret

URL = "https://lockers.example.cn"
QR = "LKP1:sunny:1234567890"


def _ok_aliyun(r: Receiver, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
    q = dict(parse_qsl(urlsplit(path).query, keep_blank_values=True))
    sig = q.pop("Signature", "")
    if sig != aliyun.rpc_signature(q, "s3cret"):
        return 400, json.dumps({"Code": "SignatureDoesNotMatch"}).encode()
    return 200, json.dumps({"Code": "OK", "BizId": "1^0", "Message": "OK"}).encode()


def _ok_tencent(r: Receiver, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
    ts = int(headers["x-tc-timestamp"])
    signed = {"content-type": headers["content-type"], "host": headers["host"]}
    if headers.get("authorization") != tencent.authorization("AKIDtest", "tk3y", "sms", ts, "POST", "", signed, body):
        return 200, json.dumps({"Response": {"Error": {"Code": "AuthFailure.SignatureFailure"}}}).encode()
    return 200, json.dumps({"Response": {"SendStatusSet": [{"Code": "Ok", "SerialNo": "s1"}], "RequestId": "r"}}).encode()


async def test_aliyun_sends_the_link_as_template_values(tmp_path: Path) -> None:
    srv = Receiver(_ok_aliyun).start()
    try:
        cfg = AliyunSmsChannel(kind="sms-aliyun", access_key_id="LTAI-test",
                               access_key_secret_file=_secret(tmp_path, "ak", "s3cret"), sign_name="阳光花园",
                               templates={"stored": "SMS_100001"}, endpoint=srv.url + "/")
        ch = aliyun.AliyunSms(cfg, now=lambda: datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
        await ch.start()
        try:
            await ch.send(with_pickup_qr(MSG, "sunny", URL))
            await ch.send(with_pickup_qr(MSG, "sunny"))  # no public address: no link
        finally:
            await ch.stop()
        sent = [json.loads(dict(parse_qsl(urlsplit(r["path"]).query))["TemplateParam"]) for r in srv.requests]
        assert sent[0]["qr"] == QR and sent[0]["link"] == f"{URL}/p/{QR}"
        assert sent[0]["code"] == "1234567890"
        assert "qr" not in sent[1] and "link" not in sent[1]
    finally:
        srv.stop()


async def test_tencent_sends_the_link_in_the_kinds_template_order(tmp_path: Path) -> None:
    srv = Receiver(_ok_tencent).start()
    try:
        cfg = TencentSmsChannel(kind="sms-tencent", secret_id="AKIDtest", secret_key_file=_secret(tmp_path, "k", "tk3y"),
                                sdk_app_id="1400000000", sign_name="阳光花园",
                                templates={"stored": "449739", "reminder": "449740"},
                                template_params_by_kind={"stored": ["code", "tracking", "deadline", "qr"]},
                                endpoint=srv.url + "/")
        ch = tencent.TencentSms(cfg)
        await ch.start()
        try:
            await ch.send(with_pickup_qr(MSG, "sunny", URL))
            reminder = with_pickup_qr(type(MSG)(**{**MSG.__dict__, "kind": "reminder"}), "sunny", URL)
            await ch.send(reminder)  # a reminder carries no code link: its template keeps the common list
        finally:
            await ch.stop()
        bodies = [json.loads(r["body"]) for r in srv.requests]
        assert bodies[0]["TemplateParamSet"] == ["1234567890", "SF1234567890123", "2026-03-05 01:00", QR]
        assert bodies[1]["TemplateId"] == "449740"
        assert bodies[1]["TemplateParamSet"] == ["1234567890", "SF1234567890123", "2026-03-05 01:00"]
    finally:
        srv.stop()


def test_a_link_template_without_a_public_address_is_refused_at_start() -> None:
    ch = {"kind": "sms-tencent", "secret_id": "a", "secret_key_file": "/k", "sdk_app_id": "1", "sign_name": "s",
          "templates": {"stored": "1"}, "template_params_by_kind": {"stored": ["code", "qr"]}}
    with pytest.raises(ConfigError) as exc:
        parse_config(_site({"channels": [ch]}), "site.toml")
    assert "public_url" in exc.value.explain()
    data = _site({"channels": [ch]})
    data["site"]["public_url"] = URL
    assert parse_config(data).notify.channels[0].kind == "sms-tencent"


def test_the_documented_templates_name_the_values_we_send() -> None:
    from tests.conftest import REPO

    text = (REPO / "docs" / "operations.md").read_text(encoding="utf-8")
    assert "${qr}" in text and "{4}" in text and "template_params_by_kind" in text
