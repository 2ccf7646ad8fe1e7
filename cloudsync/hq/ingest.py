"""Folding a batch of parsed messages into PostgreSQL in one transaction (DESIGN.md section 8).

Events are stored once per (site, stream, seq) and in seq order per stream: the `streams` row of each
(site, stream) is locked (FOR UPDATE, in sorted order so workers never deadlock), the run of seqs that
continues `next_seq` is written with COPY, anything below it is a duplicate, anything past a gap waits in
`held` (the reorder window) until the gap is filled by a late message or a `resync`. The caller commits,
then acknowledges the MQTT messages: a crash before the commit means redelivery, never loss, and the
stream counter makes the redelivery a no-op.

Statuses follow Sparkplug: a birth applies unless it is an older connection of the current boot; a Will
(online false) applies only to the boot and bdseq it names.
"""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import psycopg

from cloudsync.hq import notify
from cloudsync.hq.parse import Event, Item, Reject, Result, Snapshot, Status, Telemetry

log = logging.getLogger(__name__)

COPY_EVENTS = "COPY events (site, stream, seq, id, type, ts, clock_synced, data) FROM STDIN"


@dataclass
class Outcome:
    counts: Counter[str] = field(default_factory=Counter)
    sites: set[str] = field(default_factory=set)


def occupancy_of(doc: dict[str, Any]) -> dict[str, int] | None:
    occ = doc.get("occupancy")
    if not isinstance(occ, dict):
        return None
    out = {"total": 0, "free": 0, "occupied": 0, "fault": 0, "disabled": 0}
    for row in occ.values():
        if isinstance(row, dict):
            for k in out:
                v = row.get(k)
                if isinstance(v, int) and not isinstance(v, bool):
                    out[k] += v
    return out


def red_of(doc: dict[str, Any]) -> int | None:
    a = doc.get("anomalies")
    v = a.get("red") if isinstance(a, dict) else None
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def apply(conn: psycopg.Connection, items: list[Item]) -> Outcome:
    """Store one batch inside the caller's transaction."""
    out = Outcome()
    c = out.counts
    events: dict[tuple[str, str], list[Event]] = defaultdict(list)
    births: dict[tuple[str, str], int] = {}
    statuses: list[Status] = []
    telemetry: dict[str, Telemetry] = {}
    snapshots: dict[str, Snapshot] = {}
    results: list[Result] = []
    rejects: list[Reject] = []
    for it in items:
        if it is None:
            c["ignored"] += 1
        elif isinstance(it, Reject):
            rejects.append(it)
            c["rejected_" + it.reason] += 1
        elif isinstance(it, Event):
            events[(it.site, it.stream)].append(it)
            c["events_received"] += 1
            if not it.known:
                c["events_unknown_type"] += 1
        elif isinstance(it, Status):
            statuses.append(it)
            stream, start = it.doc.get("stream"), it.doc.get("stream_start")
            if it.online and isinstance(stream, str) and stream and isinstance(start, int) and start >= 1:
                births[(it.site, stream)] = start
        elif isinstance(it, Telemetry):
            if it.site not in telemetry or telemetry[it.site].ts <= it.ts:
                telemetry[it.site] = it
            c["telemetry_received"] += 1
        elif isinstance(it, Snapshot):
            if it.site not in snapshots or snapshots[it.site].ts <= it.ts:
                snapshots[it.site] = it
        elif isinstance(it, Result):
            results.append(it)
    sites = {k[0] for k in events} | {k[0] for k in births} | {s.site for s in statuses} | set(telemetry) \
        | set(snapshots) | {r.site for r in results}
    out.sites = sites
    if sites:
        conn.execute("INSERT INTO sites (site) SELECT unnest(%s::text[]) ORDER BY 1 ON CONFLICT DO NOTHING",
                     (sorted(sites),))
    if events or births:
        _events(conn, events, births, c)
    _site_rows(conn, statuses, telemetry, snapshots, sites, c)
    if sites and (events or statuses or telemetry):
        _backlog(conn, sorted(sites))
    for r in results:
        cur = conn.execute(
            "UPDATE commands SET state = %s, result = %s, done_at = now() WHERE id = %s AND site = %s "
            "AND state NOT IN ('done', 'failed')", ("done" if r.ok else "failed", json.dumps(r.doc), r.id, r.site))
        if cur.rowcount:
            c["results_matched"] += 1
            continue
        # not the first answer to a command HQ sent: the site got it again (a broker's redelivery or a replay) and
        # answered with its stored result, never carrying it out twice; or a command HQ never sent (forged, an old
        # capture, another HQ). Both said in words on the pages (trial 2026-12-07e), not only counted.
        cur = conn.execute("UPDATE commands SET repeats = repeats + 1, last_repeat_at = now() "
                           "WHERE id = %s AND site = %s", (r.id, r.site))
        if cur.rowcount:
            c["results_repeated"] += 1
            continue
        code, message = r.doc.get("code"), r.doc.get("message")
        conn.execute("INSERT INTO stray_results (site, command_id, ok, code, message) VALUES (%s, %s, %s, %s, %s)",
                     (r.site, r.id[:200], r.ok, str(code)[:100] if code is not None else None,
                      str(message)[:500] if message is not None else None))
        c["results_unmatched"] += 1
    if rejects:
        conn.cursor().executemany("INSERT INTO rejects (topic, reason, payload) VALUES (%s, %s, %s)",
                                  [(r.topic[:300], r.reason, r.payload[:2048]) for r in rejects])
    bump(conn, c)
    return out


