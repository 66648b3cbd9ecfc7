-- Timing compliance (时限合规, issue 7). The clocks table is the truth; these tables summarise each clock for the
-- auditors' dashboard, because the figures need the working-day calendar (working days used, paused, late), which
-- SQL cannot compute. The compliance store derives a row from a clock whenever the clock's row_version differs
-- from the one summarised (finished clocks never change again), so the aggregates are plain GROUP BYs.
CREATE TABLE compliance_clocks (
    clock_id            INTEGER NOT NULL PRIMARY KEY REFERENCES clocks (id),
    clock_row_version   INTEGER NOT NULL, -- the clocks.row_version this row was derived from
    instance_id         TEXT    NULL,
    clock_name          TEXT    NOT NULL,
    rule_id             TEXT    NULL,
    rule_name_zh        TEXT    NULL,
    rule_name_en        TEXT    NULL,
    legal_basis         TEXT    NULL,
    organisation        TEXT    NULL,     -- the case's organisation (a city, or the province)
    definition_key      TEXT    NULL,
    business_key        TEXT    NULL,     -- the case number
    track               TEXT    NOT NULL, -- standard | fast | fast-ended
    status              TEXT    NOT NULL, -- running | paused | stopped | cancelled (as the clock)
    result              TEXT    NOT NULL, -- on-time | late | running | paused | cancelled (overdue = running past due_at, asked at read time)
    started_at          TEXT    NOT NULL,
    due_at              TEXT    NULL,
    ended_at            TEXT    NULL,
    ended_month         TEXT    NULL,     -- yyyy-MM in Beijing time, for the monthly figures
    working_days_used   INTEGER NOT NULL, -- at the end; for a clock still counting, when the row was derived
    working_days_limit  INTEGER NULL,
    working_days_late   INTEGER NOT NULL,
    working_days_paused INTEGER NOT NULL,
    pause_count         INTEGER NOT NULL,
    extension_days      INTEGER NOT NULL,
    calendar_version    TEXT    NOT NULL,
    derived_at          TEXT    NOT NULL
);
CREATE INDEX ix_compliance_clocks_status ON compliance_clocks (status, organisation, rule_id);
CREATE INDEX ix_compliance_clocks_ended ON compliance_clocks (ended_at);
CREATE INDEX ix_compliance_clocks_instance ON compliance_clocks (instance_id);

-- The pauses, extensions and fast-track ends of each summarised clock, replaced with it.
CREATE TABLE compliance_clock_events (
    clock_id     INTEGER NOT NULL REFERENCES compliance_clocks (clock_id),
    seq          INTEGER NOT NULL, -- the event's index in the clock
    kind         TEXT    NOT NULL, -- pause | extension | fast-track-ended
    at           TEXT    NOT NULL,
    ended_at     TEXT    NULL,     -- a pause's resumption (null while still paused)
    reason       TEXT    NOT NULL,
    legal_basis  TEXT    NULL,
    approver     TEXT    NULL,     -- an extension's approver
    days         INTEGER NOT NULL, -- working days paused, or working days of the extension
    PRIMARY KEY (clock_id, seq)
);
CREATE INDEX ix_compliance_clock_events_kind ON compliance_clock_events (kind, clock_id);

-- What was said about each breach: the answer of the escalation task created with it (超期原因及处理措施).
CREATE TABLE compliance_breaches (
    breach_id       INTEGER NOT NULL PRIMARY KEY REFERENCES clock_breaches (id),
    organisation    TEXT    NULL,
    detected_month  TEXT    NOT NULL, -- yyyy-MM in Beijing time
    task_id         TEXT    NULL,     -- the escalation task the breach's step created
    task_status     TEXT    NOT NULL, -- open | completed | cancelled | none (the definition escalates to nobody)
    reason          TEXT    NULL,     -- null until the escalation task is completed
    reason_by       TEXT    NULL,
    reason_at       TEXT    NULL
);
CREATE INDEX ix_compliance_breaches_open ON compliance_breaches (task_status);

-- Finding the clocks whose summary is missing or stale reads only this index, not the clocks' JSON.
CREATE INDEX ix_clocks_row_version ON clocks (id, row_version);
