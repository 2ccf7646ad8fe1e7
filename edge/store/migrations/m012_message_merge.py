"""Resident messages that were folded into another (ADR 0043: one message for many parcels).

``messages.state`` gains ``merged`` (SQLite cannot widen a CHECK in place, so the table is rebuilt with its rows
and indexes): a merged row was never sent itself; ``merged_into`` names the message that told the resident of it.
``merge_key`` (kind, recipient, language and code where it matters) says which pending messages may be folded
together, ``merge_data`` (JSON) what the folded text needs of each parcel. Rows written before this version have
neither and are never folded.
"""

SQL = """
CREATE TABLE messages_v12 (
    id TEXT PRIMARY KEY,
    notification_id INTEGER,
    parcel_id TEXT,
    unit TEXT,
    phone_tail TEXT,
    tracking_number TEXT,
    pickup_code TEXT,
    kind TEXT NOT NULL,
    subkind TEXT,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    deadline TEXT,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sent','failed','merged')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    channel TEXT,
    created_at TEXT NOT NULL,
    next_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    sent_at TEXT,
    merge_key TEXT,
    merge_data TEXT,
    merged_into TEXT
);
INSERT INTO messages_v12 (id, notification_id, parcel_id, unit, phone_tail, tracking_number, pickup_code, kind, subkind,
    lang, text, deadline, state, attempts, last_error, channel, created_at, next_at, expires_at, sent_at)
    SELECT id, notification_id, parcel_id, unit, phone_tail, tracking_number, pickup_code, kind, subkind, lang, text,
    deadline, state, attempts, last_error, channel, created_at, next_at, expires_at, sent_at FROM messages;
DROP TABLE messages;
ALTER TABLE messages_v12 RENAME TO messages;
CREATE INDEX messages_due ON messages(next_at) WHERE state = 'pending';
CREATE INDEX messages_created ON messages(created_at);
CREATE INDEX messages_merge ON messages(merge_key) WHERE state = 'pending' AND merge_key IS NOT NULL;
"""
