"""Schema for tracking: carrier events, a per-waybill summary the anomaly sweep reads, anomalies, follow-ups.

`tracked` holds one row per waybill we follow, summarised from its events, so a sweep never reads
`tracking_events`; `next_check_at` (indexed) is when that waybill next needs looking at (NULL = never:
finished, or nothing can change without a new event). Its times are REAL Unix epoch seconds (UTC), the
form the sweep computes with; everything else stores UTC ISO 8601 text like the rest of lockerd.
"""

SQL = """
CREATE TABLE tracked (
    tracking_number TEXT PRIMARY KEY,
    carrier TEXT,
    parcel_id TEXT,
    category TEXT NOT NULL DEFAULT 'normal',
    cross_border INTEGER NOT NULL DEFAULT 0,
    expected_by REAL,
    first_seen_at REAL NOT NULL,
    label_at REAL,
    first_scan_at REAL,
    last_event_at REAL,
    last_milestone TEXT,
    last_location TEXT,
    node_since REAL,
    node_events INTEGER NOT NULL DEFAULT 0,
    customs_held_at REAL,
    exception_at REAL,
    failed_at REAL,
    failures INTEGER NOT NULL DEFAULT 0,
    return_at REAL,
    arrived_at REAL,
    final INTEGER NOT NULL DEFAULT 0,
    events INTEGER NOT NULL DEFAULT 0,
    next_check_at REAL,
    last_polled_at TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX tracked_next_check ON tracked(next_check_at) WHERE next_check_at IS NOT NULL;
CREATE INDEX tracked_parcel ON tracked(parcel_id) WHERE parcel_id IS NOT NULL;
CREATE INDEX tracked_carrier_seen ON tracked(carrier, first_seen_at);

CREATE TABLE tracking_events (
    id INTEGER PRIMARY KEY,
    tracking_number TEXT NOT NULL,
    time TEXT NOT NULL,
    text TEXT NOT NULL,
    location TEXT,
    code TEXT,
    milestone TEXT NOT NULL,
    confidence REAL NOT NULL,
    rule TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    received_at TEXT NOT NULL,
    UNIQUE (tracking_number, time, text)
);

CREATE TABLE anomalies (
    id INTEGER PRIMARY KEY,
    tracking_number TEXT NOT NULL,
    parcel_id TEXT,
    carrier TEXT,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('yellow','red')),
    owner TEXT NOT NULL DEFAULT '',
    next_action TEXT NOT NULL DEFAULT '',
    raised_at TEXT NOT NULL,
    escalation TEXT,
    escalated_at TEXT,
    cleared_at TEXT,
    cleared_by TEXT,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX anomalies_open ON anomalies(tracking_number, kind) WHERE cleared_at IS NULL;
CREATE INDEX anomalies_raised ON anomalies(raised_at);

CREATE TABLE followups (
    id INTEGER PRIMARY KEY,
    tracking_number TEXT NOT NULL,
    parcel_id TEXT,
    anomaly_id INTEGER REFERENCES anomalies(id),
    ts TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN
        ('phone','online_chat','social_media','sender','postal_complaint','carrier_complaint')),
    contact TEXT NOT NULL DEFAULT '',
    said TEXT NOT NULL DEFAULT '',
    ticket TEXT,
    next_at TEXT,
    actor TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX followups_tracking ON followups(tracking_number, ts);

-- which rows of the core `tasks` table tracking opened, to close them by anomaly or waybill
CREATE TABLE tracking_tasks (
    task_id INTEGER PRIMARY KEY,
    tracking_number TEXT NOT NULL,
    anomaly_id INTEGER
);
CREATE INDEX tracking_tasks_anomaly ON tracking_tasks(anomaly_id) WHERE anomaly_id IS NOT NULL;
CREATE INDEX tracking_tasks_tracking ON tracking_tasks(tracking_number);
"""
