"""Staff labelling of tracking texts (issue 15): the queue of texts the classifier could not tell, grouped
by template, and the labels staff gave (local rules, exported to HQ in `tracking.label_added`)."""

SQL = """
CREATE TABLE tracking_text_queue (
    template TEXT NOT NULL,
    carrier TEXT NOT NULL DEFAULT '',
    example TEXT NOT NULL,
    milestone TEXT NOT NULL,
    confidence REAL NOT NULL,
    seen INTEGER NOT NULL DEFAULT 1,
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    PRIMARY KEY (template, carrier)
);
CREATE INDEX tracking_text_queue_seen ON tracking_text_queue (seen DESC);

CREATE TABLE tracking_labels (
    template TEXT NOT NULL,
    carrier TEXT NOT NULL DEFAULT '',
    milestone TEXT NOT NULL,
    example TEXT NOT NULL DEFAULT '',
    actor TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT 'staff',
    created_at TEXT NOT NULL,
    PRIMARY KEY (template, carrier)
);
"""
