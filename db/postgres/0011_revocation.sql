-- Revocation of incentives (取消激励, notice section 三): one case per triggering fact (a 较大 or worse accident, an
-- eco-environmental penalty, a complaint verified as true) of an enterprise on the register. The unique key makes
-- recording the same fact again start nothing. The workflow keeps the status current; the effect (what changed)
-- and the EIA cases the revocation reached are kept as JSON evidence; the instance's journal is the full history.
CREATE TABLE revocation_cases (
    id                   uuid         NOT NULL PRIMARY KEY,
    credit_code          varchar(18)  NOT NULL REFERENCES enterprises (credit_code),
    city                 varchar(64)  NOT NULL,
    trigger_kind         varchar(16)  NOT NULL, -- accident | penalty | complaint
    trigger_id           varchar(200) NOT NULL, -- accident id, penalty decision number, complaint id
    trigger_summary      text         NOT NULL,
    trigger_annulled_at  timestamptz  NULL,     -- the penalty behind it was annulled
    instance_id          uuid         NULL,     -- no foreign key: the start step links it before the instance row is written
    status               varchar(32)  NOT NULL,
    status_changed_at    timestamptz  NOT NULL,
    decision             text         NULL,     -- revoke | keep
    decision_number      text         NULL,
    decision_reasons     text         NULL,
    decided_on           date         NULL,
    effect               text         NULL,     -- JSON: register entry and memberships changed
    correlation_status   text         NULL,     -- pending | done: incentive.revoked sent to the enterprise's waiting cases
    correlated           text         NULL,     -- JSON: the instances the message reached
    correlated_at        timestamptz  NULL,
    review_instance_id   uuid         NULL,     -- reopened for review after the trigger was annulled
    review_outcome       text         NULL,     -- reinstate | maintain
    review_reasons       text         NULL,
    reviewed_at          timestamptz  NULL,
    created_at           timestamptz  NOT NULL,
    created_by           varchar(64)  NOT NULL,
    UNIQUE (credit_code, trigger_kind, trigger_id)
);
CREATE INDEX ix_revocation_cases_credit_code ON revocation_cases (credit_code, created_at);
