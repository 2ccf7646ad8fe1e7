"""What HQ says after docs/trial-2026-12-07e.md (three sites, one away for a day): answers of sites to commands HQ
did not send (forged, an expired capture) and to commands that reached a site twice (replayed), in words; a command
the broker holds for a site that is offline not called "delivered"; carriers named, not coded, on the fleet page;
the backlog of a site that has uploaded everything; the `parcel.expected` event in words. Real Mosquitto,
PostgreSQL, `lockerd hq serve` and a site daemon where the finding needs them."""

from __future__ import annotations

import html
import json
import shutil
import signal
import subprocess
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cloudsync.hq import ingest
from cloudsync.hq.page import fleet_page
from cloudsync.hq.parse import parse
from cloudsync.hq.sitepage import site_page
from cloudsync.signing import sign_command
from tests.hq.conftest import q, until

MOSQUITTO_PUB = shutil.which("mosquitto_pub") or "/usr/bin/mosquitto_pub"


def _page(hq: Any, path: str, lang: str) -> str:
    r = httpx.get(hq.url(f"{path}?lang={lang}"), cookies={"lockerd_hq": hq.token}, timeout=10)
    assert r.status_code == 200, r.text
    return html.unescape(r.text)


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _publish(port: int, topic: str, doc: dict[str, Any]) -> None:
    subprocess.run([MOSQUITTO_PUB, "-h", "127.0.0.1", "-p", str(port), "-V", "5", "-q", "1", "-t", topic,
                    "-m", json.dumps(doc)], check=True, timeout=10)


async def test_commands_hq_did_not_send_and_commands_replayed_are_said_in_words(hq_broker, hq_serve, hq_keys, sites):
    """Trial 2026-12-07e found 1: the sites refused a forged command and an expired capture and did not repeat a
    replayed one, and HQ only added 1 to `results_unmatched`."""
    hq = hq_serve().start()
    site = "trial-e-west"
    d = await sites(site, hq_broker.url, pubkey=hq_keys[2])
    await until(lambda: any(r["site"] == site and r["online"] for r in hq.api("GET", "/api/v1/sites").json()),
                what="site online at HQ")
    r = hq.api("POST", f"/api/v1/sites/{site}/commands",
               json={"type": "door.open", "data": {"compartment": "A-01", "reason": "住户在柜前", "operator": "li"}})
    cmd_id = r.json()["id"]
    sent = await until(lambda: (s := hq.api("GET", f"/api/v1/commands/{cmd_id}").json())["state"] == "done" and s,
                       what="door.open done")
    bank = next(b for b in d.banks if "A-01" in b.compartments)
    opens = next(x["opens"] for x in bank.sim_doors() if x["compartment"] == "A-01")

    # the same command again, as a capture of it would be replayed: HQ's id, HQ's key, its own times
    replay = sign_command({"id": cmd_id, "site": site, "type": "door.open", "issued_at": sent["issued_at"],
                           "expires_at": sent["expires_at"], "data": {"compartment": "A-01", "reason": "住户在柜前",
                                                                      "operator": "li"}}, hq_keys[0])
    _publish(hq_broker.port, f"lockerd/v1/{site}/cmd", replay)
    now = datetime.now(UTC)
    forged = sign_command({"id": str(uuid.uuid4()), "site": site, "type": "door.open", "issued_at": _iso(now),
                           "expires_at": _iso(now + timedelta(minutes=5)),
                           "data": {"compartment": "A-02", "reason": "x", "operator": "mallory"}},
                          Ed25519PrivateKey.generate())
    _publish(hq_broker.port, f"lockerd/v1/{site}/cmd", forged)
    expired = sign_command({"id": str(uuid.uuid4()), "site": site, "type": "door.open",
                            "issued_at": _iso(now - timedelta(hours=2)), "expires_at": _iso(now - timedelta(hours=1)),
                            "data": {"compartment": "A-03", "reason": "x", "operator": "x"}}, hq_keys[0])
    _publish(hq_broker.port, f"lockerd/v1/{site}/cmd", expired)
    await until(lambda: (m := hq.api("GET", "/api/v1/metrics").json()).get("results_unmatched", 0) >= 2
                and m.get("results_repeated", 0) >= 1, what="the three answers at HQ")
    assert next(x["opens"] for x in bank.sim_doors() if x["compartment"] == "A-01") == opens  # not opened again

    for path in ("/", f"/sites/{site}"):
        zh, en = _page(hq, path, "zh"), _page(hq, path, "en")
        assert zh.count("不是本总部发出的命令") == 2, path
        assert "站点拒绝：签名与站点配置的命令公钥不符" in zh and "站点拒绝：命令到达时已过期，未执行" in zh
        assert "站点又收到这条命令 1 次（重复送达或被重放），没有再次执行" in zh
        assert en.count("A command this HQ did not send") == 2
        assert "Refused: the signature does not match the command key the site is configured with" in en
        assert "the site received it 1 more time(s) (redelivered or replayed) and did not carry it out again" in en
        for page in (zh, en):
            assert "bad_signature" not in page and forged["id"] not in page and cmd_id not in page


