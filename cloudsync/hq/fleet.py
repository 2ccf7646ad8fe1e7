"""Fleet queries behind the JSON API and the fleet page (and benchmarks/bench_hq_ingest.py)."""

from __future__ import annotations

import base64
from typing import Any

import psycopg
from psycopg.rows import dict_row

# keyset paging: `site > %(after)s ORDER BY site LIMIT n` walks the primary key (or, for offline sites, the
# partial index sites_not_online) from the cursor, so every page costs the same however deep it is
SITES_SQL = """
SELECT site, name, timezone, online, since, version, boot_id, stream,
       -- the newer of the birth's last_seq and what HQ holds gap-free of the current stream
       greatest(last_seq, (SELECT st.next_seq - 1 FROM streams st
                           WHERE st.site = sites.site AND st.stream = sites.stream)) AS last_seq,
       outbox_depth, last_telemetry_at, occupancy, red_anomalies, last_seen,
       (online IS TRUE AND coalesce(last_seen, first_seen) < now() - make_interval(secs => %(stale)s)) AS stale,
       (telemetry -> 'outbox' ->> 'oldest_unsent_age_s')::float AS oldest_unsent_age_s
FROM sites WHERE site > %(after)s {state} ORDER BY site LIMIT %(limit)s
"""
PAGE_DEFAULT, PAGE_MAX = 500, 2000

SUMMARY_SQL = """
SELECT count(*) AS sites,
       count(*) FILTER (WHERE online IS TRUE) AS online,
       count(*) FILTER (WHERE online IS NOT TRUE) AS offline,
       count(*) FILTER (WHERE online IS TRUE AND coalesce(last_seen, first_seen) < now() - make_interval(secs => %(stale)s))
           AS stale,
       coalesce(sum(red_anomalies), 0) AS red_anomalies,
       coalesce(sum(outbox_depth), 0) AS outbox_depth,
       coalesce(sum(occ_total), 0) AS compartments,
       coalesce(sum(occ_used), 0) AS occupied
FROM sites
"""

ATTENTION_SQL = """
SELECT site, name, online, since, version, red_anomalies, outbox_depth, occupancy, last_seen,
       (online IS TRUE AND coalesce(last_seen, first_seen) < now() - make_interval(secs => %(stale)s)) AS stale
FROM sites
WHERE online IS NOT TRUE OR red_anomalies > 0 OR outbox_depth > 0
   OR coalesce(last_seen, first_seen) < now() - make_interval(secs => %(stale)s)
ORDER BY coalesce(red_anomalies, 0) DESC, online NULLS FIRST, since
LIMIT %(limit)s
"""

VERSIONS_SQL = "SELECT coalesce(version, '') AS version, count(*) AS sites FROM sites GROUP BY 1 ORDER BY 2 DESC"


def iso(v: Any) -> Any:
    return v.isoformat().replace("+00:00", "Z") if hasattr(v, "isoformat") else v


def sites(conn: psycopg.Connection, stale_s: float, *, state: str | None = None, after: str = "",
          limit: int | None = PAGE_DEFAULT) -> tuple[list[dict[str, Any]], str | None]:
    """One page of sites in site order after `after` ("" = from the start), and the site to continue
    after (None on the last page). `limit` None: every site after `after`, in one page."""
    cond = {"online": "AND online IS TRUE", "offline": "AND online IS NOT TRUE"}.get(state or "", "")
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(SITES_SQL.format(state=cond),
                           {"stale": stale_s, "after": after,
                                    "limit": None if limit is None else limit + 1}).fetchall()
    more = limit is not None and len(rows) > limit
    rows = rows[:limit]
    for r in rows:
        for k in ("since", "last_telemetry_at", "last_seen"):
            r[k] = iso(r[k])
    return rows, (rows[-1]["site"] if more and rows else None)


