-- Timing compliance (时限合规, issue 7). The clocks table is the truth; these tables summarise each clock for the
-- auditors' dashboard, because the figures need the working-day calendar (working days used, paused, late), which
-- SQL cannot compute. The compliance store derives a row from a clock whenever the clock's row_version differs
-- from the one summarised (finished clocks never change again), so the aggregates are plain GROUP BYs.
CREATE TABLE compliance_clocks (
    clock_id            bigint  NOT NULL PRIMARY KEY REFERENCES clocks (id),
    clock_row_version   integer NOT NULL, -- the clocks.row_version this row was derived from
    instance_id         uuid    NULL,
    clock_name          text    NOT NULL,
    rule_id             text    NULL,
    rule_name_zh        text    NULL,
    rule_name_en        text    NULL,
    legal_basis         text    NULL,
    organisation        text    NULL,     -- the case's organisation (a city, or the province)
    definition_key      text    NULL,
    business_key        text    NULL,     -- the case number
    track               text    NOT NULL, -- standard | fast | fast-ended
    status              text    NOT NULL, -- running | paused | stopped | cancelled (as the clock)
    result              text    NOT NULL, -- on-time | late | running | paused | cancelled (overdue = running past due_at, asked at read time)
    started_at          timestamptz NOT NULL,
    due_at              timestamptz NULL,
    ended_at            timestamptz NULL,
    ended_month         text    NULL,     -- yyyy-MM in Beijing time, for the monthly figures
    working_days_used   integer NOT NULL, -- at the end; for a clock still counting, when the row was derived
    working_days_limit  integer NULL,
    working_days_late   integer NOT NULL,
    working_days_paused integer NOT NULL,
    pause_count         integer NOT NULL,
    extension_days      integer NOT NULL,
    calendar_version    text    NOT NULL,
    derived_at          timestamptz NOT NULL
);
CREATE INDEX ix_compliance_clocks_status ON compliance_clocks (status, organisation, rule_id);
CREATE INDEX ix_compliance_clocks_ended ON compliance_clocks (ended_at);
CREATE INDEX ix_compliance_clocks_instance ON compliance_clocks (instance_id);

-- The pauses, extensions and fast-track ends of each summarised clock, replaced with it.
CREATE TABLE compliance_clock_events (
    clock_id     bigint  NOT NULL REFERENCES compliance_clocks (clock_id),
    seq          integer NOT NULL, -- the event's index in the clock
    kind         text    NOT NULL, -- pause | extension | fast-track-ended
    at           timestamptz NOT NULL,
    ended_at     timestamptz NULL,     -- a pause's resumption (null while still paused)
    reason       text    NOT NULL,
    legal_basis  text    NULL,
    approver     text    NULL,     -- an extension's approver
    days         integer NOT NULL, -- working days paused, or working days of the extension
    PRIMARY KEY (clock_id, seq)
);
CREATE INDEX ix_compliance_clock_events_kind ON compliance_clock_events (kind, clock_id);

-- What was said about each breach: the answer of the escalation task created with it (超期原因及处理措施).
CREATE TABLE compliance_breaches (
    breach_id       bigint  NOT NULL PRIMARY KEY REFERENCES clock_breaches (id),
    organisation    text    NULL,
    detected_month  text    NOT NULL, -- yyyy-MM in Beijing time
    task_id         uuid    NULL,     -- the escalation task the breach's step created
    task_status     text    NOT NULL, -- open | completed | cancelled | none (the definition escalates to nobody)
    reason          text    NULL,     -- null until the escalation task is completed
    reason_by       text    NULL,
    reason_at       timestamptz NULL
);
CREATE INDEX ix_compliance_breaches_open ON compliance_breaches (task_status);

-- Finding the clocks whose summary is missing or stale reads only this index, not the clocks' JSON.
CREATE INDEX ix_clocks_row_version ON clocks (id, row_version);
