"""SMS providers and e-mail: request signing checked against each provider's published worked example, and
each client run against a loopback server that speaks the provider's API (and checks the signature)."""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from edge.notify.channels import aliyun, tencent, twilio
from edge.notify.channels.base import ChannelError, NotForThisChannel, Outgoing
from edge.notify.config import AliyunSmsChannel, SmtpChannel, TencentSmsChannel, TwilioSmsChannel
from tests.notify.receiver import Receiver

MSG = Outgoing(id="0190d3c4-0000-7000-8000-000000000001", kind="stored", lang="zh-CN",
               text="【阳光花园】您的包裹已存入智能柜 A-07 格口，取件码 1234567890。", unit="5-801",
               tracking_number="SF1234567890123", pickup_code="1234567890", deadline="2026-03-05T01:00:00.000Z",
               phone="+8613812345678", email="r@example.test")


# --- published examples ----------------------------------------------------------------------------
def test_aliyun_signature_matches_the_published_sendsms_example() -> None:
    """Alibaba Cloud SMS "签名机制" worked example (testId / testSecret)."""
    params = {"AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
              "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
              "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
              "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007", "TemplateParam": '{"customer":"test"}',
              "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25"}
    assert aliyun.string_to_sign(params).startswith("GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms")
    assert "SignName%3D%25E9%2598%25BF" in aliyun.string_to_sign(params)
    assert aliyun.rpc_signature(params, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="
    assert aliyun.signed_query(params, "testSecret").startswith("Signature=zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D&")


def test_aliyun_signature_matches_the_published_rpc_example() -> None:
    """The RPC signature page's DescribeRegions example (testid / testsecret)."""
    p = {"Format": "XML", "AccessKeyId": "testid", "Action": "DescribeRegions", "SignatureMethod": "HMAC-SHA1",
         "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "SignatureVersion": "1.0", "Version": "2014-05-26",
         "Timestamp": "2016-02-23T12:46:24Z"}
    assert aliyun.rpc_signature(p, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_tencent_tc3_matches_the_published_example() -> None:
    """Tencent Cloud API 3.0 "Signature v3" worked example (CVM DescribeInstances, 1551113065)."""
    payload = b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
    canonical, signed = tencent.canonical_request(
        "POST", "", {"content-type": "application/json; charset=utf-8", "host": "cvm.tencentcloudapi.com"}, payload)
    assert signed == "content-type;host"
    assert tencent._sha256(canonical.encode()) == "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
    sig, scope = tencent.tc3_sign("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "cvm", 1551113065, canonical)
    assert scope == "2019-02-25/cvm/tc3_request"
    assert sig == "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"


def test_twilio_signature_matches_the_published_example() -> None:
    params = {"CallSid": "CA1234567890ABCDE", "Caller": "+14158675309", "Digits": "1234", "From": "+14158675309",
              "To": "+18005551212"}
    assert twilio.twilio_signature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params) \
        == "RSOYDt4T1cUTdK1PDd93/VVr8B8="


# --- the clients against loopback servers speaking the providers' APIs --------------------------------
def _secret(tmp_path: Path, name: str, value: str) -> str:
    f = tmp_path / name
    f.write_text(value + "\n")
    f.chmod(0o600)
    return str(f)


async def test_aliyun_client_against_a_loopback_dysmsapi(tmp_path: Path) -> None:
    def handler(r: Receiver, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        q = dict(parse_qsl(urlsplit(path).query, keep_blank_values=True))
        sig = q.pop("Signature", "")
        if sig != aliyun.rpc_signature(q, "s3cret"):
            return 400, json.dumps({"Code": "SignatureDoesNotMatch"}).encode()
        if q["PhoneNumbers"] == "13800000000":
            return 200, json.dumps({"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "bad number"}).encode()
        return 200, json.dumps({"Code": "OK", "BizId": "900619746936498440^0", "Message": "OK"}).encode()

    srv = Receiver(handler).start()
    try:
        cfg = AliyunSmsChannel(kind="sms-aliyun", access_key_id="LTAI-test",
                               access_key_secret_file=_secret(tmp_path, "ak", "s3cret"), sign_name="阳光花园",
                               templates={"stored": "SMS_100001"}, endpoint=srv.url + "/")
        ch = aliyun.AliyunSms(cfg, now=lambda: datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
        await ch.start()
        try:
            assert await ch.send(MSG) == "900619746936498440^0"
            q = dict(parse_qsl(urlsplit(srv.requests[0]["path"]).query))
            assert q["PhoneNumbers"] == "13812345678" and q["TemplateCode"] == "SMS_100001"
            assert json.loads(q["TemplateParam"]) == {"code": "1234567890", "tracking": "SF1234567890123",
                                                      "unit": "5-801", "deadline": "2026-03-05 01:00"}
            assert q["OutId"] == MSG.id and q["SignName"] == "阳光花园"
            with pytest.raises(NotForThisChannel):
                await ch.send(Outgoing(**{**MSG.__dict__, "phone": "13800000000"}))
            assert not ch.carries(Outgoing(**{**MSG.__dict__, "kind": "reminder"}))  # no template for it
            bad = aliyun.AliyunSms(cfg.model_copy(update={"access_key_secret_file": _secret(tmp_path, "x", "wrong")}))
            await bad.start()
            with pytest.raises(ChannelError, match="SignatureDoesNotMatch"):
                await bad.send(MSG)
            await bad.stop()
        finally:
            await ch.stop()
    finally:
        srv.stop()


async def test_tencent_client_against_a_loopback_sms_api(tmp_path: Path) -> None:
    def handler(r: Receiver, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        ts = int(headers["x-tc-timestamp"])
        signed = {"content-type": headers["content-type"], "host": headers["host"]}
        want = tencent.authorization("AKIDtest", "tk3y", "sms", ts, "POST", "", signed, body)
        if headers.get("authorization") != want or headers.get("x-tc-action") != "SendSms":
            return 200, json.dumps({"Response": {"Error": {"Code": "AuthFailure.SignatureFailure"}}}).encode()
        return 200, json.dumps({"Response": {"SendStatusSet": [{"Code": "Ok", "SerialNo": "2028:1"}],
                                             "RequestId": "r1"}}).encode()

    srv = Receiver(handler).start()
    try:
        cfg = TencentSmsChannel(kind="sms-tencent", secret_id="AKIDtest", secret_key_file=_secret(tmp_path, "k", "tk3y"),
                                sdk_app_id="1400000000", sign_name="阳光花园", templates={"stored": "449739"},
                                endpoint=srv.url + "/")
        ch = tencent.TencentSms(cfg)
        await ch.start()
        try:
            assert await ch.send(MSG) == "2028:1"
            body = json.loads(srv.requests[0]["body"])
            assert body["PhoneNumberSet"] == ["+8613812345678"] and body["TemplateId"] == "449739"
            assert body["TemplateParamSet"] == ["1234567890", "SF1234567890123", "2026-03-05 01:00"]
        finally:
            await ch.stop()
    finally:
        srv.stop()


async def test_twilio_client_against_a_loopback_messages_api(tmp_path: Path) -> None:
    sid = "AC" + "0" * 32

    def handler(r: Receiver, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        if headers.get("authorization") != "Basic " + base64.b64encode(f"{sid}:tw-token".encode()).decode():
            return 401, b'{"code": 20003}'
        form = dict(parse_qsl(body.decode()))
        if form["To"] == "+15005550001":
            return 400, b'{"code": 21211, "message": "invalid To"}'
        return 201, json.dumps({"sid": "SM123", "status": "queued"}).encode()

    srv = Receiver(handler).start()
    try:
        cfg = TwilioSmsChannel(kind="sms-twilio", account_sid=sid, auth_token_file=_secret(tmp_path, "t", "tw-token"),
                               from_number="+15005550006", endpoint=srv.url)
        ch = twilio.TwilioSms(cfg)
        await ch.start()
        try:
            msg = Outgoing(**{**MSG.__dict__, "phone": "+447700900123", "lang": "en", "text": "Your parcel is in A-07"})
            assert await ch.send(msg) == "SM123"
            assert srv.requests[0]["path"] == f"/2010-04-01/Accounts/{sid}/Messages.json"
            assert dict(parse_qsl(srv.requests[0]["body"].decode()))["Body"] == "Your parcel is in A-07"
            with pytest.raises(NotForThisChannel):
                await ch.send(Outgoing(**{**msg.__dict__, "phone": "+15005550001"}))
        finally:
            await ch.stop()
    finally:
        srv.stop()


async def test_smtp_against_a_local_server(tmp_path: Path) -> None:
    from aiosmtpd.controller import Controller

    from edge.notify.channels.smtp import Smtp
    from tests.conftest import free_port

    got: list[Any] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            got.append(envelope)
            return "250 OK"

    port = free_port()
    ctl = Controller(Handler(), hostname="127.0.0.1", port=port)
    ctl.start()
    try:
        ch = Smtp(SmtpChannel(kind="smtp", host="127.0.0.1", port=port, starttls=False, from_addr="lockers@site.test"))
        ref = await ch.send(MSG)
        assert MSG.id in ref
        assert got and got[0].rcpt_tos == ["r@example.test"]
        assert b"1234567890" in got[0].content or b"=E5" in got[0].content or b"base64" in got[0].content
        with pytest.raises(NotForThisChannel):
            await ch.send(Outgoing(**{**MSG.__dict__, "email": None}))
    finally:
        ctl.stop()
    await asyncio.sleep(0)
