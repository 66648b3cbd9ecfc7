-- Timing compliance (时限合规, issue 7). The clocks table is the truth; these tables summarise each clock for the
-- auditors' dashboard, because the figures need the working-day calendar (working days used, paused, late), which
-- SQL cannot compute. The compliance store derives a row from a clock whenever the clock's row_version differs
-- from the one summarised (finished clocks never change again), so the aggregates are plain GROUP BYs.
CREATE TABLE compliance_clocks (
    clock_id            bigint            NOT NULL PRIMARY KEY REFERENCES clocks (id),
    clock_row_version   int               NOT NULL, -- the clocks.row_version this row was derived from
    instance_id         uniqueidentifier  NULL,
    clock_name          nvarchar(200)     NOT NULL,
    rule_id             nvarchar(200)     NULL,
    rule_name_zh        nvarchar(max)     NULL,
    rule_name_en        nvarchar(max)     NULL,
    legal_basis         nvarchar(max)     NULL,
    organisation        nvarchar(64)      NULL,     -- the case's organisation (a city, or the province)
    definition_key      nvarchar(200)     NULL,
    business_key        nvarchar(200)     NULL,     -- the case number
    track               nvarchar(16)      NOT NULL, -- standard | fast | fast-ended
    status              nvarchar(16)      NOT NULL, -- running | paused | stopped | cancelled (as the clock)
    result              nvarchar(16)      NOT NULL, -- on-time | late | running | paused | cancelled (overdue = running past due_at, asked at read time)
    started_at          datetimeoffset(7) NOT NULL,
    due_at              datetimeoffset(7) NULL,
    ended_at            datetimeoffset(7) NULL,
    ended_month         nvarchar(7)       NULL,     -- yyyy-MM in Beijing time, for the monthly figures
    working_days_used   int               NOT NULL, -- at the end; for a clock still counting, when the row was derived
    working_days_limit  int               NULL,
    working_days_late   int               NOT NULL,
    working_days_paused int               NOT NULL,
    pause_count         int               NOT NULL,
    extension_days      int               NOT NULL,
    calendar_version    nvarchar(200)     NOT NULL,
    derived_at          datetimeoffset(7) NOT NULL
);
CREATE INDEX ix_compliance_clocks_status ON compliance_clocks (status, organisation, rule_id);
CREATE INDEX ix_compliance_clocks_ended ON compliance_clocks (ended_at);
CREATE INDEX ix_compliance_clocks_instance ON compliance_clocks (instance_id);

-- The pauses, extensions and fast-track ends of each summarised clock, replaced with it.
CREATE TABLE compliance_clock_events (
    clock_id     bigint            NOT NULL REFERENCES compliance_clocks (clock_id),
    seq          int               NOT NULL, -- the event's index in the clock
    kind         nvarchar(16)      NOT NULL, -- pause | extension | fast-track-ended
    at           datetimeoffset(7) NOT NULL,
    ended_at     datetimeoffset(7) NULL,     -- a pause's resumption (null while still paused)
    reason       nvarchar(max)     NOT NULL,
    legal_basis  nvarchar(max)     NULL,
    approver     nvarchar(64)      NULL,     -- an extension's approver
    days         int               NOT NULL, -- working days paused, or working days of the extension
    PRIMARY KEY (clock_id, seq)
);
CREATE INDEX ix_compliance_clock_events_kind ON compliance_clock_events (kind, clock_id);

-- What was said about each breach: the answer of the escalation task created with it (超期原因及处理措施).
CREATE TABLE compliance_breaches (
    breach_id       bigint            NOT NULL PRIMARY KEY REFERENCES clock_breaches (id),
    organisation    nvarchar(64)      NULL,
    detected_month  nvarchar(7)       NOT NULL, -- yyyy-MM in Beijing time
    task_id         uniqueidentifier  NULL,     -- the escalation task the breach's step created
    task_status     nvarchar(16)      NOT NULL, -- open | completed | cancelled | none (the definition escalates to nobody)
    reason          nvarchar(max)     NULL,     -- null until the escalation task is completed
    reason_by       nvarchar(64)      NULL,
    reason_at       datetimeoffset(7) NULL
);
CREATE INDEX ix_compliance_breaches_open ON compliance_breaches (task_status);

-- Finding the clocks whose summary is missing or stale reads only this index, not the clocks' JSON.
CREATE INDEX ix_clocks_row_version ON clocks (id, row_version);
