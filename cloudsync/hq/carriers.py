"""The cross-site carrier report (DESIGN.md sections 5 and 8) from the sites' KPI telemetry.

Each site's telemetry carries `tracking_kpis.kpis` (issue 16: per carrier the KPIs of that site over its
last `period_days`), or `carriers` (a mapping of carrier -> figures, or a list of objects with a
`carrier` key). Figures are read as counts where given
(`parcels`, `first_scanned`, `on_time`, `exceptions`, `last_mile_failed`, `anomalies`, `delay_days`) or as
rates over `parcels` (`first_scan_rate`, `on_time_rate`, `exception_rate`, `last_mile_failure_rate`,
`avg_delay_days`). The KPIs of a site are a window of its own, so for a period the report takes each
site's latest telemetry within it (never the sum of days, which would count a parcel many times), then
adds up the counts across sites.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import psycopg

# count name, rate name, the other names a site may use for the count
METRICS = {
    "first_scanned": ("first_scan_rate", ("first_scan", "first_scans")),
    "on_time": ("on_time_rate", ("ontime",)),
    "exceptions": ("exception_rate", ("exception",)),
    "last_mile_failed": ("last_mile_failure_rate", ("last_mile_failures", "delivery_failed")),
}
QUARTER_RE = re.compile(r"^(\d{4})-?Q([1-4])$", re.I)


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def _entries(doc: Any) -> list[tuple[str, dict[str, Any]]]:
    if not isinstance(doc, dict):
        return []
    tk = doc.get("tracking_kpis")  # the site's tracking KPIs (issue 16): per carrier in `kpis`
    if isinstance(tk, dict) and isinstance(tk.get("kpis"), dict):
        return [(str(k), v) for k, v in tk["kpis"].items() if isinstance(v, dict)]
    carriers = doc.get("carriers")
    if isinstance(carriers, dict):
        return [(str(k), v) for k, v in carriers.items() if isinstance(v, dict)]
    if isinstance(carriers, list):
        return [(str(v["carrier"]), v) for v in carriers if isinstance(v, dict) and isinstance(v.get("carrier"), str)]
    return []


def fold(docs: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Sum per carrier over sites' telemetry documents."""
    acc: dict[str, dict[str, float]] = {}
    for doc in docs:
        for name, e in _entries(doc):
            n = _num(e.get("parcels")) or _num(e.get("total")) or 0.0
            a = acc.setdefault(name, {"parcels": 0.0, "anomalies": 0.0, "delay_days": 0.0, "delay_n": 0.0,
                                      "sites": 0.0, **{m: 0.0 for m in METRICS}})
            a["parcels"] += n
            a["sites"] += 1
            a["anomalies"] += _num(e.get("anomalies")) or 0.0
            for m, (rate, alts) in METRICS.items():
                count = next((_num(e.get(k)) for k in (m, *alts) if _num(e.get(k)) is not None), None)
                if count is None and _num(e.get(rate)) is not None:
                    count = (_num(e.get(rate)) or 0.0) * n
                a[m] += count or 0.0
            if _num(e.get("delay_days")) is not None:
                a["delay_days"] += _num(e.get("delay_days")) or 0.0
                a["delay_n"] += n
            elif _num(e.get("avg_delay_days")) is not None:
                a["delay_days"] += (_num(e.get("avg_delay_days")) or 0.0) * n
                a["delay_n"] += n
    return acc


def report(acc: dict[str, dict[str, float]], top: int = 5) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    for name, a in sorted(acc.items()):
        n = a["parcels"]

        def rate(x: float, n: float = n) -> float | None:
            return round(x / n, 4) if n else None

        rows.append({"carrier": name, "sites": int(a["sites"]), "parcels": int(n),
                     "first_scan_rate": rate(a["first_scanned"]), "on_time_rate": rate(a["on_time"]),
                     "exception_rate": rate(a["exceptions"]), "last_mile_failure_rate": rate(a["last_mile_failed"]),
                     "avg_delay_days": round(a["delay_days"] / a["delay_n"], 2) if a["delay_n"] else None,
                     "anomalies": int(a["anomalies"]), "anomalies_per_100": rate(a["anomalies"] * 100)})
    problem = sorted((r for r in rows if r["anomalies"] or (r["exception_rate"] or 0) > 0),
                     key=lambda r: (-(r["anomalies_per_100"] or 0), -(r["exception_rate"] or 0), r["carrier"]))
    return {"carriers": rows, "problem_carriers": [r["carrier"] for r in problem[:top]]}


def period(frm: str | None, to: str | None, quarter: str | None, today: date) -> tuple[date, date]:
    """[from, to] as dates; a quarter like 2026Q4 wins; the default is the last 30 days."""
    if quarter:
        m = QUARTER_RE.match(quarter.strip())
        if not m:
            raise ValueError("quarter must look like 2026Q4")
        y, q = int(m.group(1)), int(m.group(2))
        start = date(y, 3 * q - 2, 1)
        end = date(y + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - timedelta(days=1)
        return start, end
    end = date.fromisoformat(to) if to else today
    start = date.fromisoformat(frm) if frm else end - timedelta(days=30)
    if start > end:
        raise ValueError("from is after to")
    return start, end


def carrier_report(conn: psycopg.Connection, start: date, end: date) -> dict[str, Any]:
    docs = [r[0] for r in conn.execute(
        "SELECT DISTINCT ON (site) doc FROM telemetry_daily WHERE day BETWEEN %s AND %s "
        "AND (doc ? 'carriers' OR doc ? 'tracking_kpis') ORDER BY site, day DESC", (start, end)).fetchall()]
    out = report(fold(docs))
    out.update({"from": start.isoformat(), "to": end.isoformat(), "sites_reporting": len(docs)})
    return out
