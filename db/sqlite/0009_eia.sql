-- EIA approval (环评审批, measure 8): one row per application with the case number, the track chosen and why
-- (the eligibility decision as of the acceptance date), and the instance that runs it. The workflow keeps the
-- status current (service task eia.application.status); the instance's journal is the full history.
CREATE TABLE eia_applications (
    case_number           TEXT    NOT NULL PRIMARY KEY, -- e.g. 苏州环审〔2026〕0001
    city                  TEXT    NOT NULL,
    case_year             INTEGER NOT NULL,
    case_sequence         INTEGER NOT NULL,
    credit_code           TEXT    NOT NULL REFERENCES enterprises (credit_code),
    project_name          TEXT    NOT NULL,
    kind                  TEXT    NOT NULL, -- new | rebuild | expand
    document_type         TEXT    NOT NULL, -- report | form
    quota_needs           TEXT    NOT NULL, -- JSON: pollutant → tonnes per year ({} when none)
    received_at           TEXT    NOT NULL,
    acceptance_date       TEXT    NOT NULL, -- Beijing date of received_at; eligibility is judged as of it
    track                 TEXT    NOT NULL, -- fast | standard
    track_reason_zh       TEXT    NOT NULL,
    track_reason_en       TEXT    NOT NULL,
    eligibility           TEXT    NOT NULL, -- JSON: the eligibility decision with its rules
    definition_key        TEXT    NOT NULL,
    instance_id           TEXT    NULL,     -- no foreign key: the start step links it before the instance row is written
    status                TEXT    NOT NULL,
    status_changed_at     TEXT    NOT NULL,
    fast_track_ended_at   TEXT    NULL,     -- the incentive was revoked: the full limit applies from then on
    fast_track_end_reason TEXT    NULL,
    created_at            TEXT    NOT NULL,
    created_by            TEXT    NOT NULL,
    intake_key            TEXT    NULL,     -- the Idempotency-Key of the request that recorded it
    UNIQUE (city, case_year, case_sequence)
);
CREATE INDEX ix_eia_applications_credit_code ON eia_applications (credit_code);
CREATE INDEX ix_eia_applications_instance ON eia_applications (instance_id);
-- A repeated request with the same key finds the application it recorded instead of taking a new number.
CREATE UNIQUE INDEX ux_eia_applications_intake_key ON eia_applications (created_by, intake_key) WHERE intake_key IS NOT NULL;

-- The last case number issued per city and year: updated in the transaction that stores the application, so
-- numbers are gap-free and never reused.
CREATE TABLE eia_case_sequences (
    city        TEXT    NOT NULL,
    year        INTEGER NOT NULL,
    last_number INTEGER NOT NULL,
    PRIMARY KEY (city, year)
);