async def test_a_command_waiting_at_the_broker_for_an_offline_site_is_not_called_delivered(
        hq_broker, hq_serve, hq_keys, sites):
    """Trial 2026-12-07e found 2: "已送达站点，等待结果" / "Delivered, awaiting the result" for commands the broker
    was holding for a site that was away."""
    hq = hq_serve().start()
    site = "trial-e-away"
    d = await sites(site, hq_broker.url, pubkey=hq_keys[2])
    await until(lambda: any(r["site"] == site and r["online"] for r in hq.api("GET", "/api/v1/sites").json()),
                what="site online at HQ")
    await d.stop()  # its session stays at the broker (session_expiry_s), so the broker takes commands for it
    await until(lambda: any(r["site"] == site and r["online"] is False for r in hq.api("GET", "/api/v1/sites").json()),
                what="site offline at HQ")
    r = hq.api("POST", f"/api/v1/sites/{site}/commands", json={"type": "telemetry.now", "data": {}, "ttl_s": 600})
    cmd_id = r.json()["id"]
    await until(lambda: hq.api("GET", f"/api/v1/commands/{cmd_id}").json()["state"] == "sent", what="command sent")
    zh, en = _page(hq, "/", "zh"), _page(hq, f"/sites/{site}", "en")
    assert "消息服务器已收下；站点离线，上线后才会收到（过期前）" in zh and "已送达站点" not in zh
    assert "Taken by the broker; the site is offline and gets it when it is back (before it expires)" in en
    assert "Delivered, awaiting the result" not in en


def test_the_fleet_page_names_carriers_in_the_pages_language():
    """Trial 2026-12-07e found 3: "各快递公司异常数: SF" and "SF" in the carrier report of the Chinese page."""
    rows = [{"carrier": "SF", "parcels": 12, "first_scan_rate": 1.0, "on_time_rate": 0.5, "exception_rate": 0.1,
             "last_mile_failure_rate": 0.0, "avg_delay_days": None, "anomalies": 2},
            {"carrier": "ZTO", "parcels": 3, "first_scan_rate": 1.0, "on_time_rate": 1.0, "exception_rate": 0.0,
             "last_mile_failure_rate": 0.0, "avg_delay_days": None, "anomalies": 1}]
    pages = {zh: html.unescape(fleet_page(zh=zh, summary={}, attention=[], sites=[], commands=[],
                                          carriers={"carriers": rows, "problem_carriers": ["SF", "ZTO"]}))
             for zh in (True, False)}
    zh, en = pages[True], pages[False]
    assert "<td>SF</td>" not in zh and "<td>ZTO</td>" not in zh
    assert zh.count("顺丰速运") == 3 and zh.count("中通快递") == 3  # the chart, the report, the problem list
    assert "问题快递公司：</b>顺丰速运、中通快递" in zh  # a full-width colon on the Chinese page (look42)
    assert "SF Express" in en and "Problem carriers:</b> SF Express, ZTO Express" in en


def _msg(site: str, kind: str, doc: dict[str, Any]) -> tuple[str, bytes]:
    return f"lockerd/v1/{site}/{kind}", json.dumps(doc).encode()


