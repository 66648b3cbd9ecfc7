-- Environmental reception day (环保接待日, measure 10): a city bureau or the province holds sessions; each request
-- (诉求) of an advanced enterprise recorded for a session gets a number per organisation and year (gap-free, from
-- the counter row below) and starts one reception-day instance (business key = the number). The workflow keeps
-- the status, the office, the answer and the follow-up current; due dates come from the instance's clocks.
CREATE TABLE reception_sessions (
    id            uniqueidentifier NOT NULL PRIMARY KEY,
    organisation  varchar(64) NOT NULL, -- a city code or province
    session_date  date NOT NULL, -- Beijing date; the answer clock counts from it
    place         nvarchar(200) NOT NULL,
    host          nvarchar(100) NOT NULL, -- the leader who receives the enterprises
    topic         nvarchar(200) NULL,
    created_at    datetimeoffset(7) NOT NULL,
    created_by    nvarchar(64) NOT NULL
);
CREATE INDEX ix_reception_sessions_organisation ON reception_sessions (organisation, session_date);

CREATE TABLE reception_requests (
    request_number    nvarchar(64) NOT NULL PRIMARY KEY, -- e.g. 苏州接待〔2026〕001
    session_id        uniqueidentifier NOT NULL REFERENCES reception_sessions (id),
    organisation      varchar(64) NOT NULL,
    request_year      int NOT NULL,
    request_sequence  int NOT NULL,
    credit_code       varchar(18) NOT NULL REFERENCES enterprises (credit_code),
    contact_name      nvarchar(100) NOT NULL,
    contact_phone     nvarchar(40) NULL,
    category          varchar(16) NOT NULL, -- policy | technology | permit | funding | other
    request_text      nvarchar(max) NOT NULL,
    instance_id       uniqueidentifier NULL,     -- no foreign key: the start step links it before the instance row is written
    status            varchar(32) NOT NULL,
    status_changed_at datetimeoffset(7) NOT NULL,
    office            varchar(32) NULL,     -- the office the request was assigned to
    referred_to       nvarchar(200) NULL,     -- referred outside the department: to whom
    answer            nvarchar(max) NULL,
    answered_at       datetimeoffset(7) NULL,
    satisfaction      varchar(16) NULL,     -- satisfied | unsatisfied (the follow-up, 回访)
    followed_up_at    datetimeoffset(7) NULL,
    rehandle_answer   nvarchar(max) NULL,     -- the one re-handling round after an unsatisfied follow-up
    rehandled_at      datetimeoffset(7) NULL,
    closed_at         datetimeoffset(7) NULL,
    created_at        datetimeoffset(7) NOT NULL,
    created_by        nvarchar(64) NOT NULL,
    intake_key        nvarchar(200) NULL,     -- the Idempotency-Key of the request that recorded it
    CONSTRAINT uq_reception_requests_sequence UNIQUE (organisation, request_year, request_sequence)
);
CREATE INDEX ix_reception_requests_session ON reception_requests (session_id);
CREATE INDEX ix_reception_requests_instance ON reception_requests (instance_id);
-- A repeated intake with the same key finds the request it recorded instead of taking a new number.
CREATE UNIQUE INDEX ux_reception_requests_intake_key ON reception_requests (created_by, intake_key) WHERE intake_key IS NOT NULL;

-- The last request number issued per organisation and year.
CREATE TABLE reception_request_sequences (
    organisation varchar(64) NOT NULL,
    year         int NOT NULL,
    last_number  int NOT NULL,
    CONSTRAINT pk_reception_request_sequences PRIMARY KEY (organisation, year)
);
