"""Core schema: compartments, parcels, deposits, door commands, couriers, events/outbox, audit."""

SQL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE compartments (
    id TEXT PRIMARY KEY,
    bank TEXT NOT NULL,
    size TEXT NOT NULL CHECK (size IN ('S','M','L','XL')),
    height_cm INTEGER NOT NULL DEFAULT 100,
    state TEXT NOT NULL DEFAULT 'free'
        CHECK (state IN ('free','reserved','occupied','disabled','fault')),
    door TEXT NOT NULL DEFAULT 'unknown' CHECK (door IN ('open','closed','unknown')),
    door_changed_at TEXT,
    note TEXT,
    configured INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);

CREATE TABLE units (
    unit TEXT PRIMARY KEY,
    phone_tail TEXT,
    low_door INTEGER NOT NULL DEFAULT 0,
    vacation_until TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE couriers (
    id TEXT PRIMARY KEY,
    code_hash TEXT NOT NULL UNIQUE,
    company TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

CREATE TABLE courier_sessions (
    token_hash TEXT PRIMARY KEY,
    courier_id TEXT NOT NULL REFERENCES couriers(id),
    kiosk TEXT NOT NULL DEFAULT '',
    expires_at TEXT NOT NULL
);

CREATE TABLE parcels (
    id TEXT PRIMARY KEY,
    tracking_number TEXT NOT NULL,
    carrier TEXT,
    unit TEXT,
    phone_tail TEXT,
    category TEXT NOT NULL DEFAULT 'normal'
        CHECK (category IN ('normal','fresh','medicine','valuable','oversize')),
    state TEXT NOT NULL CHECK (state IN
        ('expected','depositing','stored','collected','returned','disposed','cancelled')),
    stage TEXT,
    compartment_id TEXT REFERENCES compartments(id),
    shelf_slot TEXT,
    pickup_code TEXT,
    courier_id TEXT,
    cross_border INTEGER NOT NULL DEFAULT 0,
    expected_by TEXT,
    source TEXT,
    hold_until TEXT,
    created_at TEXT NOT NULL,
    stored_at TEXT,
    closed_at TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX parcels_tracking ON parcels(tracking_number);
CREATE INDEX parcels_code ON parcels(pickup_code) WHERE pickup_code IS NOT NULL;
CREATE INDEX parcels_state ON parcels(state);
CREATE INDEX parcels_unit ON parcels(unit);

CREATE TABLE parcel_log (
    id INTEGER PRIMARY KEY,
    parcel_id TEXT NOT NULL REFERENCES parcels(id),
    ts TEXT NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX parcel_log_parcel ON parcel_log(parcel_id, id);

CREATE TABLE door_commands (
    id TEXT PRIMARY KEY,
    compartment_id TEXT NOT NULL REFERENCES compartments(id),
    actor TEXT NOT NULL,
    reason TEXT NOT NULL,
    purpose TEXT NOT NULL,
    ref TEXT,
    state TEXT NOT NULL CHECK (state IN ('pending','fired','opened','already_open','jammed','unknown','failed')),
    created_at TEXT NOT NULL,
    fired_at TEXT,
    resolved_at TEXT,
    closed_at TEXT,
    note TEXT
);
CREATE INDEX door_commands_open ON door_commands(state) WHERE state IN ('pending','fired');

CREATE TABLE deposits (
    id TEXT PRIMARY KEY,
    parcel_id TEXT NOT NULL REFERENCES parcels(id),
    courier_id TEXT NOT NULL,
    compartment_id TEXT REFERENCES compartments(id),
    size TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('depositing','cancelling','stored','cancelled','failed')),
    door_command_id TEXT,
    failure TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX deposits_active ON deposits(state) WHERE state IN ('depositing','cancelling');

CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    ts TEXT NOT NULL,
    data TEXT NOT NULL,
    -- 0 when the event was stamped before the clock was synchronised (a Pi has no RTC)
    clock_synced INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY,
    droppable INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    parcel_id TEXT,
    unit TEXT,
    phone_tail TEXT,
    tracking_number TEXT,
    pickup_code TEXT,
    kind TEXT NOT NULL,
    lang TEXT NOT NULL DEFAULT 'zh-CN',
    text TEXT NOT NULL,
    ts TEXT NOT NULL
);

CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_ts ON audit(ts);

CREATE TABLE code_attempts (
    scope TEXT PRIMARY KEY,
    failures INTEGER NOT NULL DEFAULT 0,
    lockouts INTEGER NOT NULL DEFAULT 0,
    tokens REAL NOT NULL DEFAULT 0,
    locked_until TEXT,
    updated_at TEXT NOT NULL
);

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    parcel_id TEXT,
    compartment_id TEXT,
    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','done','cancelled')),
    title TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}',
    due_at TEXT,
    created_at TEXT NOT NULL,
    done_at TEXT,
    done_by TEXT
);
CREATE INDEX tasks_open ON tasks(state, kind);
"""
