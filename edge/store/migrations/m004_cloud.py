"""Schema for cloud sync: the command inbox (seen ids, results) and raw tracking updates kept when no
tracking component is installed."""

SQL = """
CREATE TABLE cloud_inbox (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    received_at TEXT NOT NULL,
    issued_at TEXT,
    expires_at TEXT,
    payload TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('received','done')),
    ok INTEGER,
    code TEXT,
    message TEXT,
    result TEXT,
    done_at TEXT
);
CREATE INDEX cloud_inbox_received ON cloud_inbox(received_at);
CREATE INDEX cloud_inbox_open ON cloud_inbox(state) WHERE state = 'received';

CREATE TABLE cloud_tracking_inbox (
    id INTEGER PRIMARY KEY,
    digest TEXT NOT NULL UNIQUE,
    tracking_number TEXT NOT NULL,
    carrier TEXT,
    payload TEXT NOT NULL,
    received_at TEXT NOT NULL,
    ingested_at TEXT
);
CREATE INDEX cloud_tracking_pending ON cloud_tracking_inbox(id) WHERE ingested_at IS NULL;
"""
