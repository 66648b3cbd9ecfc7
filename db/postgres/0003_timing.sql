-- Statutory time (DESIGN §4). Rules and official calendar years are versioned: a change adds a row, nothing is
-- overwritten, so an auditor can see which rule and which calendar a deadline was computed on.
CREATE TABLE time_limit_rule_versions (
    rule_id     varchar(200)    NOT NULL,
    version     integer NOT NULL,
    definition  text    NOT NULL, -- the rule as JSON, in the shape of workflows/time-limits.json
    recorded_at timestamptz NOT NULL,
    recorded_by varchar(200)    NOT NULL, -- a username, or workflows/time-limits.json for the shipped file
    reason      text    NULL,
    PRIMARY KEY (rule_id, version)
);

CREATE TABLE calendar_year_versions (
    calendar_id varchar(200)    NOT NULL,
    year        integer NOT NULL,
    version     integer NOT NULL,
    document    text    NOT NULL, -- the year as JSON, in the shape of workflows/calendars/<calendar>.json
    recorded_at timestamptz NOT NULL,
    recorded_by varchar(200)    NOT NULL,
    PRIMARY KEY (calendar_id, year, version)
);

-- One row per statutory clock of a case.
CREATE TABLE clocks (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject          varchar(200)    NOT NULL UNIQUE, -- what the clock times, e.g. instance:42/eia.decision
    status           varchar(16) NOT NULL, -- running | paused | stopped | cancelled
    clock             text    NOT NULL, -- the Timing library's clock as JSON
    due_at           timestamptz NULL,           -- null while paused or ended
    calendar_version varchar(200)    NOT NULL,
    updated_at       timestamptz NOT NULL,
    row_version      integer NOT NULL DEFAULT 1
);

CREATE INDEX ix_clocks_due_at ON clocks (due_at);
CREATE INDEX ix_clocks_status ON clocks (status, id);

-- Every due date a calendar change moved, with both dates: the evidence behind a re-armed timer.
CREATE TABLE clock_recomputations (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clock_id         bigint  NOT NULL REFERENCES clocks (id),
    due_before       timestamptz NULL,
    due_after        timestamptz NULL,
    calendar_before  varchar(200)    NOT NULL,
    calendar_after   varchar(200)    NOT NULL,
    cause            text    NOT NULL,
    recorded_at      timestamptz NOT NULL,
    recorded_by      varchar(200)    NOT NULL
);