def _apply(url: str, *msgs: tuple[str, bytes]) -> None:
    import psycopg

    with psycopg.connect(url) as c, c.transaction():
        ingest.apply(c, [parse(t, p) for t, p in msgs])


def _event(site: str, seq: int) -> tuple[str, bytes]:
    return _msg(site, "events", {"id": f"e-{seq}", "seq": seq, "stream": "s1", "type": "door.opened",
                                 "ts": "2026-12-07T06:00:00Z", "site": site, "data": {"compartment": "A-01"}})


def test_the_backlog_of_a_site_goes_down_as_its_events_arrive(db_url):
    """Trial 2026-12-07e found 4: a site back after a day away showed "待上传事件 46" after it had uploaded all 46:
    the birth's `outbox_depth` stood until the next birth, telemetry never replaced it."""
    site = "trial-e-back"
    birth = {"online": True, "boot_id": "b1", "bdseq": 3, "version": "1", "stream": "s1", "stream_start": 1,
             "last_seq": 46, "outbox_depth": 46, "ts": "2026-12-07T06:00:00Z"}
    _apply(db_url, _msg(site, "status", birth))
    assert q(db_url, "SELECT outbox_depth FROM sites WHERE site = %s", site)[0][0] == 46
    _apply(db_url, *[_event(site, n) for n in range(1, 31)])
    assert q(db_url, "SELECT outbox_depth FROM sites WHERE site = %s", site)[0][0] == 16
    _apply(db_url, *[_event(site, n) for n in range(31, 47)])
    assert q(db_url, "SELECT outbox_depth FROM sites WHERE site = %s", site)[0][0] == 0
    # new events at the site: its telemetry says so, and that figure goes down the same way
    tele = {"ts": "2026-12-07T06:05:00Z", "site": site, "stream": "s1", "as_of_seq": 50,
            "outbox": {"depth": 4, "inflight": 0}}
    _apply(db_url, _msg(site, "telemetry", tele))
    assert q(db_url, "SELECT outbox_depth FROM sites WHERE site = %s", site)[0][0] == 4
    _apply(db_url, *[_event(site, n) for n in range(47, 50)])
    assert q(db_url, "SELECT outbox_depth FROM sites WHERE site = %s", site)[0][0] == 1
    # a telemetry of another stream (a restored site) does not count against this one
    _apply(db_url, _msg(site, "telemetry", tele | {"ts": "2026-12-07T06:06:00Z", "stream": "s2", "as_of_seq": 3,
                                                  "outbox": {"depth": 9}}))
    assert q(db_url, "SELECT outbox_depth FROM sites WHERE site = %s", site)[0][0] == 1


def test_the_site_page_words_the_parcel_expected_event():
    """Trial 2026-12-07e found 5: a `parcel.expected` event (a parcel pre-registered) read "其他" on the site page."""
    detail = {"site": {"site": "s", "name": "东园", "timezone": "Asia/Shanghai", "online": True, "since": None,
                       "last_seen": None, "first_seen": None, "version": "1", "telemetry": None,
                       "last_telemetry_at": None, "clock_synced": True},
              "anomalies": [], "commands": [], "tracking": [],
              "events": [{"type": "parcel.expected", "ts": "2026-12-07T06:00:00Z", "clock_synced": True,
                          "data": {"tracking_number": "SF1234567890199", "carrier": "sf", "unit": "2-502"}}]}
    zh = html.unescape(site_page(zh=True, detail=detail))
    en = html.unescape(site_page(zh=False, detail=detail))
    assert "包裹已预登记" in zh and "其他" not in zh
    assert "parcel pre-registered" in en


