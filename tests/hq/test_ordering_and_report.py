"""Per-stream order with a reorder window and a resync for a gap; the cross-site carrier report; on the
real database."""

from __future__ import annotations

import json

import psycopg

from cloudsync.hq import ingest
from cloudsync.hq.carriers import carrier_report, period
from cloudsync.hq.parse import parse
from cloudsync.hq.serve import gap_step
from tests.hq.conftest import q, stored_seqs


def _ev(site: str, seq: int, stream: str = "s1") -> tuple[str, bytes]:
    doc = {"id": f"{site}-{stream}-{seq}", "seq": seq, "stream": stream, "type": "door.opened",
           "ts": "2026-12-01T00:00:00Z", "site": site, "data": {"n": seq}}
    return f"lockerd/v1/{site}/events", json.dumps(doc).encode()


def _apply(url: str, msgs: list[tuple[str, bytes]]) -> None:
    with psycopg.connect(url) as c, c.transaction():
        ingest.apply(c, [parse(t, p) for t, p in msgs])


def test_a_gap_is_held_then_resynced_and_filled_in_order(db_url):
    _apply(db_url, [_ev("g1", 1), _ev("g1", 2), _ev("g1", 5), _ev("g1", 4)])
    assert stored_seqs(db_url, "g1") == [1, 2]
    assert q(db_url, "SELECT seq FROM held ORDER BY seq") == [(4,), (5,)]
    with psycopg.connect(db_url, autocommit=True) as c:
        assert gap_step(c, 60.0, True) == 0  # still inside the reorder window
        c.execute("UPDATE held SET held_at = now() - interval '2 minutes'")
        assert gap_step(c, 60.0, True) == 1
        assert gap_step(c, 60.0, True) == 0  # asked once, not again at once
    (cmd_type, data, origin), = q(db_url, "SELECT type, data, origin FROM commands")
    assert (cmd_type, origin) == ("resync", "gap")
    assert data == {"from_seq": 3, "to_seq": 3, "stream": "s1"}
    _apply(db_url, [_ev("g1", 3), _ev("g1", 4), _ev("g1", 6)])  # the resent gap, a duplicate, the next
    assert stored_seqs(db_url, "g1") == [1, 2, 3, 4, 5, 6]
    assert q(db_url, "SELECT count(*) FROM held")[0][0] == 0
    m = dict(q(db_url, "SELECT name, value FROM metrics"))
    assert m["events_stored"] == 6 and m["events_duplicate"] == 1


def by_carrier(rep: dict, name: str) -> dict:
    row = next(r for r in rep["carriers"] if r["carrier"] == name)
    return {k: row[k] for k in ("parcels", "on_time_rate", "exception_rate")}


def test_cross_site_carrier_report_from_kpi_telemetry(db_url):
    def tel(site: str, day: str, carriers: object) -> tuple[str, bytes]:
        doc = {"site": site, "ts": f"{day}T10:00:00Z", "as_of_seq": 1, "carriers": carriers}
        return f"lockerd/v1/{site}/telemetry", json.dumps(doc).encode()

    _apply(db_url, [
        tel("c1", "2026-11-02", {"sf": {"parcels": 10, "first_scanned": 1, "on_time": 1, "anomalies": 9}}),
        tel("c1", "2026-11-20", {"sf": {"parcels": 100, "first_scanned": 90, "on_time": 80, "exceptions": 5,
                                        "last_mile_failed": 2, "anomalies": 4, "delay_days": 50},
                                 "yto": {"parcels": 50, "first_scan_rate": 0.5, "exception_rate": 0.2,
                                         "anomalies": 12, "avg_delay_days": 2.0}}),
        tel("c2", "2026-11-21", [{"carrier": "sf", "parcels": 100, "first_scanned": 70, "on_time": 60,
                                  "exceptions": 5, "anomalies": 2}]),
        tel("c3", "2026-11-21", {"sf": "not figures", "zto": {"parcels": 0}}),
    ])
    # the site telemetry's own shape (edge/tracking/report.py summary, under tracking_kpis)
    kpi_doc = {"site": "c4", "ts": "2026-11-22T10:00:00Z", "as_of_seq": 1,
               "tracking_kpis": {"period_days": 30, "parcels": 20, "kpis": {"sto": {
                   "parcels": 20, "first_scan_rate": 1.0, "on_time_rate": 0.5, "exception_rate": 0.5,
                   "anomalies": 1}}}}
    _apply(db_url, [("lockerd/v1/c4/telemetry", json.dumps(kpi_doc).encode())])
    with psycopg.connect(db_url, autocommit=True) as c:
        rep = carrier_report(c, *period("2026-11-01", "2026-11-30", None, None))  # type: ignore[arg-type]
        q4 = carrier_report(c, *period(None, None, "2026Q4", None))  # type: ignore[arg-type]
    by = {r["carrier"]: r for r in rep["carriers"]}
    assert rep["sites_reporting"] == 4
    assert by_carrier(rep, "sto") == {"parcels": 20, "on_time_rate": 0.5, "exception_rate": 0.5}
    assert by["sf"]["parcels"] == 200 and by["sf"]["sites"] == 2  # c1's latest day only, plus c2
    assert by["sf"]["first_scan_rate"] == 0.8 and by["sf"]["on_time_rate"] == 0.7
    assert by["sf"]["exception_rate"] == 0.05 and by["sf"]["avg_delay_days"] == 0.5
    assert by["yto"]["first_scan_rate"] == 0.5 and by["yto"]["exception_rate"] == 0.2
    assert rep["problem_carriers"][0] == "yto"  # 24 anomalies per 100 parcels against sf's 3
    assert q4["from"] == "2026-10-01" and q4["to"] == "2026-12-31" and q4["carriers"] == rep["carriers"]