def bump(conn: psycopg.Connection, counts: Counter[str]) -> None:
    if counts:
        conn.cursor().executemany(
            "INSERT INTO metrics (name, value) VALUES (%s, %s) "
            "ON CONFLICT (name) DO UPDATE SET value = metrics.value + excluded.value",
            sorted(counts.items()))


def _events(conn: psycopg.Connection, events: dict[tuple[str, str], list[Event]], births: dict[tuple[str, str], int],
            c: Counter[str]) -> None:
    keys = sorted(set(events) | set(births))
    cur = conn.cursor()
    conn.execute(
        "INSERT INTO streams (site, stream, next_seq) SELECT * FROM unnest(%s::text[], %s::text[], %s::bigint[]) "
        "ON CONFLICT DO NOTHING",
        ([k[0] for k in keys], [k[1] for k in keys], [births.get(k, 1) for k in keys]))
    rows = conn.execute(
        "SELECT site, stream, next_seq, stored, held FROM streams WHERE (site, stream) IN "
        "(SELECT * FROM unnest(%s::text[], %s::text[])) ORDER BY site, stream FOR UPDATE",
        ([k[0] for k in keys], [k[1] for k in keys])).fetchall()
    state = {(r[0], r[1]): [int(r[2]), int(r[3]), int(r[4])] for r in rows}
    to_copy: list[Event] = []
    new_held: list[Event] = []
    updates = []
    for key in keys:
        nxt, stored, held = state[key]
        start = births.get(key)
        if start is not None and stored == 0 and nxt < start:
            nxt = start  # a stream that began above 1 (a restored site): its first seq comes from the birth
        batch = {e.seq: e for e in events.get(key, [])}
        old_held: dict[int, Event] = {}
        if held:
            for h in conn.execute("SELECT seq, id, type, ts, clock_synced, data::text FROM held "
                                  "WHERE site = %s AND stream = %s ORDER BY seq", key).fetchall():
                old_held[int(h[0])] = Event(key[0], key[1], int(h[0]), h[1], h[2], h[3].isoformat(), h[4], h[5])
        cands = {**old_held, **batch}
        n_before = nxt
        for seq in sorted(cands):
            if seq < nxt:
                if seq in batch:
                    c["events_duplicate"] += 1
                continue
            if seq != nxt:
                break
            to_copy.append(cands[seq])
            if seq in batch and seq in old_held:
                c["events_duplicate"] += 1  # redelivered while it waited in held
            nxt += 1
        promoted = sum(1 for s in old_held if s < nxt)
        for seq, e in batch.items():
            if seq > nxt and seq not in old_held:
                new_held.append(e)
            elif seq > nxt:
                c["events_duplicate"] += 1
        if promoted:
            conn.execute("DELETE FROM held WHERE site = %s AND stream = %s AND seq < %s", (key[0], key[1], nxt))
        kept = len(old_held) - promoted + sum(1 for s in batch if s > nxt and s not in old_held)
        c["events_stored"] += nxt - n_before
        c["events_held"] += sum(1 for s in batch if s > nxt and s not in old_held)
        updates.append((nxt, nxt - n_before, kept, key[0], key[1]))
    if to_copy:
        with cur.copy(COPY_EVENTS) as cp:
            for e in to_copy:
                cp.write_row((e.site, e.stream, e.seq, e.id, e.type, e.ts, e.clock_synced, e.data))
        # residents' messages to send (ADR 0049): in this transaction, once per (site, message id)
        if any(e.type == notify.EVENT_TYPE for e in to_copy):
            c["messages_received"] += notify.ingest(conn, to_copy)
    if new_held:
        cur.executemany(
            "INSERT INTO held (site, stream, seq, id, type, ts, clock_synced, data) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            [(e.site, e.stream, e.seq, e.id, e.type, e.ts, e.clock_synced, e.data) for e in new_held])
    changed = [u for u in updates if u[1] or u[2] != state[(u[3], u[4])][2] or u[0] != state[(u[3], u[4])][0]]
    if changed:
        conn.execute(
            "UPDATE streams s SET next_seq = u.nxt, stored = s.stored + u.n, held = u.held, last_at = now() "
            "FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::text[], %s::text[]) AS u(nxt, n, held, site, stream) "
            "WHERE s.site = u.site AND s.stream = u.stream",
            tuple(list(col) for col in zip(*changed, strict=True)))


# What a site still has to upload: its reported backlog (birth or telemetry), less the events of that report HQ
# now holds gap-free: at most `outbox_as_of - held` of them are still at the site (its outbox sends in seq order).
BACKLOG_SQL = """
UPDATE sites s SET outbox_depth = greatest(0, s.outbox_as_of - (st.next_seq - 1))
FROM streams st
WHERE s.site = ANY(%s) AND st.site = s.site AND st.stream = s.stream
  AND s.outbox_depth > 0 AND s.outbox_as_of IS NOT NULL AND s.outbox_as_of - (st.next_seq - 1) < s.outbox_depth
"""


def _backlog(conn: psycopg.Connection, sites: list[str]) -> None:
    conn.execute(BACKLOG_SQL, (sites,))


BIRTH_SQL = """
UPDATE sites SET
    since = CASE WHEN online IS TRUE THEN since ELSE now() END,
    online = true, boot_id = %(boot)s, bdseq = %(bdseq)s, version = %(version)s, stream = %(stream)s,
    stream_start = %(stream_start)s, last_seq = %(last_seq)s, outbox_depth = %(depth)s, outbox_as_of = %(last_seq)s,
    last_seen = now(),
    name = coalesce(%(name)s, name), timezone = coalesce(%(tz)s, timezone)
WHERE site = %(site)s
  AND NOT (boot_id IS NOT DISTINCT FROM %(boot)s AND (bdseq > %(bdseq)s OR (bdseq = %(bdseq)s AND online IS FALSE)))
"""


def site_name(v: object) -> str | None:
    """The site's name from its birth (a birth without one keeps the name HQ knew): printable, at most 80."""
    if not isinstance(v, str):
        return None
    name = "".join(ch for ch in v if ch.isprintable()).strip()[:80]
    return name or None


def site_timezone(v: object) -> str | None:
    """The site's IANA time zone from its birth, when it is one this HQ knows (else the one HQ knew stays)."""
    if not isinstance(v, str) or not v or len(v) > 64:
        return None
    try:
        ZoneInfo(v)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("a birth named an unknown time zone %r; kept the one known", v[:64])
        return None
    return v


# a Will or clean shutdown: only for the boot and connection it names (or a site HQ knows nothing of)
WILL_SQL = """
UPDATE sites SET online = false, since = now(), boot_id = %(boot)s, bdseq = %(bdseq)s
WHERE site = %(site)s AND online IS NOT FALSE
  AND ((boot_id = %(boot)s AND bdseq = %(bdseq)s) OR boot_id IS NULL)
"""


def _site_rows(conn: psycopg.Connection, statuses: list[Status], telemetry: dict[str, Telemetry],
               snapshots: dict[str, Snapshot], sites: set[str], c: Counter[str]) -> None:
    for st in sorted(statuses, key=lambda s: s.site):  # stable: a site's statuses keep their order
        d = st.doc
        if st.online:
            cur = conn.execute(BIRTH_SQL, {
                "site": st.site, "boot": st.boot_id, "bdseq": st.bdseq, "version": str(d.get("version", ""))[:64],
                "stream": d.get("stream") if isinstance(d.get("stream"), str) else None,
                "stream_start": d.get("stream_start") if isinstance(d.get("stream_start"), int) else None,
                "last_seq": d.get("last_seq") if isinstance(d.get("last_seq"), int) else None,
                "depth": d.get("outbox_depth") if isinstance(d.get("outbox_depth"), int) else None,
                "name": site_name(d.get("name")), "tz": site_timezone(d.get("timezone"))})
            c["births_applied" if cur.rowcount else "births_stale"] += 1
        else:
            cur = conn.execute(WILL_SQL, {"site": st.site, "boot": st.boot_id, "bdseq": st.bdseq})
            c["wills_applied" if cur.rowcount else "wills_ignored"] += 1
    for site in sorted(telemetry):
        t = telemetry[site]
        occ = occupancy_of(t.doc)
        as_of = t.doc.get("as_of_seq")
        as_of = as_of if isinstance(as_of, int) and not isinstance(as_of, bool) else None
        outbox = t.doc.get("outbox")
        depth = outbox.get("depth") if isinstance(outbox, dict) else None
        depth = depth if isinstance(depth, int) and not isinstance(depth, bool) and depth >= 0 else None
        stream = t.doc.get("stream") if isinstance(t.doc.get("stream"), str) else None
        # the telemetry's backlog replaces the birth's when it counts in the stream HQ follows (trial 2026-12-07e)
        conn.execute(
            "UPDATE sites SET telemetry = %s, telemetry_ts = %s, telemetry_as_of = %s, last_telemetry_at = now(), "
            "occupancy = %s, occ_total = %s, occ_used = %s, red_anomalies = %s, last_seen = now(), "
            "outbox_depth = CASE WHEN %s::int IS NOT NULL AND %s::bigint IS NOT NULL AND stream IS NOT DISTINCT FROM %s "
            "  THEN %s::int ELSE outbox_depth END, "
            "outbox_as_of = CASE WHEN %s::int IS NOT NULL AND %s::bigint IS NOT NULL AND stream IS NOT DISTINCT FROM %s "
            "  THEN %s::bigint ELSE outbox_as_of END "
            "WHERE site = %s AND (telemetry_ts IS NULL OR telemetry_ts <= %s)",
            (json.dumps(t.doc), t.ts, as_of,
             json.dumps(occ) if occ is not None else None, occ["total"] if occ else None,
             occ["occupied"] if occ else None, red_of(t.doc), depth, as_of, stream, depth, depth, as_of, stream,
             as_of, site, t.ts))
        conn.execute(
            "INSERT INTO telemetry_daily (site, day, ts, doc) VALUES (%s, %s, %s, %s) ON CONFLICT (site, day) "
            "DO UPDATE SET ts = excluded.ts, doc = excluded.doc WHERE telemetry_daily.ts <= excluded.ts",
            (site, t.ts[:10], t.ts, json.dumps(t.doc)))
    for site in sorted(snapshots):
        s = snapshots[site]
        conn.execute("UPDATE sites SET snapshot = %s, snapshot_ts = %s WHERE site = %s "
                     "AND (snapshot_ts IS NULL OR snapshot_ts <= %s)", (json.dumps(s.doc), s.ts, site, s.ts))
    seen = sorted(sites - set(telemetry))
    if seen:  # at most every few seconds per site: a row rewrite per batch would cost more than the events
        conn.execute("UPDATE sites SET last_seen = now() WHERE site = ANY(%s) "
                     "AND (last_seen IS NULL OR last_seen < now() - interval '2 seconds')", (seen,))
