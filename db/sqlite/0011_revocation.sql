-- Revocation of incentives (取消激励, notice section 三): one case per triggering fact (a 较大 or worse accident, an
-- eco-environmental penalty, a complaint verified as true) of an enterprise on the register. The unique key makes
-- recording the same fact again start nothing. The workflow keeps the status current; the effect (what changed)
-- and the EIA cases the revocation reached are kept as JSON evidence; the instance's journal is the full history.
CREATE TABLE revocation_cases (
    id                   TEXT    NOT NULL PRIMARY KEY,
    credit_code          TEXT    NOT NULL REFERENCES enterprises (credit_code),
    city                 TEXT    NOT NULL,
    trigger_kind         TEXT    NOT NULL, -- accident | penalty | complaint
    trigger_id           TEXT    NOT NULL, -- accident id, penalty decision number, complaint id
    trigger_summary      TEXT    NOT NULL,
    trigger_annulled_at  TEXT    NULL,     -- the penalty behind it was annulled
    instance_id          TEXT    NULL,     -- no foreign key: the start step links it before the instance row is written
    status               TEXT    NOT NULL,
    status_changed_at    TEXT    NOT NULL,
    decision             TEXT    NULL,     -- revoke | keep
    decision_number      TEXT    NULL,
    decision_reasons     TEXT    NULL,
    decided_on           TEXT    NULL,
    effect               TEXT    NULL,     -- JSON: register entry and memberships changed
    correlation_status   TEXT    NULL,     -- pending | done: incentive.revoked sent to the enterprise's waiting cases
    correlated           TEXT    NULL,     -- JSON: the instances the message reached
    correlated_at        TEXT    NULL,
    review_instance_id   TEXT    NULL,     -- reopened for review after the trigger was annulled
    review_outcome       TEXT    NULL,     -- reinstate | maintain
    review_reasons       TEXT    NULL,
    reviewed_at          TEXT    NULL,
    created_at           TEXT    NOT NULL,
    created_by           TEXT    NOT NULL,
    UNIQUE (credit_code, trigger_kind, trigger_id)
);
CREATE INDEX ix_revocation_cases_credit_code ON revocation_cases (credit_code, created_at);