def test_sigterm_stops_hq_in_order_workers_first_then_its_presence(hq_broker, hq_serve):
    """Trial 2026-12-07e found 7: on SIGTERM uvicorn raised the signal again after its shutdown, which ended
    `hq serve` before it stopped its workers and said HQ offline: each worker logged "hq serve is gone" and the
    retained presence was the broker's Will, not HQ's own word."""
    hq = hq_serve().start()
    sub = shutil.which("mosquitto_sub") or "/usr/bin/mosquitto_sub"

    def presence() -> dict[str, Any]:
        out = subprocess.run([sub, "-h", "127.0.0.1", "-p", str(hq_broker.port), "-V", "5", "-t",
                              "lockerd/v1/hq/status", "-C", "1", "-W", "5"], capture_output=True, text=True, timeout=10)
        return dict(json.loads(out.stdout)) if out.stdout.strip() else {}

    assert presence().get("online") is True
    assert hq.proc is not None
    hq.proc.send_signal(signal.SIGTERM)
    assert hq.proc.wait(30) == 0  # not killed by its own signal
    status = presence()
    assert status.get("online") is False and status.get("ts"), status  # HQ's clean word (the Will has no ts)
    assert "hq serve is gone" not in hq.log.read_text()


def test_an_open_anomaly_names_the_carrier_its_parcel_came_with(db_url):
    """Trial 2026-12-07e found 8: the site page's open anomalies read "—" for the carrier of a 顺丰 parcel: an anomaly
    event carries no carrier, the parcel's `parcel.expected` / `parcel.stored` does."""
    import psycopg

    from cloudsync.hq import fleet

    site = "trial-e-anomaly"
    with psycopg.connect(db_url, autocommit=True) as c:
        c.execute("INSERT INTO sites (site, online) VALUES (%s, true)", (site,))
        c.execute("INSERT INTO streams (site, stream, next_seq) VALUES (%s, 's1', 4)", (site,))
        for seq, type_, data in [
                (1, "parcel.expected", {"tracking_number": "SF1234567890199", "carrier": "sf", "unit": "2-502"}),
                (2, "parcel.anomaly_raised", {"tracking_number": "SF1234567890199", "kind": "delivery_failed",
                                              "severity": "yellow", "next_step": "call the courier"}),
                (3, "parcel.anomaly_raised", {"tracking_number": "XX0001", "kind": "late", "severity": "yellow"})]:
            c.execute("INSERT INTO events (site, stream, seq, id, type, ts, data) VALUES (%s, 's1', %s, %s, %s, "
                      "'2026-12-07T06:00:00Z'::timestamptz + make_interval(secs => %s), %s)",
                      (site, seq, f"a{seq}", type_, seq, json.dumps(data)))
        d = fleet.site_detail(c, site, 180.0)
    assert d is not None
    carriers = {a["tracking_number"]: a["carrier"] for a in d["anomalies"]}
    assert carriers == {"SF1234567890199": "sf", "XX0001": None}
    zh = html.unescape(site_page(zh=True, detail=d))
    assert "顺丰速运" in zh


def _clock_detail(ts: str, received: str) -> dict[str, Any]:
    return {"site": {"site": "s", "name": "东园", "timezone": "Asia/Shanghai", "online": True, "since": None,
                     "last_seen": None, "first_seen": None, "version": "1", "clock_synced": True,
                     "telemetry": {"ts": ts, "site": "s"}, "last_telemetry_at": received},
            "anomalies": [], "commands": [], "tracking": [], "events": []}


def test_the_site_page_says_when_a_synchronised_site_clock_is_far_from_hqs():
    """Trial 2026-12-07e found 9: a site whose clock ran five days ahead of HQ's (it called itself synchronised)
    refused every HQ command as expired, and its page said "站点时钟 已同步" and nothing else."""
    ahead = _clock_detail("2026-12-12T14:00:00.000Z", "2026-12-07T14:00:01.000000Z")
    zh, en = (html.unescape(site_page(zh=z, detail=ahead)) for z in (True, False))
    assert "已同步；比总部快 5 天：总部命令的有效期在站点上短了这么多，可能一到就已过期" in zh
    assert "Synchronised; 5 days ahead of HQ's: HQ's commands have that much less time there" in en
    behind = _clock_detail("2026-12-07T13:50:00.000Z", "2026-12-07T14:00:00.000000Z")
    assert "比总部慢 10 分钟：总部的命令到达时会被当作还未生效" in html.unescape(site_page(zh=True, detail=behind))
    close = _clock_detail("2026-12-07T14:00:00.000Z", "2026-12-07T14:00:02.000000Z")
    page = html.unescape(site_page(zh=True, detail=close))
    assert "已同步" in page and "比总部" not in page


