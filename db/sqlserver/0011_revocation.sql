-- Revocation of incentives (取消激励, notice section 三): one case per triggering fact (a 较大 or worse accident, an
-- eco-environmental penalty, a complaint verified as true) of an enterprise on the register. The unique key makes
-- recording the same fact again start nothing. The workflow keeps the status current; the effect (what changed)
-- and the EIA cases the revocation reached are kept as JSON evidence; the instance's journal is the full history.
CREATE TABLE revocation_cases (
    id                   uniqueidentifier NOT NULL PRIMARY KEY,
    credit_code          varchar(18)  NOT NULL REFERENCES enterprises (credit_code),
    city                 nvarchar(64) NOT NULL,
    trigger_kind         varchar(16)  NOT NULL, -- accident | penalty | complaint
    trigger_id           nvarchar(200) NOT NULL, -- accident id, penalty decision number, complaint id
    trigger_summary      nvarchar(max) NOT NULL,
    trigger_annulled_at  datetimeoffset(7) NULL,     -- the penalty behind it was annulled
    instance_id          uniqueidentifier NULL,     -- no foreign key: the start step links it before the instance row is written
    status               varchar(32)  NOT NULL,
    status_changed_at    datetimeoffset(7) NOT NULL,
    decision             nvarchar(max) NULL,     -- revoke | keep
    decision_number      nvarchar(max) NULL,
    decision_reasons     nvarchar(max) NULL,
    decided_on           date         NULL,
    effect               nvarchar(max) NULL,     -- JSON: register entry and memberships changed
    correlation_status   nvarchar(max) NULL,     -- pending | done: incentive.revoked sent to the enterprise's waiting cases
    correlated           nvarchar(max) NULL,     -- JSON: the instances the message reached
    correlated_at        datetimeoffset(7) NULL,
    review_instance_id   uniqueidentifier NULL,     -- reopened for review after the trigger was annulled
    review_outcome       nvarchar(max) NULL,     -- reinstate | maintain
    review_reasons       nvarchar(max) NULL,
    reviewed_at          datetimeoffset(7) NULL,
    created_at           datetimeoffset(7) NOT NULL,
    created_by           nvarchar(64) NOT NULL,
    CONSTRAINT uq_revocation_cases_trigger UNIQUE (credit_code, trigger_kind, trigger_id)
);
CREATE INDEX ix_revocation_cases_credit_code ON revocation_cases (credit_code, created_at);
