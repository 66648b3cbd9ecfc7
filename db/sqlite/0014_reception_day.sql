-- Environmental reception day (环保接待日, measure 10): a city bureau or the province holds sessions; each request
-- (诉求) of an advanced enterprise recorded for a session gets a number per organisation and year (gap-free, from
-- the counter row below) and starts one reception-day instance (business key = the number). The workflow keeps
-- the status, the office, the answer and the follow-up current; due dates come from the instance's clocks.
CREATE TABLE reception_sessions (
    id            TEXT    NOT NULL PRIMARY KEY,
    organisation  TEXT    NOT NULL, -- a city code or province
    session_date  TEXT    NOT NULL, -- Beijing date; the answer clock counts from it
    place         TEXT    NOT NULL,
    host          TEXT    NOT NULL, -- the leader who receives the enterprises
    topic         TEXT    NULL,
    created_at    TEXT    NOT NULL,
    created_by    TEXT    NOT NULL
);
CREATE INDEX ix_reception_sessions_organisation ON reception_sessions (organisation, session_date);

CREATE TABLE reception_requests (
    request_number    TEXT    NOT NULL PRIMARY KEY, -- e.g. 苏州接待〔2026〕001
    session_id        TEXT    NOT NULL REFERENCES reception_sessions (id),
    organisation      TEXT    NOT NULL,
    request_year      INTEGER NOT NULL,
    request_sequence  INTEGER NOT NULL,
    credit_code       TEXT    NOT NULL REFERENCES enterprises (credit_code),
    contact_name      TEXT    NOT NULL,
    contact_phone     TEXT    NULL,
    category          TEXT    NOT NULL, -- policy | technology | permit | funding | other
    request_text      TEXT    NOT NULL,
    instance_id       TEXT    NULL,     -- no foreign key: the start step links it before the instance row is written
    status            TEXT    NOT NULL,
    status_changed_at TEXT    NOT NULL,
    office            TEXT    NULL,     -- the office the request was assigned to
    referred_to       TEXT    NULL,     -- referred outside the department: to whom
    answer            TEXT    NULL,
    answered_at       TEXT    NULL,
    satisfaction      TEXT    NULL,     -- satisfied | unsatisfied (the follow-up, 回访)
    followed_up_at    TEXT    NULL,
    rehandle_answer   TEXT    NULL,     -- the one re-handling round after an unsatisfied follow-up
    rehandled_at      TEXT    NULL,
    closed_at         TEXT    NULL,
    created_at        TEXT    NOT NULL,
    created_by        TEXT    NOT NULL,
    intake_key        TEXT    NULL,     -- the Idempotency-Key of the request that recorded it
    UNIQUE (organisation, request_year, request_sequence)
);
CREATE INDEX ix_reception_requests_session ON reception_requests (session_id);
CREATE INDEX ix_reception_requests_instance ON reception_requests (instance_id);
-- A repeated intake with the same key finds the request it recorded instead of taking a new number.
CREATE UNIQUE INDEX ux_reception_requests_intake_key ON reception_requests (created_by, intake_key) WHERE intake_key IS NOT NULL;

-- The last request number issued per organisation and year.
CREATE TABLE reception_request_sequences (
    organisation TEXT    NOT NULL,
    year         INTEGER NOT NULL,
    last_number  INTEGER NOT NULL,
    PRIMARY KEY (organisation, year)
);
