"""Front-desk tracking (issue 16; migration 7): arrival at the site, the place a carrier says it left the parcel, source
conflicts, named owners, provider push receipts (replay protection, unknown waybills kept) and the
edge-side staff alert queue (robots work without cloud sync).
"""

SQL = """
ALTER TABLE tracked ADD COLUMN at_site_at REAL;
ALTER TABLE tracked ADD COLUMN closed_at REAL;
ALTER TABLE tracked ADD COLUMN handed_place TEXT;
ALTER TABLE tracked ADD COLUMN source_conflict TEXT;
ALTER TABLE anomalies ADD COLUMN assignee TEXT;
ALTER TABLE tasks ADD COLUMN owner TEXT;
-- waybills already finished before this version are closed: no delivered_not_here for them afterwards
UPDATE tracked SET closed_at = (julianday('now') - 2440587.5) * 86400.0 WHERE final = 1;

CREATE TABLE provider_pushes (
    id INTEGER PRIMARY KEY,
    provider TEXT NOT NULL,
    digest TEXT NOT NULL,
    tracking_number TEXT,
    carrier TEXT,
    payload TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('ingested','unknown','queued')),
    received_at TEXT NOT NULL,
    ingested_at TEXT,
    UNIQUE (provider, digest)
);
CREATE INDEX provider_pushes_waiting ON provider_pushes(state, tracking_number) WHERE state != 'ingested';

CREATE TABLE staff_alerts (
    id INTEGER PRIMARY KEY,
    dedupe TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL DEFAULT 'red',
    tracking_number TEXT,
    parcel_id TEXT,
    text_zh TEXT NOT NULL,
    text_en TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sent','failed','local')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    next_try_at TEXT,
    sent_at TEXT,
    done TEXT NOT NULL DEFAULT '[]',
    acked_at TEXT,
    acked_by TEXT
);
CREATE INDEX staff_alerts_pending ON staff_alerts(state, next_try_at) WHERE state = 'pending';
"""
