-- EIA approval (环评审批, measure 8): one row per application with the case number, the track chosen and why
-- (the eligibility decision as of the acceptance date), and the instance that runs it. The workflow keeps the
-- status current (service task eia.application.status); the instance's journal is the full history.
CREATE TABLE eia_applications (
    case_number           nvarchar(64)      NOT NULL PRIMARY KEY, -- e.g. 苏州环审〔2026〕0001
    city                  varchar(64)       NOT NULL,
    case_year             int               NOT NULL,
    case_sequence         int               NOT NULL,
    credit_code           varchar(18)       NOT NULL REFERENCES enterprises (credit_code),
    project_name          nvarchar(200)     NOT NULL,
    kind                  varchar(16)       NOT NULL, -- new | rebuild | expand
    document_type         varchar(16)       NOT NULL, -- report | form
    quota_needs           nvarchar(max)     NOT NULL, -- JSON: pollutant → tonnes per year ({} when none)
    received_at           datetimeoffset(7) NOT NULL,
    acceptance_date       date              NOT NULL, -- Beijing date of received_at; eligibility is judged as of it
    track                 varchar(16)       NOT NULL, -- fast | standard
    track_reason_zh       nvarchar(max)     NOT NULL,
    track_reason_en       nvarchar(max)     NOT NULL,
    eligibility           nvarchar(max)     NOT NULL, -- JSON: the eligibility decision with its rules
    definition_key        nvarchar(200)     NOT NULL,
    instance_id           uniqueidentifier  NULL,     -- no foreign key: the start step links it before the instance row is written
    status                varchar(32)       NOT NULL,
    status_changed_at     datetimeoffset(7) NOT NULL,
    fast_track_ended_at   datetimeoffset(7) NULL,     -- the incentive was revoked: the full limit applies from then on
    fast_track_end_reason nvarchar(max)     NULL,
    created_at            datetimeoffset(7) NOT NULL,
    created_by            nvarchar(64)      NOT NULL,
    intake_key            nvarchar(200)     NULL, -- the Idempotency-Key of the request that recorded it
    CONSTRAINT uq_eia_applications_sequence UNIQUE (city, case_year, case_sequence)
);
CREATE INDEX ix_eia_applications_credit_code ON eia_applications (credit_code);
CREATE INDEX ix_eia_applications_instance ON eia_applications (instance_id);
-- A repeated request with the same key finds the application it recorded instead of taking a new number.
CREATE UNIQUE INDEX ux_eia_applications_intake_key ON eia_applications (created_by, intake_key) WHERE intake_key IS NOT NULL;

-- The last case number issued per city and year: updated in the transaction that stores the application, so
-- numbers are gap-free and never reused.
CREATE TABLE eia_case_sequences (
    city        varchar(64) NOT NULL,
    year        int         NOT NULL,
    last_number int         NOT NULL,
    CONSTRAINT pk_eia_case_sequences PRIMARY KEY (city, year)
);
