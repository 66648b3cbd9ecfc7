-- A statutory time limit that was not met: recorded once per clock and due date when the clock's timer fires
-- (DESIGN §4: "at breach an escalation task ... and a journal entry"). Auditors read these; nothing edits them.
CREATE TABLE clock_breaches (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    subject              TEXT    NOT NULL, -- the clock, e.g. instance:<id>/eia.decision
    instance_id          TEXT    NULL REFERENCES workflow_instances (id),
    clock_name           TEXT    NOT NULL,
    rule_id              TEXT    NULL,
    due_at               TEXT    NOT NULL,
    detected_at          TEXT    NOT NULL,
    working_days_overdue INTEGER NOT NULL,
    element_id           TEXT    NULL,     -- the step that recorded it
    recorded_by          TEXT    NOT NULL,
    UNIQUE (subject, due_at)
);
CREATE INDEX ix_clock_breaches_instance ON clock_breaches (instance_id);
CREATE INDEX ix_clock_breaches_detected ON clock_breaches (detected_at);
