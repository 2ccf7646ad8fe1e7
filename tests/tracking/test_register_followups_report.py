"""Register CSV import and listing, follow-up log and tasks, carrier report, ETA: real SQLite in tmp_path."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from edge.errors import DomainError
from edge.ids import uuid7
from edge.tracking import register as G
from edge.tracking import report as R
from edge.tracking.eta import window
from tests.tracking.conftest import T0, Env


def test_parse_csv_chinese_headers_and_row_errors() -> None:
    text = ("\ufeff运单号,房号,类别,预计到达,跨境,快递公司\n"
            "SF1234567890123,3-1201,生鲜,2026-03-12,否,顺丰\n"
            ",3-1202,,,,\n"
            "YT1234567890123,,,,,\n"
            "EA123456785CN,5-101,药品,,是,EMS\n"
            "JD0012345678901,5-102,frozen,,,\n"
            "JD0012345678902,5-103,,,maybe,\n"
            "\n")
    rows, errors = G.parse_csv(text)
    assert [r["tracking_number"] for r in rows] == ["SF1234567890123", "EA123456785CN"]
    assert rows[0]["category"] == "fresh" and rows[0]["carrier"] == "SF" and rows[0]["cross_border"] is False
    assert rows[1]["category"] == "medicine" and rows[1]["cross_border"] is True
    assert [e["row"] for e in errors] == [3, 4, 6, 7]
    assert "empty" in errors[0]["error"] and "unknown category" in errors[2]["error"]


@pytest.mark.parametrize(("text", "message"), [("", "empty"), ("a,b\n1,2\n", "missing column"),
                                                ("tracking_number\nSF1\n", "missing column")])
def test_parse_csv_refuses_bad_files(text: str, message: str) -> None:
    rows, errors = G.parse_csv(text)
    assert rows == [] and message in errors[0]["error"]


async def test_import_calls_expect_and_collects_domain_errors() -> None:
    seen: list[dict[str, Any]] = []

    async def expect(**kw: Any) -> dict[str, Any]:
        if kw["unit"] == "bad":
            raise DomainError("invalid_unit", "unit is not valid", status=422)
        seen.append(kw)
        return kw

    res = await G.import_csv("tracking_number,unit\nSF1234567890123,1-101\nSF1234567890124,bad\n#,1\n", expect,
                             actor="desk")
    assert res["imported"] == 1 and [e["row"] for e in res["errors"]] == [3, 4]
    assert seen[0]["actor"] == "desk" and seen[0]["source"] == "csv"


def _parcel(env: Env, tn: str, category: str = "normal", expected_by: str | None = None, unit: str = "1-101") -> str:
    pid = uuid7()

    def fn(tx: Any) -> None:
        tx.execute("INSERT INTO parcels (id, tracking_number, unit, phone_tail, category, state, expected_by, created_at,"
                   " updated_at) VALUES (?, ?, ?, '1234', ?, 'expected', ?, ?, ?)",
                   (pid, tn, unit, category, expected_by, tx.ts, tx.ts))

    env.store.write_sync(fn)
    return pid


async def test_register_lists_priority_categories_first(env: Env) -> None:
    _parcel(env, "SF0000000000001", "normal", "2026-03-12")
    _parcel(env, "SF0000000000002", "medicine", "2026-03-20")
    _parcel(env, "SF0000000000003", "normal", None)
    _parcel(env, "SF0000000000004", "fresh", "2026-03-13")
    rows = await env.service.register()
    assert [r["tracking_number"][-1] for r in rows] == ["4", "2", "1", "3"]


async def test_anomaly_on_a_registered_parcel_notifies_the_resident(env: Env) -> None:
    pid = _parcel(env, "SF0000000000009", "fresh")
    await env.service.follow("SF0000000000009", parcel_id=pid, category="fresh")
    await env.service.ingest("SF0000000000009", "SF", [{"time": env.at(0), "text": "快件派送不成功，电话无人接听"}])
    notes = env.store.read_sync(lambda tx: tx.all("SELECT unit, kind, text FROM notifications"))
    assert notes == [{"unit": "1-101", "kind": "anomaly.delivery_failed", "text": notes[0]["text"]}]
    assert "SF0000000000009" in notes[0]["text"]
    assert env.open_kinds("SF0000000000009") == {"delivery_failed": "red"}  # fresh food: red at once
    ev = env.events("parcel.anomaly_raised")[0]
    assert ev["parcel_id"] == pid and ev["next_action"]


async def test_follow_up_log_and_tasks(env: Env) -> None:
    tn = "731234567890"
    await env.service.ingest(tn, "ZTO", [{"time": env.at(0), "text": "收件"}, {"time": env.at(1), "text": "问题件"}])
    nxt = (T0 + timedelta(days=2)).isoformat()
    f = await env.service.add_follow_up(tracking_number=tn, channel="phone", contact="ZTO 95311", said="they will call back",
                                        ticket="T-889", next_at=nxt, actor="desk")
    assert f["ticket"] == "T-889" and f["next_at"].startswith("2026-03-13")
    tasks = env.store.read_sync(lambda tx: tx.all("SELECT kind, state, due_at FROM tasks ORDER BY id"))
    assert [(t["kind"], t["state"]) for t in tasks] == [("tracking_followup", "done"), ("tracking_followup", "open")]
    assert await env.service.due_follow_ups() == []
    env.clock.advance(2 * 86400)
    assert len(await env.service.due_follow_ups()) == 1
    assert [x["channel"] for x in await env.service.follow_ups(tn)] == ["phone"]
    for bad in ({"channel": "pigeon"}, {"said": " "}, {"next_at": "tomorrow"}):
        args = {"tracking_number": tn, "channel": "phone", "said": "x", "actor": "desk", **bad}
        with pytest.raises(DomainError):
            await env.service.add_follow_up(**args)


async def test_carrier_report(env: Env) -> None:
    svc = env.service
    # SF: 2 on time, fast first scan
    for i in range(2):
        tn = f"SF00000000001{i}"
        await svc.follow(tn, expected_by=env.at(48))
        await svc.ingest(tn, "SF", [{"time": env.at(0), "text": "已下单"}, {"time": env.at(2), "text": "已揽收"},
                                    {"time": env.at(20), "text": "正在派送"}, {"time": env.at(22), "text": "已放入丰巢柜"}])
    # ZTO: late by 2 days, a failed attempt, slow first scan
    await svc.follow("731234567891", expected_by=env.at(24))
    await svc.ingest("731234567891", "ZTO", [{"time": env.at(0), "text": "已下单"}, {"time": env.at(30), "text": "收件"},
                                             {"time": env.at(40), "text": "问题件"},
                                             {"time": env.at(60), "text": "派送不成功"},
                                             {"time": env.at(72), "text": "快件已由门卫代收"}])
    env.clock.advance(4 * 86400)
    rows = {r["carrier"]: r for r in await svc.carrier_report(days=30)}
    assert rows["SF"]["first_scan_rate"] == 1.0 and rows["SF"]["on_time_rate"] == 1.0
    assert rows["SF"]["avg_delay_days"] == 0 and rows["SF"]["last_mile_failure_rate"] == 0
    assert rows["ZTO"]["first_scan_rate"] == 0 and rows["ZTO"]["on_time_rate"] == 0
    assert rows["ZTO"]["avg_delay_days"] == 2.0 and rows["ZTO"]["last_mile_failure_rate"] == 1.0
    assert rows["ZTO"]["exception_rate"] == 1.0
    csv_text = R.to_csv(list(rows.values()))
    assert csv_text.splitlines()[0] == ",".join(R.COLUMNS) and len(csv_text.splitlines()) == 3
    assert R.problem_carriers(list(rows.values()), min_parcels=1)[0]["carrier"] == "ZTO"
    summary = await svc.report_summary()
    assert summary["parcels"] == 3 and summary["problem_carriers"] == []  # fewer than 5 parcels each


def test_eta_window_confidence() -> None:
    hist = [float(h) for h in range(24, 72)]
    w = window(hist, 0, 3)
    assert w["confidence"] == "high" and 24 < w["from_h"] < w["to_h"] < 72
    assert window(hist[:6], 0, 30)["confidence"] == "medium"
    assert window(hist, 0, 100)["confidence"] == "low"
    assert window([], 0, 1) == {"from_h": None, "to_h": None, "confidence": "low", "samples": 0}
    assert window(hist, 60, 1)["from_h"] >= 60


async def test_eta_from_site_history(env: Env) -> None:
    for i in range(6):
        await env.service.ingest(f"SF00000000002{i}", "SF", [{"time": env.at(0), "text": "已揽收"},
                                                            {"time": env.at(30 + i), "text": "已放入丰巢柜"}])
    await env.service.ingest("SF000000000030", "SF", [{"time": env.at(0), "text": "已揽收"}])
    env.clock.advance(3600)
    e = await env.service.eta("SF000000000030")
    assert e["confidence"] == "medium" and e["samples"] == 6 and e["last_scan_age_h"] == 1.0
    assert env.at(30) <= e["eta_from"] <= e["eta_to"] <= env.at(36)
    done = await env.service.eta("SF000000000020")
    assert done["arrived_at"] == env.at(30)
    assert (await env.service.eta("SF999999999999"))["known"] is False


async def test_reconcile_finishes_waybills_whose_parcel_is_already_here(env: Env) -> None:
    pid = _parcel(env, "SF0000000000077")
    await env.service.follow("SF0000000000077", parcel_id=pid)
    await env.service.ingest("SF0000000000077", "SF", [{"time": env.at(0), "text": "已揽收"}])
    env.clock.advance(30 * 3600)
    await env.service.sweep()
    assert env.open_kinds("SF0000000000077") == {"stalled": "yellow"}
    # the parcel was stored, but the advisory update was lost (power cut): the start-up reconcile redoes it
    env.store.write_sync(lambda tx: tx.execute("UPDATE parcels SET state = 'stored' WHERE id = ?", (pid,)))
    assert await env.service.reconcile_sites() == 1
    assert env.open_kinds("SF0000000000077") == {}
    assert await env.service.reconcile_sites() == 0


async def test_follow_up_without_a_date_follows_the_playbook_schedule(env: Env) -> None:
    tn = "731234567899"
    await env.service.ingest(tn, "ZTO", [{"time": env.at(0), "text": "收件"}, {"time": env.at(1), "text": "派送不成功"}])
    # delivery_failed playbook: follow up after 4 h, then every 24 h
    first = env.store.read_sync(lambda tx: tx.scalar("SELECT due_at FROM tasks WHERE state = 'open'"))
    assert first == env.at(4)
    f = await env.service.add_follow_up(tracking_number=tn, channel="phone", said="courier will retry", actor="desk")
    assert f["next_at"] == env.at(24)
    env.clock.advance(3600)
    f = await env.service.add_follow_up(tracking_number=tn, channel="online_chat", said="still waiting", actor="desk")
    assert f["next_at"] == env.at(25)
    open_tasks = env.store.read_sync(lambda tx: tx.all("SELECT due_at FROM tasks WHERE state = 'open'"))
    assert open_tasks == [{"due_at": env.at(25)}]