def encode_cursor(site: str) -> str:
    """The opaque `cursor` of the next page (the last site of this one, base64url)."""
    return base64.urlsafe_b64encode(site.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    """The site a cursor continues after; ValueError for anything that is not a cursor HQ made."""
    if not cursor or len(cursor) > 100:
        raise ValueError("bad cursor")
    try:
        site = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError("bad cursor") from exc
    if not site or encode_cursor(site) != cursor:
        raise ValueError("bad cursor")
    return site


def summary(conn: psycopg.Connection, stale_s: float) -> dict[str, Any]:
    with conn.cursor(row_factory=dict_row) as cur:
        out = dict(cur.execute(SUMMARY_SQL, {"stale": stale_s}).fetchone() or {})
        out["versions"] = cur.execute(VERSIONS_SQL).fetchall()
    return {k: (int(v) if isinstance(v, int | float) and not isinstance(v, bool) else v) for k, v in out.items()}


def attention(conn: psycopg.Connection, stale_s: float, limit: int = 50) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(ATTENTION_SQL, {"stale": stale_s, "limit": limit}).fetchall()
    for r in rows:
        r["since"], r["last_seen"] = iso(r["since"]), iso(r["last_seen"])
    return rows


def chart_sites(conn: psycopg.Connection, limit: int = 15) -> list[dict[str, Any]]:
    """The fullest sites and those with the most red anomalies (what the page's charts show)."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            "(SELECT site, name, occupancy, red_anomalies FROM sites WHERE occ_total > 0 "
            " ORDER BY occ_used::float / occ_total DESC LIMIT %(n)s) UNION ALL "
            "(SELECT site, name, occupancy, red_anomalies FROM sites WHERE red_anomalies > 0 "
            " ORDER BY red_anomalies DESC LIMIT %(n)s)", {"n": limit}).fetchall()
    return list({r["site"]: r for r in rows}.values())


#: the recent commands, and for a remote open the site's door truth: the `door.opened` / `door.jammed` event
#: that carries the door command its result names (the result only says the open was fired)
RECENT_COMMANDS_SQL = """
SELECT c.id, c.site, s.name AS site_name, c.type, c.state, c.issued_at, c.done_at, c.result, c.data,
       c.repeats, s.online AS site_online,
       d.type AS door_event, d.data ->> 'outcome' AS door_outcome
FROM (SELECT * FROM commands ORDER BY issued_at DESC LIMIT %s) c
LEFT JOIN LATERAL (
    SELECT e.type, e.data FROM events e
    WHERE c.type = 'door.open' AND e.site = c.site AND e.type IN ('door.opened', 'door.jammed')
      AND e.data ->> 'command_id' = c.result -> 'data' ->> 'command_id'
    ORDER BY e.received_at LIMIT 1) d ON true
LEFT JOIN sites s ON s.site = c.site
ORDER BY c.issued_at DESC"""


def recent_commands(conn: psycopg.Connection, limit: int = 20) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(RECENT_COMMANDS_SQL, (limit,)).fetchall()
    for r in rows:
        r["issued_at"], r["done_at"] = iso(r["issued_at"]), iso(r["done_at"])
    return rows


STRAY_SQL = """
SELECT r.site, s.name AS site_name, r.ok, r.code, r.message, r.received_at
FROM stray_results r LEFT JOIN sites s ON s.site = r.site
{where} ORDER BY r.received_at DESC LIMIT %(limit)s"""


def stray_results(conn: psycopg.Connection, site: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """The newest answers of sites to commands HQ has no row for (a forged or replayed command, another HQ):
    what the pages list beside HQ's own remote actions (trial 2026-12-07e)."""
    where = "WHERE r.site = %(site)s" if site else ""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(STRAY_SQL.format(where=where), {"site": site, "limit": limit}).fetchall()
    for r in rows:
        r["received_at"] = iso(r["received_at"])
    return rows


def metrics(conn: psycopg.Connection) -> dict[str, int]:
    return {str(n): int(v) for n, v in conn.execute("SELECT name, value FROM metrics ORDER BY name").fetchall()}


def events(conn: psycopg.Connection, site: str, *, after_seq: int = 0, type_: str | None = None,
           stream: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
    """A site's events in seq order: one stream, or every stream in the order HQ first saw them."""
    sql = ("SELECT e.stream, e.seq, e.id, e.type, e.ts, e.received_at, e.clock_synced, e.data FROM events e "
           "JOIN streams s ON s.site = e.site AND s.stream = e.stream WHERE e.site = %(site)s AND e.seq > %(after)s")
    if stream:
        sql += " AND e.stream = %(stream)s"
    if type_:
        sql += " AND e.type = %(type)s"
    sql += " ORDER BY s.created_at, s.stream, e.seq LIMIT %(limit)s"
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(sql, {"site": site, "after": after_seq, "stream": stream, "type": type_,
                                 "limit": limit}).fetchall()
    for r in rows:
        r["ts"], r["received_at"] = iso(r["ts"]), iso(r["received_at"])
    return rows


SITE_SQL = """
SELECT site, name, timezone, online, since, version, first_seen, last_seen, last_telemetry_at, telemetry, outbox_depth,
       (online IS TRUE AND coalesce(last_seen, first_seen) < now() - make_interval(secs => %(stale)s)) AS stale,
       (SELECT e.clock_synced FROM events e WHERE e.site = sites.site ORDER BY e.ts DESC LIMIT 1) AS clock_synced
FROM sites WHERE site = %(site)s
"""

#: a site's tracking anomalies still open: the newest raised/escalated/cleared event of each (parcel, kind)
OPEN_ANOMALIES_SQL = """
SELECT * FROM (
    SELECT DISTINCT ON (e.data ->> 'tracking_number', e.data ->> 'kind')
           e.type, e.ts, e.data ->> 'tracking_number' AS tracking_number, e.data ->> 'kind' AS kind,
           e.data ->> 'severity' AS severity, e.data ->> 'carrier' AS carrier,
           e.data ->> 'next_action' AS next_action, e.data ->> 'next_step' AS next_step, e.data -> 'place' AS place
    FROM events e
    WHERE e.site = %(site)s
      AND e.type IN ('parcel.anomaly_raised', 'parcel.anomaly_escalated', 'parcel.anomaly_cleared')
    ORDER BY e.data ->> 'tracking_number', e.data ->> 'kind', e.ts DESC, e.seq DESC) newest
WHERE type <> 'parcel.anomaly_cleared'
ORDER BY (severity = 'red') DESC, ts DESC
LIMIT %(limit)s
"""

PARCEL_CARRIER_SQL = """
SELECT DISTINCT ON (data ->> 'tracking_number') data ->> 'tracking_number' AS tracking_number, data ->> 'carrier' AS carrier
FROM events
WHERE site = %(site)s AND type IN ('parcel.expected', 'parcel.stored')
  AND data ->> 'tracking_number' = ANY(%(numbers)s) AND data ->> 'carrier' IS NOT NULL
ORDER BY data ->> 'tracking_number', ts DESC
"""

RECENT_EVENTS_SQL = """
SELECT type, ts, clock_synced, data FROM events WHERE site = %(site)s ORDER BY ts DESC LIMIT %(limit)s
"""


def site_detail(conn: psycopg.Connection, site: str, stale_s: float, *, events_limit: int = 30,
                limit: int = 20) -> dict[str, Any] | None:
    """Everything the site page shows about one site, or None when HQ has never heard from it: its row (state,
    last telemetry), open tracking anomalies, recent events, recent commands (with the door truth of remote
    opens, as the fleet page) and the tracking updates sent down to it."""
    from cloudsync.hq import messagepage
    from cloudsync.hq import tracking as tracking_down

    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(SITE_SQL, {"site": site, "stale": stale_s}).fetchone()
        if row is None:
            return None
        args = {"site": site, "limit": limit}
        anomalies = cur.execute(OPEN_ANOMALIES_SQL, args).fetchall()
        recent = cur.execute(RECENT_EVENTS_SQL, {"site": site, "limit": events_limit}).fetchall()
        commands = cur.execute(SITE_COMMANDS_SQL, args).fetchall()
        unnamed = sorted({a["tracking_number"] for a in anomalies if not a.get("carrier") and a.get("tracking_number")})
        if unnamed:  # the anomaly events carry no carrier: the parcel's own events name it
            found = cur.execute(PARCEL_CARRIER_SQL, {"site": site, "numbers": unnamed}).fetchall()
            known = {r["tracking_number"]: r["carrier"] for r in found}
            for a in anomalies:
                a["carrier"] = a.get("carrier") or known.get(a["tracking_number"])
    for k in ("since", "first_seen", "last_seen", "last_telemetry_at"):
        row[k] = iso(row[k])
    for r in anomalies + recent:
        r["ts"] = iso(r["ts"])
    for r in commands:
        r["issued_at"], r["done_at"] = iso(r["issued_at"]), iso(r["done_at"])
    return {"site": row, "anomalies": anomalies, "events": recent, "commands": commands,
            "strays": stray_results(conn, site, limit),
            "tracking": tracking_down.site_updates(conn, site, None, limit),
            "messages": messagepage.site_messages(conn, site)}


SITE_COMMANDS_SQL = RECENT_COMMANDS_SQL.replace(
    "FROM (SELECT * FROM commands ORDER BY issued_at DESC LIMIT %s) c",
    "FROM (SELECT * FROM commands WHERE site = %(site)s ORDER BY issued_at DESC LIMIT %(limit)s) c")
