"""Schema for the site directory (couriers and residents' units) and the resident message queue.

Units gain the full phone (kept only when a channel needs it), language, consent to locker delivery,
an e-mail address and where the row came from (``demo`` rows never switch the directory check on).
Couriers gain the last two digits of their code (for staff to tell codes apart), last use and an update
time. ``messages`` is the durable queue of resident messages: one row per message, written in the
transaction of its cause, with a stable id that every retry sends again.
"""

SQL = """
ALTER TABLE units ADD COLUMN phone TEXT;
ALTER TABLE units ADD COLUMN lang TEXT;
ALTER TABLE units ADD COLUMN locker_consent INTEGER NOT NULL DEFAULT 1;
ALTER TABLE units ADD COLUMN email TEXT;
ALTER TABLE units ADD COLUMN source TEXT NOT NULL DEFAULT 'demo';
ALTER TABLE units ADD COLUMN updated_at TEXT;

ALTER TABLE couriers ADD COLUMN code_tail TEXT NOT NULL DEFAULT '';
ALTER TABLE couriers ADD COLUMN last_used_at TEXT;
ALTER TABLE couriers ADD COLUMN updated_at TEXT;

CREATE TABLE messages (
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
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sent','failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    channel TEXT,
    created_at TEXT NOT NULL,
    next_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX messages_due ON messages(next_at) WHERE state = 'pending';
CREATE INDEX messages_created ON messages(created_at);
"""

SQL += """
CREATE TABLE refusals (
    parcel_id TEXT PRIMARY KEY REFERENCES parcels(id),
    reason TEXT NOT NULL CHECK (reason IN ('damaged','unwanted')),
    note TEXT NOT NULL DEFAULT '',
    kiosk TEXT NOT NULL DEFAULT '',
    ts TEXT NOT NULL
);
"""
