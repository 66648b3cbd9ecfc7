-- A statutory time limit that was not met: recorded once per clock and due date when the clock's timer fires
-- (DESIGN §4: "at breach an escalation task ... and a journal entry"). Auditors read these; nothing edits them.
CREATE TABLE clock_breaches (
    id                   bigint IDENTITY(1, 1) PRIMARY KEY,
    subject              nvarchar(200)     NOT NULL, -- the clock, e.g. instance:<id>/eia.decision
    instance_id          uniqueidentifier  NULL REFERENCES workflow_instances (id),
    clock_name           nvarchar(200)     NOT NULL,
    rule_id              nvarchar(200)     NULL,
    due_at               datetimeoffset(7) NOT NULL,
    detected_at          datetimeoffset(7) NOT NULL,
    working_days_overdue int               NOT NULL,
    element_id           nvarchar(200)     NULL, -- the step that recorded it
    recorded_by          nvarchar(64)      NOT NULL,
    CONSTRAINT uq_clock_breaches UNIQUE (subject, due_at)
);
CREATE INDEX ix_clock_breaches_instance ON clock_breaches (instance_id);
CREATE INDEX ix_clock_breaches_detected ON clock_breaches (detected_at);
