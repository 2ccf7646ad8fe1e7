"""HQ's PostgreSQL schema: versioned migrations (like the edge's), applied under an advisory lock so any
number of `hq serve` processes may start at once, and the monthly partitions of the event table.

`events` is partitioned by RANGE on the event's own time `ts`: a duplicate delivery carries the same ts,
so the primary key (site, stream, seq, ts) still refuses it, and a month is dropped by detaching its
partition (retention) instead of deleting rows. A DEFAULT partition takes events whose clock was wrong.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import psycopg

log = logging.getLogger(__name__)

LOCK_KEY = 0x10CCE7D  # pg_advisory_xact_lock key for migrations and partition changes

V1 = """
CREATE TABLE sites (
    site text PRIMARY KEY,
    online boolean,
    since timestamptz,
    boot_id text,
    bdseq bigint,
    version text,
    stream text,
    stream_start bigint,
    last_seq bigint,
    outbox_depth integer,
    first_seen timestamptz NOT NULL DEFAULT now(),
    last_seen timestamptz,
    last_telemetry_at timestamptz,
    telemetry_ts text,
    telemetry jsonb,
    telemetry_as_of bigint,
    snapshot_ts text,
    snapshot jsonb,
    occupancy jsonb,
    occ_total integer,
    occ_used integer,
    red_anomalies integer
);
CREATE INDEX sites_online ON sites (online, since);

CREATE TABLE streams (
    site text NOT NULL,
    stream text NOT NULL,
    next_seq bigint NOT NULL,
    stored bigint NOT NULL DEFAULT 0,
    held bigint NOT NULL DEFAULT 0,
    last_at timestamptz,
    resync_at timestamptz,
    resyncs integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site, stream)
);

CREATE TABLE events (
    site text NOT NULL,
    stream text NOT NULL,
    seq bigint NOT NULL,
    id text NOT NULL,
    type text NOT NULL,
    ts timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    clock_synced boolean NOT NULL DEFAULT true,
    data jsonb NOT NULL,
    PRIMARY KEY (site, stream, seq, ts)
) PARTITION BY RANGE (ts);
CREATE TABLE events_default PARTITION OF events DEFAULT;

-- events that arrived ahead of a gap, waiting for the reorder window or a resync
CREATE TABLE held (
    site text NOT NULL,
    stream text NOT NULL,
    seq bigint NOT NULL,
    id text NOT NULL,
    type text NOT NULL,
    ts timestamptz NOT NULL,
    clock_synced boolean NOT NULL DEFAULT true,
    data jsonb NOT NULL,
    held_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site, stream, seq)
);

CREATE TABLE commands (
    id text PRIMARY KEY,
    site text NOT NULL,
    type text NOT NULL,
    data jsonb NOT NULL,
    issued_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    state text NOT NULL CHECK (state IN ('queued', 'sent', 'done', 'failed', 'expired')),
    origin text NOT NULL DEFAULT 'api',
    sent_at timestamptz,
    done_at timestamptz,
    result jsonb
);
CREATE INDEX commands_open ON commands (expires_at) WHERE state IN ('queued', 'sent');
CREATE INDEX commands_site ON commands (site, issued_at DESC);

-- the last telemetry of each site and day: what the cross-site carrier report reads
CREATE TABLE telemetry_daily (
    site text NOT NULL,
    day date NOT NULL,
    ts text NOT NULL,
    doc jsonb NOT NULL,
    PRIMARY KEY (site, day)
);

CREATE TABLE rejects (
    id bigserial PRIMARY KEY,
    received_at timestamptz NOT NULL DEFAULT now(),
    topic text NOT NULL,
    reason text NOT NULL,
    payload bytea NOT NULL
);

