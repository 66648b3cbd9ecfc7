-- Environmental reception day (环保接待日, measure 10): a city bureau or the province holds sessions; each request
-- (诉求) of an advanced enterprise recorded for a session gets a number per organisation and year (gap-free, from
-- the counter row below) and starts one reception-day instance (business key = the number). The workflow keeps
-- the status, the office, the answer and the follow-up current; due dates come from the instance's clocks.
CREATE TABLE reception_sessions (
    id            uuid NOT NULL PRIMARY KEY,
    organisation  varchar(64) NOT NULL, -- a city code or province
    session_date  date NOT NULL, -- Beijing date; the answer clock counts from it
    place         varchar(200) NOT NULL,
    host          varchar(100) NOT NULL, -- the leader who receives the enterprises
    topic         varchar(200) NULL,
    created_at    timestamptz NOT NULL,
    created_by    varchar(64) NOT NULL
);
CREATE INDEX ix_reception_sessions_organisation ON reception_sessions (organisation, session_date);

CREATE TABLE reception_requests (
    request_number    varchar(64) NOT NULL PRIMARY KEY, -- e.g. 苏州接待〔2026〕001
    session_id        uuid NOT NULL REFERENCES reception_sessions (id),
    organisation      varchar(64) NOT NULL,
    request_year      integer NOT NULL,
    request_sequence  integer NOT NULL,
    credit_code       varchar(18) NOT NULL REFERENCES enterprises (credit_code),
    contact_name      varchar(100) NOT NULL,
    contact_phone     varchar(40) NULL,
    category          varchar(16) NOT NULL, -- policy | technology | permit | funding | other
    request_text      text NOT NULL,
    instance_id       uuid NULL,     -- no foreign key: the start step links it before the instance row is written
    status            varchar(32) NOT NULL,
    status_changed_at timestamptz NOT NULL,
    office            varchar(32) NULL,     -- the office the request was assigned to
    referred_to       varchar(200) NULL,     -- referred outside the department: to whom
    answer            text NULL,
    answered_at       timestamptz NULL,
    satisfaction      varchar(16) NULL,     -- satisfied | unsatisfied (the follow-up, 回访)
    followed_up_at    timestamptz NULL,
    rehandle_answer   text NULL,     -- the one re-handling round after an unsatisfied follow-up
    rehandled_at      timestamptz NULL,
    closed_at         timestamptz NULL,
    created_at        timestamptz NOT NULL,
    created_by        varchar(64) NOT NULL,
    intake_key        varchar(200) NULL,     -- the Idempotency-Key of the request that recorded it
    CONSTRAINT uq_reception_requests_sequence UNIQUE (organisation, request_year, request_sequence)
);
CREATE INDEX ix_reception_requests_session ON reception_requests (session_id);
CREATE INDEX ix_reception_requests_instance ON reception_requests (instance_id);
-- A repeated intake with the same key finds the request it recorded instead of taking a new number.
CREATE UNIQUE INDEX ux_reception_requests_intake_key ON reception_requests (created_by, intake_key) WHERE intake_key IS NOT NULL;

-- The last request number issued per organisation and year.
CREATE TABLE reception_request_sequences (
    organisation varchar(64) NOT NULL,
    year         integer NOT NULL,
    last_number  integer NOT NULL,
    PRIMARY KEY (organisation, year)
);