def test_answers_to_commands_hq_did_not_send_are_forgotten_after_30_days(db_url):
    """Anyone on the broker can make sites answer commands HQ did not send: HQ keeps those answers 30 days."""
    import psycopg

    from cloudsync.hq.schema import prune_stray_results

    with psycopg.connect(db_url, autocommit=True) as c:
        c.execute("INSERT INTO stray_results (site, command_id, ok, code, received_at) VALUES "
                  "('s', 'old', false, 'expired', now() - interval '31 days'), ('s', 'new', false, 'expired', now())")
        assert prune_stray_results(c) == 1
        assert [r[0] for r in c.execute("SELECT command_id FROM stray_results").fetchall()] == ["new"]


def test_a_flood_of_forged_commands_does_not_push_hqs_own_actions_off_the_list():
    """Anyone on the broker can make a site refuse forged commands (the site answers a burst of 20, then 6 a
    minute): at most five of those answers are listed, the fifth saying how many more there are."""
    from cloudsync.hq.page import remote_actions

    commands = [{"site": "s", "site_name": None, "type": "door.open", "data": {"compartment": "A-01"},
                 "state": "done", "result": {}, "issued_at": "2026-12-07T06:00:00Z", "door_event": "door.opened"}]
    strays = [{"site": "s", "site_name": None, "ok": False, "code": "bad_signature", "message": "x",
               "received_at": f"2026-12-07T07:{59 - i:02d}:00Z"} for i in range(20)]
    rows = remote_actions(commands, strays, True, with_site=True)
    assert len(rows) == 6 and rows[-1][1] == "远程开门 A-01"
    assert rows[4][1] == "不是本总部发出的命令（另有至少 15 条更早的未列出）"


def test_a_service_refusal_reads_in_chinese_on_the_chinese_page():
    """Trial 2026-12-07e found 11: a `policy.set` the site refused read "站点拒绝或失败：(document): normal: reminders
    must come before overdue (48.0 h)" on the Chinese fleet and site pages: the site's English message."""
    from cloudsync.hq.page import remote_actions

    def failed(type_: str, data: dict[str, Any], code: str, message: str) -> dict[str, Any]:
        return {"site": "s", "site_name": None, "type": type_, "data": data, "state": "failed",
                "result": {"ok": False, "code": code, "message": message}, "issued_at": "2026-12-07T06:00:00Z"}

    cmds = [failed("policy.set", {"version": 1}, "policy_invalid",
                   "(document): normal: reminders must come before overdue (48.0 h)"),
            failed("door.open", {"compartment": "Z-99"}, "compartment_unknown", "no such compartment Z-99"),
            failed("unit.remove", {"unit": "9-9"}, "some_new_code", "a reason only a newer site knows")]
    zh = [row[-1] for row in remote_actions(cmds, [], True, with_site=False)]
    assert zh == ["站点拒绝或失败：存放规则不正确", "站点拒绝或失败：没有这个格口",
                  "站点拒绝或失败：站点的说明只有英文，请在站点控制台的审计记录里查看"]
    en = [row[-1] for row in remote_actions(cmds, [], False, with_site=False)]
    assert en[1] == "Refused or failed at the site: no such compartment Z-99"  # the site's own words in English


def test_a_policy_command_names_its_version_as_a_version():
    """Trial 2026-12-07e: "更新规则 2" / "Update the rules 2" read as a rule called 2."""
    from cloudsync.hq.page import _action

    c = {"type": "policy.set", "data": {"version": 2, "overdue_hours": 96}}
    assert _action(c, True) == "更新规则（第 2 版）" and _action(c, False) == "Update the rules (version 2)"
    assert _action({"type": "door.open", "data": {"compartment": "A-01"}}, True) == "远程开门 A-01"
    assert _action({"type": "telemetry.now", "data": {}}, True) == "立即上报状态"
