-- Statutory time (DESIGN §4). Rules and official calendar years are versioned: a change adds a row, nothing is
-- overwritten, so an auditor can see which rule and which calendar a deadline was computed on.
CREATE TABLE time_limit_rule_versions (
    rule_id     TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    definition  TEXT    NOT NULL, -- the rule as JSON, in the shape of workflows/time-limits.json
    recorded_at TEXT    NOT NULL,
    recorded_by TEXT    NOT NULL, -- a username, or workflows/time-limits.json for the shipped file
    reason      TEXT    NULL,
    PRIMARY KEY (rule_id, version)
);

CREATE TABLE calendar_year_versions (
    calendar_id TEXT    NOT NULL,
    year        INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    document    TEXT    NOT NULL, -- the year as JSON, in the shape of workflows/calendars/<calendar>.json
    recorded_at TEXT    NOT NULL,
    recorded_by TEXT    NOT NULL,
    PRIMARY KEY (calendar_id, year, version)
);

-- One row per statutory clock of a case.
CREATE TABLE clocks (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    subject          TEXT    NOT NULL UNIQUE, -- what the clock times, e.g. instance:42/eia.decision
    status           TEXT    NOT NULL, -- running | paused | stopped | cancelled
    clock             TEXT    NOT NULL, -- the Timing library's clock as JSON
    due_at           TEXT    NULL,           -- null while paused or ended
    calendar_version TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    row_version      INTEGER NOT NULL DEFAULT 1
);

CREATE INDEX ix_clocks_due_at ON clocks (due_at);
CREATE INDEX ix_clocks_status ON clocks (status, id);

-- Every due date a calendar change moved, with both dates: the evidence behind a re-armed timer.
CREATE TABLE clock_recomputations (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    clock_id         INTEGER NOT NULL REFERENCES clocks (id),
    due_before       TEXT    NULL,
    due_after        TEXT    NULL,
    calendar_before  TEXT    NOT NULL,
    calendar_after   TEXT    NOT NULL,
    cause            TEXT    NOT NULL,
    recorded_at      TEXT    NOT NULL,
    recorded_by      TEXT    NOT NULL
);
