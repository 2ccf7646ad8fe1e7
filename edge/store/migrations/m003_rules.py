"""Schema for the storage rules (edge/rules/).

* ``rule_schedule``: one row per stored parcel with the instant its next rule action is due; the sweep
  reads only rows due now (index on next_due_at). Triggers keep it in step with ``parcels`` whoever
  changes them: a parcel becoming stored (or its hold, category, stored_at, location changing) is
  marked due now (``''`` sorts first) so the sweep recomputes it; a parcel leaving storage is dropped
  and its open rule tasks are cancelled.
* ``rule_actions``: each action done, UNIQUE(parcel_id, action): the idempotency record.
* ``rule_pauses``: holds (per parcel) and vacations (per unit) that stop the storage clock. The hold
  rows are written by a trigger on ``parcels.hold_until`` (using ``parcels.updated_at`` as the time of
  the change), so a hold set by any service pauses the clock.
* ``policy_versions``: policy documents set at run time (console, ``policy.set``); newest wins.
* ``disposals``: who disposed of an unclaimed parcel, when and how.
"""

SQL = """
CREATE TABLE rule_schedule (
    parcel_id TEXT PRIMARY KEY REFERENCES parcels(id) ON DELETE CASCADE,
    next_due_at TEXT NOT NULL DEFAULT '',
    next_action TEXT NOT NULL DEFAULT ''
);
CREATE INDEX rule_schedule_due ON rule_schedule(next_due_at);

CREATE TABLE rule_actions (
    id INTEGER PRIMARY KEY,
    parcel_id TEXT NOT NULL REFERENCES parcels(id) ON DELETE CASCADE,
    action TEXT NOT NULL,
    due_at TEXT NOT NULL,
    done_at TEXT NOT NULL,
    actor TEXT NOT NULL DEFAULT 'rules',
    detail TEXT NOT NULL DEFAULT '{}',
    UNIQUE (parcel_id, action)
);

CREATE TABLE rule_pauses (
    id INTEGER PRIMARY KEY,
    parcel_id TEXT REFERENCES parcels(id) ON DELETE CASCADE,
    unit TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('hold', 'vacation')),
    start_at TEXT NOT NULL,
    until TEXT NOT NULL,
    actor TEXT NOT NULL DEFAULT '',
    CHECK ((parcel_id IS NULL) <> (unit IS NULL))
);
CREATE INDEX rule_pauses_parcel ON rule_pauses(parcel_id) WHERE parcel_id IS NOT NULL;
CREATE INDEX rule_pauses_unit ON rule_pauses(unit) WHERE unit IS NOT NULL;

CREATE TABLE policy_versions (
    version INTEGER PRIMARY KEY,
    doc TEXT NOT NULL,
    actor TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    set_at TEXT NOT NULL
);

CREATE TABLE disposals (
    parcel_id TEXT PRIMARY KEY REFERENCES parcels(id),
    how TEXT NOT NULL,
    actor TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    compartment_id TEXT,
    shelf_slot TEXT,
    ts TEXT NOT NULL
);

-- parcels already stored when this migration runs are planned by the first sweep
INSERT INTO rule_schedule (parcel_id, next_due_at, next_action) SELECT id, '', '' FROM parcels WHERE state = 'stored';

CREATE TRIGGER rules_parcel_stored AFTER INSERT ON parcels WHEN NEW.state = 'stored'
BEGIN
    INSERT OR REPLACE INTO rule_schedule (parcel_id, next_due_at, next_action) VALUES (NEW.id, '', '');
END;

CREATE TRIGGER rules_parcel_changed
AFTER UPDATE OF state, stored_at, hold_until, category, compartment_id, shelf_slot ON parcels
WHEN NEW.state = 'stored'
BEGIN
    INSERT OR REPLACE INTO rule_schedule (parcel_id, next_due_at, next_action) VALUES (NEW.id, '', '');
END;

CREATE TRIGGER rules_parcel_left AFTER UPDATE OF state ON parcels
WHEN NEW.state <> 'stored' AND OLD.state = 'stored'
BEGIN
    DELETE FROM rule_schedule WHERE parcel_id = NEW.id;
    UPDATE tasks SET state = 'cancelled', done_at = NEW.updated_at, done_by = 'rules'
        WHERE parcel_id = NEW.id AND state = 'open' AND kind IN ('move_to_parcel_room', 'dispose');
END;

CREATE TRIGGER rules_parcel_hold AFTER UPDATE OF hold_until ON parcels
WHEN NEW.hold_until IS NOT OLD.hold_until
BEGIN
    -- a shorter hold or a release ends the pauses in force at the new end (or now)
    UPDATE rule_pauses
        SET until = CASE WHEN julianday(start_at) > julianday(COALESCE(NEW.hold_until, NEW.updated_at))
                         THEN start_at ELSE COALESCE(NEW.hold_until, NEW.updated_at) END
        WHERE parcel_id = NEW.id AND kind = 'hold'
          AND julianday(until) > julianday(COALESCE(NEW.hold_until, NEW.updated_at));
    INSERT INTO rule_pauses (parcel_id, kind, start_at, until)
        SELECT NEW.id, 'hold', NEW.updated_at, NEW.hold_until
        WHERE NEW.hold_until IS NOT NULL AND julianday(NEW.hold_until) > julianday(NEW.updated_at);
END;

CREATE TRIGGER rules_unit_vacation AFTER UPDATE OF vacation_until ON units
WHEN NEW.vacation_until IS NOT OLD.vacation_until
BEGIN
    UPDATE rule_schedule SET next_due_at = ''
        WHERE parcel_id IN (SELECT id FROM parcels WHERE unit = NEW.unit AND state = 'stored');
END;
"""
