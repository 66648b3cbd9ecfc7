-- Statutory time (DESIGN §4). Rules and official calendar years are versioned: a change adds a row, nothing is
-- overwritten, so an auditor can see which rule and which calendar a deadline was computed on.
CREATE TABLE time_limit_rule_versions (
    rule_id     nvarchar(200)     NOT NULL,
    version     int               NOT NULL,
    definition  nvarchar(max)     NOT NULL, -- the rule as JSON, in the shape of workflows/time-limits.json
    recorded_at datetimeoffset(7) NOT NULL,
    recorded_by nvarchar(200)     NOT NULL, -- a username, or workflows/time-limits.json for the shipped file
    reason      nvarchar(max)     NULL,
    PRIMARY KEY (rule_id, version)
);

CREATE TABLE calendar_year_versions (
    calendar_id nvarchar(200)     NOT NULL,
    year        int               NOT NULL,
    version     int               NOT NULL,
    document    nvarchar(max)     NOT NULL, -- the year as JSON, in the shape of workflows/calendars/<calendar>.json
    recorded_at datetimeoffset(7) NOT NULL,
    recorded_by nvarchar(200)     NOT NULL,
    PRIMARY KEY (calendar_id, year, version)
);

-- One row per statutory clock of a case.
CREATE TABLE clocks (
    id               bigint IDENTITY(1, 1) PRIMARY KEY,
    subject          nvarchar(200)     NOT NULL CONSTRAINT uq_clocks_subject UNIQUE, -- e.g. instance:42/eia.decision
    status           nvarchar(16) NOT NULL, -- running | paused | stopped | cancelled
    clock             nvarchar(max)     NOT NULL, -- the Timing library's clock as JSON
    due_at           datetimeoffset(7) NULL, -- null while paused or ended
    calendar_version nvarchar(200)     NOT NULL,
    updated_at       datetimeoffset(7) NOT NULL,
    row_version      int               NOT NULL DEFAULT 1
);

CREATE INDEX ix_clocks_due_at ON clocks (due_at);
CREATE INDEX ix_clocks_status ON clocks (status, id);

-- Every due date a calendar change moved, with both dates: the evidence behind a re-armed timer.
CREATE TABLE clock_recomputations (
    id               bigint IDENTITY(1, 1) PRIMARY KEY,
    clock_id         bigint            NOT NULL REFERENCES clocks (id),
    due_before       datetimeoffset(7) NULL,
    due_after        datetimeoffset(7) NULL,
    calendar_before  nvarchar(200)     NOT NULL,
    calendar_after   nvarchar(200)     NOT NULL,
    cause            nvarchar(max)     NOT NULL,
    recorded_at      datetimeoffset(7) NOT NULL,
    recorded_by      nvarchar(200)     NOT NULL
);