CREATE TABLE metrics (
    name text PRIMARY KEY,
    value bigint NOT NULL DEFAULT 0
);
"""

# v2: the offline filter of the paged site list (`GET /api/v1/sites?state=offline`) walks this index in
# site order instead of the whole primary key (a few offline sites among 50,000)
V2 = "CREATE INDEX sites_not_online ON sites (site) WHERE online IS NOT TRUE;"

# v3: the fleet page's two charts (the fullest sites, the most red anomalies) read the top 15 from an index
# instead of sorting all 50,000 sites on every page load
V3 = """
CREATE INDEX sites_fullest ON sites ((occ_used::float / occ_total) DESC) WHERE occ_total > 0;
CREATE INDEX sites_most_red ON sites (red_anomalies DESC) WHERE red_anomalies > 0;
"""

# v4: tracking updates HQ sends down (`POST /api/v1/sites/{site}/tracking`, docs/decisions/0041): one row per
# (site, key), the key being the digest the edge deduplicates on, so the same update sent twice is one row
# here and one on the edge; and the site's name from its birth (the fleet page names sites)
V4 = """
CREATE TABLE tracking_updates (
    id text PRIMARY KEY,
    site text NOT NULL,
    key text NOT NULL,
    tracking_number text NOT NULL,
    carrier text,
    payload jsonb NOT NULL,
    events integer NOT NULL,
    state text NOT NULL CHECK (state IN ('queued', 'sent', 'expired')),
    origin text NOT NULL DEFAULT 'api',
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    sent_at timestamptz,
    attempts integer NOT NULL DEFAULT 0,
    last_refusal text,
    requests integer NOT NULL DEFAULT 1,
    UNIQUE (site, key)
);
CREATE INDEX tracking_updates_open ON tracking_updates (created_at) WHERE state = 'queued';
CREATE INDEX tracking_updates_site ON tracking_updates (site, tracking_number, created_at DESC);
ALTER TABLE sites ADD COLUMN name text;
"""

# v5: the site page (/sites/{site}) reads a site's newest events and its anomaly events by time, not by stream
V5 = """
CREATE INDEX events_site_ts ON events (site, ts DESC);
CREATE INDEX events_site_anomaly ON events (site, ts DESC)
    WHERE type IN ('parcel.anomaly_raised', 'parcel.anomaly_escalated', 'parcel.anomaly_cleared');
"""
# v6: the site's time zone from its birth (the site page shows event times in the site's local time)
V6 = """
ALTER TABLE sites ADD COLUMN timezone text;
"""
# v7: the fleet's staff labels pack (/api/v1/tracking/labels/pack.jsonl) reads every tracking.label_added event
V7 = """
CREATE INDEX events_label_added ON events (ts) WHERE type = 'tracking.label_added';
"""
# v8: results HQ did not expect (trial 2026-12-07e): a site's answer to a command HQ has no row for (forged with
# another key, an old capture replayed after HQ forgot it, another HQ) is kept in words for the pages, and a
# second answer to one HQ did send (the command reached the site again: redelivered or replayed) is counted on it
V8 = """
ALTER TABLE commands ADD COLUMN repeats integer NOT NULL DEFAULT 0, ADD COLUMN last_repeat_at timestamptz;
CREATE TABLE stray_results (
    n bigserial PRIMARY KEY,
    site text NOT NULL,
    command_id text NOT NULL,
    ok boolean NOT NULL,
    code text,
    message text,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stray_results_recent ON stray_results (received_at DESC);
CREATE INDEX stray_results_site ON stray_results (site, received_at DESC);
"""
# v9: the seq a site's `outbox_depth` was reported at (the birth's `last_seq`, the telemetry's `as_of_seq`): HQ
# lowers the backlog it shows as the events arrive, instead of showing a birth's backlog until the next birth
# (trial 2026-12-07e: "46 waiting" for a site that had uploaded everything)
V9 = """
ALTER TABLE sites ADD COLUMN outbox_as_of bigint;
"""
# v10: the carrier of a parcel by its tracking number, for the site page's open anomalies (an anomaly event carries
# no carrier; the parcel's parcel.expected / parcel.stored does; trial 2026-12-07e: "—" for a 顺丰 parcel)
V10 = """
CREATE INDEX events_site_parcel ON events (site, (data ->> 'tracking_number'), ts DESC)
    WHERE type IN ('parcel.expected', 'parcel.stored');
"""
# v11: residents' messages HQ sends for sites on the default `hq` channel (ADR 0049): one row per (site, message
# id) from the `notify.message` events, filled by ingest in the events' transaction; `lockerd hq serve --notify`
# claims due rows FOR UPDATE SKIP LOCKED; senders say they are there in `notify_senders` (the pages' "no gateway")
V11 = """
CREATE TABLE resident_messages (
    site text NOT NULL,
    id text NOT NULL,
    kind text NOT NULL,
    lang text NOT NULL DEFAULT '',
    unit text,
    phone_tail text,
    data jsonb NOT NULL,
    state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    last_error text,
    channel text,
    provider_ref text,
    event_ts timestamptz NOT NULL,
    stream text NOT NULL,
    seq bigint NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    next_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    sent_at timestamptz,
    finished_at timestamptz,
    PRIMARY KEY (site, id)
);
CREATE INDEX resident_messages_due ON resident_messages (next_at, id) WHERE state = 'pending';
CREATE INDEX resident_messages_site ON resident_messages (site, event_ts DESC);
CREATE TABLE notify_senders (
    instance text PRIMARY KEY,
    channels text NOT NULL,
    seen_at timestamptz NOT NULL DEFAULT now()
);
"""
MIGRATIONS: list[str] = [V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11]
SCHEMA_VERSION = len(MIGRATIONS)


STRAY_RESULTS_KEPT_DAYS = 30


def prune_stray_results(conn: psycopg.Connection, days: int = STRAY_RESULTS_KEPT_DAYS) -> int:
    """Forget answers to commands HQ did not send after `days` (the sites' own replay window is 30 days; anyone on
    the broker can cause them, so they must not pile up). Run hourly by `hq serve`; returns how many went."""
    return conn.execute("DELETE FROM stray_results WHERE received_at < now() - make_interval(days => %s)",
                        (days,)).rowcount


def migrate(conn: psycopg.Connection) -> int:
    """Bring the schema to the newest version, each step in its own transaction; returns the version."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        conn.execute("CREATE TABLE IF NOT EXISTS hq_schema (version integer PRIMARY KEY, "
                     "applied_at timestamptz NOT NULL DEFAULT now())")
        row = conn.execute("SELECT coalesce(max(version), 0) FROM hq_schema").fetchone()
        current = int(row[0]) if row else 0
        if current > SCHEMA_VERSION:
            raise RuntimeError(f"HQ database schema v{current} is newer than this lockerd (v{SCHEMA_VERSION})")
        for version in range(current + 1, SCHEMA_VERSION + 1):
            conn.execute(MIGRATIONS[version - 1])
            conn.execute("INSERT INTO hq_schema (version) VALUES (%s)", (version,))
            log.info("HQ database migrated to v%s", version)
    ensure_partitions(conn)
    return SCHEMA_VERSION


def month_start(d: date, add: int = 0) -> date:
    m = d.month - 1 + add
    return date(d.year + m // 12, m % 12 + 1, 1)


def ensure_partitions(conn: psycopg.Connection, today: date | None = None, ahead: int = 2,
                      behind: int = 1) -> list[str]:
    """Monthly partitions from `behind` months ago to `ahead` months on; returns the ones created."""
    today = today or datetime.now(UTC).date()
    made = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        for k in range(-behind, ahead + 1):
            lo, hi = month_start(today, k), month_start(today, k + 1)
            name = f"events_{lo:%Y%m}"
            found = conn.execute("SELECT to_regclass(%s)", (name,)).fetchone()
            exists = found[0] if found else None
            if exists:
                continue
            # rows already in the default partition for that month would block it: move them over
            conn.execute(f"CREATE TABLE {name} (LIKE events INCLUDING DEFAULTS)")
            conn.execute(f"WITH moved AS (DELETE FROM events_default WHERE ts >= %s AND ts < %s RETURNING *) "
                         f"INSERT INTO {name} SELECT * FROM moved", (lo, hi))
            conn.execute(f"ALTER TABLE events ATTACH PARTITION {name} FOR VALUES FROM ('{lo}') TO ('{hi}')")
            made.append(name)
    if made:
        log.info("created event partitions %s", ", ".join(made))
    return made


def drop_partitions_before(conn: psycopg.Connection, before: date) -> list[str]:
    """Retention: detach and drop whole months older than `before`."""
    dropped = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        rows = conn.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'events' AND c.relname ~ '^events_[0-9]{6}$'"
        ).fetchall()
        for (name,) in rows:
            lo = date(int(name[7:11]), int(name[11:13]), 1)
            if month_start(lo, 1) <= before:
                conn.execute(f"ALTER TABLE events DETACH PARTITION {name}")
                conn.execute(f"DROP TABLE {name}")
                dropped.append(name)
    return dropped
